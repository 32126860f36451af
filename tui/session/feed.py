"""One loaded list of a record's emails (one filter): the rows in Zoho's order and how to go on.

Pure state and the rules for merging what Zoho answers; no I/O. `RecordSession`
does the reading and calls these. Zoho pages ten at a time behind an opaque
`next_index`, so a feed remembers where the next page starts, its walk through
the pages (`tui.zoho.paging.PageWalk`: no index is asked twice, and an empty page
that claims more or a page of only known emails ends the walk with a sentence
instead of spending credits in a loop), and what went wrong last.
"""

from __future__ import annotations

import msgspec

from tui.session.backoff import Backoff
from tui.session.filters import EmailFilter
from tui.session.rows import EmailRows
from tui.zoho.errors import ZohoError
from tui.zoho.models import Email, EmailPage
from tui.zoho.paging import PageWalk


class EmailFeed(msgspec.Struct, eq=False):
    """One filter's list of a record: its rows, where paging stands, and where the person was in it."""

    filter: EmailFilter
    emails: EmailRows = msgspec.field(default_factory=EmailRows)
    next_index: str | None = None
    more: bool = True
    pages: int = 0  # pages applied since the list (re)started
    walk: PageWalk = msgspec.field(default_factory=PageWalk)  # this walk's pages: none asked twice in a launch
    generation: int = 0  # bumped when the list starts afresh: a page read before that is dropped
    paging: bool = False  # a page request is out (or waiting to be retried)
    refreshing: bool = False
    error: ZohoError | None = None  # the last request failed (rows kept)
    retry_at: float | None = None  # monotonic time of the next automatic try
    stopped: str | None = None  # why the walk ended before Zoho said it had no more
    synced_at: float | None = None  # epoch seconds of the last read of page one
    stored_at: float | None = None  # when what the store gave was last read from Zoho (None: not from the store)
    restored: bool = False  # the store was asked for this list (whether or not it had it)
    stored_rest: int = 0  # rows the store holds below those listed, being read (`paging` meanwhile)
    stored_after: int | None = None  # the store's position they start after
    new_since_open: int = 0  # emails the last sync put on top
    walking: bool = False  # "load every email" is under way
    walk_pages: int = 0  # pages that walk read so far
    walk_calls: int = 0  # API calls it spent so far
    backoff: Backoff = msgspec.field(default_factory=Backoff)
    # Where the person was (kept when the screen closes or the filter changes).
    cursor_id: str | None = None
    scroll_y: float = 0

    @property
    def count(self) -> int:
        return len(self.emails)

    @property
    def known(self) -> int:
        """Emails listed, and those the store holds below them while they are read: what the list says it has."""
        return len(self.emails) + self.stored_rest

    @property
    def ids(self) -> EmailRows:
        """What `in` asks: is this message id listed."""
        return self.emails

    @property
    def can_load_more(self) -> bool:
        """More on the server, no request out, no failure waiting for R or its timer."""
        return self.more and not self.paging and self.error is None and self.stopped is None

    @property
    def waiting(self) -> bool:
        return self.retry_at is not None

    def next_page_index(self) -> str | None:
        """The index of the next page: None for page one."""
        return self.next_index if self.pages else None

    def add_page(self, page: EmailPage, index: str | None) -> list[Email]:
        """Apply a page read at `index` at the bottom: new emails appended, known ones updated in place."""
        verdict = self.walk.told(index, page)
        fresh = self._update_and_split(page.emails)
        self.emails.extend(fresh)
        self.pages += 1
        self.next_index = page.info.next_index
        self.more = page.info.more_records
        if self.more and verdict.stop is not None:
            self.stopped, self.more = verdict.stop, False
        return fresh

    def add_newest(self, emails: list[Email], *, next_index: str | None, more: bool) -> int:
        """Merge a re-read first page (or pages) in: new emails on top, known ones updated in place.

        When none of them was known, the list is older than what Zoho has now by more than
        the pages read: it starts afresh from them. Returns how many rows are new.
        """
        known = any(e.message_id in self.emails for e in emails)
        if not known and self.emails:
            self.emails = EmailRows()
            self.walk = PageWalk()
            self.generation += 1
            self.stopped = None
            self.next_index, self.more, self.pages = next_index, more, 1
        elif not self.emails:
            self.next_index, self.more, self.pages = next_index, more, 1
        fresh = self._update_and_split(emails)
        if fresh:
            # A new list, not this one changed: the list widget holds this one until it is shown the new.
            rows = self.emails.copy()
            rows.prepend(fresh)
            self.emails = rows
        return len(fresh)

    def _update_and_split(self, emails: tuple[Email, ...] | list[Email]) -> list[Email]:
        """Replace the known emails' rows with these (statuses change); the others, in order, once each."""
        fresh: list[Email] = []
        seen: set[str] = set()
        for email in emails:
            if self.emails.replace(email) or email.message_id in seen:
                continue
            seen.add(email.message_id)
            fresh.append(email)
        return fresh

    def restore(self, emails: EmailRows, *, next_index: str | None, more: bool, pages: int,
                synced_at: float | None, walked_at: float | None, rest: int = 0, after: int | None = None) -> None:
        """The list as the store kept it: its rows (its top when `rest` more are to be read, after the store's
        position `after`; no page is asked for until they are) and where its walk stopped."""
        self.emails = emails
        self.stored_rest, self.stored_after = rest, after
        self.paging = rest > 0
        self.next_index = next_index
        self.more = more
        self.pages = max(pages, 1) if emails or rest else 0
        self.synced_at = synced_at
        self.stored_at = max((t for t in (synced_at, walked_at) if t is not None), default=None)
        self.walk = PageWalk()

    def restart_walk(self) -> None:
        """Zoho refused the stored next_index: walk again from page one; what is listed stays (and is skipped)."""
        self.next_index = None
        self.pages = 0
        self.walk = PageWalk()

    def failed(self, error: ZohoError, retry_at: float | None) -> None:
        self.error = error
        self.retry_at = retry_at

    def succeeded(self) -> None:
        self.error = None
        self.retry_at = None
        self.backoff.reset()
