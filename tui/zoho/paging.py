"""Zoho's paging, checked: a walk through a record's emails that cannot go on for as long as credits last.

Zoho pages with an opaque `next_index` and a `more_records` flag, and both are
trusted only this far: an empty page that says more follow, a page of emails
already read (under a new `next_index`), or a `next_index` asked for before
would each loop forever, a call each time. `PageWalk` is told every page of one
walk, in order, and says which of its emails are new and, when the paging looks
broken, the sentence that ends the walk (what was read is kept).
"""

from __future__ import annotations

import msgspec

from tui.zoho.models import Email, EmailPage


class PageVerdict(msgspec.Struct, frozen=True):
    """What one page brought: its emails not seen before in this walk, in order, and why the walk
    must end here (None: go on to `page.info.next_index` while `more_records` says so)."""

    fresh: tuple[Email, ...]
    stop: str | None = None


class PageWalk:
    """One walk through a record's emails (one type, one owner), from wherever it started."""

    def __init__(self) -> None:
        self._asked: set[str | None] = set()
        self._seen: set[str] = set()
        self.pages = 0
        self.emails = 0  # new emails so far

    def was_asked(self, index: str | None) -> bool:
        """Whether a page was already asked for with this index (None: the first page) in this walk."""
        return index in self._asked

    def told(self, index: str | None, page: EmailPage) -> PageVerdict:
        """`page` is Zoho's answer for `index` (None for the first page)."""
        self._asked.add(index)
        self.pages += 1
        fresh: list[Email] = []
        for email in page.emails:
            if email.message_id not in self._seen:
                self._seen.add(email.message_id)
                fresh.append(email)
        self.emails += len(fresh)
        info = page.info
        broken: str | None = None
        if info.more_records and info.next_index in self._asked:
            broken = f"page {self.pages} sent a next_index it had sent before"
        elif page.emails and not fresh:
            broken = f"page {self.pages} held only emails it had already sent"
        elif info.more_records and not page.emails:
            broken = f"page {self.pages} was empty but said more emails follow"
        return PageVerdict(tuple(fresh), self._sentence(broken) if broken else None)

    def _sentence(self, what: str) -> str:
        read = f"the {self.emails} emails read are kept" if self.emails != 1 else "the 1 email read is kept"
        return f"Zoho's paging looks broken: {what}. Stopped there; {read}."
