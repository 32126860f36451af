"""The record screen against a Zoho that misbehaves: paging that never ends, impossible dates,
errors dressed as successes. Each ends in a sentence on screen, never a loop, a blank list or a crash."""

from __future__ import annotations

from tests.app.helpers import settle, wait_for_screen
from tests.app.record_helpers import demo, list_calls, record_screen, row_ids
from tui.sandbox.app import Faults
from tui.render.rows import COLUMNS
from tui.sandbox.data import LEAD_MAIN


async def _end_five_times(pilot):
    """The record screen, once G (the last email, and more pages) has been pressed five times."""
    screen = await record_screen(pilot)
    for _ in range(5):
        await pilot.press("G")
        await settle(pilot)
    return screen


async def test_empty_pages_forever_end_the_walk_with_a_sentence(tmp_path):
    app, sandbox = demo(LEAD_MAIN, tmp_path, faults=Faults.parse("empty-pages"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _end_five_times(pilot)
        assert len(list_calls(sandbox)) == 1  # one empty page that claimed more: no second
        panel = screen.email_list.error_panel
        assert panel.error is not None and panel.error.code == "BROKEN_PAGING"
        assert "paging looks broken" in panel.error.message
        assert screen.email_list.border_subtitle.startswith("stopped")
        assert app.bugs == 0


async def test_repeated_pages_under_new_indexes_stop_after_one_repeat(tmp_path):
    app, sandbox = demo(LEAD_MAIN, tmp_path, faults=Faults.parse("repeat-pages"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _end_five_times(pilot)
        assert len(list_calls(sandbox)) == 2
        assert len(row_ids(screen)) == len(set(row_ids(screen))) == 10
        assert screen.email_list.error_panel.error.code == "BROKEN_PAGING"


async def test_impossible_dates_hide_nothing(tmp_path):
    app, sandbox = demo(LEAD_MAIN, tmp_path, faults=Faults.parse("bad-dates"))
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await record_screen(pilot)
        table = screen.email_list.table
        assert table.row_count >= 10
        times = [table.cells_at(row)[COLUMNS.index("time")].plain for row in range(2)]
        assert all(t and t != "—" for t in times), times
        # The email with the year-one time opens in full: the detail pane is not stuck on "loading…".
        assert screen.detail_view.state == "detail"
        await pilot.press("j")
        await settle(pilot)
        assert screen.detail_view.state == "detail" and app.bugs == 0


async def test_an_error_in_a_200_is_an_error(tmp_path):
    """HTTP 200 with {"code": "INVALID_TOKEN"}: the credentials problem it says, not an empty record."""
    from tui.screens.auth_problem import AuthProblemScreen

    app, sandbox = demo(LEAD_MAIN, tmp_path, faults=Faults.parse("error-200"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_screen(pilot, AuthProblemScreen)
        assert screen.error.code == "INVALID_TOKEN"
        assert app.bugs == 0
