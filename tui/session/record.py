"""One record's emails, without Textual: its lists by filter, the details read, and every
decision about what to ask Zoho next.

The screens show what this holds and ask it for more; it outlives them (the app
keeps recent sessions), so reopening a record costs nothing. One retry policy:
the client retries quickly a few times and then gives up; after that a list
waits longer and longer (1 s … 5 min, `Backoff`) and tries once each time, until
it works or R says "now". Details follow the cursor after a quiet pause
(`Quiet`), one request per email however often the person comes back to it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

import msgspec

from tui.session.backoff import passing
from tui.session.cache import Recent
from tui.session.clock import Clock
from tui.session.feed import EmailFeed
from tui.session.filters import EmailFilter
from tui.session.pause import Quiet, Wakeable
from tui.session.rows import EmailRows
from tui.store.marks import Mark, one_line_note
from tui.zoho.catalog import USER_EMAILS
from tui.zoho.client import ZohoClient
from tui.zoho.errors import ZohoAPIError, ZohoError
from tui.zoho.models import Email, EmailDetail, EmailPage, Record

if TYPE_CHECKING:
    # Imported only when there is a store (none before --no-store's opens).
    from tui.session.keeper import RecordKeeper, StoredList

# Long enough that holding j does not fetch every email passed, short enough to feel immediate.
DETAIL_PAUSE_S = 0.15
DETAIL_CACHE_SIZE = 200
# A refresh follows pages until it meets a known email; past this many it starts the list afresh.
MAX_REFRESH_PAGES = 5
# A stored record can be weeks behind: its sync reads on further before giving up on what is stored.
MAX_SYNC_PAGES = 30
# Hits shown at most for a search of one list (the count says how many more).
SEARCH_LIMIT = 1000

OnWait = Callable[[EmailFeed], None]


class Found(msgspec.Struct, frozen=True):
    """What a search of one list found: the matching rows (at most the limit) and how many in all."""

    query: str
    emails: EmailRows
    total: int  # matches, also those past the limit
    stored: int  # emails of the list in the store (what was searched)


class Refreshed(msgspec.Struct, frozen=True):
    """What a refresh found."""

    new: int  # emails that were not listed before, now on top
    restarted: bool  # nothing read was known: the list started afresh


class RecordSession:
    """The emails of `record`, read through `client`, timed by `clock`."""

    def __init__(
        self,
        client: ZohoClient,
        record: Record,
        *,
        clock: Clock,
        keeper: RecordKeeper | None = None,
        detail_pause: float = DETAIL_PAUSE_S,
    ) -> None:
        self.client = client
        self.record = record
        self.clock = clock
        self.keeper = keeper
        self.feeds: dict[EmailFilter, EmailFeed] = {}
        self.filter = EmailFilter()
        self.details: Recent[str, EmailDetail | None] = Recent(DETAIL_CACHE_SIZE)
        self._reading: dict[str, asyncio.Future[EmailDetail | None]] = {}
        self._wakers: dict[EmailFilter, Wakeable] = {}
        # Page one asked, or the store's top read, before a screen shows the list (with the record's name, at
        # start): the screen's load or restore joins it.
        self._early: dict[EmailFilter, asyncio.Task[list[Email] | None]] = {}
        self._early_restore: dict[EmailFilter, asyncio.Task[bool]] = {}
        self.detail_pause = Quiet(clock, detail_pause)
        self._wanted: Email | None = None
        self.threads: dict[str, str] = {}  # message id -> thread id, of each detail read (or stored)
        self._stored: set[str] | None = None  # message ids whose detail the store holds (None: not asked yet)
        # The person's marks by message id: from the store once (`load_marks`), then as they are set.
        self.marks: dict[str, Mark] = {}
        self._marks_loaded = False
        self._marked_here: set[str] = set()  # set or cleared in this launch: newer than what the store says

    def __repr__(self) -> str:
        return f"RecordSession({self.record.module}/{self.record.id}, feeds={len(self.feeds)})"

    def attach(self, keeper: RecordKeeper) -> None:
        """The store opened after this session began (one in memory opens after the first paint): what was
        read is kept in it now, as it would have been had it been open, and what follows as it comes.

        Queued at once, before anything else can write: a page that lands later is written below it."""
        if self.keeper is not None:
            return
        self.keeper = keeper
        for feed in self.feeds.values():
            feed.restored = True  # the store holds nothing of it: this launch read it
            if feed.synced_at is not None and feed.emails:
                more = feed.more or feed.stopped is not None  # a stopped walk is not a complete one
                keeper.keep_read(feed.filter.key, feed.emails, synced_at=feed.synced_at, next_index=feed.next_index,
                                 more=more)
                feed.stored_at = feed.synced_at
        for detail in self.details.values():
            if detail is not None:
                keeper.keep_read_detail(detail)
        for message_id, mark in self.marks.items():
            keeper.keep_mark(message_id, mark)

    # --- lists -----------------------------------------------------------------------

    def feed(self, email_filter: EmailFilter | None = None) -> EmailFeed:
        """The list of `email_filter` (the current filter by default), made empty on first use."""
        key = self.filter if email_filter is None else email_filter
        feed = self.feeds.get(key)
        if feed is None:
            feed = self.feeds[key] = EmailFeed(key)
        return feed

    def restore_early(self, feed: EmailFeed) -> None:
        """Read `feed`'s top from the store now, before a screen shows it (at start, with the record's name):
        the record screen draws it in its first frame. The screen's `restore` joins it. Read by the launch
        before it knew its org (`StartRead`), it is in the feed at once."""
        if self.keeper is None or feed.restored or feed.filter in self._early_restore:
            return
        stored = self.keeper.early(feed.filter.key) if not (feed.emails or feed.pages) else None
        if stored is not None:
            feed.restored = True
            self._restored(feed, stored)
            done = asyncio.get_running_loop().create_future()
            done.set_result(True)
            self._early_restore[feed.filter] = done
        else:
            self._early_restore[feed.filter] = asyncio.ensure_future(self._restore(feed))

    async def early_restore_read(self, feed: EmailFeed, patience: float) -> None:
        """Wait at most `patience` seconds for the store's top of `feed` read early: a local read takes
        milliseconds, and the screen shown after it draws its rows in its first frame, not an empty list first."""
        early = self._early_restore.get(feed.filter)
        if early is not None and not early.done():  # (a done one is not waited on: that would yield a frame)
            await asyncio.wait({early}, timeout=patience)

    def restoring_early(self, feed: EmailFeed) -> bool:
        """The store's top of `feed` was read early (`restore_early`) and no `restore` has taken it yet."""
        return feed.filter in self._early_restore

    async def restore(self, feed: EmailFeed) -> bool:
        """Fill `feed` from the store the first time it is used; True when the store had it (also when the
        store's top was read early, `restore_early`)."""
        early = self._early_restore.get(feed.filter)
        if early is not None:
            # Shielded, and kept until a joiner has it: its screen closing leaves the rows to land in the feed,
            # and the record's next screen takes them as restored (not as a list to page on from Zoho).
            restored = await asyncio.shield(early)
            self._early_restore.pop(feed.filter, None)
            return restored
        return await self._restore(feed)

    async def _restore(self, feed: EmailFeed) -> bool:
        if feed.restored or self.keeper is None:
            return False
        feed.restored = True
        if feed.emails or feed.pages:
            return False  # read from Zoho already in this launch: newer than the store
        stored = await self.keeper.load(feed.filter.key)
        if stored is None or feed.emails or feed.pages:
            return False
        self._restored(feed, stored)
        return True

    @staticmethod
    def _restored(feed: EmailFeed, stored: StoredList) -> None:
        state = stored.state
        feed.restore(
            stored.emails,
            next_index=state.next_index,
            more=state.more,
            pages=state.pages,
            synced_at=state.synced_at,
            walked_at=state.walked_at,
            rest=stored.rest,
            after=stored.last,
        )

    async def restore_rest(self, feed: EmailFeed) -> int:
        """The rows of a restored list below its top (read first, for the first paint): appended, unparsed;
        returns how many. Cancelled, the rest is still to read (`feed.stored_rest`): the record screen
        reads it when it shows this list again."""
        if not feed.stored_rest or self.keeper is None:
            return 0
        generation = feed.generation
        try:
            found = await self.keeper.load_rest(feed.filter.key, feed.stored_after)
        except asyncio.CancelledError:
            raise
        except Exception:
            _rest_lost(feed)
            raise
        if found is None:
            _rest_lost(feed)
            return 0
        if feed.generation != generation:  # the list started afresh meanwhile: these rows are of the old one
            feed.stored_rest, feed.stored_after, feed.paging = 0, None, False
            return 0
        feed.stored_rest, feed.stored_after, feed.paging = 0, None, False
        return feed.emails.append_raw(*found)

    def _owner(self, feed: EmailFeed) -> str | None:
        return feed.filter.owner_id if feed.filter.type == USER_EMAILS else None

    async def _read_page(self, feed: EmailFeed, index: str | None) -> EmailPage:
        """One page of `feed`'s list from Zoho; after a failure, a single try (the backoff paces the next)."""
        return await self.client.list_emails(
            self.record.module,
            self.record.id,
            type=feed.filter.type,
            owner_id=self._owner(feed),
            index=index,
            retries=0 if feed.error is not None else None,
        )

    def load_early(self, feed: EmailFeed) -> None:
        """Ask page one of `feed` now, before any screen shows it (at start, with the record's name: one round
        trip before the first paint, not two). The screen's first `load_more` joins it."""
        if feed.filter not in self._early and not feed.pages and not feed.paging:
            # One try: a failure is left on the feed with its retry time, for the screen's load to wait out (no
            # screen, no more calls: the person may be gone to another record before it shows).
            self._early[feed.filter] = asyncio.ensure_future(self._load_more(feed, None, once=True))

    def loading_early(self, feed: EmailFeed) -> bool:
        """Page one of `feed` is out, asked by `load_early`: a load joins it."""
        early = self._early.get(feed.filter)
        return early is not None and not early.done()

    async def load_more(self, feed: EmailFeed, on_wait: OnWait | None = None) -> list[Email] | None:
        """Read the next page of `feed` (page one first); the emails it added, None when nothing was read.

        Failures that pass (offline, rate limited, 5xx) are waited out on the backoff schedule,
        telling `on_wait` each time; others stay on the feed for R. Cancel-safe: the feed is
        left as it was, with no request out. Page one asked early (`load_early`) is joined, not asked again.
        """
        early = self._early.get(feed.filter)
        if early is not None and not early.done():
            # Shielded, and kept until it is done: the joiner going (its screen closed) leaves the page to land in
            # the feed, and the record's next screen joins it again.
            return await asyncio.shield(early)
        if early is not None:
            del self._early[feed.filter]
            if not early.cancelled() and early.exception() is not None:
                raise early.exception()  # type: ignore[misc]  # a bug in it: told to whoever loads next
        return await self._load_more(feed, on_wait)

    async def _load_more(self, feed: EmailFeed, on_wait: OnWait | None, *, once: bool = False) -> list[Email] | None:
        if not (feed.more and feed.stopped is None) or feed.paging:
            return None
        if feed.error is not None and feed.retry_at is None:
            return None  # a failure that does not pass by itself: R first (`retry`)
        feed.paging = True
        try:
            while True:
                await self._wait_for_retry(feed)
                index = feed.next_page_index()
                generation = feed.generation
                try:
                    page = await self._read_page(feed, index)
                except ZohoError as error:
                    if index is not None and _refused_index(error):
                        # A stored next_index Zoho no longer knows: walk again from the top, skipping what is listed.
                        feed.restart_walk()
                        continue
                    if not self._wait_after(feed, error, on_wait) or once:
                        return None
                    continue
                feed.succeeded()
                if generation != feed.generation:
                    return None  # the list started afresh while this page was out
                if index is None:
                    feed.synced_at = self.clock.time()
                fresh = feed.add_page(page, index)
                if self.keeper is not None:
                    await self._keep_page(feed, page.emails, first=index is None)
                return fresh
        finally:
            feed.paging = False

    async def _keep_page(self, feed: EmailFeed, emails: Sequence[Email], *, first: bool) -> None:
        """Store a page read at the bottom, and where the walk goes on (page one also says when it was read)."""
        assert self.keeper is not None
        key = feed.filter.key
        more = feed.more or feed.stopped is not None  # a stopped walk is not a complete one
        if first and feed.synced_at is not None:
            await self.keeper.top(key, emails, synced_at=feed.synced_at, continued=False)
            emails = ()
        await self.keeper.page(key, emails, next_index=feed.next_index, more=more)
        feed.stored_at = feed.synced_at if first else feed.stored_at

    async def refresh(self, feed: EmailFeed, on_wait: OnWait | None = None, *, patient: bool = False) -> Refreshed | None:
        """Read page one again (and on, until a known email): new emails on top, statuses updated.

        None when a refresh of this feed is already out. A failure is raised (the rows stay); with
        `patient` (the sync of a stored list as it opens) failures that pass are waited out instead,
        telling `on_wait`, and one that does not pass is left on the feed for R (None is returned).
        """
        if feed.refreshing or feed.stored_rest:
            return None  # out already; or the rest of a stored list is being read, and its sync follows it
        feed.refreshing = True
        try:
            while True:
                if patient:
                    await self._wait_for_retry(feed)
                try:
                    result = await self._read_newest(feed)
                except ZohoError as error:
                    if not patient:
                        raise
                    if not self._wait_after(feed, error, on_wait):
                        return None
                    continue
                if feed.error is not None:
                    feed.succeeded()  # Zoho answers again: the page that failed is tried at the next scroll
                    self.wake(feed)
                return result
        finally:
            feed.refreshing = False

    async def _read_newest(self, feed: EmailFeed) -> Refreshed:
        emails: list[Email] = []
        pages: list[tuple[Email, ...]] = []
        index: str | None = None
        more = False
        limit = MAX_SYNC_PAGES if feed.stored_at is not None else MAX_REFRESH_PAGES
        for _ in range(limit):
            page = await self._read_page(feed, index)
            emails.extend(page.emails)
            pages.append(page.emails)
            index, more = page.info.next_index, page.info.more_records
            if not more or not index or not feed.ids or any(e.message_id in feed.ids for e in page.emails):
                break
        before = feed.generation
        new = feed.add_newest(emails, next_index=index, more=more)
        feed.synced_at = self.clock.time()
        feed.new_since_open = new
        restarted = feed.generation != before
        if self.keeper is not None:
            key = feed.filter.key
            if restarted:
                await self.keeper.reset(key)
            for n, page_emails in enumerate(pages):
                await self.keeper.top(key, page_emails, synced_at=feed.synced_at, continued=n > 0)
            if restarted:
                # The list is these pages now: its walk goes on from where they end.
                await self.keeper.page(key, (), next_index=index, more=more)
        feed.stored_at = feed.synced_at if self.keeper is not None and self.keeper.working else feed.stored_at
        return Refreshed(new, restarted=restarted)

    def _wait_after(self, feed: EmailFeed, error: ZohoError, on_wait: OnWait | None) -> bool:
        """Note the failure; True when it will be tried again after a wait (else R is needed)."""
        if not passing(error):
            feed.failed(error, None)
            if on_wait is not None:
                on_wait(feed)
            return False
        feed.failed(error, self.clock.monotonic() + feed.backoff.next_delay(error))
        if on_wait is not None:
            on_wait(feed)
        return True

    async def _wait_for_retry(self, feed: EmailFeed) -> None:
        while feed.retry_at is not None:
            left = feed.retry_at - self.clock.monotonic()
            if left <= 1e-6:  # due (a clock's float sums drift by less)
                return
            waker = self._wakers.setdefault(feed.filter, Wakeable(self.clock))
            if await waker.sleep(left):
                return  # R: try now (the schedule goes on from where it was)

    def wake(self, feed: EmailFeed) -> None:
        """R: a feed waiting out a failure tries now."""
        waker = self._wakers.get(feed.filter)
        if waker is not None:
            waker.wake()

    def retry(self, feed: EmailFeed) -> bool:
        """R on a feed: wake its wait, or clear a failure so the next load tries again. True if it had one."""
        if feed.error is None and feed.retry_at is None:
            return False
        if feed.paging:
            self.wake(feed)
        else:
            feed.error, feed.retry_at = None, None
        return True

    # --- search ----------------------------------------------------------------------

    async def search(self, feed: EmailFeed, text: str, *, limit: int = SEARCH_LIMIT) -> Found | None:
        """The stored emails of `feed` that match `text` (tui.store.query's language), newest first.

        None when there is no store to search. Raises QueryError (a sentence) for a query that cannot be read.
        """
        if self.keeper is None or not self.keeper.working:
            return None
        result = await self.keeper.search(feed.filter.key, text, limit=limit)
        if result is None:
            return None
        rows = EmailRows.from_raw((hit.message_id, hit.item) for hit in result.hits)
        return Found(text, rows, total=result.total, stored=result.stored)

    # --- marks -----------------------------------------------------------------------

    async def load_marks(self) -> bool:
        """The marks the store keeps on this record's emails, once; True when it added any."""
        if self._marks_loaded or self.keeper is None:
            return False
        self._marks_loaded = True
        stored = await self.keeper.marks() or {}
        fresh = {m: mark for m, mark in stored.items() if m not in self._marked_here}
        self.marks.update(fresh)
        return bool(fresh)

    def mark_state(self, message_id: str) -> str | None:
        mark = self.marks.get(message_id)
        return mark.state if mark is not None else None

    def set_mark(self, message_id: str, state: str | None, note: str | None = None) -> None:
        """Mark an email (`state` None clears it): in memory, and queued for the store at once."""
        self._marked_here.add(message_id)
        if state is None:
            self.marks.pop(message_id, None)
            mark = None
        else:
            mark = self.marks[message_id] = Mark(state, one_line_note(note), self.clock.time())
        if self.keeper is not None:
            self.keeper.keep_mark(message_id, mark)

    def triaged(self, feed: EmailFeed) -> int:
        """How many emails of `feed` carry a mark."""
        ids = feed.ids
        return sum(1 for message_id in self.marks if message_id in ids)

    # --- details ---------------------------------------------------------------------

    def cached_detail(self, message_id: str) -> tuple[bool, EmailDetail | None]:
        """(True, detail) when this email was read already (detail None: Zoho had nothing)."""
        if message_id in self.details:
            return True, self.details[message_id]
        return False, None

    def want_detail(self, email: Email, *, at_once: bool = False) -> None:
        """The cursor is on `email`: its detail is read once the cursor has rested (or now)."""
        self._wanted = email
        self.detail_pause.poke(at_once=at_once)

    def forget_wanted(self) -> None:
        self._wanted = None

    async def next_wanted_detail(self) -> Email | None:
        """Wait for the cursor to rest; the email then under it whose detail is not read yet."""
        await self.detail_pause.wait()
        email, self._wanted = self._wanted, None
        if email is None or email.message_id in self.details:
            return None
        return email

    async def detail(self, email: Email) -> EmailDetail | None:
        """The full email (body, attachments): from memory, or one call shared by every caller."""
        found, detail = self.cached_detail(email.message_id)
        if found:
            return detail
        reading = self._reading.get(email.message_id)
        if reading is None:
            reading = asyncio.ensure_future(self._read_detail(email))
            self._reading[email.message_id] = reading
        # Shielded: the person moving on must not cancel a read another wait shares (and it is cached).
        return await asyncio.shield(reading)

    async def known_threads(self) -> dict[str, str]:
        """The thread of each email whose detail was read or is stored (the store is asked once)."""
        if self._stored is None:
            self._stored = set()
            stored = await self.keeper.stored_threads() if self.keeper is not None else None
            for message_id, thread_id in (stored or {}).items():
                self._stored.add(message_id)
                if thread_id:
                    self.threads.setdefault(message_id, thread_id)
        return self.threads

    def unread(self, emails: Iterable[Email]) -> list[Email]:
        """Of `emails`, those whose detail is neither in memory nor (as far as known) stored: an API call each."""
        stored = self._stored or set()
        return [e for e in emails if e.message_id not in self.details and e.message_id not in stored]

    async def _read_detail(self, email: Email) -> EmailDetail | None:
        try:
            detail = await self.keeper.detail(email.message_id) if self.keeper is not None else None
            if detail is None:
                detail = await self.client.get_email(
                    self.record.module, self.record.id, email.message_id, user_id=self._owner(self.feed())
                )
                if detail is not None and self.keeper is not None:
                    await self.keeper.keep_detail(detail)
        finally:
            self._reading.pop(email.message_id, None)
        self.details[email.message_id] = detail
        if detail is not None and detail.thread_id:
            self.threads[email.message_id] = detail.thread_id
        if detail is not None and self._stored is not None and self.keeper is not None and self.keeper.working:
            self._stored.add(email.message_id)
        return detail


def _refused_index(error: ZohoError) -> bool:
    """Zoho no longer accepts a next_index (how long one lives is not documented): INVALID_DATA on `index`."""
    return isinstance(error, ZohoAPIError) and error.code == "INVALID_DATA" and error.details.get("param_name") == "index"


def _rest_lost(feed: EmailFeed) -> None:
    """The store failed (and said so) reading the rest of a list: what is listed stays, and Zoho gives the rest,
    walked from page one (the store's walk stopped below rows this list does not have)."""
    feed.stored_rest, feed.stored_after, feed.paging = 0, None, False
    feed.restart_walk()
    feed.more = True
