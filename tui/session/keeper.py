"""The record model's link to the local store: what was read is kept, what was kept is read first.

`StoreThread` runs the store (SQLite) on one thread of its own, so the UI thread
never waits on the disk and writes land in the order they were made. When the
store fails (disk full, a file gone bad), it says why once and the app goes on
with memory only: nothing the person sees depends on the disk working.
`RecordKeeper` is one record's view of it, for `RecordSession`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec

from tui.session.rows import EmailRows
from tui.store import DEMO_ORG_KEY
from tui.zoho.models import Email, EmailDetail, Record

if TYPE_CHECKING:
    from tui.store.marks import Mark
    from tui.store.store import FeedState, MergeResult, Scope, SearchResult, Store, StoredRows

T = TypeVar("T")


class StoreThread:
    """The store, used from one thread. `run(fn)` awaits `fn(store)` there; after a failure, memory only."""

    def __init__(self, store: Store, executor: ThreadPoolExecutor, early: EarlyRead | None = None) -> None:
        self.store = store
        self._executor = executor
        self.failed: str | None = None  # the sentence saying why the store is off
        self.on_failure: Callable[[str], None] | None = None
        self.on_disk = store.on_disk
        # Lists written in this launch (scope id, module, record id, filter key): all a store in memory holds.
        self.lists_written: set[tuple[int, str, str, str]] = set()
        self._early = early  # what the launch read first, before it knew its org (`early_scope`, `early_rows`)
        self._busy: set[Future[Any]] = set()  # jobs queued or running on the store's thread

    @classmethod
    async def open(cls, path: str | Path | None = None, *, on_disk: bool = True) -> StoreThread:
        """Open the store (its file, migrations, a check when one is due) on its own thread; `on_disk=False`
        keeps it in memory (--no-store: nothing is written, search still works). Raises StoreError."""
        return await StoreOpening(path, on_disk=on_disk).thread()

    @property
    def location(self) -> Path:
        return self.store.location

    def early_scope(self, profile: str, org_key: str, *, label: str = "", demo: bool = False) -> EarlyRead | None:
        """The launch's early read (`StartRead`) if it was of this scope, as `Store.scope` would give it (the
        label too), and still true (`_unwritten`); else None, and it is dropped."""
        early = self._early
        if early is None:
            return None
        scope = early.scope
        if (scope.profile, scope.org_key, scope.demo) != (profile, org_key, demo) or (label and label != scope.label):
            self._early = None
            return None
        return self._unwritten(early)

    def early_rows(self, scope: Scope, module: str, record_id: str, filter_key: str) -> StoredRows | None:
        """The top of this stored list if the launch read it early and it is still true; once."""
        early = self._early
        if early is None or early.rows is None or (early.scope.id, early.module, early.record_id,
                                                     early.filter_key) != (scope.id, module, record_id, filter_key):
            return None
        self._early = None
        unwritten = self._unwritten(early)
        return unwritten.rows if unwritten is not None else None

    def _unwritten(self, early: EarlyRead) -> EarlyRead | None:
        """`early` if nothing is on the store's thread and this launch has written nothing since it was read;
        else None (and it is dropped: a read then gives what is true now).

        Another process's writes are not looked for: what was read early is what a read at that moment
        would have given, and any read is a moment's view."""
        if not self._busy and self.store.writes == early.writes:
            return early
        self._early = None
        return None

    def _submit(self, work: Callable[[Store], T]) -> Future[T]:
        """`work(store)` queued on the store's thread; `_busy` holds it until it is done."""
        future = self._executor.submit(work, self.store)
        self._busy.add(future)
        future.add_done_callback(self._busy.discard)
        return future

    async def run(self, work: Callable[[Store], T]) -> T | None:
        """`work(store)` on the store's thread; None once the store has failed (the failure is told once)."""
        from tui.store.store import StoreError

        if self.failed is not None:
            return None
        try:
            # Shielded: a cancelled caller (Escape on a walk) must not unqueue a write of what it already shows.
            return await asyncio.shield(asyncio.wrap_future(self._submit(work)))
        except StoreError as error:
            self._fail(error.message)
            return None

    def write(self, work: Callable[[Store], object]) -> None:
        """`work(store)` queued on the store's thread now, not awaited: written even when its caller is gone
        before it runs (a mark, then q at once). A failure is told as `run` tells it."""
        if self.failed is not None:
            return
        loop = asyncio.get_running_loop()

        def done(future: Future[object]) -> None:
            try:
                loop.call_soon_threadsafe(self._written, future)
            except RuntimeError:
                pass  # the app has closed its loop: nobody left to tell

        self._submit(work).add_done_callback(done)

    def _written(self, future: Future[object]) -> None:
        from tui.store.store import StoreError

        error = None if future.cancelled() else future.exception()
        if isinstance(error, StoreError):
            self._fail(error.message)
        elif error is not None:
            raise error  # a bug: the loop's handler reports it

    def _fail(self, message: str) -> None:
        if self.failed is None:
            self.failed = message
            if self.on_failure is not None:
                self.on_failure(message)

    def close(self) -> None:
        """Close the file after what was queued is written (blocking: call from a thread)."""
        self._executor.submit(self.store.close)
        self._executor.shutdown(wait=True)


def _open_store(path: str | Path | None, on_disk: bool) -> Store:
    # Imported here, on the store's thread, while the UI thread starts: SQLite's modules are not on its path.
    from tui.store.store import Store

    return Store.open(path) if on_disk else Store.in_memory()


# Rows of a stored list read before its first paint: more than the tallest screen shows and the pages
# after it; the rest (49,800 of a 50,000-email record) is read right after, the list on screen meanwhile.
FIRST_ROWS = 200


class StartRead(msgspec.Struct, frozen=True):
    """What a launch opened on a record reads of the store first, asked before it knows its org: the demo's
    scope, or (`demo=False`) the profile's org whose record was opened last, checked once connected; that
    scope's recent records, and the top of the record's list."""

    profile: str
    demo: bool
    module: str
    record_id: str
    filter_key: str = ""


class EarlyRead(msgspec.Struct, frozen=True):
    """What `StartRead` found, and the store's count of writes when it was read."""

    scope: Scope
    recent: list[Record]
    module: str
    record_id: str
    filter_key: str
    rows: StoredRows | None  # its top FIRST_ROWS rows
    writes: int  # the store's count of writes when it was read


def _read_early(store: Store, start: StartRead) -> EarlyRead | None:
    if start.demo:
        scope = store.find_scope(start.profile, DEMO_ORG_KEY, demo=True)
    else:
        scope = store.latest_scope(start.profile)
    if scope is None:
        return None  # nothing stored for it: the start asks the store as it goes
    recent = store.recent_records(scope)
    rows = store.load_feed_rows(scope, start.module, start.record_id, start.filter_key, first=FIRST_ROWS)
    return EarlyRead(scope, recent, start.module, start.record_id, start.filter_key, rows, store.writes)


class StoreOpening:
    """The store being opened on its own thread; `thread()` awaits it. `crm-emails` starts one before it
    imports Textual: SQLite reads the file (and `start`, what the launch will read first) while Python imports."""

    def __init__(self, path: str | Path | None = None, *, on_disk: bool = True, start: StartRead | None = None) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store")
        self._opened = self._executor.submit(_open_store, path, on_disk)
        self._early: Future[EarlyRead | None] | None = None
        if start is not None:
            def read() -> EarlyRead | None:
                try:
                    return _read_early(self._opened.result(), start)
                except Exception:  # noqa: BLE001 - an early read is only a head start: the start reads as it goes
                    return None

            self._early = self._executor.submit(read)
        self.taken = False

    def holds_start(self) -> bool:
        """The record the launch opens was found in the store already (its top is read): it paints from that
        before anything is sent. False while that is not known yet."""
        early = self._early
        if early is None or not early.done() or early.exception() is not None:
            return False
        found = early.result()
        return found is not None and found.rows is not None

    async def thread(self) -> StoreThread:
        """The store on its thread (with what was read early). Raises StoreError."""
        self.taken = True
        try:
            store = await asyncio.wrap_future(self._opened)
        except BaseException:
            self._executor.shutdown(wait=False)
            raise
        early = await asyncio.wrap_future(self._early) if self._early is not None else None
        return StoreThread(store, self._executor, early)

    def abandon(self) -> None:
        """Never taken (the launch ended before it needed the store): closed once open, without waiting."""
        if not self.taken:
            self.taken = True
            self._executor.submit(lambda: self._opened.result().close() if self._opened.exception() is None else None)
            self._executor.shutdown(wait=False)


class StoredList(msgspec.Struct, frozen=True):
    """A feed as the store had it: its top rows, unparsed, its paging state, and what is left to read."""

    emails: EmailRows
    state: FeedState
    rest: int  # rows below these in the store: `load_rest` reads them
    last: int | None  # where they start (after this position)


def _stored_list(found: StoredRows) -> StoredList:
    return StoredList(EmailRows.from_raw(found.rows), found.state, found.total - len(found.rows), found.last)


class RecordKeeper:
    """One record of one scope in the store."""

    def __init__(self, thread: StoreThread, scope: Scope, record: Record) -> None:
        self.thread = thread
        self.scope = scope
        self.module = record.module
        self.record_id = record.id

    @property
    def working(self) -> bool:
        return self.thread.failed is None

    def _list(self, filter_key: str) -> tuple[int, str, str, str]:
        return (self.scope.id, self.module, self.record_id, filter_key)

    async def load(self, filter_key: str, *, first: int | None = FIRST_ROWS) -> StoredList | None:
        """The stored list's top `first` rows (None: all) and how many more the store holds."""
        if not self.thread.on_disk and self._list(filter_key) not in self.thread.lists_written:
            return None  # a store in memory (--no-store) holds only what this launch wrote: no trip to its thread
        found = await self.thread.run(
            lambda store: store.load_feed_rows(self.scope, self.module, self.record_id, filter_key, first=first)
        )
        return None if found is None else _stored_list(found)

    def early(self, filter_key: str) -> StoredList | None:
        """The top of this stored list (as `load` gives it) if the launch read it early and it is still true;
        once, and at once: no trip to the store's thread."""
        found = self.thread.early_rows(self.scope, self.module, self.record_id, filter_key)
        return None if found is None else _stored_list(found)

    async def load_rest(self, filter_key: str, after: int | None) -> tuple[list[str], dict[str, str]] | None:
        """The stored list's rows below position `after`: their message ids in order and their JSON text,
        gathered on the store's thread (the UI thread only appends them)."""

        def read(store: Store) -> tuple[list[str], dict[str, str]] | None:
            found = store.load_feed_rows(self.scope, self.module, self.record_id, filter_key, after=after)
            if found is None:
                return None
            return [message_id for message_id, _raw in found.rows], dict(found.rows)

        return await self.thread.run(read)

    async def page(self, filter_key: str, emails: Sequence[Email], *, next_index: str | None, more: bool) -> None:
        items = [dict(e.raw) or {"message_id": e.message_id} for e in emails]
        self.thread.lists_written.add(self._list(filter_key))
        await self.thread.run(
            lambda store: store.append_page(
                self.scope, self.module, self.record_id, filter_key, items, next_index=next_index, more=more
            )
        )

    async def top(self, filter_key: str, emails: Sequence[Email], *, synced_at: float, continued: bool) -> MergeResult | None:
        items = [dict(e.raw) or {"message_id": e.message_id} for e in emails]
        self.thread.lists_written.add(self._list(filter_key))
        return await self.thread.run(
            lambda store: store.merge_top(
                self.scope, self.module, self.record_id, filter_key, items, synced_at=synced_at, continued=continued
            )
        )

    def keep_read(self, filter_key: str, emails: EmailRows, *, synced_at: float, next_index: str | None,
                  more: bool) -> None:
        """A list read before the store opened (one in memory opens after the first paint), queued whole at
        once: what the session writes after it lands below it, in order."""
        items = [emails.raw(message_id) for message_id in emails.ids]
        key = self._list(filter_key)
        self.thread.lists_written.add(key)

        def write(store: Store) -> None:
            store.merge_top(self.scope, self.module, self.record_id, filter_key, items, synced_at=synced_at)
            store.append_page(self.scope, self.module, self.record_id, filter_key, (), next_index=next_index, more=more)

        self.thread.write(write)

    def keep_read_detail(self, detail: EmailDetail) -> None:
        """A detail read before the store opened, queued."""
        raw: dict[str, Any] = dict(detail.raw) or {"message_id": detail.message_id}
        self.thread.write(lambda store: store.save_detail(self.scope, detail.message_id, raw))

    async def reset(self, filter_key: str) -> None:
        await self.thread.run(lambda store: store.reset_feed(self.scope, self.module, self.record_id, filter_key))

    async def detail(self, message_id: str) -> EmailDetail | None:
        raw = await self.thread.run(lambda store: store.load_detail(self.scope, message_id))
        return EmailDetail.parse(raw, message_id) if raw is not None else None

    async def keep_detail(self, detail: EmailDetail) -> None:
        raw: dict[str, Any] = dict(detail.raw) or {"message_id": detail.message_id}
        await self.thread.run(lambda store: store.save_detail(self.scope, detail.message_id, raw))

    async def stored_threads(self) -> dict[str, str | None] | None:
        """This record's emails whose detail is stored, each with its thread id (None: unknown)."""
        return await self.thread.run(lambda store: store.stored_threads(self.scope, self.module, self.record_id))

    async def search(self, filter_key: str, text: str, *, limit: int) -> SearchResult | None:
        """Search this record's stored list; a QueryError (the query cannot be read) is raised, not swallowed."""
        from tui.store.query import parse

        query = parse(text)  # a QueryError here says what in the query is wrong
        return await self.thread.run(
            lambda store: store.search(
                self.scope, query, module=self.module, record_id=self.record_id, filter_key=filter_key, limit=limit
            )
        )

    async def marks(self) -> dict[str, Mark] | None:
        """The person's marks on this record's stored emails, by message id."""
        return await self.thread.run(lambda store: store.marks_for(self.scope, self.module, self.record_id))

    def keep_mark(self, message_id: str, mark: Mark | None) -> None:
        """Store `mark` on the email (None: clear it), queued at once."""
        if mark is None:
            self.thread.write(lambda store: store.clear_mark(self.scope, message_id))
        else:
            self.thread.write(lambda store: store.set_mark(self.scope, message_id, mark.state, mark.note, at=mark.at))

    async def remember(self, record: Record, *, opened: bool) -> None:
        await self.thread.run(
            lambda store: store.remember_record(
                self.scope, record.module, record.id, record.name, record.detail, opened=opened
            )
        )
