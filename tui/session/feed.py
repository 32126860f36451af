"""One loaded list of a record's emails (one filter): the rows in Zoho's order and how to go on.

Pure state and the rules for merging what Zoho answers; no I/O. `RecordSession`
does the reading and calls these. Zoho pages ten at a time behind an opaque
`next_index`, so a feed remembers where the next page starts, its walk through
the pages (`tui.zoho.paging.PageWalk`: no index is asked twice, and an empty page
that claims more or a page of only known emails ends the walk with a sentence
instead of spending credits in a loop), and what went wrong last.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.session.backoff import Backoff
from tui.session.filters import EmailFilter
from tui.zoho.errors import ZohoError
from tui.zoho.models import Email, EmailPage
from tui.zoho.paging import PageWalk


@dataclass(eq=False)
class EmailFeed:
    filter: EmailFilter
    emails: list[Email] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    next_index: str | None = None
    more: bool = True
    pages: int = 0  # pages applied since the list (re)started
    walk: PageWalk = field(default_factory=PageWalk)  # this walk's pages: none asked twice in a launch
    generation: int = 0  # bumped when the list starts afresh: a page read before that is dropped
    paging: bool = False  # a page request is out (or waiting to be retried)
    refreshing: bool = False
    error: ZohoError | None = None  # the last request failed (rows kept)
    retry_at: float | None = None  # monotonic time of the next automatic try
    stopped: str | None = None  # why the walk ended before Zoho said it had no more
    synced_at: float | None = None  # epoch seconds of the last read of page one
    backoff: Backoff = field(default_factory=Backoff)
    # Where the person was (kept when the screen closes or the filter changes).
    cursor_id: str | None = None
    scroll_y: float = 0

    @property
    def count(self) -> int:
        return len(self.emails)

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
        self.ids.update(e.message_id for e in fresh)
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
        known = {e.message_id for e in emails if e.message_id in self.ids}
        if not known and self.emails:
            self.emails, self.ids = [], set()
            self.walk = PageWalk()
            self.generation += 1
            self.stopped = None
            self.next_index, self.more, self.pages = next_index, more, 1
        elif not self.emails:
            self.next_index, self.more, self.pages = next_index, more, 1
        fresh = self._update_and_split(emails)
        self.emails[:0] = fresh
        self.ids.update(e.message_id for e in fresh)
        return len(fresh)

    def _update_and_split(self, emails: tuple[Email, ...] | list[Email]) -> list[Email]:
        """Replace the known emails' rows with these (statuses change); the others, in order, once each."""
        newer = {e.message_id: e for e in emails if e.message_id in self.ids}
        if newer:
            self.emails = [newer.get(e.message_id, e) for e in self.emails]
        fresh: list[Email] = []
        seen: set[str] = set()
        for email in emails:
            if email.message_id not in self.ids and email.message_id not in seen:
                seen.add(email.message_id)
                fresh.append(email)
        return fresh

    def failed(self, error: ZohoError, retry_at: float | None) -> None:
        self.error = error
        self.retry_at = retry_at

    def succeeded(self) -> None:
        self.error = None
        self.retry_at = None
        self.backoff.reset()
