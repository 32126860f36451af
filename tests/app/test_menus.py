"""The record screen's menus (type filter, attachments to save) share one dialog: same keys, focus and look."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from tests.app.helpers import settle
from tests.app.record_helpers import (  # noqa: F401 (fixtures)
    demo,
    go_to_position,
    open_type_filter,
    record_screen,
    wait_until,
)
from tui.sandbox.data import LEAD_MAIN
from tui.screens.attachment_menu import AttachmentMenu
from tui.screens.menu import MenuScreen
from tui.screens.type_filter import TypeFilterScreen

TWO_PDFS = 2  # LEAD_MAIN's showcase email with two attachments


async def open_attachment_menu(pilot) -> None:
    await go_to_position(pilot, LEAD_MAIN, TWO_PDFS)
    await record_screen(pilot)
    await pilot.press("s")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, AttachmentMenu), what="the attachment menu")
    await settle(pilot)


@pytest.mark.parametrize(
    "open_menu, menu_type, title, choose",
    [
        (open_type_filter, TypeFilterScreen, "Show emails", "Show"),
        (open_attachment_menu, AttachmentMenu, "Save attachment", "Save"),
    ],
    ids=["type_filter", "attachments"],
)
async def test_a_menu_takes_enter_and_escape_and_focuses_its_list(tmp_path, open_menu, menu_type, title, choose):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await record_screen(pilot)
        filter_before = screen.filter
        await open_menu(pilot)
        menu = app.screen
        assert isinstance(menu, menu_type) and isinstance(menu, MenuScreen)
        assert isinstance(app.focused, OptionList) and app.focused.screen is menu
        assert menu.query_one(".menu-dialog").border_title == title
        keys = {key: (b.binding.description, b.binding.priority) for key, b in menu.active_bindings.items()}
        assert keys["enter"] == (choose, True) and keys["escape"][0] == "Cancel"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and screen.filter == filter_before
