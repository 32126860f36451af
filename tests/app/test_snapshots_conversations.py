"""Snapshots of the conversation view (svgs in tests/app/__snapshots__/test_snapshots_conversations/).

Deterministic as the record's snapshots are (tests/app/test_snapshots_record.py). Update with
`pytest --snapshot-update`, then look at every changed svg before committing it.
"""

from __future__ import annotations

from tests.app.helpers import settle
from tests.app.record_helpers import demo, record_screen, wait_until  # noqa: F401 (fixtures)
from tui.sandbox.data import LEAD_MAIN

WIDE = (160, 48)
NARROW = (80, 24)


async def _steady(pilot) -> None:
    await settle(pilot)
    await settle(pilot)
    pilot.app.api_calls = pilot.app.client.calls


def _in_conversations(*keys: str):
    async def run_before(pilot) -> None:
        screen = await record_screen(pilot)
        await pilot.press("c")
        await wait_until(pilot, lambda: screen.conversation_table.row_count > 0, "the conversations")
        await _steady(pilot)
        for key in keys:
            await pilot.press(key)
            await _steady(pilot)

    return run_before


def test_conversations_80x24(snap_compare, tmp_path):
    app, _ = demo(LEAD_MAIN, tmp_path)
    assert snap_compare(app, terminal_size=NARROW, run_before=_in_conversations())


def test_conversation_expanded_and_read_160x48(snap_compare, tmp_path):
    app, _ = demo(LEAD_MAIN, tmp_path)
    assert snap_compare(app, terminal_size=WIDE, run_before=_in_conversations("j", "enter"))
