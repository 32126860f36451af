"""The local SQLite store: what was read from Zoho, kept across launches so no page is read twice.

Every method blocks on the disk. Call them from one thread at a time (the app
runs them in one dedicated thread; the CLI calls them directly): a lock
guards the connection, which may move between threads. Anything that goes
wrong with the file raises `StoreError` with one sentence for the person;
the caller goes on without the store (memory only). Nothing secret is stored.

Feeds: a record's list under one filter (`filter_key`: "" for all emails,
else what `feed_filter_key` gives) is the order Zoho listed the emails in,
plus where the next page starts. Pages read at the bottom are appended;
a refresh merges page one (and more when nothing overlapped) on top.
Positions are integers, smallest on top: a page is max+1 onwards, a refresh's
new emails go below the minimum, so both cost O(page).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from tui.store import files
from tui.store.columns import ItemColumns, body_text, item_columns, pack, unpack
from tui.store.marks import MARK_STATES, Mark, one_line_note
from tui.store.schema import CREATE_FTS, FTS_INSERT, MIGRATIONS, SEARCH_INDEX_VERSION, Migration
from tui.store.fold import FOLD_FUNCTION, fold
from tui.zoho.models import Record

if TYPE_CHECKING:
    from tui.store.query import Query

BUSY_TIMEOUT_MS = 5000
RECENT_LIMIT = 20
# Room below the top of a feed for the new emails of one refresh (several pages of it): 2**32 emails.
SYNC_GAP = 1 << 32
_CHUNK = 500  # ids bound in one IN (...) list
NO_FULL_TEXT = (
    "full-text search is unavailable in this Python's SQLite: searching with LIKE, slower on big stores"
)


def org_fact(grant_fingerprint: str) -> str:
    """The key of the fact naming the org a grant reaches (`Store.recall`): the app keeps it, export reads it."""
    return f"org-of:{grant_fingerprint}"


class StoreError(Exception):
    """The store cannot do what was asked; `message` is one sentence for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Scope(msgspec.Struct, frozen=True):
    """A profile + org (or the demo): stored emails of one scope never show in another."""

    id: int
    profile: str
    org_key: str
    label: str = ""
    demo: bool = False


class FeedState(msgspec.Struct, frozen=True):
    """The paging state of a stored feed.

    `next_index` is where the next page at the bottom starts (None with `more`:
    nothing walked yet, start at page one). `complete`: walked to its end at
    least once. `synced_at`: when page one was last read (epoch seconds);
    `walked_at`: when it was last walked to its end.
    """

    filter_key: str
    next_index: str | None
    more: bool
    complete: bool
    pages: int
    synced_at: float | None
    walked_at: float | None
    count: int  # emails in the feed


class StoredRows(msgspec.Struct, frozen=True):
    """Rows of a stored feed as the store keeps them: (message_id, list item as JSON text), in order."""

    rows: list[tuple[str, str]]
    state: FeedState
    total: int  # rows in the whole feed (`rows` may be its top only)
    last: int | None  # the position of the last row read: the rest of the feed is below it


class StoredFeed(msgspec.Struct, frozen=True):
    """A feed as stored: the raw list items in Zoho's order (newest first), and its paging state."""

    items: list[dict[str, Any]]
    state: FeedState

    @property
    def next_index(self) -> str | None:
        return self.state.next_index

    @property
    def more(self) -> bool:
        return self.state.more

    @property
    def complete(self) -> bool:
        return self.state.complete


class MergeResult(msgspec.Struct, frozen=True):
    new: int  # emails that were not in the feed, now on top
    updated: int  # emails already in the feed, updated in place
    overlapped: bool  # the batch met what was stored: stop reading pages


@dataclass(frozen=True, slots=True)
class SearchHit:
    module: str
    record_id: str
    record_name: str | None
    message_id: str
    time: str | None  # as Zoho gave it
    time_epoch: int | None
    sender_name: str | None
    sender_address: str | None
    subject: str | None
    item: dict[str, Any] = field(repr=False)  # the stored list item

    @property
    def sender(self) -> str:
        return self.sender_name or self.sender_address or ""


class SearchResult(msgspec.Struct, frozen=True):
    hits: list[SearchHit]
    total: int  # matches, also those `limit` cut
    stored: int  # emails searched: the feed's, the record's or the scopes' ("k of N stored")
    query: Query


class ScopeStats(msgspec.Struct, frozen=True):
    scope: Scope
    records: int
    emails: int
    bodies: int


class StoreStats(msgspec.Struct, frozen=True):
    path: Path
    size: int  # bytes of the database and its WAL
    scopes: int
    records: int
    emails: int  # distinct emails (one on two records counts once)
    bodies: int
    per_scope: list[ScopeStats]
    full_text: bool


def feed_filter_key(email_type: str | None = None, owner_id: str | None = None) -> str:
    """The feed key of a type filter: "" for all emails, "sent_from_crm", "user_emails:<owner_id>"…"""
    if not email_type:
        return ""
    return f"{email_type}:{owner_id}" if owner_id else email_type


class Store:
    """One open store file. Use `Store.open()`; `close()` when done (or use it as a context manager)."""

    def __init__(self, connection: sqlite3.Connection, location: Path, *, full_text: bool, notice: str | None,
                 clock: Callable[[], float]) -> None:
        self._db: sqlite3.Connection | None = connection
        self._lock = threading.Lock()
        self.location = location
        self.full_text = full_text
        self.notice = notice  # a sentence when the old file was moved aside on open
        self.search_note = None if full_text else NO_FULL_TEXT
        self.clock = clock
        self.writes = 0  # write transactions begun through this store (on its thread)

    # --- opening --------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str] | None = None,
        *,
        full_text: bool | None = None,
        check: bool | None = None,
        clock: Callable[[], float] = time.time,
        migrations: Sequence[Migration] = MIGRATIONS,
    ) -> Store:
        """Open (or create) the store at `path`, else $CRM_EMAILS_STORE, else the user data dir.

        A corrupt file, or one from a newer crm-emails, is moved aside and a new
        store made (`notice` says so). `PRAGMA quick_check` reads the whole file
        (about a second at 50,000 emails with bodies), so by default (`check=None`)
        it runs when the last one is a week old or a damaged page was met since;
        True always, False never (quick one-shot commands). `full_text=False`
        forces the LIKE search. Raises StoreError when the file cannot be used.
        """
        location, is_default = files.resolve(path)
        checked = False
        try:
            files.prepare_directory(location.parent, tighten=is_default)
            notice = None
            marker = files.damage_marker(location)
            if location.exists():
                if check is None:
                    check = marker.exists() or _check_due(location, clock())
                problem = _problem(location, len(migrations), check)
                if problem is not None:
                    moved = files.move_aside(location, problem, clock)
                    notice = _MOVED[problem].format(path=location, moved=moved)
                checked = bool(check)
            else:
                checked = True  # a new file has nothing to check
            marker.unlink(missing_ok=True)
            files.create_private_file(location)
            db = _connect(location)
        except (sqlite3.Error, OSError) as error:
            raise StoreError(f"The local store at {location} cannot be opened: {_reason(error)}.") from None
        try:
            files.tighten_side_files(location)
            _migrate(db, migrations)
            available = _has_fts5(db)
            use_fts = available if full_text is None else (full_text and available)
            _prepare_search_index(db, use_fts)
            if checked:
                db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('checked_at', ?)", (str(clock()),))
        except (sqlite3.Error, OSError) as error:
            db.close()
            raise StoreError(f"The local store at {location} cannot be opened: {_reason(error)}.") from None
        except BaseException:
            db.close()
            raise
        return cls(db, location, full_text=use_fts, notice=notice, clock=clock)

    @classmethod
    def in_memory(cls, *, clock: Callable[[], float] = time.time, migrations: Sequence[Migration] = MIGRATIONS) -> Store:
        """A store that keeps nothing on disk (--no-store): search and the rest work for this launch only."""
        db = _connect(Path(":memory:"))
        try:
            _migrate(db, migrations)
            full_text = _has_fts5(db)
            _prepare_search_index(db, full_text)
        except BaseException:
            db.close()
            raise
        return cls(db, Path(":memory:"), full_text=full_text, notice=None, clock=clock)

    @property
    def on_disk(self) -> bool:
        return str(self.location) != ":memory:"

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                try:
                    self._db.close()
                finally:
                    self._db = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions -----------------------------------------------------------------------

    def _write(self) -> AbstractContextManager[sqlite3.Connection]:
        """One short write transaction (taking the write lock at once); any failure of the file is a StoreError."""
        self.writes += 1
        return self._transaction("BEGIN IMMEDIATE", "written")

    def _read(self) -> AbstractContextManager[sqlite3.Connection]:
        """One read transaction (a consistent snapshot); failures are StoreErrors."""
        return self._transaction("BEGIN", "read")

    @contextmanager
    def _transaction(self, begin: str, doing: str) -> Iterator[sqlite3.Connection]:
        with self._lock:
            db = self._connection()
            try:
                db.execute(begin)
                try:
                    yield db
                except BaseException:
                    if db.in_transaction:
                        db.execute("ROLLBACK")
                    raise
                db.execute("COMMIT")
            except (sqlite3.Error, OSError) as error:
                if db.in_transaction:
                    try:
                        db.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass
                if getattr(error, "sqlite_errorcode", None) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
                    _note_damage(self.location)
                raise StoreError(f"The local store could not be {doing}: {_reason(error)}.") from None

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            raise StoreError("The local store is closed.")
        return self._db

    # --- scopes -------------------------------------------------------------------------------

    def scope(self, profile: str, org_key: str, *, label: str = "", demo: bool = False) -> Scope:
        """The scope of a profile and org (or the demo), created on first use; a new label is kept."""
        known = self.find_scope(profile, org_key, demo=demo)
        if known is not None and (not label or label == known.label):
            return known
        with self._write() as db:
            db.execute(
                "INSERT INTO scopes (profile, org_key, demo, label) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (profile, org_key, demo) DO UPDATE SET label = excluded.label "
                "WHERE excluded.label != ''",
                (profile, org_key, int(demo), label),
            )
            scope_id, stored_label = db.execute(
                "SELECT id, label FROM scopes WHERE profile = ? AND org_key = ? AND demo = ?",
                (profile, org_key, int(demo)),
            ).fetchone()
        return Scope(scope_id, profile, org_key, stored_label, demo)

    def find_scope(self, profile: str, org_key: str, *, demo: bool = False) -> Scope | None:
        """The scope of a profile and org (or the demo) if the store has it (nothing is written)."""
        with self._read() as db:
            row = db.execute(
                "SELECT id, label FROM scopes WHERE profile = ? AND org_key = ? AND demo = ?",
                (profile, org_key, int(demo)),
            ).fetchone()
        return None if row is None else Scope(row[0], profile, org_key, row[1], demo)

    def scopes(self, profile: str | None = None, *, demo: bool | None = None) -> list[Scope]:
        """Stored scopes: all, or a profile's; `demo` True/False keeps only the demo's/real orgs'."""
        sql, params = "SELECT id, profile, org_key, label, demo FROM scopes WHERE 1", []
        if profile is not None:
            sql += " AND profile = ?"
            params.append(profile)
        if demo is not None:
            sql += " AND demo = ?"
            params.append(int(demo))
        with self._read() as db:
            rows = db.execute(sql + " ORDER BY id", params).fetchall()
        return [Scope(r[0], r[1], r[2], r[3], bool(r[4])) for r in rows]

    def latest_scope(self, profile: str) -> Scope | None:
        """The real org of `profile` whose record was opened last (for reading offline without credentials)."""
        with self._read() as db:
            row = db.execute(
                # When, not the order: the order of opening counts within one scope.
                "SELECT s.id, s.profile, s.org_key, s.label, s.demo FROM scopes AS s JOIN records AS r ON r.scope_id = s.id "
                "WHERE s.profile = ? AND s.demo = 0 AND r.opened_order IS NOT NULL "
                "ORDER BY r.opened_at DESC, s.id DESC LIMIT 1",
                (profile,),
            ).fetchone()
        return Scope(row[0], row[1], row[2], row[3], bool(row[4])) if row else None

    # --- feeds ----------------------------------------------------------------------------------

    def load_feed(self, scope: Scope, module: str, record_id: str, filter_key: str) -> StoredFeed | None:
        """The stored feed, items in order (newest first); None when nothing was ever stored for it."""
        found = self.load_feed_rows(scope, module, record_id, filter_key)
        if found is None:
            return None
        return StoredFeed([json.loads(raw) for _message_id, raw in found.rows], found.state)

    def load_feed_rows(
        self, scope: Scope, module: str, record_id: str, filter_key: str, *, first: int | None = None,
        after: int | None = None,
    ) -> StoredRows | None:
        """The stored feed as (message_id, list item as JSON text) in order, unparsed: a 50,000-email record
        paints its first screen without decoding the other 49,990. `first`: only that many from the top (with
        how many there are in all); `after`: only those below that position (the rest of a `first` read).
        None when nothing was stored for it."""
        with self._read() as db:
            state = _feed_state(db, scope.id, module, record_id, filter_key)
            if state is None:
                return None
            feed_id, feed_state = state
            query = (
                "SELECT e.message_id, e.raw, f.position FROM feed_entries AS f JOIN emails AS e ON e.id = f.email_id "
                "WHERE f.feed_id = ? AND f.position > ? ORDER BY f.position LIMIT ?"
            )
            found = db.execute(query, (feed_id, -(1 << 62) if after is None else after,
                                       -1 if first is None else first)).fetchall()
            if first is None or len(found) < first:
                total = len(found)
            else:
                (total,) = db.execute("SELECT count(*) FROM feed_entries WHERE feed_id = ?", (feed_id,)).fetchone()
        last = found[-1][2] if found else after
        return StoredRows([(message_id, raw) for message_id, raw, _position in found], feed_state, total, last)

    def feed_states(self, scope: Scope, module: str, record_id: str) -> list[FeedState]:
        """The paging state of every stored feed of a record."""
        with self._read() as db:
            keys = [k for (k,) in db.execute(
                "SELECT filter_key FROM feeds WHERE scope_id = ? AND module = ? AND record_id = ? ORDER BY filter_key",
                (scope.id, module, record_id),
            )]
            states = [_feed_state(db, scope.id, module, record_id, k) for k in keys]
        return [s[1] for s in states if s is not None]

    def append_page(self, scope: Scope, module: str, record_id: str, filter_key: str,
                    items: Iterable[Any], *, next_index: str | None, more: bool) -> int:
        """A page read at the bottom: new emails appended, known ones updated in place; returns how many were new.

        Saves where the next page starts; `more=False` marks the feed complete (walked now).
        """
        columns = _columns(items)
        with self._write() as db:
            feed_id, _updated, new = self._save_into_feed(db, scope, module, record_id, filter_key, columns)
            if new:
                highest, floor = db.execute(
                    "SELECT (SELECT max(position) FROM feed_entries WHERE feed_id = ?), sync_floor "
                    "FROM feeds WHERE id = ?", (feed_id, feed_id)).fetchone()
                start = 0 if highest is None else highest + 1
                _place(db, feed_id, new, start if floor is None else max(start, floor))
            if more:
                db.execute("UPDATE feeds SET next_index = ?, more = 1, pages = pages + 1 WHERE id = ?",
                           (next_index, feed_id))
            else:
                db.execute("UPDATE feeds SET next_index = NULL, more = 0, complete = 1, pages = pages + 1, "
                           "walked_at = ? WHERE id = ?", (self.clock(), feed_id))
        return len(new)

    def merge_top(self, scope: Scope, module: str, record_id: str, filter_key: str, items: Iterable[Any], *,
                  synced_at: float, continued: bool = False) -> MergeResult:
        """A re-read page one (or several): emails not stored go on top in the given order, stored ones
        are updated in place (statuses change). `overlapped` tells the caller to stop reading pages.

        When nothing overlapped and the caller reads page two of the same refresh, pass it with
        `continued=True`: its new emails go below those of the previous call, still above the old top.
        """
        columns = _columns(items)
        with self._write() as db:
            feed_id, updated, new = self._save_into_feed(db, scope, module, record_id, filter_key, columns)
            sync_next, sync_floor = db.execute("SELECT sync_next, sync_floor FROM feeds WHERE id = ?",
                                               (feed_id,)).fetchone()
            if not continued or sync_next is None or sync_floor is None:
                (lowest,) = db.execute("SELECT min(position) FROM feed_entries WHERE feed_id = ?",
                                       (feed_id,)).fetchone()
                sync_floor = 0 if lowest is None else lowest
                sync_next = sync_floor - SYNC_GAP
            if sync_next + len(new) > sync_floor:
                raise StoreError("The local store cannot place this many new emails in one refresh.")
            _place(db, feed_id, new, sync_next)
            db.execute("UPDATE feeds SET sync_next = ?, sync_floor = ? WHERE id = ?",
                       (sync_next + len(new), sync_floor, feed_id))
            if not continued:
                db.execute("UPDATE feeds SET synced_at = ? WHERE id = ?", (synced_at, feed_id))
        return MergeResult(new=len(new), updated=updated, overlapped=updated > 0)

    def reset_feed(self, scope: Scope, module: str, record_id: str, filter_key: str) -> None:
        """Forget a feed's order and paging state (start again from page one); emails and bodies stay."""
        with self._write() as db:
            db.execute("DELETE FROM feeds WHERE scope_id = ? AND module = ? AND record_id = ? AND filter_key = ?",
                       (scope.id, module, record_id, filter_key))

    def _save_into_feed(self, db: sqlite3.Connection, scope: Scope, module: str, record_id: str, filter_key: str,
                        columns: list[ItemColumns]) -> tuple[int, int, list[int]]:
        """Save the items and find the feed: (feed id, how many were in it already, ids of the others in order)."""
        feed_id = _feed_id(db, scope.id, module, record_id, filter_key)
        email_ids = self._save_items(db, scope.id, module, record_id, columns)
        present = _in_feed(db, feed_id, email_ids)
        return feed_id, len(present), [i for i in email_ids if i not in present]

    def _save_items(self, db: sqlite3.Connection, scope_id: int, module: str, record_id: str,
                    columns: list[ItemColumns]) -> list[int]:
        """Insert or update the list items of a record; returns their row ids in the given order."""
        existing: dict[str, tuple[int, tuple[Any, ...]]] = {}
        for chunk in _chunks([c.message_id for c in columns]):
            marks = ",".join("?" * len(chunk))
            for row in db.execute(
                "SELECT message_id, id, subject, from_name, from_address, to_text, cc_text, summary FROM emails "
                f"WHERE scope_id = ? AND module = ? AND record_id = ? AND message_id IN ({marks})",
                (scope_id, module, record_id, *chunk),
            ):
                existing[row[0]] = (row[1], tuple(row[2:]))
        reindex = [existing[c.message_id][0] for c in columns
                   if c.message_id in existing and existing[c.message_id][1] != c.searchable]
        if self.full_text:
            _fts_delete(db, reindex)
        ids: list[int] = []
        for c in columns:
            values = (c.raw, c.time_text, c.time_epoch, c.subject, c.from_name, c.from_address, c.to_text,
                      c.cc_text, c.summary, c.status_kinds, c.has_attachment, c.owner_id, c.thread_id)
            if c.message_id in existing:
                email_id = existing[c.message_id][0]
                db.execute(
                    "UPDATE emails SET raw = ?, time_text = ?, time_epoch = ?, subject = ?, from_name = ?, "
                    "from_address = ?, to_text = ?, cc_text = ?, summary = ?, status_kinds = ?, has_attachment = ?, "
                    "owner_id = ?, thread_id = coalesce(?, thread_id) WHERE id = ?",
                    (*values, email_id),
                )
            else:
                email_id = db.execute(
                    "INSERT INTO emails (raw, time_text, time_epoch, subject, from_name, from_address, to_text, "
                    "cc_text, summary, status_kinds, has_attachment, owner_id, thread_id, scope_id, module, "
                    "record_id, message_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (*values, scope_id, module, record_id, c.message_id),
                ).lastrowid
                reindex.append(email_id)
            ids.append(email_id)
        if self.full_text:
            _fts_insert(db, reindex)
        return ids

    # --- details ----------------------------------------------------------------------------------

    def save_detail(self, scope: Scope, message_id: str, raw: dict[str, Any]) -> None:
        """Keep an email's detail (the single-email answer's `Emails[0]`) and its body as text for search.

        The body is converted before the store is locked: about a second for a 2 MB newsletter.
        """
        text = body_text(raw, message_id)
        stored = pack(raw)
        thread_id = raw.get("thread_id") if isinstance(raw, dict) else None
        with self._write() as db:
            row = db.execute("SELECT body_text FROM details WHERE scope_id = ? AND message_id = ?",
                             (scope.id, message_id)).fetchone()
            changed = row is None or row[0] != text
            items = [i for (i,) in db.execute("SELECT id FROM emails WHERE scope_id = ? AND message_id = ?",
                                              (scope.id, message_id))]
            if self.full_text and changed:
                _fts_delete(db, items)
            db.execute(
                "INSERT INTO details (scope_id, message_id, raw, body_text) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (scope_id, message_id) DO UPDATE SET raw = excluded.raw, body_text = excluded.body_text",
                (scope.id, message_id, stored, text),
            )
            if isinstance(thread_id, str) and thread_id:
                db.execute("UPDATE emails SET thread_id = ? WHERE scope_id = ? AND message_id = ? "
                           "AND thread_id IS NULL", (thread_id, scope.id, message_id))
            if self.full_text and changed:
                _fts_insert(db, items)

    def load_detail(self, scope: Scope, message_id: str) -> dict[str, Any] | None:
        with self._read() as db:
            row = db.execute("SELECT raw FROM details WHERE scope_id = ? AND message_id = ?",
                             (scope.id, message_id)).fetchone()
        return None if row is None else unpack(row[0])

    def missing_details(self, scope: Scope, module: str, record_id: str, filter_key: str) -> list[str]:
        """Message ids of the feed, in its order, whose detail is not stored (what "fetch every body" costs)."""
        with self._read() as db:
            state = _feed_state(db, scope.id, module, record_id, filter_key)
            if state is None:
                return []
            return [m for (m,) in db.execute(
                "SELECT e.message_id FROM feed_entries AS f JOIN emails AS e ON e.id = f.email_id "
                "WHERE f.feed_id = ? AND NOT EXISTS (SELECT 1 FROM details AS d "
                "WHERE d.scope_id = e.scope_id AND d.message_id = e.message_id) ORDER BY f.position",
                (state[0],),
            )]

    def stored_threads(self, scope: Scope, module: str, record_id: str) -> dict[str, str | None]:
        """The record's emails whose detail is stored, by message id, each with its thread id (None: unknown)."""
        with self._read() as db:
            return dict(db.execute(
                "SELECT e.message_id, e.thread_id FROM emails AS e WHERE e.scope_id = ? AND e.module = ? "
                "AND e.record_id = ? AND EXISTS (SELECT 1 FROM details AS d "
                "WHERE d.scope_id = e.scope_id AND d.message_id = e.message_id)",
                (scope.id, module, record_id),
            ).fetchall())

    def details_for(self, scope: Scope, message_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The stored details of these messages (for an export with bodies), by message id."""
        found: dict[str, dict[str, Any]] = {}
        with self._read() as db:
            for chunk in _chunks(list(message_ids)):
                marks = ",".join("?" * len(chunk))
                for message_id, raw in db.execute(
                    f"SELECT message_id, raw FROM details WHERE scope_id = ? AND message_id IN ({marks})",
                    (scope.id, *chunk),
                ):
                    found[message_id] = unpack(raw)
        return found

    # --- records ------------------------------------------------------------------------------------

    def recall(self, key: str) -> str | None:
        """A small fact kept across launches (which org a grant reaches), by key; None when never kept."""
        with self._read() as db:
            row = db.execute("SELECT value FROM meta WHERE key = ?", (f"fact:{key}",)).fetchone()
        return None if row is None else row[0]

    def keep(self, key: str, value: str) -> None:
        with self._write() as db:
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (f"fact:{key}", value))

    def remember_record(self, scope: Scope, module: str, record_id: str, name: str | None = None,
                        detail: str | None = None, *, opened: bool = False) -> None:
        """Keep a record's name (a None name keeps the one known); `opened=True` makes it the most recent.

        Call it with `opened=True` only once the record really opened: one that failed is not recent.
        """
        with self._write() as db:
            order = None
            if opened:
                (order,) = db.execute("SELECT coalesce(max(opened_order), 0) + 1 FROM records WHERE scope_id = ?",
                                      (scope.id,)).fetchone()
            db.execute(
                "INSERT INTO records (scope_id, module, record_id, name, detail, opened_at, opened_order) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scope_id, module, record_id) DO UPDATE SET "
                "name = coalesce(excluded.name, name), detail = coalesce(excluded.detail, detail), "
                "opened_at = coalesce(excluded.opened_at, opened_at), "
                "opened_order = coalesce(excluded.opened_order, opened_order)",
                (scope.id, module, record_id, name or None, detail or None, self.clock() if opened else None, order),
            )

    def record_name(self, scope: Scope, module: str, record_id: str) -> str | None:
        with self._read() as db:
            row = db.execute("SELECT name FROM records WHERE scope_id = ? AND module = ? AND record_id = ?",
                             (scope.id, module, record_id)).fetchone()
        return None if row is None else row[0]

    def recent_records(self, scope: Scope, limit: int = RECENT_LIMIT) -> list[Record]:
        """The records opened in this scope, most recent first."""
        with self._read() as db:
            rows = db.execute(
                "SELECT module, record_id, name, detail FROM records WHERE scope_id = ? AND opened_order IS NOT NULL "
                "ORDER BY opened_order DESC LIMIT ?", (scope.id, limit)).fetchall()
        return [Record(module, record_id, name, detail) for module, record_id, name, detail in rows]

    # --- marks ---------------------------------------------------------------------------------------

    def set_mark(
        self, scope: Scope, message_id: str, state: str, note: str | None = None, *, at: float | None = None
    ) -> None:
        """Mark an email done, flagged or todo (replacing its mark), with an optional one-line note;
        `at` is when (default: the store's clock)."""
        if state not in MARK_STATES:
            raise ValueError(f"a mark is one of {', '.join(MARK_STATES)}, not {state!r}")
        with self._write() as db:
            db.execute(
                "INSERT INTO marks (scope_id, message_id, state, note, at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (scope_id, message_id) DO UPDATE SET state = excluded.state, note = excluded.note, "
                "at = excluded.at",
                (scope.id, message_id, state, one_line_note(note), self.clock() if at is None else at))

    def clear_mark(self, scope: Scope, message_id: str) -> None:
        with self._write() as db:
            db.execute("DELETE FROM marks WHERE scope_id = ? AND message_id = ?", (scope.id, message_id))

    def marks_for(self, scope: Scope, module: str, record_id: str) -> dict[str, Mark]:
        """The marks on a record's stored emails, by message id."""
        with self._read() as db:
            rows = db.execute(
                "SELECT m.message_id, m.state, m.note, m.at FROM marks AS m WHERE m.scope_id = ? AND EXISTS "
                "(SELECT 1 FROM emails AS e WHERE e.scope_id = m.scope_id AND e.message_id = m.message_id "
                "AND e.module = ? AND e.record_id = ?)", (scope.id, module, record_id)).fetchall()
        return {m: Mark(state, note, at) for m, state, note, at in rows}

    # --- forgetting ------------------------------------------------------------------------------------

    def forget_record(self, scope: Scope, module: str, record_id: str) -> int:
        """Remove a record's emails, feeds and name, and the bodies and marks no other record shares.

        Returns how many list items went. Deleted pages are zeroed (secure_delete) and the WAL emptied.
        """
        with self._write() as db:
            db.execute("PRAGMA secure_delete = ON")
            rows = db.execute("SELECT id, message_id FROM emails WHERE scope_id = ? AND module = ? AND record_id = ?",
                              (scope.id, module, record_id)).fetchall()
            if self.full_text:
                _fts_delete(db, [r[0] for r in rows])
            db.execute("DELETE FROM feeds WHERE scope_id = ? AND module = ? AND record_id = ?",
                       (scope.id, module, record_id))
            db.execute("DELETE FROM emails WHERE scope_id = ? AND module = ? AND record_id = ?",
                       (scope.id, module, record_id))
            db.execute("DELETE FROM records WHERE scope_id = ? AND module = ? AND record_id = ?",
                       (scope.id, module, record_id))
            for chunk in _chunks(sorted({r[1] for r in rows})):
                marks = ",".join("?" * len(chunk))
                for table in ("details", "marks"):
                    db.execute(
                        f"DELETE FROM {table} WHERE scope_id = ? AND message_id IN ({marks}) AND NOT EXISTS "
                        f"(SELECT 1 FROM emails AS e WHERE e.scope_id = {table}.scope_id "
                        f"AND e.message_id = {table}.message_id)", (scope.id, *chunk))
        self._checkpoint()
        return len(rows)

    def forget_all(self) -> None:
        """Remove everything the store holds, then VACUUM so the file shrinks and nothing lingers in it."""
        with self._write() as db:
            db.execute("PRAGMA secure_delete = ON")
            if self.full_text:
                db.execute("INSERT INTO email_fts (email_fts) VALUES ('delete-all')")
            for table in ("feed_entries", "feeds", "marks", "records", "details", "emails", "scopes"):
                db.execute(f"DELETE FROM {table}")
        with self._lock:
            try:
                self._connection().execute("VACUUM")
            except sqlite3.Error as error:
                raise StoreError(f"The local store could not be compacted: {_reason(error)}.") from None
        self._checkpoint()

    def _checkpoint(self) -> None:
        with self._lock:
            try:
                self._connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:
                pass  # another process is reading: the WAL empties on a later checkpoint

    # --- numbers ---------------------------------------------------------------------------------------

    def stats(self) -> StoreStats:
        with self._read() as db:
            scopes = [Scope(r[0], r[1], r[2], r[3], bool(r[4]))
                      for r in db.execute("SELECT id, profile, org_key, label, demo FROM scopes ORDER BY id")]
            records = dict(db.execute(
                "SELECT scope_id, count(*) FROM (SELECT DISTINCT scope_id, module, record_id FROM emails) "
                "GROUP BY scope_id").fetchall())
            emails = dict(db.execute(
                "SELECT scope_id, count(*) FROM (SELECT DISTINCT scope_id, message_id FROM emails) "
                "GROUP BY scope_id").fetchall())
            bodies = dict(db.execute("SELECT scope_id, count(*) FROM details GROUP BY scope_id").fetchall())
        per_scope = [ScopeStats(s, records.get(s.id, 0), emails.get(s.id, 0), bodies.get(s.id, 0)) for s in scopes]
        return StoreStats(
            path=self.location,
            size=files.size(self.location),
            scopes=len(scopes),
            records=sum(records.values()),
            emails=sum(emails.values()),
            bodies=sum(bodies.values()),
            per_scope=per_scope,
            full_text=self.full_text,
        )

    # --- search ----------------------------------------------------------------------------------------

    def search(
        self,
        scopes: Scope | Sequence[Scope],
        query: str | Query,
        *,
        module: str | None = None,
        record_id: str | None = None,
        filter_key: str | None = None,
        limit: int | None = None,
        tz: tzinfo | None = None,
    ) -> SearchResult:
        """Stored emails matching `query`, newest first (unknown times last).

        Across every stored record of the scope(s); or one record (`module` and
        `record_id`); or one feed of it (also `filter_key`, one scope). `tz` is
        the zone of before:/after: dates (None: the system's). `total` counts
        every match, `stored` the emails searched. A bad query raises QueryError.
        """
        # The search language loads with the first search, not with the store (opened as the app starts).
        from tui.store.query import Query, parse
        from tui.store.search import conditions

        parsed = query if isinstance(query, Query) else parse(query)
        chosen = [scopes] if isinstance(scopes, Scope) else list(scopes)
        if not chosen:
            return SearchResult([], 0, 0, parsed)
        where = [f"e.scope_id IN ({','.join('?' * len(chosen))})"]
        params: list[Any] = [s.id for s in chosen]
        if module is not None and record_id is not None:
            where += ["e.module = ?", "e.record_id = ?"]
            params += [module, record_id]
        with self._read() as db:
            if filter_key is not None:
                if module is None or record_id is None or len(chosen) != 1:
                    raise ValueError("searching a feed needs one scope, a module and a record id")
                state = _feed_state(db, chosen[0].id, module, record_id, filter_key)
                if state is None:
                    return SearchResult([], 0, 0, parsed)
                where.append("e.id IN (SELECT email_id FROM feed_entries WHERE feed_id = ?)")
                params.append(state[0])
            scope_sql = " AND ".join(where)
            (stored,) = db.execute(f"SELECT count(*) FROM emails AS e WHERE {scope_sql}", params).fetchone()
            terms, term_params = conditions(parsed, full_text=self.full_text, tz=tz)
            match_sql = " AND ".join([scope_sql, *terms])
            match_params = [*params, *term_params]
            # The ids first, from the covering time index (DESC puts unknown times last), then their rows.
            ranked = [i for (i,) in db.execute(
                f"SELECT e.id FROM emails AS e WHERE {match_sql} ORDER BY e.time_epoch DESC"
                + (" LIMIT ?" if limit is not None else ""), [*match_params, *([limit] if limit is not None else [])])]
            total = len(ranked)
            if limit is not None and total >= limit:
                (total,) = db.execute(f"SELECT count(*) FROM emails AS e WHERE {match_sql}", match_params).fetchone()
            rows: dict[int, tuple[Any, ...]] = {}
            for chunk in _chunks(ranked):
                for row in db.execute(
                    "SELECT e.id, e.module, e.record_id, r.name, e.message_id, e.time_text, e.time_epoch, e.from_name, "
                    "e.from_address, e.subject, e.raw FROM emails AS e LEFT JOIN records AS r ON r.scope_id = e.scope_id "
                    f"AND r.module = e.module AND r.record_id = e.record_id WHERE e.id IN ({','.join('?' * len(chunk))})",
                    chunk,
                ):
                    rows[row[0]] = row[1:]
        hits = [SearchHit(*rows[i][:9], json.loads(rows[i][9])) for i in ranked]
        return SearchResult(hits, total, stored, parsed)


# --- helpers ---------------------------------------------------------------------------------------------

_MOVED = {
    "corrupt": "The local store {path} was damaged: it was moved to {moved} and a new one started.",
    "newer": "The local store {path} was written by a newer crm-emails: it was moved to {moved} "
             "and a new one started.",
}


def _connect(location: Path) -> sqlite3.Connection:
    # Autocommit: transactions are explicit (BEGIN IMMEDIATE), so a writer never upgrades a read lock.
    db = sqlite3.connect(location, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
    try:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        db.create_function(FOLD_FUNCTION, 1, fold, deterministic=True)
    except BaseException:
        db.close()
        raise
    return db


CHECK_EVERY = 7 * 24 * 3600.0


def _check_due(location: Path, now: float) -> bool:
    """Whether the last quick_check of this file is older than a week (or unknown)."""
    try:
        db = sqlite3.connect(f"file:{location}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error:
        return True
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'checked_at'").fetchone()
        return row is None or not now - CHECK_EVERY < float(row[0]) <= now
    except (sqlite3.Error, ValueError):
        return True
    finally:
        db.close()


def _note_damage(location: Path) -> None:
    """A damaged page was met: the next open checks the whole file (and moves it aside if it is damaged)."""
    try:
        files.damage_marker(location).touch(mode=files.FILE_MODE)
    except OSError:
        pass


def _problem(location: Path, known_version: int, check: bool) -> str | None:
    """"corrupt", "newer" or None for an existing file."""
    try:
        db = sqlite3.connect(location, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error:
        return None  # cannot even open it: the real open says why
    try:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        (version,) = db.execute("PRAGMA user_version").fetchone()
        if version > known_version:
            return "newer"
        if check:
            result = [r[0] for r in db.execute("PRAGMA quick_check").fetchall()]
            if result != ["ok"]:
                return "corrupt"
        return None
    except sqlite3.DatabaseError as error:
        code = getattr(error, "sqlite_errorcode", None)
        if code in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT) or "malformed" in str(error):
            return "corrupt"
        return None  # locked, no such module, I/O: not the file's fault; the real open reports it
    finally:
        db.close()


def _migrate(db: sqlite3.Connection, migrations: Sequence[Migration]) -> None:
    """Apply the missing migrations, each in one transaction (another process may be doing the same)."""
    for number, statements in enumerate(migrations, start=1):
        (version,) = db.execute("PRAGMA user_version").fetchone()
        if version >= number:
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            (version,) = db.execute("PRAGMA user_version").fetchone()
            if version < number:
                for statement in statements:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {int(number)}")
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise


def _has_fts5(db: sqlite3.Connection) -> bool:
    try:
        db.execute("CREATE VIRTUAL TABLE temp.fts5_probe USING fts5(x)")
        db.execute("DROP TABLE temp.fts5_probe")
        return True
    except sqlite3.OperationalError:
        return False


def _prepare_search_index(db: sqlite3.Connection, full_text: bool) -> None:
    """Create or rebuild the FTS index when it is missing, stale or of another version.

    A store written while searching with LIKE (no FTS5) marks the index stale:
    the next open with FTS5 rebuilds it from the stored emails and bodies.
    """
    exists = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'email_fts'").fetchone() is not None
    row = db.execute("SELECT value FROM meta WHERE key = 'search_index'").fetchone()
    state = row[0] if row else None
    if not full_text:
        if exists and state != "stale":
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('search_index', 'stale')")
            db.execute("COMMIT")
        return
    if exists and state == SEARCH_INDEX_VERSION:
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'email_fts'").fetchone() is not None:
            db.execute("DROP TABLE email_fts")
        db.execute(CREATE_FTS)
        db.execute("INSERT INTO email_fts (email_fts) VALUES ('rebuild')")
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('search_index', ?)", (SEARCH_INDEX_VERSION,))
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise


def _columns(items: Iterable[Any]) -> list[ItemColumns]:
    """The keepable items of a page, each message once (the first wins)."""
    seen: set[str] = set()
    columns = []
    for item in items:
        c = item_columns(item)
        if c is not None and c.message_id not in seen:
            seen.add(c.message_id)
            columns.append(c)
    return columns


def _chunks(values: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _fts_delete(db: sqlite3.Connection, ids: list[int]) -> None:
    """Drop index rows before their text changes: FTS5 reads the old text from the view to remove it."""
    for chunk in _chunks(ids):
        db.execute(f"DELETE FROM email_fts WHERE rowid IN ({','.join('?' * len(chunk))})", chunk)


def _fts_insert(db: sqlite3.Connection, ids: list[int]) -> None:
    for chunk in _chunks(ids):
        db.execute(FTS_INSERT.format(ids=",".join("?" * len(chunk))), chunk)


def _feed_id(db: sqlite3.Connection, scope_id: int, module: str, record_id: str, filter_key: str) -> int:
    db.execute("INSERT OR IGNORE INTO feeds (scope_id, module, record_id, filter_key) VALUES (?, ?, ?, ?)",
               (scope_id, module, record_id, filter_key))
    (feed_id,) = db.execute(
        "SELECT id FROM feeds WHERE scope_id = ? AND module = ? AND record_id = ? AND filter_key = ?",
        (scope_id, module, record_id, filter_key)).fetchone()
    return feed_id


def _feed_state(db: sqlite3.Connection, scope_id: int, module: str, record_id: str,
                filter_key: str) -> tuple[int, FeedState] | None:
    row = db.execute(
        "SELECT id, next_index, more, complete, pages, synced_at, walked_at, "
        "(SELECT count(*) FROM feed_entries WHERE feed_id = feeds.id) FROM feeds "
        "WHERE scope_id = ? AND module = ? AND record_id = ? AND filter_key = ?",
        (scope_id, module, record_id, filter_key)).fetchone()
    if row is None:
        return None
    return row[0], FeedState(filter_key, row[1], bool(row[2]), bool(row[3]), row[4], row[5], row[6], row[7])


def _place(db: sqlite3.Connection, feed_id: int, email_ids: list[int], start: int) -> None:
    db.executemany("INSERT INTO feed_entries (feed_id, email_id, position) VALUES (?, ?, ?)",
                   [(feed_id, email_id, start + n) for n, email_id in enumerate(email_ids)])


def _in_feed(db: sqlite3.Connection, feed_id: int, email_ids: list[int]) -> set[int]:
    present: set[int] = set()
    for chunk in _chunks(email_ids):
        present.update(i for (i,) in db.execute(
            f"SELECT email_id FROM feed_entries WHERE feed_id = ? AND email_id IN ({','.join('?' * len(chunk))})",
            (feed_id, *chunk)))
    return present


def _reason(error: BaseException) -> str:
    """What went wrong, in the person's words."""
    code = getattr(error, "sqlite_errorcode", None)
    if code == sqlite3.SQLITE_FULL or "disk is full" in str(error):
        return "the disk is full"
    if code in (sqlite3.SQLITE_READONLY,) or isinstance(error, PermissionError):
        return "it is read-only or not ours to write"
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return "another crm-emails kept it busy for more than 5 seconds"
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return "the file is damaged (it will be moved aside when crm-emails starts next)"
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return str(error) or type(error).__name__
