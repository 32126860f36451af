"""App-wide keys: help lists the screen's real bindings; the command palette offers the main actions."""

from __future__ import annotations

from textual.command import CommandList, CommandPalette

from tests.app.helpers import make_demo_app, paste, settle, type_text, wait_for_screen
from tui.sandbox.data import CONTACT_HOSTILE, LEAD_MAIN
from tui.screens.help import APP, NAVIGATION, HelpScreen, goes_nowhere, is_navigation
from tui.screens.picker import PickerScreen
from tui.screens.record import RecordScreen


async def test_help_lists_the_bindings_of_the_screen_it_was_opened_from(tmp_path):
    app, _ = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(100, 36)) as pilot:
        record = await wait_for_screen(pilot, RecordScreen)
        await pilot.press("question_mark")
        help_screen = await wait_for_screen(pilot, HelpScreen)
        rows = {row.description: row for row in help_screen.rows}
        # Every described binding of the record screen and the app is listed, read from the bindings.
        for active in record.active_bindings.values():
            binding = active.binding
            if binding.description and not binding.system and not goes_nowhere(active.node, binding.action):
                # (A key with a tooltip is described with it: "Copy: s subject · f sender …".)
                assert any(row.description.startswith(binding.description) for row in help_screen.rows), binding
        copy = next(row for row in help_screen.rows if row.keys == "y")
        assert copy.description.startswith("Copy: s subject") and "w web link" in copy.description
        assert rows["Links: open or copy one"].keys == "l" and rows["Open the linked record"].keys == "L"
        assert rows["Open record"].group == APP and rows["Open record"].keys == "o"
        assert rows["Quit"].group == APP
        assert rows["Help"].keys.split()[0] == "?"
        assert rows["Type filter"].group == "Email" and "t" in rows["Type filter"].keys
        assert rows["Refresh"].keys == "r"
        assert {row.group for row in help_screen.rows} >= {NAVIGATION, "Email", APP}
        await pilot.press("escape")
        assert app.screen is record


async def test_help_lists_no_key_that_does_nothing_and_one_line_per_move(tmp_path):
    app, _ = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        record = await wait_for_screen(pilot, RecordScreen)
        await settle(pilot)
        for focus_detail in (False, True):
            if focus_detail:
                await pilot.press("tab")  # the email's body: its text wraps, nothing to scroll sideways
                await settle(pilot)
            await pilot.press("question_mark")
            help_screen = await wait_for_screen(pilot, HelpScreen)
            keys = {key for row in help_screen.rows for key in row.keys.split()}
            assert not keys & {"←", "→", "^pgup", "^pgdn"}, help_screen.rows
            descriptions = [row.description for row in help_screen.rows]
            assert len(descriptions) == len(set(descriptions)), descriptions
            await pilot.press("escape")
            assert app.screen is record
        await pilot.press("tab")
        await pilot.press("question_mark")
        rows = {row.description: row for row in (await wait_for_screen(pilot, HelpScreen)).rows}
        assert rows["Next email"].keys.split() == ["↓", "j"] and rows["Previous email"].keys.split() == ["↑", "k"]
        assert {"home", "g", "^home"} <= set(rows["First email"].keys.split())
        assert rows["Open"].group == "Email"


async def test_left_and_right_keys_are_listed_where_they_move_something(tmp_path):
    """The rule is about the widget, not the key: a table with a cell cursor keeps ←/→."""
    from textual.app import App
    from textual.widgets import DataTable

    class Cells(App):
        def compose(self):
            yield DataTable(cursor_type="cell")
            yield DataTable(cursor_type="row", id="rows")

    async with Cells().run_test(size=(40, 10)) as pilot:
        cells, rows = pilot.app.query(DataTable)
        assert not goes_nowhere(cells, "cursor_left") and not goes_nowhere(cells, "cursor_right")
        assert goes_nowhere(rows, "cursor_left") and goes_nowhere(rows, "page_right")
        assert not goes_nowhere(rows, "cursor_down") and not goes_nowhere(pilot.app, "scroll_left")


async def test_help_on_the_picker_shows_the_picker_keys(tmp_path):
    app, _ = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(100, 36)) as pilot:
        await wait_for_screen(pilot, RecordScreen)
        await pilot.press("o")
        await wait_for_screen(pilot, PickerScreen)
        await pilot.press("f1")  # `?` would be typed into the search box
        help_screen = await wait_for_screen(pilot, HelpScreen)
        descriptions = [row.description for row in help_screen.rows]
        assert "Back to record" in descriptions and "Next result" in descriptions
        assert "Type filter" not in descriptions
        assert help_screen.note is not None and "text box" in help_screen.note
        await pilot.press("q")
        assert isinstance(app.screen, PickerScreen)


def test_navigation_actions_are_told_from_the_others():
    assert is_navigation("cursor_down") and is_navigation("app.focus_next") and is_navigation("scroll('up')")
    assert is_navigation("back_to_list") and is_navigation("switch_pane")
    assert not is_navigation("refresh") and not is_navigation("open_picker") and not is_navigation("update")


async def _palette_prompts(pilot, query: str = "") -> list[str]:
    await pilot.press("ctrl+p")
    palette = await wait_for_screen(pilot, CommandPalette)
    if query:
        await type_text(pilot, query)
    await pilot.pause(0.6)  # the palette gathers hits in a worker
    await settle(pilot)
    commands = palette.query_one(CommandList)
    return [str(commands.get_option_at_index(i).prompt).split("\n")[0] for i in range(commands.option_count)]


async def test_palette_offers_the_main_commands_and_recent_records(tmp_path):
    app, _ = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(100, 36)) as pilot:
        await wait_for_screen(pilot, RecordScreen)
        await pilot.press("o")
        await wait_for_screen(pilot, PickerScreen)
        await paste(pilot, f"https://crm.zoho.com/crm/o/tab/Contacts/{CONTACT_HOSTILE[1]}")
        await wait_for_screen(pilot, RecordScreen)
        await settle(pilot)
        prompts = await _palette_prompts(pilot)
        for name in ("Open record picker", "Change type filter", "Refresh", "Help", "Quit",
                     "Open recent: Grace Hopper", "Open recent: Ada Lovelace"):
            assert name in prompts, (name, prompts)


async def test_palette_search_runs_the_command(tmp_path):
    app, _ = make_demo_app(start=CONTACT_HOSTILE, state_dir=tmp_path)
    async with app.run_test(size=(100, 36)) as pilot:
        await wait_for_screen(pilot, RecordScreen)
        app.open_record(app.recent_records[0].__class__(*LEAD_MAIN, "Ada Lovelace"))
        await wait_for_screen(pilot, RecordScreen)
        await settle(pilot)
        prompts = await _palette_prompts(pilot, "grace")
        assert prompts[0] == "Open recent: Grace Hopper"
        await pilot.press("enter")
        screen = await wait_for_screen(pilot, RecordScreen)
        assert screen.record.name == "Grace Hopper"


async def test_palette_on_the_picker_has_no_record_commands(tmp_path):
    app, _ = make_demo_app(state_dir=tmp_path)
    async with app.run_test(size=(100, 36)) as pilot:
        await wait_for_screen(pilot, PickerScreen)
        prompts = await _palette_prompts(pilot)
        assert "Open record picker" in prompts and "Quit" in prompts
        assert "Refresh" not in prompts and "Change type filter" not in prompts
