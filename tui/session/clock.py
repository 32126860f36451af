"""Time, injected: the wall clock for dates, a monotonic one for waits, and a sleeper.

Everything in the app that waits (the client's backoff, the record model's slower
retries, the pause before the detail pane follows the cursor) or tells a time
("retrying in 12 s", "synced 12:04", whether a row shows its year) reads one
`Clock`. The app runs on `SystemClock`; tests run on a virtual clock, so no test
waits real seconds and none depends on how loaded the machine is.
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    def time(self) -> float:
        """Seconds since the epoch (token expiry, "synced at")."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back (deadlines and countdowns)."""
        ...

    def now(self) -> datetime:
        """The local date and time, aware (what a row's date is compared with)."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait `seconds` on this clock."""
        ...


class SystemClock:
    """The real clocks and `asyncio.sleep`."""

    def time(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        return datetime.now().astimezone()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(seconds, 0.0))
