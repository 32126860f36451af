"""Snapshots of finding a record beyond one module (svgs in tests/app/__snapshots__/test_snapshots_finding/):
every module searched at once, grouped; a pasted id offered for the other modules."""

from __future__ import annotations

import pytest

from tests.app.helpers import make_demo_app, paste, settle, type_text, wait_for_screen
from tui.sandbox.data import CONTACT_HOSTILE
from tui.screens.picker import SEARCH_DELAY_S, PickerScreen

DEBOUNCE = SEARCH_DELAY_S + 0.2


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_every_module_searched(snap_compare, tmp_path, size):
    app, _ = make_demo_app(state_dir=tmp_path)

    async def search(pilot) -> None:
        await wait_for_screen(pilot, PickerScreen)
        await settle(pilot)
        await pilot.press("ctrl+s")
        await type_text(pilot, "Ada")
        await settle(pilot, DEBOUNCE)
        pilot.app.api_calls = pilot.app.client.calls

    assert snap_compare(app, terminal_size=size, run_before=search)


def test_a_pasted_id_offered_for_the_other_modules(snap_compare, tmp_path):
    app, _ = make_demo_app(state_dir=tmp_path)

    async def pasted(pilot) -> None:
        await wait_for_screen(pilot, PickerScreen)
        await settle(pilot)
        await paste(pilot, CONTACT_HOSTILE[1])
        await settle(pilot, DEBOUNCE)
        pilot.app.api_calls = pilot.app.client.calls

    assert snap_compare(app, terminal_size=(80, 24), run_before=pasted)
