"""Snapshots of local marks (svgs in tests/app/__snapshots__/test_snapshots_marks/): the column, the
header's Mark line, the progress in the list's title, the `m` menu and the `M` note; and last
year's dates. Deterministic as tests/app/test_snapshots_record.py."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tests.app.helpers import wait_for_screen
from tests.app.record_helpers import demo, mark_three, record_screen, steady
from tests.support.clock import VirtualClock
from tui.sandbox.data import LEAD_MAIN
from tui.screens.mark_menu import MarkMenu
from tui.screens.mark_note import MarkNoteScreen

WIDE = (160, 48)
NARROW = (80, 24)
SMALL = (60, 15)


@pytest.mark.parametrize("size", [WIDE, NARROW, SMALL], ids=["160x48", "80x24", "60x15"])
def test_marks_column_and_progress(snap_compare, tmp_path, size):
    app, _ = demo(LEAD_MAIN, tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=mark_three)


@pytest.mark.parametrize(("key", "dialog"), [("m", MarkMenu), ("M", MarkNoteScreen)], ids=["menu", "note"])
def test_mark_dialogs(snap_compare, tmp_path, key, dialog):
    app, _ = demo(LEAD_MAIN, tmp_path)

    async def run_before(pilot) -> None:
        await mark_three(pilot)
        await pilot.press(key)
        await wait_for_screen(pilot, dialog)
        await steady(pilot)

    assert snap_compare(app, terminal_size=NARROW, run_before=run_before)


def test_last_years_dates(snap_compare, tmp_path):
    # The clock a year on: every email of the demo is of last year, and says so.
    app, _ = demo(LEAD_MAIN, tmp_path, clock=VirtualClock(datetime(2027, 2, 1, 12, 0, tzinfo=timezone.utc)))

    async def run_before(pilot) -> None:
        await record_screen(pilot)
        await steady(pilot)

    assert snap_compare(app, terminal_size=NARROW, run_before=run_before)
