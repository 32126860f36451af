"""One set of scroll keys everywhere: help and the no-credentials screen scroll like the email's body,
and help names Textual's own keys (tab, shift+tab) in the app's words."""

from __future__ import annotations

import pytest

from tests.app.helpers import TestApp, failing_connect, make_demo_app, settle, wait_for_screen
from tui.sandbox.data import LEAD_MAIN
from tui.screens.auth_problem import AuthProblemScreen
from tui.screens.help import HelpScreen
from tui.screens.picker import PickerScreen
from tui.screens.record import RecordScreen
from tui.widgets.keyed_scroll import KeyedScroll
from tui.zoho.errors import CredentialsError


async def _keys_scroll(pilot, scroll: KeyedScroll) -> None:
    assert scroll.max_scroll_y > 2, "the box must be taller than the screen for this test"
    assert pilot.app.focused is scroll
    for keys, where in (
        (("j", "j"), 2),
        (("k",), 1),
        (("G",), scroll.max_scroll_y),
        (("g",), 0),
        (("end",), scroll.max_scroll_y),
        (("home",), 0),
        (("down",), 1),
        (("up",), 0),
    ):
        await pilot.press(*keys)
        await settle(pilot)
        assert scroll.scroll_y == where, keys
    await pilot.press("pagedown")
    await settle(pilot)
    assert scroll.scroll_y > 1
    await pilot.press("pageup")
    await settle(pilot)
    assert scroll.scroll_y == 0


async def test_help_scrolls_with_the_same_keys_as_the_email(tmp_path):
    app, _ = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(80, 15)) as pilot:
        await wait_for_screen(pilot, RecordScreen)
        await pilot.press("question_mark")
        help_screen = await wait_for_screen(pilot, HelpScreen)
        await _keys_scroll(pilot, help_screen.query_one(KeyedScroll))
        await pilot.press("q")
        assert isinstance(app.screen, RecordScreen)


async def test_the_no_credentials_screen_scrolls_with_the_same_keys(tmp_path):
    error = CredentialsError("NO_CREDENTIALS", "No Zoho credentials for profile 'default'.")
    app = TestApp(failing_connect(error), state_dir=tmp_path)
    async with app.run_test(size=(80, 15)) as pilot:
        screen = await wait_for_screen(pilot, AuthProblemScreen)
        await _keys_scroll(pilot, screen.query_one(KeyedScroll))


@pytest.mark.parametrize("where", ["record", "picker"])
async def test_help_lists_tab_and_shift_tab_in_our_words(tmp_path, where):
    app, _ = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_screen(pilot, RecordScreen)
        if where == "picker":
            await pilot.press("o")
            await wait_for_screen(pilot, PickerScreen)
        await pilot.press("f1")
        help_screen = await wait_for_screen(pilot, HelpScreen)
        keys = {key: row.description for row in help_screen.rows for key in row.keys.split()}
        assert "tab" in keys and "shift+tab" in keys, help_screen.rows
        descriptions = {row.description for row in help_screen.rows}
        assert not descriptions & {"Focus Next", "Focus Previous"}
