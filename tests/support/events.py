"""What a client told its `on_event` listener, for tests that look at its retries."""

from __future__ import annotations

from tui.zoho.client import Answered, ConnectionEvent, GaveUp, Retrying


class EventLog(list):
    """Every event in order; iterating `.retries` gives the Retrying ones only."""

    def __call__(self, event: ConnectionEvent) -> None:
        self.append(event)

    @property
    def retries(self) -> list[Retrying]:
        return [e for e in self if isinstance(e, Retrying)]

    @property
    def gave_up(self) -> list[GaveUp]:
        return [e for e in self if isinstance(e, GaveUp)]

    @property
    def answers(self) -> list[Answered]:
        return [e for e in self if isinstance(e, Answered)]
