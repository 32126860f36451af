"""A clock for tests: time moves only when the test says so, and sleepers wake in order.

`advance(s)` moves time forward, waking every sleeper whose time came, one after
another at its own instant, and lets each run before the next wakes. Nothing waits
real seconds, so a debounce, a countdown or a five-minute backoff is tested in
microseconds, the same on an idle laptop and a loaded CI machine.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable
from datetime import datetime, timedelta, timezone
from typing import TypeVar

T = TypeVar("T")

# The suite's fixed "now": after every sandbox email (2026-01-05 .. 2026-11-20).
FIXED_NOW = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)


class VirtualClock:
    def __init__(self, start: datetime = FIXED_NOW) -> None:
        self._start = start
        self._elapsed = 0.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    # --- the Clock protocol --------------------------------------------------------

    def time(self) -> float:
        return self._start.timestamp() + self._elapsed

    def monotonic(self) -> float:
        return 1000.0 + self._elapsed

    def now(self) -> datetime:
        return (self._start + timedelta(seconds=self._elapsed)).astimezone()

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self._elapsed + seconds, next(self._order), future))
        await future

    # --- for the test --------------------------------------------------------------

    @property
    def sleepers(self) -> int:
        """How many sleeps are waiting for time to pass."""
        return sum(1 for _, _, future in self._sleepers if not future.done())

    def next_wake(self) -> float | None:
        """Seconds until the next sleeper wakes, None when nobody sleeps."""
        pending = [at for at, _, future in self._sleepers if not future.done()]
        return min(pending) - self._elapsed if pending else None

    async def advance(self, seconds: float) -> None:
        """Move time `seconds` forward, waking sleepers one instant at a time."""
        target = self._elapsed + seconds
        # A deadline within a nanosecond of the target is due: sums of floats drift.
        while self._sleepers and self._sleepers[0][0] <= target + 1e-9:
            at, _, future = heapq.heappop(self._sleepers)
            if future.done():
                continue
            self._elapsed = max(self._elapsed, at)
            future.set_result(None)
            await _let_run()
        self._elapsed = target
        await _let_run()

    async def run_until_idle(self, horizon: float = 600.0) -> None:
        """Advance to each next wake within `horizon` seconds from now, until nobody sleeps in it."""
        limit = self._elapsed + horizon
        while True:
            await _let_run()
            wake = self.next_wake()
            if wake is None or self._elapsed + wake > limit:
                return
            await self.advance(wake)

    async def drive(self, awaitable: Awaitable[T], horizon: float = 3600.0) -> T:
        """Await `awaitable`, moving time to each next wake while it sleeps (up to `horizon` s in all)."""
        task = asyncio.ensure_future(awaitable)
        limit = self._elapsed + horizon
        while not task.done():
            await _let_run()
            if task.done():
                break
            wake = self.next_wake()
            if wake is None or self._elapsed + wake > limit:
                await asyncio.sleep(0.001)  # something real is under way (a thread, a socket)
                continue
            await self.advance(wake)
        return task.result()


async def _let_run(rounds: int = 20) -> None:
    for _ in range(rounds):
        await asyncio.sleep(0)
