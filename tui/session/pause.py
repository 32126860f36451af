"""Waits that the person can cut short, on the injected clock.

`Quiet` is a debounce measured as quiet time since the last poke, however long
the work between pokes took (holding j for a second makes one detail call, not
one per 150 ms). `Wakeable` is a sleep that `wake()` ends early: R while the
record model waits out a failure.
"""

from __future__ import annotations

import asyncio
import contextlib

from tui.session.clock import Clock


class Wakeable:
    """A sleep on `clock` that `wake()` ends at once."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._woken = asyncio.Event()

    def wake(self) -> None:
        self._woken.set()

    async def sleep(self, seconds: float) -> bool:
        """Sleep `seconds`; True when `wake()` ended it early."""
        self._woken.clear()
        sleeper = asyncio.ensure_future(self.clock.sleep(seconds))
        waker = asyncio.ensure_future(self._woken.wait())
        try:
            done, _ = await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (sleeper, waker):
                task.cancel()
            for task in (sleeper, waker):
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        return waker in done and not sleeper in done


class Quiet:
    """`wait()` returns once `delay` seconds passed with no `poke()`; `poke(at_once=True)` ends it now."""

    def __init__(self, clock: Clock, delay: float) -> None:
        self.clock = clock
        self.delay = delay
        self._last = clock.monotonic()
        self._now = False
        self._wake = Wakeable(clock)

    def poke(self, *, at_once: bool = False) -> None:
        self._last = self.clock.monotonic()
        if at_once:
            self._now = True
            self._wake.wake()

    async def wait(self) -> None:
        while not self._now:
            left = self._last + self.delay - self.clock.monotonic()
            if left <= 0:
                break
            await self._wake.sleep(left)
        self._now = False
