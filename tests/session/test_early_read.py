"""The store opened from a launch's first moment (`StoreOpening`), with the top of the record it opens read then
(`StartRead`): used once, at once, only while true (nothing written since), and only for its own scope."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from tests.support.clock import VirtualClock
from tests.support.store_reads import stored_list_reads
from tui.connect import demo_client
from tui.sandbox.data import LEAD_MAIN, LEAD_TEN
from tui.session.keeper import EarlyRead, FIRST_ROWS, RecordKeeper, StartRead, StoreOpening, StoreThread
from tui.session.record import RecordSession
from tui.store import DEMO_ORG_KEY, DEMO_ORG_LABEL
from tui.store.store import Store
from tui.zoho.models import Record

DEMO_START = StartRead("demo", True, *LEAD_MAIN)


async def _store_with(path, record: tuple[str, str], pages: int) -> list[str]:
    """A store holding `pages` pages of `record` in the demo's scope, the record remembered as opened; the ids."""
    client, _sandbox = demo_client(clock=VirtualClock())
    thread = await StoreThread.open(path)
    scope = await thread.run(lambda store: store.scope("demo", DEMO_ORG_KEY, label=DEMO_ORG_LABEL, demo=True))
    assert scope is not None
    keeper = RecordKeeper(thread, scope, Record(*record))
    session = RecordSession(client, Record(*record, "Named"), clock=VirtualClock(), keeper=keeper)
    feed = session.feed()
    for _ in range(pages):
        await session.load_more(feed)
    await thread.run(lambda store: store.remember_record(scope, *record, "Named", opened=True))
    await asyncio.to_thread(thread.close)
    await client.aclose()
    return list(feed.emails.ids)


@asynccontextmanager
async def _opened(path, start: StartRead = DEMO_START) -> AsyncIterator[StoreThread]:
    """The store as a launch opens it, taken by the app; closed after."""
    opening = StoreOpening(path, start=start)
    thread = await opening.thread()
    assert opening.taken
    try:
        yield thread
    finally:
        await asyncio.to_thread(thread.close)


def _demo_scope(thread: StoreThread) -> EarlyRead:
    early = thread.early_scope("demo", DEMO_ORG_KEY, label=DEMO_ORG_LABEL, demo=True)
    assert early is not None
    return early


async def test_the_records_top_is_read_while_the_launch_starts_and_restored_at_once(tmp_path, monkeypatch):
    path = tmp_path / "store.sqlite3"
    listed = await _store_with(path, LEAD_MAIN, pages=25)  # 250: more than the top read early
    reads = stored_list_reads(monkeypatch)
    async with _opened(path) as thread:
        early = _demo_scope(thread)
        assert [(r.module, r.id, r.name) for r in early.recent] == [(*LEAD_MAIN, "Named")]
        client, _sandbox = demo_client(clock=VirtualClock())
        keeper = RecordKeeper(thread, early.scope, Record(*LEAD_MAIN))
        session = RecordSession(client, Record(*LEAD_MAIN), clock=VirtualClock(), keeper=keeper)
        feed = session.feed()
        session.restore_early(feed)
        # In the feed before anything was awaited: no trip to the store's thread.
        assert feed.restored and list(feed.emails.ids) == listed[:FIRST_ROWS] and feed.stored_rest == 50
        assert await session.restore(feed)  # the screen's restore joins it
        assert reads == [FIRST_ROWS]  # read once, early; not again
        await session.restore_rest(feed)
        assert list(feed.emails.ids) == listed
        await client.aclose()


async def test_what_was_read_early_is_dropped_once_the_launch_writes(tmp_path):
    path = tmp_path / "store.sqlite3"
    await _store_with(path, LEAD_MAIN, pages=2)
    async with _opened(path) as thread:
        scope = _demo_scope(thread).scope
        keeper = RecordKeeper(thread, scope, Record(*LEAD_MAIN))
        await thread.run(lambda store: store.reset_feed(scope, *LEAD_MAIN, ""))  # the list, emptied meanwhile
        assert keeper.early("") is None  # not the list as it was: read again, as it is now
        stored = await keeper.load("")
        assert stored is None or len(stored.emails) == 0


async def test_a_write_still_queued_drops_it_too(tmp_path):
    path = tmp_path / "store.sqlite3"
    await _store_with(path, LEAD_MAIN, pages=1)
    async with _opened(path) as thread:
        scope = _demo_scope(thread).scope
        thread.write(lambda store: store.remember_record(scope, *LEAD_TEN, "Other", opened=True))
        assert RecordKeeper(thread, scope, Record(*LEAD_MAIN)).early("") is None


async def test_an_early_read_serves_only_its_own_scope_record_and_list(tmp_path):
    path = tmp_path / "store.sqlite3"
    await _store_with(path, LEAD_MAIN, pages=1)
    async with _opened(path) as thread:
        assert thread.early_scope("demo", "another org", demo=True) is None
        assert thread.early_scope("demo", DEMO_ORG_KEY, label=DEMO_ORG_LABEL, demo=True) is None  # dropped: gone
    async with _opened(path) as thread:
        assert thread.early_scope("demo", DEMO_ORG_KEY, label="Renamed", demo=True) is None  # `scope` writes a new label
    async with _opened(path) as thread:
        scope = _demo_scope(thread).scope
        assert RecordKeeper(thread, scope, Record(*LEAD_TEN)).early("") is None  # another record
        assert RecordKeeper(thread, scope, Record(*LEAD_MAIN)).early("sent_from_crm") is None  # another list


async def test_a_real_profile_reads_its_last_org_early(tmp_path):
    path = tmp_path / "store.sqlite3"
    now = [1_000.0]
    with Store.open(path, clock=lambda: now[0]) as store:
        other = store.scope("work", "org:1", label="Older org")
        store.remember_record(other, *LEAD_TEN, "Older", opened=True)
        now[0] += 60
        scope = store.scope("work", "org:2", label="Zylker")
        store.remember_record(scope, *LEAD_MAIN, "Named", opened=True)
        store.append_page(scope, *LEAD_MAIN, "", [{"message_id": "m1"}, {"message_id": "m2"}], next_index=None, more=False)
    async with _opened(path, StartRead("work", False, *LEAD_MAIN)) as thread:
        early = thread.early_scope("work", "org:2", demo=False)  # the org its credentials reach, known once connected
        assert early is not None and early.scope.label == "Zylker"
        stored = RecordKeeper(thread, early.scope, Record(*LEAD_MAIN)).early("")
        assert stored is not None and list(stored.emails.ids) == ["m1", "m2"] and stored.rest == 0


async def test_nothing_stored_yet_reads_nothing_early(tmp_path):
    async with _opened(tmp_path / "new.sqlite3") as thread:
        assert thread.early_scope("demo", DEMO_ORG_KEY, label=DEMO_ORG_LABEL, demo=True) is None


async def test_an_opening_never_taken_closes_the_store(tmp_path):
    opening = StoreOpening(tmp_path / "store.sqlite3", start=DEMO_START)
    opening.abandon()
    opening._executor.shutdown(wait=True)
    assert opening._opened.result()._db is None  # closed: the file is free
    opening.abandon()  # twice is harmless


async def test_an_opening_says_whether_the_store_holds_the_record_it_starts_on(tmp_path):
    """`crm-emails` loads httpx before the app runs unless the record paints from the store first."""
    path = tmp_path / "store.sqlite3"
    await _store_with(path, LEAD_MAIN, pages=1)
    for start, held in ((DEMO_START, True), (StartRead("demo", True, *LEAD_TEN), False), (None, False)):
        opening = StoreOpening(path, start=start)
        thread = await opening.thread()  # (the early read is done once the store is taken)
        assert opening.holds_start() is held
        await asyncio.to_thread(thread.close)
