"""The record model with the local store, in virtual time: open from disk, sync only what is new,
resume the walk across launches, details read once ever, and memory only when the disk fails."""

from __future__ import annotations

import asyncio

import pytest

from tests.support.clock import VirtualClock
from tests.support.waits import PATIENCE_S, until
from tui.connect import demo_client
from tui.sandbox.app import Faults, Sandbox
from tui.sandbox.data import LEAD_MAIN
from tui.session.keeper import FIRST_ROWS, RecordKeeper, StoreThread
from tui.session.record import RecordSession
from tui.store.marks import Mark
from tui.zoho.models import Email, Record


class Launch:
    """One run of the app against one sandbox (which lives on between launches, as Zoho does)."""

    def __init__(self, sandbox: Sandbox | None, store_path, clock: VirtualClock) -> None:
        client, fresh = demo_client(clock=clock)
        if sandbox is not None:  # the same Zoho as the launch before: its transport answers from it
            client._http._transport.sandbox = sandbox  # type: ignore[attr-defined]
            client.tokens._http._transport.sandbox = sandbox  # type: ignore[attr-defined]
        self.sandbox = sandbox or fresh
        self.client = client
        self.store_path = store_path
        self.clock = clock

    async def __aenter__(self) -> RecordSession:
        self.thread = await StoreThread.open(self.store_path)
        scope = await self.thread.run(lambda store: store.scope("demo", "sandbox", demo=True))
        keeper = RecordKeeper(self.thread, scope, Record(*LEAD_MAIN))
        return RecordSession(self.client, Record(*LEAD_MAIN), clock=self.clock, keeper=keeper)

    async def __aexit__(self, *exc) -> None:
        await asyncio.to_thread(self.thread.close)
        await self.client.aclose()


def list_calls(sandbox: Sandbox) -> list[dict[str, str]]:
    return [c.params for c in sandbox.calls if c.path.endswith("/Emails")]


async def test_a_stored_record_opens_from_disk_and_syncs_with_one_call(tmp_path):
    clock = VirtualClock()
    store = tmp_path / "store.sqlite3"
    first = Launch(None, store, clock)
    async with first as session:
        feed = session.feed()
        assert not await session.restore(feed)  # nothing stored yet
        for _ in range(5):
            await session.load_more(feed)
        read = list(feed.emails.ids)
    assert len(read) == 50 and len(list_calls(first.sandbox)) == 5

    second = Launch(first.sandbox, store, clock)
    async with second as session:
        feed = session.feed()
        assert await session.restore(feed)
        assert list(feed.emails.ids) == read and feed.next_page_index() is not None
        calls = len(list_calls(second.sandbox))
        result = await session.refresh(feed, patient=True)
        assert result.new == 0 and not result.restarted
        assert len(list_calls(second.sandbox)) == calls + 1  # an unchanged record: exactly one list call
        # The walk goes on from where the last launch stopped: page six, not page one.
        await session.load_more(feed)
        assert feed.count == 60 and list_calls(second.sandbox)[-1].get("index") is not None


async def test_new_emails_arrive_on_top_and_changed_statuses_update(tmp_path):
    clock = VirtualClock()
    store = tmp_path / "store.sqlite3"
    first = Launch(None, store, clock)
    async with first as session:
        feed = session.feed()
        for _ in range(3):
            await session.load_more(feed)
        opened_again = feed.emails[4].message_id
    arrived = first.sandbox.deliver(*LEAD_MAIN, count=3)
    first.sandbox.open_again(*LEAD_MAIN, opened_again)

    second = Launch(first.sandbox, store, clock)
    async with second as session:
        feed = session.feed()
        await session.restore(feed)
        before = feed.emails[feed.emails.index_of(opened_again)].status
        result = await session.refresh(feed, patient=True)
        assert result.new == 3 and list(feed.emails.ids)[:3] == arrived
        after = feed.emails[feed.emails.index_of(opened_again)].status
        assert after != before
    # And the store has it all for the next launch, in order.
    third = Launch(first.sandbox, store, clock)
    async with third as session:
        feed = session.feed()
        await session.restore(feed)
        assert list(feed.emails.ids)[:3] == arrived and feed.count == 33


async def test_a_refused_old_index_walks_again_from_the_top_skipping_what_is_stored(tmp_path):
    clock = VirtualClock()
    store = tmp_path / "store.sqlite3"
    first = Launch(None, store, clock)
    async with first as session:
        feed = session.feed()
        for _ in range(2):
            await session.load_more(feed)
    first.sandbox.expire_indexes()  # how long Zoho honours a next_index is not documented
    second = Launch(first.sandbox, store, clock)
    async with second as session:
        feed = session.feed()
        await session.restore(feed)
        assert feed.count == 20
        before = len(list_calls(second.sandbox))
        fresh = await session.load_more(feed)
        assert fresh == [] and feed.count == 20  # page one again: all known, nothing repeated
        for _ in range(2):
            fresh = await session.load_more(feed)
        assert feed.count == 30 and len(set(feed.emails.ids)) == 30
        asked = [c.get("index") for c in list_calls(second.sandbox)[before:]]
        assert asked[0] is not None and asked[1] is None  # the stored index, refused; then from the top


async def test_a_detail_is_read_once_across_launches(tmp_path):
    clock = VirtualClock()
    store = tmp_path / "store.sqlite3"
    first = Launch(None, store, clock)
    async with first as session:
        feed = session.feed()
        await session.load_more(feed)
        email = feed.emails[0]
        detail = await session.detail(email)
    second = Launch(first.sandbox, store, clock)
    async with second as session:
        feed = session.feed()
        await session.restore(feed)
        again = await session.detail(feed.emails[0])
        assert again == detail and again.content == detail.content
    assert first.sandbox.count(f"/Emails/{email.message_id}") == 1


async def test_offline_a_stored_record_still_reads_and_syncs_when_zoho_answers(tmp_path):
    clock = VirtualClock()
    store = tmp_path / "store.sqlite3"
    first = Launch(None, store, clock)
    async with first as session:
        feed = session.feed()
        for _ in range(2):
            await session.load_more(feed)
        await session.detail(feed.emails[1])
    first.sandbox.faults.always = "drop"
    second = Launch(first.sandbox, store, clock)
    async with second as session:
        feed = session.feed()
        await session.restore(feed)
        assert feed.count == 20 and feed.stored_at is not None
        assert (await session.detail(feed.emails[1])).content  # the body from disk, no call
        syncing = asyncio.ensure_future(session.refresh(feed, patient=True))
        for _ in range(200):
            await clock.advance(0.5)
            if feed.waiting:
                break
        assert feed.waiting and feed.count == 20  # offline: what is stored stays on screen
        first.sandbox.faults.always = None
        await clock.run_until_idle(horizon=30)
        assert (await syncing).new == 0 and feed.error is None


DISK_FULL = "The local store could not be written: the disk is full."


def disk_full(launch: Launch, monkeypatch, method: str) -> list[str]:
    """`Store.<method>` fails from now on as on a full disk; what the store thread tells of it."""
    from tui.store.store import Store, StoreError

    def full(*args, **kwargs):
        raise StoreError(DISK_FULL)

    monkeypatch.setattr(Store, method, full)
    told: list[str] = []
    launch.thread.on_failure = told.append
    return told


async def test_a_store_that_fails_leaves_memory_only_and_says_so_once(tmp_path, monkeypatch):
    launch = Launch(None, tmp_path / "store.sqlite3", VirtualClock())
    async with launch as session:
        told = disk_full(launch, monkeypatch, "append_page")
        feed = session.feed()
        await session.load_more(feed)
        await session.load_more(feed)
        assert feed.count == 20  # the app goes on in memory
        assert told == [DISK_FULL]
        assert not session.keeper.working


async def busy_store(path):
    """A store thread held busy until `gate` is set (what is asked of it meanwhile queues): the thread, the
    demo scope, a keeper of LEAD_MAIN, the gate, and the busy call."""
    import threading

    thread = await StoreThread.open(path)
    scope = await thread.run(lambda store: store.scope("demo", "sandbox", demo=True))
    gate, started = threading.Event(), threading.Event()

    def hold(store) -> None:
        started.set()
        gate.wait(PATIENCE_S)

    busy = asyncio.ensure_future(thread.run(hold))
    await until(started.is_set, "the store thread to be busy")
    return thread, scope, RecordKeeper(thread, scope, Record(*LEAD_MAIN)), gate, busy


async def test_a_write_whose_caller_is_cancelled_still_lands(tmp_path):
    """Escape cancels a walk while its page waits for the store thread: the page is on screen, so it is kept."""
    thread, _scope, keeper, gate, busy = await busy_store(tmp_path / "store.sqlite3")
    client, _ = demo_client(clock=VirtualClock())
    page = await client.list_emails(*LEAD_MAIN[:2])
    writing = asyncio.ensure_future(keeper.page("all", page.emails, next_index="11", more=True))
    await until(lambda: not thread._executor._work_queue.empty(), "the write to be queued")  # noqa: SLF001
    writing.cancel()
    gate.set()
    await busy
    with pytest.raises(asyncio.CancelledError):
        await writing
    stored = await keeper.load("all")
    await asyncio.to_thread(thread.close)
    await client.aclose()
    assert stored is not None and list(stored.emails.ids) == [e.message_id for e in page.emails]


async def test_marks_are_kept_across_launches_and_set_before_they_load_win(tmp_path):
    clock = VirtualClock()
    store = tmp_path / "store.sqlite3"
    first = Launch(None, store, clock)
    async with first as session:
        feed = session.feed()
        await session.load_more(feed)
        ids = list(feed.emails.ids)
        session.set_mark(ids[0], "flagged", "call\nback")
        session.set_mark(ids[1], "done")
        session.set_mark(ids[2], "todo")
        session.set_mark(ids[2], None)  # cleared again
        assert session.triaged(feed) == 2
    async with Launch(first.sandbox, store, clock) as session:
        session.set_mark(ids[1], "todo")  # before the stored marks came: this launch's mark is newer
        assert await session.load_marks()
        assert {m: (k.state, k.note) for m, k in session.marks.items()} == {
            ids[0]: ("flagged", "call back"), ids[1]: ("todo", None)}
        assert not await session.load_marks()  # once per session


async def test_a_mark_is_written_even_when_nobody_waits_for_it(tmp_path):
    """The mark is queued on the store thread at once: quitting the moment after does not lose it."""
    thread, scope, keeper, gate, busy = await busy_store(tmp_path / "store.sqlite3")
    keeper.keep_mark("m1", Mark("done", None, 1.0))
    gate.set()
    await busy
    await asyncio.to_thread(thread.close)  # what was queued is written before the file closes
    from tui.store.store import Store

    with Store.open(tmp_path / "store.sqlite3") as store:
        store.append_page(scope, *LEAD_MAIN, "", [{"message_id": "m1"}], next_index=None, more=False)
        assert {m: k.state for m, k in store.marks_for(scope, *LEAD_MAIN).items()} == {"m1": "done"}


async def test_a_mark_the_store_cannot_write_is_told_and_kept_in_memory(tmp_path, monkeypatch):
    launch = Launch(None, tmp_path / "store.sqlite3", VirtualClock())
    async with launch as session:
        told = disk_full(launch, monkeypatch, "set_mark")
        session.set_mark("m1", "flagged")
        await launch.thread.run(lambda store: None)  # the mark's write is done (and failed) before this
        await until(lambda: told, "the failure to be told")  # it is told on the loop, after the thread's answer
        assert told == [DISK_FULL]
        assert session.mark_state("m1") == "flagged" and not session.keeper.working


async def after_a_walk(tmp_path) -> tuple[Launch, list[str], int]:
    """The launch after one that read LEAD_MAIN's 250 emails to the end (the store keeps them): that next
    launch (not entered), what was listed, and the list calls made so far."""
    clock = VirtualClock()
    first = Launch(None, tmp_path / "store.sqlite3", clock)
    async with first as session:
        feed = session.feed()
        while feed.more:
            await session.load_more(feed)
        read = list(feed.emails.ids)
    return Launch(first.sandbox, first.store_path, clock), read, len(list_calls(first.sandbox))


async def test_a_long_stored_list_gives_its_top_first_then_the_rest_without_a_call(tmp_path):
    second, read, calls = await after_a_walk(tmp_path)
    assert len(read) == 250 > FIRST_ROWS
    async with second as session:
        feed = session.feed()
        assert await session.restore(feed)
        # The first paint has the top and knows how many there are; no row of the rest is parsed or listed yet.
        assert list(feed.emails.ids) == read[:FIRST_ROWS] and feed.known == 250 and feed.stored_rest == 50
        assert feed.paging and not feed.can_load_more
        assert await session.load_more(feed) is None  # no page of Zoho while the store's rows are read
        assert await session.refresh(feed) is None  # nor a sync: it follows the rest (a restart would mix lists)
        assert await session.restore_rest(feed) == 50
        assert list(feed.emails.ids) == read and feed.known == feed.count == 250
        assert not feed.paging and not feed.more  # the walk was complete: nothing to ask Zoho below
        assert len(list_calls(second.sandbox)) == calls
        assert feed.emails[249].message_id == read[249]  # the rest parses when read
        assert (await session.refresh(feed)).new == 0 and len(list_calls(second.sandbox)) == calls + 1


async def test_a_cancelled_read_of_the_rest_is_still_to_do(tmp_path, monkeypatch):
    second, read, _calls = await after_a_walk(tmp_path)
    async with second as session:
        feed = session.feed()
        assert await session.restore(feed)
        asked, never = asyncio.Event(), asyncio.Event()

        async def held(*_args):
            asked.set()
            await never.wait()  # the store's read under way when the screen goes

        with monkeypatch.context() as patch:
            patch.setattr(session.keeper, "load_rest", held)
            reading = asyncio.ensure_future(session.restore_rest(feed))
            await until(asked.is_set, "the read of the rest")
            reading.cancel()
            with pytest.raises(asyncio.CancelledError):
                await reading
        assert feed.stored_rest == 50 and feed.paging and feed.count == FIRST_ROWS
        assert await session.restore_rest(feed) == 50
        assert list(feed.emails.ids) == read


async def test_when_the_store_fails_reading_the_rest_zoho_gives_it_from_page_one(tmp_path, monkeypatch):
    second, read, _calls = await after_a_walk(tmp_path)
    async with second as session:
        feed = session.feed()
        assert await session.restore(feed)

        async def failed(*_args):
            return None  # what StoreThread.run gives once the store failed (and said so)

        monkeypatch.setattr(session.keeper, "load_rest", failed)
        assert await session.restore_rest(feed) == 0
        assert feed.count == FIRST_ROWS and feed.more and feed.can_load_more and feed.next_page_index() is None
        while feed.more:
            await session.load_more(feed)
        assert list(feed.emails.ids) == read  # the stored top skipped, nothing listed twice


async def test_a_store_in_memory_is_asked_only_for_lists_this_launch_wrote(monkeypatch):
    # --no-store: the store in memory holds nothing at start; opening a record does not wait on its thread.
    thread = await StoreThread.open(None, on_disk=False)
    try:
        scope = await thread.run(lambda store: store.scope("demo", "sandbox", demo=True))
        keeper = RecordKeeper(thread, scope, Record(*LEAD_MAIN))
        run, asked = thread.run, []

        async def counted(work):
            asked.append(work)
            return await run(work)

        monkeypatch.setattr(thread, "run", counted)
        assert await keeper.load("") is None and asked == []
        await keeper.page("", [Email("m1"), Email("m2")], next_index=None, more=False)
        stored = await keeper.load("")
        assert stored is not None and list(stored.emails.ids) == ["m1", "m2"] and len(asked) == 2
    finally:
        await asyncio.to_thread(thread.close)


async def test_a_store_opened_after_the_session_began_keeps_what_was_read_and_what_follows():
    """A store in memory opens after the first paint: the session read pages, a detail and a mark without it."""
    clock = VirtualClock()
    client, sandbox = demo_client(clock=clock)
    record = Record(*LEAD_MAIN)
    session = RecordSession(client, record, clock=clock)
    feed = session.feed()
    await session.load_more(feed)
    await session.load_more(feed)
    first = feed.emails[0]
    detail = await session.detail(first)
    session.set_mark(first.message_id, "flagged", "call back")
    thread = await StoreThread.open(on_disk=False)
    try:
        scope = await thread.run(lambda store: store.scope("demo", "sandbox", demo=True))
        session.attach(RecordKeeper(thread, scope, record))
        await session.load_more(feed)  # written below the two pages kept at once
        stored = await thread.run(lambda store: store.load_feed_rows(scope, *LEAD_MAIN, feed.filter.key))
        assert [message_id for message_id, _raw in stored.rows] == list(feed.emails.ids) and len(feed.emails) == 30
        assert stored.state.more and stored.state.next_index == feed.next_index
        assert (await thread.run(lambda store: store.load_detail(scope, first.message_id))) == dict(detail.raw)
        marks = await thread.run(lambda store: store.marks_for(scope, *LEAD_MAIN))
        assert marks[first.message_id].note == "call back"
        assert feed.stored_at == feed.synced_at  # the status line says when it was synced
        # What the store now holds is found by the record's search, and no page is asked again.
        calls = len(list_calls(sandbox))
        found = await session.search(feed, first.subject.split()[0])
        assert found is not None and first.message_id in found.emails
        assert len(list_calls(sandbox)) == calls == 3
    finally:
        await asyncio.to_thread(thread.close)
        await client.aclose()
