"""What the record screen's workers tell it: typed messages, one per outcome.

Workers read through the record model (`tui.session`) and post one of these; the
screen's handlers put what they carry on screen. No handler calls the API.
"""

from __future__ import annotations

from textual.message import Message

from tui.session.feed import EmailFeed
from tui.session.record import Found, Refreshed
from tui.zoho.errors import ZohoError
from tui.zoho.models import Email, EmailDetail, User


class PageLoaded(Message):
    """A page of `feed` came in: `fresh` are the rows it added at the bottom (maybe none)."""

    def __init__(self, feed: EmailFeed, fresh: list[Email]) -> None:
        super().__init__()
        self.feed = feed
        self.fresh = fresh


class FeedChanged(Message):
    """`feed` failed, waits to retry, or stopped: its progress line and error box change."""

    def __init__(self, feed: EmailFeed) -> None:
        super().__init__()
        self.feed = feed


class FeedRefreshed(Message):
    """`feed`'s first pages were read again and merged: `result.new` rows on top (`watched`: by the watch)."""

    def __init__(self, feed: EmailFeed, result: Refreshed, *, watched: bool = False) -> None:
        super().__init__()
        self.feed = feed
        self.result = result
        self.watched = watched


class RefreshFailed(Message):
    def __init__(self, feed: EmailFeed, error: ZohoError) -> None:
        super().__init__()
        self.feed = feed
        self.error = error


class DetailLoaded(Message):
    """The full `email` (None: Zoho had nothing for it)."""

    def __init__(self, email: Email, detail: EmailDetail | None) -> None:
        super().__init__()
        self.email = email
        self.detail = detail


class DetailFailed(Message):
    def __init__(self, email: Email, error: ZohoError) -> None:
        super().__init__()
        self.email = email
        self.error = error


class UsersLoaded(Message):
    """The org's users (whose mailbox the type filter offers), or why they could not be read."""

    def __init__(self, users: list[User], me: User | None, error: ZohoError | None) -> None:
        super().__init__()
        self.users = users
        self.me = me
        self.error = error


class AttachmentNote(Message):
    """How saving an attachment goes: "saving… 40%", "saved to …", "not saved"."""

    def __init__(self, message_id: str, attachment_id: str, note: str) -> None:
        super().__init__()
        self.message_id = message_id
        self.attachment_id = attachment_id
        self.note = note


class SearchDone(Message):
    """A search of `feed` found `found` (None: there is no store to search), or could not read the query."""

    def __init__(self, feed: EmailFeed, found: Found | None, problem: str | None = None) -> None:
        super().__init__()
        self.feed = feed
        self.found = found
        self.problem = problem


class WalkDone(Message):
    """"Load every email" reached the end of `feed`."""

    def __init__(self, feed: EmailFeed) -> None:
        super().__init__()
        self.feed = feed


class MarksChanged(Message):
    """The record's marks came from the store: the list and the header show them."""
