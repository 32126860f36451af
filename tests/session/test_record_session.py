"""The record model in virtual time: paging, refresh, filters, the retry schedule, details, the pause."""

from __future__ import annotations

import asyncio
import math

import pytest

from tests.support.clock import VirtualClock
from tests.support.events import EventLog
from tui.connect import demo_client
from tui.sandbox.app import Faults, Sandbox
from tui.sandbox.data import ACCOUNT_MAIN, CONTACT_HOSTILE, LEAD_EMPTY, LEAD_MAIN
from tui.session.backoff import SCHEDULE_S
from tui.session.filters import EmailFilter
from tui.session.record import RecordSession
from tui.session.rows import EmailRows
from tui.zoho.client import ZohoClient
from tui.zoho.errors import NetworkError, RateLimitedError, ZohoAPIError
from tui.zoho.models import Email, Record


def session_on(record: tuple[str, str], *, faults: Faults | None = None, events: EventLog | None = None):
    clock = VirtualClock()
    client, sandbox = demo_client(faults=faults, clock=clock, on_event=events)
    return RecordSession(client, Record(*record), clock=clock), sandbox, clock


async def run_until(clock: VirtualClock, condition) -> None:
    """Wake sleepers one at a time until `condition()` holds."""
    for _ in range(1000):
        await clock.advance(0)
        if condition():
            return
        wake = clock.next_wake()
        assert wake is not None, "nothing left to wake"
        await clock.advance(wake)
    raise AssertionError("never happened")


def list_calls(sandbox: Sandbox) -> list[dict[str, str]]:
    return [c.params for c in sandbox.calls if c.path.endswith("/Emails")]


async def all_ids(record: tuple[str, str], email_type: str | None = None) -> list[str]:
    client, _ = demo_client()
    async with client:
        return [e.message_id async for page in client.iter_email_pages(*record, type=email_type) for e in page.emails]


async def test_pages_come_in_order_each_once_until_the_end():
    session, sandbox, _ = session_on(CONTACT_HOSTILE)
    feed = session.feed()
    added = []
    while feed.more:
        added.append(len(await session.load_more(feed)))
    assert added == [10, 10, 10] and not feed.more and feed.stopped is None
    assert [e.message_id for e in feed.emails] == await all_ids(CONTACT_HOSTILE)
    indexes = [c.get("index") for c in list_calls(sandbox)]
    assert indexes[0] is None and len(indexes) == len(set(indexes)) == 3
    assert await session.load_more(feed) is None  # nothing left: no call
    assert len(list_calls(sandbox)) == 3


async def test_an_empty_record_is_one_call():
    session, sandbox, _ = session_on(LEAD_EMPTY)
    feed = session.feed()
    assert await session.load_more(feed) == []
    assert feed.count == 0 and not feed.more and len(list_calls(sandbox)) == 1


async def test_each_filter_keeps_its_own_list():
    session, sandbox, _ = session_on(ACCOUNT_MAIN)
    everything = session.feed()
    await session.load_more(everything)
    sent = session.feed(EmailFilter("all_contacts_sent_crm_emails"))
    await session.load_more(sent)
    assert [e.message_id for e in sent.emails] == (await all_ids(ACCOUNT_MAIN, "all_contacts_sent_crm_emails"))[:10]
    assert [c.get("type") for c in list_calls(sandbox)] == [None, "all_contacts_sent_crm_emails"]
    assert session.feed(EmailFilter()) is everything and everything.count == 10


async def test_refresh_puts_new_emails_on_top_and_updates_the_known():
    session, sandbox, _ = session_on(LEAD_MAIN)
    feed = session.feed()
    for _ in range(3):
        await session.load_more(feed)
    everything = [e.message_id for e in feed.emails]
    # Pretend the two newest arrived after the list was read.
    feed.emails.remove(everything[:2])
    result = await session.refresh(feed)
    assert result.new == 2 and not result.restarted
    assert [e.message_id for e in feed.emails] == everything
    assert list_calls(sandbox)[-1].get("index") is None  # page one only: it overlapped


async def test_refresh_starts_afresh_when_nothing_read_is_known():
    session, sandbox, _ = session_on(LEAD_MAIN)
    feed = session.feed()
    await session.load_more(feed)
    # A list of two emails Zoho no longer lists: after five pages with none of them, start over.
    feed.emails = EmailRows([Email("gone-1"), Email("gone-2")])
    calls = len(list_calls(sandbox))
    result = await session.refresh(feed)
    assert result.restarted and feed.count == 50 and feed.pages == 1
    assert len(list_calls(sandbox)) == calls + 5
    # The walk goes on from the fifth page read, never from an index asked before the restart.
    await session.load_more(feed)
    assert feed.count == 60


async def test_a_failure_that_passes_is_waited_out_on_the_schedule_with_single_tries():
    events = EventLog()
    session, sandbox, clock = session_on(LEAD_MAIN, faults=Faults(always="drop"), events=events)
    feed = session.feed()
    waits: list[float] = []
    loading = asyncio.ensure_future(session.load_more(feed, on_wait=lambda f: waits.append(f.retry_at - clock.monotonic())))
    await run_until(clock, lambda: events.gave_up)  # the client's own backoff: 0.5, 1, 2, 4 s (jittered)
    assert len(events.retries) == 4 and len(events.gave_up) == 1
    assert feed.paging and isinstance(feed.error, NetworkError)
    first = len(sandbox.calls)
    assert first == 5
    # Then the model: 1, 2, 5, 10, 30, 60, 120, 300, 300… s, one call each.
    for step, delay in enumerate((*SCHEDULE_S, 300.0, 300.0)):
        assert waits[-1] == pytest.approx(delay)
        await clock.advance(delay)
        assert len(sandbox.calls) == first + step + 1
    hour_calls = len(sandbox.calls)
    await clock.advance(3600)
    assert len(sandbox.calls) - hour_calls == 12  # at most a dozen calls an hour, however long it stays open
    sandbox.faults.always = None
    await clock.advance(300)
    fresh = await loading
    assert len(fresh) == 10 and feed.error is None and feed.retry_at is None and not feed.paging


async def test_r_tries_now_and_the_schedule_goes_on():
    session, sandbox, clock = session_on(LEAD_MAIN, faults=Faults(always="500"))
    feed = session.feed()
    loading = asyncio.ensure_future(session.load_more(feed))
    await run_until(clock, lambda: feed.waiting)
    await clock.advance(1 + 2)  # two of the model's tries
    calls = len(sandbox.calls)
    assert session.retry(feed)  # R
    await clock.advance(0)
    assert len(sandbox.calls) == calls + 1
    assert feed.retry_at - clock.monotonic() == pytest.approx(10.0)  # 1, 2, 5 were used: 10 comes next
    sandbox.faults.always = None
    assert session.retry(feed)
    await clock.advance(0)
    assert len(await loading) == 10


async def test_a_retry_after_longer_than_the_step_wins():
    session, sandbox, clock = session_on(LEAD_MAIN, faults=Faults(always="429", retry_after=200))
    feed = session.feed()
    loading = asyncio.ensure_future(session.load_more(feed))
    await clock.advance(0)
    assert isinstance(feed.error, RateLimitedError)
    assert math.isclose(feed.retry_at - clock.monotonic(), 200.0)
    assert len(sandbox.calls) == 1  # a Retry-After past the client's cap is not waited out by the client
    loading.cancel()
    with pytest.raises(asyncio.CancelledError):
        await loading


async def test_an_error_that_does_not_pass_waits_for_r():
    session, sandbox, clock = session_on(("Leads", "4150868000000999999"))
    feed = session.feed()
    assert await session.load_more(feed) is None
    assert isinstance(feed.error, ZohoAPIError) and feed.error.code == "INVALID_DATA" and feed.retry_at is None
    await clock.advance(3600)
    assert len(sandbox.calls) == 1
    assert await session.load_more(feed) is None and len(sandbox.calls) == 1
    assert session.retry(feed) and feed.error is None


async def test_cancelling_a_wait_leaves_the_feed_ready_to_resume():
    session, sandbox, clock = session_on(LEAD_MAIN, faults=Faults(always="drop"))
    feed = session.feed()
    loading = asyncio.ensure_future(session.load_more(feed))
    await run_until(clock, lambda: feed.waiting)
    assert feed.paging and feed.waiting
    loading.cancel()  # the screen closed
    with pytest.raises(asyncio.CancelledError):
        await loading
    assert not feed.paging and feed.waiting and feed.error is not None
    # Reopened: the wait resumes where it was, not from zero, and no sooner.
    calls = len(sandbox.calls)
    sandbox.faults.always = None
    resumed = asyncio.ensure_future(session.load_more(feed))
    await clock.advance(0.5)
    assert len(sandbox.calls) == calls
    await clock.advance(0.5)
    assert len(await resumed) == 10


async def test_a_detail_is_read_once_however_often_it_is_asked():
    session, sandbox, _ = session_on(LEAD_MAIN)
    feed = session.feed()
    await session.load_more(feed)
    email = feed.emails[3]
    first, second = await asyncio.gather(session.detail(email), session.detail(email))
    assert first is second is not None
    await session.detail(email)
    assert sandbox.count(f"/Emails/{email.message_id}") == 1
    assert session.cached_detail(email.message_id) == (True, first)


async def test_the_detail_follows_only_after_the_cursor_rests():
    session, sandbox, clock = session_on(LEAD_MAIN)
    feed = session.feed()
    await session.load_more(feed)
    wanted: list[str] = []

    async def follow() -> None:
        while (email := await session.next_wanted_detail()) is not None:
            wanted.append(email.message_id)
            await session.detail(email)

    follower = asyncio.ensure_future(follow())
    # Held j: a move every 30 ms for a second and a half, however long each move takes.
    for email in list(feed.emails) * 5:
        session.want_detail(email)
        await clock.advance(0.03)
    assert wanted == []
    await clock.advance(0.15)
    await follower
    assert wanted == [feed.emails[-1].message_id]
    assert sum(1 for c in sandbox.calls if "/Emails/" in c.path) == 1


async def test_enter_reads_the_detail_at_once():
    session, _, clock = session_on(LEAD_MAIN)
    feed = session.feed()
    await session.load_more(feed)
    session.want_detail(feed.emails[0])
    waiting = asyncio.ensure_future(session.next_wanted_detail())
    await clock.advance(0.05)
    assert not waiting.done()
    session.want_detail(feed.emails[1], at_once=True)
    await clock.advance(0)
    assert (await waiting).message_id == feed.emails[1].message_id


async def test_a_failed_detail_is_not_kept_and_is_asked_again():
    session, sandbox, clock = session_on(LEAD_MAIN)
    feed = session.feed()
    await session.load_more(feed)
    sandbox.faults.always = "500"
    with pytest.raises(ZohoAPIError):
        await clock.drive(session.detail(feed.emails[0]))
    assert session.cached_detail(feed.emails[0].message_id) == (False, None)
    sandbox.faults.always = None
    assert await session.detail(feed.emails[0]) is not None


async def test_the_client_is_not_closed_or_touched_by_the_model():
    session, _, _ = session_on(LEAD_MAIN)
    assert isinstance(session.client, ZohoClient)
    assert repr(session) == f"RecordSession(Leads/{LEAD_MAIN[1]}, feeds=0)"
