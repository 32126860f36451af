"""Watching a record: page one synced again every so often while it is open, and what that costs.

Each check is the same incremental sync `r` does (`RecordSession.refresh`): one call
when nothing new came, a few more when many did. Zoho counts every call against the
org's daily credits, so a watch is never more often than once a minute, and the
status line says what it costs an hour. Off unless asked for (`--watch SECONDS`, or
the palette).
"""

from __future__ import annotations

import msgspec


MIN_WATCH_S = 60
# What the palette's toggle uses when no --watch interval was given.
DEFAULT_WATCH_S = 120


class WatchError(ValueError):
    """An interval that cannot be used; its text is a sentence for the person."""


def watch_interval(seconds: float) -> int:
    """`seconds` as a watch interval, or WatchError saying why not (under a minute, not a number of seconds)."""
    if seconds != seconds or seconds in (float("inf"), float("-inf")):
        raise WatchError("give the interval in seconds, for example --watch 120")
    if seconds < MIN_WATCH_S:
        raise WatchError(
            f"a record is watched at most once a minute (each check is an API call): use --watch {MIN_WATCH_S} or more"
        )
    return int(seconds)


def every(seconds: int) -> str:
    """"every minute", "every 2 min", "every 90 s", "every hour"."""
    if seconds == 3600:
        return "every hour"
    if seconds == 60:
        return "every minute"
    if seconds % 60 == 0:
        return f"every {seconds // 60} min"
    return f"every {seconds} s"


class Watch(msgspec.Struct, frozen=True):
    """A watch of the open record every `seconds` (at least a minute); `bell` rings on new emails."""

    seconds: int = DEFAULT_WATCH_S
    bell: bool = False

    def __post_init__(self) -> None:
        watch_interval(self.seconds)

    @property
    def calls_per_hour(self) -> int:
        """At least one call a check: the sync of page one (more only when many emails came at once)."""
        return round(3600 / self.seconds)

    def describe(self) -> str:
        """What the status line says: "watching every 2 min · ~30 calls/h"."""
        return f"watching {every(self.seconds)} · ~{self.calls_per_hour} calls/h"
