"""Local marks on the record screen: `m d/f/t/m` and `M`, the column, the header, the progress in the
list's title, search by mark, and marks kept across launches (memory only with --no-store)."""

from __future__ import annotations

from datetime import datetime, timezone

from tests.app.helpers import make_demo_app, settle, type_text, wait_for_screen
from tests.app.record_helpers import record_screen, row_ids
from tests.support.clock import VirtualClock
from tui.render.rows import COLUMNS
from tui.sandbox.data import LEAD_MAIN
from tui.screens.mark_menu import MarkMenu
from tui.screens.mark_note import MarkNoteScreen
from tui.screens.record import RecordScreen
from tui.widgets.email_detail import HeaderView

MARK = COLUMNS.index("mark")


def glyphs(screen: RecordScreen, rows: int = 4) -> list[str]:
    table = screen.email_list.table
    return [table.cells_at(n)[MARK].plain for n in range(rows)]


def header_text(screen: RecordScreen) -> str:
    return "\n".join(screen.detail_view.query_one(HeaderView).lines_text)


async def mark(pilot, *keys: str) -> None:
    await pilot.press("m")
    await wait_for_screen(pilot, MarkMenu)
    await pilot.press(*keys)
    await wait_for_screen(pilot, RecordScreen)


async def note(pilot, text: str) -> None:
    await pilot.press("M")
    await wait_for_screen(pilot, MarkNoteScreen)
    await pilot.press("ctrl+u")  # the note shown for editing goes
    await type_text(pilot, text)
    await pilot.press("enter")
    await wait_for_screen(pilot, RecordScreen)


async def test_m_marks_done_flagged_todo_and_clears_with_m_m(tmp_path):
    app, sandbox = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await record_screen(pilot)
        assert glyphs(screen) == ["", "", "", ""]
        assert screen.email_list.border_title == "Emails · All"  # no progress before the first mark
        await mark(pilot, "f")
        await pilot.press("j")
        await mark(pilot, "d")
        await pilot.press("j")
        await mark(pilot, "t")
        await pilot.press("j")
        await mark(pilot, "d")
        assert glyphs(screen) == ["⚑", "✓", "☐", "✓"]
        assert screen.email_list.border_title == f"Emails · All · 4 of {screen.feed.count}+ triaged"
        await mark(pilot, "m")  # clears the fourth
        await pilot.press("k")
        await mark(pilot, "f")  # a mark replaces the one before
        await settle(pilot)
        assert glyphs(screen) == ["⚑", "✓", "⚑", ""]
        assert screen.email_list.border_title == f"Emails · All · 3 of {screen.feed.count}+ triaged"
        assert "⚑ flagged" in header_text(screen)  # the pane beside the list shows the email's mark
        await pilot.press("m", "escape")  # Escape leaves the mark as it was
        await wait_for_screen(pilot, RecordScreen)
        assert glyphs(screen)[2] == "⚑"
        assert all(c.method == "GET" for c in sandbox.calls)  # marks are local: nothing is sent to Zoho
        calls = len(sandbox.calls)
        await mark(pilot, "d")
        assert len(sandbox.calls) == calls


async def test_shift_m_writes_a_note_that_the_header_shows(tmp_path):
    app, _ = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await record_screen(pilot)
        await note(pilot, "call back Monday")
        assert glyphs(screen, 1) == ["☐"]  # a note on an email not marked yet makes it to do
        assert "☐ to do — call back Monday" in header_text(screen)
        await mark(pilot, "f")  # the note stays when the mark changes
        assert "⚑ flagged — call back Monday" in header_text(screen)
        await pilot.press("M")
        dialog = await wait_for_screen(pilot, MarkNoteScreen)
        assert dialog.query_one("#mark-note-input").value == "call back Monday"
        await pilot.press("escape")  # leaves it as it was
        await wait_for_screen(pilot, RecordScreen)
        assert "call back Monday" in header_text(screen)
        await note(pilot, "")  # an empty note removes the note, not the mark
        assert "⚑ flagged" in header_text(screen) and "Monday" not in header_text(screen)


async def test_marks_survive_a_restart_and_stay_with_their_org(tmp_path):
    app, _ = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot)
        await mark(pilot, "d")
        await pilot.press("j", "j")
        await note(pilot, "ask about the invoice")
        await mark(pilot, "f")
        marked = row_ids(screen)[:3]
    app, sandbox = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await record_screen(pilot)
        await settle(pilot)
        assert row_ids(screen)[:3] == marked
        assert glyphs(screen, 3) == ["✓", "", "⚑"]
        assert screen.email_list.border_title.endswith(f" · 2 of {screen.feed.count}+ triaged")
        await pilot.press("j", "j")
        await settle(pilot)
        assert "⚑ flagged — ask about the invoice" in header_text(screen)
        # The marks are in the store, by the demo's scope and message id.
        store, scope = app.store, app.scope
        kept = await store.run(lambda s: s.marks_for(scope, *LEAD_MAIN))
        assert {m: (k.state, k.note) for m, k in kept.items()} == {
            marked[0]: ("done", None), marked[2]: ("flagged", "ask about the invoice")}
        other = await store.run(lambda s: s.scope("default", "org:another"))
        assert await store.run(lambda s: s.marks_for(other, *LEAD_MAIN)) == {}


async def test_with_no_store_marks_last_for_the_launch_only(tmp_path):
    for launch in range(2):
        app, _ = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path, use_store=False)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await record_screen(pilot)
            assert glyphs(screen, 1) == [""], f"launch {launch} starts with no mark"
            await mark(pilot, "t")
            assert glyphs(screen, 1) == ["☐"]
            await pilot.press("slash")
            await type_text(pilot, "is:todo")
            await settle(pilot)
            assert len(screen.email_list.emails) == 1  # the in-memory store searches the launch's marks
    assert not (tmp_path / "store.sqlite3").exists()


async def test_search_finds_emails_by_mark(tmp_path):
    app, _ = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot)
        ids = row_ids(screen)
        await mark(pilot, "d")
        await pilot.press("j")
        await mark(pilot, "f")
        await pilot.press("j", "j")
        await mark(pilot, "d")
        await pilot.press("slash")
        await type_text(pilot, "is:done")
        await settle(pilot)
        assert [e.message_id for e in screen.email_list.emails] == [ids[0], ids[3]]
        assert glyphs(screen, 2) == ["✓", "✓"]
        await pilot.press("ctrl+u")
        await type_text(pilot, "-is:done")
        await settle(pilot)
        found = [e.message_id for e in screen.email_list.emails]
        assert ids[1] in found and ids[0] not in found and ids[3] not in found
        await pilot.press("enter", "m", "t")  # a hit can be marked where it is found
        await wait_for_screen(pilot, RecordScreen)
        assert screen.session.mark_state(found[0]) == "todo"


async def test_m_in_the_email_marks_the_email_shown(tmp_path):
    app, _ = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
        shown = screen.detail_view.email
        await mark(pilot, "f")
        assert screen.session.mark_state(shown.message_id) == "flagged"
        assert "⚑ flagged" in header_text(screen)
        await pilot.press("escape")
        await settle(pilot)
        assert glyphs(screen, 2) == ["", "⚑"]


async def test_last_years_emails_show_their_year(tmp_path):
    # A clock in the next year: every sandbox email is of last year.
    clock = VirtualClock(datetime(2027, 2, 1, 12, 0, tzinfo=timezone.utc))
    app, _ = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot)
        cells = screen.email_list.table.cells_at(0)
        assert cells[COLUMNS.index("time")].plain == "2026-11-20"


async def test_a_mark_made_just_before_quitting_is_kept(tmp_path):
    app, _ = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot)
        first = row_ids(screen)[0]
        await pilot.press("m")
        await wait_for_screen(pilot, MarkMenu)
        await pilot.press("f", "q")  # quit at once
    app, _ = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot)
        await settle(pilot)
        assert screen.session.mark_state(first) == "flagged" and glyphs(screen, 1) == ["⚑"]
