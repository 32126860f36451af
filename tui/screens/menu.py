"""A small modal menu: a titled list of options in a box over its own footer. Enter chooses, Escape cancels.

The base of the record screen's menus (the type filter, the attachments to save):
the dialog's look, the keys and the focus are here; a menu yields its options
(`compose_options`) and says what choosing one returns (`OptionList.OptionSelected`).
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList

from tui.widgets.access import close
from tui.widgets.footer import KeyFooter
from tui.widgets.guard import guarded

ResultType = TypeVar("ResultType")


def menu_bindings(choose: str, *, choose_id: str, cancel_id: str) -> list[Binding]:
    """Enter chooses (described as `choose` in the footer and help), Escape cancels."""
    return [
        # Before the list's own Enter, so the footer names it.
        Binding("enter", "choose", choose, priority=True, id=choose_id),
        Binding("escape", "cancel", "Cancel", id=cancel_id),
    ]


class MenuScreen(ModalScreen[ResultType]):
    """The dialog (`.menu-dialog`, 56 columns unless a menu says otherwise) with an OptionList in it."""

    MENU_TITLE: ClassVar[str] = ""
    DIALOG_ID: ClassVar[str | None] = None

    DEFAULT_CSS = """
    MenuScreen {
        align: center middle;
    }
    MenuScreen > .menu-dialog {
        width: 56;
        max-width: 100%;
        height: auto;
        max-height: 90%;
        border: round $border;
        border-title-color: $text;
        background: $surface;
        padding: 0 1;
    }
    MenuScreen OptionList, MenuScreen OptionList:focus {
        height: auto;
        max-height: 24;
        border: none;
        padding: 0;
        background: $surface;
    }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id=self.DIALOG_ID, classes="menu-dialog") as dialog:
            dialog.border_title = self.MENU_TITLE
            yield from self.compose_options()
        # Over the record screen's footer, whose keys do nothing while a menu is open.
        yield KeyFooter()

    def compose_options(self) -> ComposeResult:
        """The menu's OptionList."""
        yield OptionList()

    @guarded
    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @guarded
    def action_choose(self) -> None:
        self.query_one(OptionList).action_select()

    @guarded
    def action_cancel(self) -> None:
        close(self, None)
