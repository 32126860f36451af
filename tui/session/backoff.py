"""How long the record model waits before trying again once the client gave up.

The client already retried a few times within seconds (its own backoff); past
that, the failure is likely to last (offline, Zoho down, credits spent), so the
model waits longer and longer, up to five minutes, and tries once each time:
at most a dozen calls an hour however long the app stays open. R tries now
without shortening what comes next.
"""

from __future__ import annotations

from tui.zoho.errors import NetworkError, RateLimitedError, ZohoError

SCHEDULE_S = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)


def passing(error: Exception) -> bool:
    """A failure a later try may not meet: offline, rate limited, Zoho's own trouble (5xx)."""
    if isinstance(error, (NetworkError, RateLimitedError)):
        return True
    return isinstance(error, ZohoError) and error.status is not None and (error.status == 429 or error.status >= 500)


class Backoff:
    """1, 2, 5, 10, 30, 60, 120, then 300 s for good; a Retry-After longer than the step wins."""

    def __init__(self, schedule: tuple[float, ...] = SCHEDULE_S) -> None:
        self.schedule = schedule
        self.failures = 0

    def next_delay(self, error: ZohoError | None = None) -> float:
        step = self.schedule[min(self.failures, len(self.schedule) - 1)]
        self.failures += 1
        retry_after = error.details.get("retry_after") if error is not None else None
        if isinstance(retry_after, (int, float)) and not isinstance(retry_after, bool):
            step = max(step, float(retry_after))
        return step

    def reset(self) -> None:
        self.failures = 0
