"""What the status line says about reaching Zoho, from the client's events and the clock.

"offline — retrying in 12 s" while the client waits between tries; "offline since
12:04" once it gave up (the record model keeps trying on its slower schedule);
nothing once Zoho answers again.
"""

from __future__ import annotations

import math
from datetime import datetime

from tui.session.clock import Clock
from tui.zoho.client import Answered, ConnectionEvent, GaveUp, Retrying
from tui.zoho.errors import NetworkError, RateLimitedError, ZohoError


def failure_kind(error: ZohoError) -> str:
    """What the note calls a failure: offline, rate limited, Zoho error."""
    if isinstance(error, NetworkError):
        return "offline"
    if isinstance(error, RateLimitedError) or error.status == 429 or error.code == "TOO_MANY_REQUESTS":
        return "rate limited"
    return "Zoho error"


class ConnectionStatus:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.kind = ""  # "" (fine), or what went wrong: offline, rate limited, Zoho error
        self.retry_at: float | None = None  # monotonic: the client's next try
        self.since: datetime | None = None  # when the client gave up

    def apply(self, event: ConnectionEvent) -> None:
        if isinstance(event, Answered):
            if event.status != 429 and event.status < 500:
                self.kind, self.retry_at, self.since = "", None, None
        elif isinstance(event, Retrying):
            self.kind = failure_kind(event.error)
            self.retry_at = self.clock.monotonic() + event.delay_s
        elif isinstance(event, GaveUp):
            kind = failure_kind(event.error)
            if self.since is None or kind != self.kind:
                self.since = self.clock.now()
            self.kind, self.retry_at = kind, None

    @property
    def ok(self) -> bool:
        return not self.kind

    def note(self) -> str:
        if not self.kind:
            return ""
        if self.retry_at is not None:
            left = self.retry_at - self.clock.monotonic()
            return f"{self.kind} — retrying in {math.ceil(left)} s" if left > 0 else f"{self.kind} — retrying…"
        if self.since is not None:
            return f"{self.kind} since {self.since:%H:%M}"
        return self.kind
