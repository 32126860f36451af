"""The waits of the model in virtual time: the backoff schedule, the quiet pause, the wakeable sleep,
and the connection status line's words."""

from __future__ import annotations

import asyncio

from tests.support.clock import VirtualClock
from tui.session.backoff import SCHEDULE_S, Backoff, passing
from tui.session.connection import ConnectionStatus
from tui.session.directory import Once
from tui.session.pause import Quiet, Wakeable
from tui.zoho.client import Answered, GaveUp, Retrying
from tui.zoho.errors import NetworkError, RateLimitedError, ZohoAPIError


def test_the_schedule_grows_to_five_minutes_and_stays_there():
    backoff = Backoff()
    delays = [backoff.next_delay() for _ in range(12)]
    assert delays == [*SCHEDULE_S, 300.0, 300.0, 300.0, 300.0]
    backoff.reset()
    assert backoff.next_delay() == 1.0
    slow = RateLimitedError("TOO_MANY_REQUESTS", "slow down", status=429, details={"retry_after": 90})
    assert backoff.next_delay(slow) == 90.0


def test_what_passes_by_itself():
    assert passing(NetworkError("down"))
    assert passing(RateLimitedError("TOO_MANY_REQUESTS", "x", status=429))
    assert passing(ZohoAPIError("INTERNAL_SERVER_ERROR", "x", status=503))
    assert not passing(ZohoAPIError("NO_PERMISSION", "x", status=403))
    assert not passing(ValueError("a bug"))


async def test_quiet_waits_for_quiet_since_the_last_poke():
    clock = VirtualClock()
    quiet = Quiet(clock, 0.15)
    quiet.poke()
    done = asyncio.ensure_future(quiet.wait())
    for _ in range(10):
        await clock.advance(0.1)
        quiet.poke()
    assert not done.done()
    await clock.advance(0.15)
    assert done.done()


async def test_a_wakeable_sleep_ends_early_when_woken():
    clock = VirtualClock()
    wakeable = Wakeable(clock)
    sleeping = asyncio.ensure_future(wakeable.sleep(300))
    await clock.advance(0)
    await clock.advance(1)
    wakeable.wake()
    assert await sleeping is True
    assert clock.sleepers == 0  # the cancelled sleep left nothing behind
    assert await asyncio.wait_for(asyncio.ensure_future(_sleep_through(clock, wakeable)), 1) is False


async def _sleep_through(clock: VirtualClock, wakeable: Wakeable) -> bool:
    sleeping = asyncio.ensure_future(wakeable.sleep(5))
    await clock.advance(0)  # let it start sleeping
    await clock.advance(5)
    return await sleeping


def test_the_status_line_counts_down_then_says_since_when():
    clock = VirtualClock()
    status = ConnectionStatus(clock)
    assert status.note() == "" and status.ok
    status.apply(Retrying(1, 4.0, "down", NetworkError("down")))
    assert status.note() == "offline — retrying in 4 s"
    status.apply(GaveUp(NetworkError("down")))
    assert status.note() == "offline since 12:00"
    status.apply(Answered(503))
    assert status.note() == "offline since 12:00"  # Zoho's own trouble is not "connected"
    status.apply(Answered(200))
    assert status.note() == "" and status.ok


async def test_once_reads_once_while_it_succeeds_and_shares_a_read_in_progress():
    once = Once()
    calls = 0

    async def read() -> int:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0)
        if calls == 1:
            raise NetworkError("down")
        return calls

    results = await asyncio.gather(once.read("k", read), once.read("k", read), return_exceptions=True)
    assert all(isinstance(r, NetworkError) for r in results) and calls == 1  # shared, and not kept
    assert await once.read("k", read) == 2
    assert await once.read("k", read) == 2 and calls == 2
