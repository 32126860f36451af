"""The record screen with the local store: open from disk, sync only what is new, load all and resume,
search as you type, search every record, read offline, and go on when the disk fails."""

from __future__ import annotations

import asyncio

from tests.app.helpers import TestApp, make_demo_app, settle, type_text, wait_for_screen, wait_until
from tests.app.record_helpers import hold_page_one, hold_store_top, list_calls, listed_at_mount, read_and_quit, record_screen, row_ids
from tests.support.store_reads import stored_list_reads
from tui.sandbox.data import CONTACT_HOSTILE, LEAD_BULK, LEAD_MAIN
from tui.screens.record import RecordScreen
from tui.screens.search import SearchScreen
from tui.session.keeper import FIRST_ROWS, RecordKeeper, StartRead, StoreOpening
from tui.store.store import Store
from tui.zoho.models import Record
from tui.widgets.status_line import StatusLine


def status(screen) -> str:
    return str(screen.query_one(StatusLine).render())


async def test_a_stored_record_opens_from_disk_then_costs_one_call(tmp_path):
    listed = await read_and_quit(tmp_path, pages=5, size=(160, 48))
    app, sandbox = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await record_screen(pilot)
        assert row_ids(screen) == listed  # every stored row, not just page one
        assert len(list_calls(sandbox)) == 1 and list_calls(sandbox)[0].params.get("index") is None
        assert "synced 12:00" in status(screen)
        # The detail under the cursor came from the store too: no detail call.
        assert screen.detail_view.state == "detail"
        assert [c for c in sandbox.calls if "/Emails/" in c.path] == []


async def test_a_long_stored_record_paints_its_top_at_once_and_lists_every_stored_email(tmp_path):
    listed = await read_and_quit(tmp_path, pages=25)  # all 250: more than the top read for the first paint
    app, sandbox = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await record_screen(pilot)
        assert row_ids(screen) == listed and screen.email_list.count == 250
        await pilot.press("end")
        await settle(pilot)
        assert screen.email_list.cursor_email.message_id == listed[-1]
        assert "Email 250 of 250" in str(screen.detail_view.border_title)
        assert len(list_calls(sandbox)) == 1  # the sync of page one; no stored page read again


async def test_new_emails_since_the_last_launch_come_on_top(tmp_path):
    listed = await read_and_quit(tmp_path)
    app, sandbox = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    arrived = sandbox.deliver(*LEAD_MAIN, count=3)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot)
        assert row_ids(screen)[:3] == arrived and row_ids(screen)[3:] == listed
        assert "3 new" in status(screen)
        assert len(list_calls(sandbox)) == 1


async def test_load_every_email_shows_progress_stops_on_escape_and_resumes_next_launch(tmp_path):
    app, sandbox = make_demo_app(start=LEAD_BULK, state_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot)
        screen.action_load_all()
        await wait_until(pilot, lambda: screen.feed.walk_pages >= 5, "five pages of the walk", advance=0)
        assert screen.email_list.border_subtitle.startswith("loading every email — ")
        assert "API calls" in screen.email_list.border_subtitle and "Esc stops" in screen.email_list.border_subtitle
        await pilot.press("escape")
        await settle(pilot)
        assert not screen.feed.walking and screen.feed.more
        stopped_at = screen.feed.count
    app, sandbox = make_demo_app(start=LEAD_BULK, state_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot)
        # What the first launch read before Escape (a page on its way then may have landed too).
        assert screen.feed.count >= stopped_at
        stopped_at = screen.feed.count
        screen.action_load_all()
        await wait_until(pilot, lambda: not screen.feed.more and not screen.feed.walking, "the end")
        assert screen.feed.count == 5000 and len(set(row_ids(screen))) == 5000
        indexes = [c.params.get("index") for c in list_calls(sandbox)]
        # One sync of page one, then the walk from where the last launch stopped: no page asked twice.
        assert indexes[0] is None and None not in indexes[1:] and len(indexes) == len(set(indexes))
        assert len(indexes) == 1 + (5000 - stopped_at) // 10
        assert screen.email_list.border_subtitle == "end — 5,000 emails"


async def test_slash_filters_the_stored_emails_as_you_type(tmp_path):
    await read_and_quit(tmp_path, pages=25)  # all 250
    app, sandbox = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot)
        for _ in range(3):
            await pilot.press("j")
        before = screen.email_list.cursor_email.message_id
        calls = len(sandbox.calls)
        await pilot.press("slash")
        await type_text(pilot, "status:bounced")
        await settle(pilot)
        hits = screen.email_list.emails
        assert hits and all(e.bounced is not None for e in hits)
        note = str(screen.search_bar.query_one("#search-note").render())
        assert note.startswith(f"{len(hits)} of 250 stored")
        await pilot.press("enter")  # to the hits
        first = screen.email_list.cursor_email.message_id
        await pilot.press("n")
        assert screen.email_list.cursor_email.message_id != first
        await pilot.press("N")
        assert screen.email_list.cursor_email.message_id == first
        await pilot.press("escape")
        await settle(pilot)
        assert not screen.search_bar.is_open and len(row_ids(screen)) == 250
        assert screen.email_list.cursor_email.message_id == first  # the email found stays under the cursor
        assert before != first
        assert len(sandbox.calls) == calls  # searching asked Zoho nothing


async def test_a_query_it_cannot_read_says_why(tmp_path):
    await read_and_quit(tmp_path)
    app, _ = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot)
        await pilot.press("slash")
        await type_text(pilot, "colour:red")
        await settle(pilot)
        assert screen.search_bar.has_class("-error")
        assert "colour" in str(screen.search_bar.query_one("#search-note").render())
        await pilot.press("escape")
        await settle(pilot)
        assert len(row_ids(screen)) == 30 and app.bugs == 0  # the whole list back


async def test_ctrl_f_searches_every_record_and_opens_one_at_its_email(tmp_path):
    await read_and_quit(tmp_path)
    await read_and_quit(tmp_path, record=CONTACT_HOSTILE)
    app, sandbox = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await record_screen(pilot)
        await pilot.press("ctrl+f")
        search = await wait_for_screen(pilot, SearchScreen)
        await type_text(pilot, "invoice")
        await settle(pilot)
        assert search.hits and {h.record_id for h in search.hits} <= {LEAD_MAIN[1], CONTACT_HOSTILE[1]}
        hit = search.hits[-1]
        await pilot.press(*["down"] * (len(search.hits) - 1), "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, RecordScreen) and app.screen.record.id == hit.record_id)
        screen = await record_screen(pilot)
        assert screen.email_list.cursor_email.message_id == hit.message_id


async def test_offline_a_stored_record_reads_from_disk_and_syncs_when_zoho_answers(tmp_path):
    listed = await read_and_quit(tmp_path)
    app, sandbox = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    sandbox.faults.always = "drop"
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot)
        await wait_until(pilot, lambda: screen.feed.waiting, "the sync to wait for Zoho", advance=0)
        assert row_ids(screen) == listed
        assert "offline — stored" in status(screen)
        assert screen.record.name == "Ada Lovelace"  # from the store's recent records, not a call
        sandbox.faults.always = None
        await wait_until(pilot, lambda: not screen.feed.waiting and screen.feed.error is None, "recovery", advance=1)
        await settle(pilot)
        assert "synced" in status(screen)


async def test_no_store_keeps_nothing_on_disk(tmp_path):
    app, _ = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path, use_store=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot)
        await pilot.press("slash")
        await type_text(pilot, "invoice")
        await settle(pilot)
        assert screen.email_list.emails  # search still works, in memory
    assert list(tmp_path.iterdir()) == []


async def test_a_store_in_memory_opens_after_the_first_page_and_keeps_what_was_read_before(tmp_path, monkeypatch):
    from tui.session.keeper import StoreThread

    app, _ = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path, use_store=False)
    shown_at_open: list[int] = []
    opening = StoreThread.open

    async def open_store(*args, **kwargs):
        screen = app.screen
        shown_at_open.append(screen.email_list.count if isinstance(screen, RecordScreen) else -1)
        return await opening(*args, **kwargs)

    monkeypatch.setattr(StoreThread, "open", open_store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot)
        assert shown_at_open and shown_at_open[0] >= 10  # not on the start path: page one was on screen first
        assert app.store is not None and app.scope is not None and screen.session.keeper is not None
        feed = screen.session.feed()
        key, listed = feed.filter.key, row_ids(screen)
        stored = await app.store.run(lambda s: s.load_feed_rows(app.scope, *LEAD_MAIN, key))
        assert [message_id for message_id, _raw in stored.rows] == listed  # the pages read before it, in order
        assert stored.state.more and stored.state.next_index == feed.next_index
        assert await app.store.run(lambda s: s.recent_records(app.scope, 5)) == [screen.record]
        assert "synced" in status(screen)
        # Search every record reads it too.
        subject = screen.email_list.emails[0].subject
        app.action_search_everywhere()
        search = await wait_for_screen(pilot, SearchScreen)
        await type_text(pilot, subject.split()[0])
        await settle(pilot)
        assert search.hits and app.bugs == 0
    assert list(tmp_path.iterdir()) == []


async def test_search_every_record_waits_for_a_store_in_memory_still_opening(tmp_path):
    app, _ = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path, use_store=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, RecordScreen), "the record screen", advance=0)
        assert app.store is None  # nothing listed yet: the store in memory has not opened
        app.action_search_everywhere()
        search = await wait_for_screen(pilot, SearchScreen)
        await settle(pilot)
        assert app.store is not None
        assert "off" not in str(search.query_one("#search-summary").render())


async def test_a_failing_disk_leaves_memory_only_and_says_so(tmp_path, monkeypatch):
    from tui.store.store import Store, StoreError

    def full(*args, **kwargs):
        raise StoreError("The local store could not be written: the disk is full.")

    monkeypatch.setattr(Store, "append_page", full)
    app, _ = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot)
        await pilot.press("G")
        await record_screen(pilot)
        assert len(row_ids(screen)) >= 40 and app.bugs == 0
        titles = [n.title for n in app._notifications]
        assert titles.count("The local store is off") == 1


async def test_a_damaged_store_is_moved_aside_and_a_new_one_made(tmp_path):
    (tmp_path / "store.sqlite3").write_bytes(b"this is not a database" * 100)
    app, _ = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot)
        assert len(row_ids(screen)) == 30 and app.bugs == 0
        assert any(n.title == "The local store" and "moved" in n.message for n in app._notifications)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("store.sqlite3.corrupt")]


async def test_without_credentials_stored_records_still_open_offline(tmp_path):
    from tests.app.helpers import failing_connect, make_app_on
    from tui.sandbox.app import Sandbox
    from tui.sandbox.data import DEFAULT_SEED
    from tui.screens.auth_problem import AuthProblemScreen
    from tui.zoho.errors import CredentialsError

    sandbox = Sandbox(DEFAULT_SEED)
    app = make_app_on(sandbox, start=LEAD_MAIN, state_dir=tmp_path)  # a real profile's launch, yesterday
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot)
        await pilot.press("pagedown", "pagedown")
        screen = await record_screen(pilot)
        listed = row_ids(screen)
    assert app.scope is not None and not app.scope.demo

    app = TestApp(failing_connect(CredentialsError("NO_CREDENTIALS", "No Zoho credentials for profile 'default'.")), state_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, AuthProblemScreen)
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, RecordScreen), "the stored record")
        screen = app.screen
        await wait_until(pilot, lambda: screen.feed.waiting, "the sync to wait", advance=0)
        assert row_ids(screen) == listed and screen.record.name == "Ada Lovelace"
        assert "offline — stored" in status(screen)
        assert screen.email_list.border_subtitle.endswith("stored on this machine — no credentials")
        assert app.client.calls == 0  # nothing reached anyone
        await pilot.press("slash")
        await type_text(pilot, "invoice")
        await settle(pilot)
        assert 0 < len(screen.email_list.emails) < len(listed)  # search reads the store


async def test_without_credentials_and_nothing_stored_it_says_so(tmp_path):
    from tests.app.helpers import failing_connect
    from tui.screens.auth_problem import AuthProblemScreen
    from tui.zoho.errors import CredentialsError

    app = TestApp(failing_connect(CredentialsError("NO_CREDENTIALS", "No Zoho credentials for profile 'default'.")), state_dir=tmp_path)
    notes: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, AuthProblemScreen)
        app.notify = lambda message, **kw: notes.append(str(message))  # type: ignore[method-assign]
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, AuthProblemScreen) and app.bugs == 0
    assert notes and notes[0].startswith("Nothing is stored for the profile 'default'")


async def test_end_while_the_rest_of_a_stored_list_is_read_lands_on_its_last_email(tmp_path, monkeypatch):
    listed = await read_and_quit(tmp_path, pages=25)
    gate = asyncio.Event()
    read_rest = RecordKeeper.load_rest

    async def held(self, *args):
        await gate.wait()
        return await read_rest(self, *args)

    monkeypatch.setattr(RecordKeeper, "load_rest", held)
    app, sandbox = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot, idle=False)
        await wait_until(pilot, lambda: screen.email_list.count == FIRST_ROWS, "the stored list's top")
        # Painted from the store's top, the list already says how many the store holds.
        assert "250 emails" in screen.email_list.border_subtitle
        await pilot.press("end")
        assert screen.email_list.cursor_email.message_id == listed[FIRST_ROWS - 1]
        assert not screen.feed.walking  # nothing to walk: the store has them all
        gate.set()
        await wait_until(pilot, lambda: screen.email_list.count == 250, "the rest")
        await settle(pilot)
        assert screen.email_list.cursor_email.message_id == listed[-1]  # the record's last, not the top's
        assert len(list_calls(sandbox)) == 1  # the sync of page one: no page read for End


async def test_a_search_hit_below_a_stored_lists_top_opens_on_that_email(tmp_path):
    # ctrl+f's Enter on a hit of another record: its stored list is read in full first (the hit is not in its top).
    listed = await read_and_quit(tmp_path, pages=25)
    app, sandbox = make_demo_app(start=CONTACT_HOSTILE, state_dir=tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await record_screen(pilot)
        hit = listed[230]
        assert hit not in listed[:FIRST_ROWS]
        app.open_record_at(Record(*LEAD_MAIN), hit)
        await wait_until(pilot, lambda: isinstance(app.screen, RecordScreen) and app.screen.record.id == LEAD_MAIN[1])
        screen = await record_screen(pilot)
        assert screen.email_list.cursor_email.message_id == hit and screen.detail_view.message_id == hit


async def test_a_stored_record_is_read_with_its_name_and_drawn_in_the_screens_first_frame(tmp_path, monkeypatch):
    listed = await read_and_quit(tmp_path, pages=25)  # 250: more than the top read for the first paint
    at_mount = listed_at_mount(monkeypatch)
    app, sandbox = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot)
        assert at_mount == [250]  # the store's top and the count of the rest, before the screen mounted
        assert row_ids(screen) == listed
        assert len(list_calls(sandbox)) == 1 and list_calls(sandbox)[0].params.get("index") is None  # the sync


async def test_a_launch_that_opened_the_store_first_shows_the_top_it_read_then(tmp_path, monkeypatch):
    """As `crm-emails` starts: the store opened and the record's top read before the app existed (while Python
    imported it), and drawn in the screen's first frame without another trip to the store."""
    listed = await read_and_quit(tmp_path, pages=25)  # 250: more than the top read early
    reads = stored_list_reads(monkeypatch)
    asked: list[str] = []
    keeper_load = RecordKeeper.load

    async def asked_of_the_keeper(self, filter_key, **kwargs):
        asked.append(filter_key)
        return await keeper_load(self, filter_key, **kwargs)

    monkeypatch.setattr(RecordKeeper, "load", asked_of_the_keeper)
    scope = Store.scope
    monkeypatch.setattr(Store, "scope", lambda self, *a, **kw: asked.append("scope") or scope(self, *a, **kw))
    at_mount = listed_at_mount(monkeypatch)
    opening = StoreOpening(tmp_path / "store.sqlite3", start=StartRead("demo", True, *LEAD_MAIN))
    app, sandbox = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path, store_opening=opening)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot)
        assert at_mount == [250] and row_ids(screen) == listed
        assert reads == [FIRST_ROWS, None]  # the top, early; then the rest below it: nothing read twice
        assert asked == []  # the app did not ask the store for its scope nor the top: it had them
        assert app.recent_records[0].name  # the record's name came with it: Zoho was not asked
        assert [c for c in sandbox.calls if "/Leads/" in c.path and "/Emails" not in c.path] == []
        assert len(list_calls(sandbox)) == 1  # the sync of page one, after the first paint


async def test_a_stored_top_still_being_read_when_the_screen_shows_is_joined(tmp_path, monkeypatch):
    listed = await read_and_quit(tmp_path, pages=3)
    released = hold_store_top(monkeypatch)  # the screen shows while the store's top is read
    app, sandbox = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, RecordScreen), "the record screen")
        screen = app.screen
        await pilot.pause()
        assert screen.email_list.count == 0 and not list_calls(sandbox)  # no page asked while the store is read
        released.set()
        screen = await record_screen(pilot)
        assert row_ids(screen) == listed and app.bugs == 0
        assert len(list_calls(sandbox)) == 1 and list_calls(sandbox)[0].params.get("index") is None  # the sync


async def test_a_search_typed_before_a_store_in_memory_opened_runs_once_it_has(tmp_path, monkeypatch):
    released = hold_page_one(monkeypatch)
    app, _ = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path, use_store=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, RecordScreen) and app.screen.is_mounted, "the screen")
        screen = app.screen
        await pilot.press("slash", "a")
        await pilot.pause()
        assert "Opening the local store" in str(screen.search_bar._note.render())
        released.set()
        await wait_until(pilot, lambda: screen.session.keeper is not None, "the store in memory")
        await settle(pilot)
        assert "off" not in str(screen.search_bar._note.render()) and screen._found is not None


async def test_search_every_record_waits_for_the_scope_of_a_store_in_memory(tmp_path, monkeypatch):
    import tui.app

    gate = asyncio.Event()
    org_key = tui.app.CrmEmailsApp._org_key_for_store

    async def slow_org(self):
        await gate.wait()  # stands for the org asked of a slow Zoho
        return await org_key(self)

    monkeypatch.setattr(tui.app.CrmEmailsApp, "_org_key_for_store", slow_org)
    app, _ = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path, use_store=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, RecordScreen), "the record screen")
        await wait_until(pilot, lambda: app.store is not None, "the store, before its scope")
        app.action_search_everywhere()
        await wait_until(pilot, lambda: isinstance(app.screen, SearchScreen) and app.screen.is_mounted, "search")
        search = app.screen
        await pilot.pause()
        assert "Opening the local store" in str(search.query_one("#search-summary").render())
        gate.set()
        await settle(pilot)
        assert "off" not in str(search.query_one("#search-summary").render()) and app.scope is not None


async def test_a_stored_record_left_while_its_top_is_read_is_synced_when_opened_again(tmp_path, monkeypatch):
    listed = await read_and_quit(tmp_path, pages=3)
    released = hold_store_top(monkeypatch)  # the screen shows while the store's top is read
    app, sandbox = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, RecordScreen) and app.screen.is_mounted, "the record")
        first = app.screen
        app.open_record(Record(*LEAD_BULK))  # gone to another record before the store's top came
        await wait_until(pilot, lambda: app.screen is not first and app.screen.is_mounted, "another record")
        released.set()
        await record_screen(pilot)
        app.open_record(first.record)
        screen = await record_screen(pilot)
        assert screen.record.id == LEAD_MAIN[1] and row_ids(screen) == listed and app.bugs == 0
        main_calls = [c.params for c in list_calls(sandbox) if LEAD_MAIN[1] in c.path]
        assert [p.get("index") for p in main_calls] == [None]  # its sync, nothing paged on
