"""The modal opened with `m`: mark the email done, flagged or to do, or clear its mark.

A letter chooses at once (`m d`, `m f`, `m t`, `m m`); the arrows and Enter work too.
Marks stay on this machine (the record screen keeps them in the local store).
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.render.rows import MARK_GLYPHS, MARK_WORDS
from tui.screens.menu import MenuScreen, menu_bindings
from tui.widgets.access import close
from tui.widgets.guard import guarded

CLEAR = "clear"
# The letter that picks each choice after `m`, in the menu's order.
MARK_KEYS = {"d": "done", "f": "flagged", "t": "todo", "m": CLEAR}


class MarkMenu(MenuScreen[str | None]):
    """Choose a mark; dismissed with its state, CLEAR, or None (Escape)."""

    BINDINGS = [
        *menu_bindings("Mark", choose_id="mark_menu.choose", cancel_id="mark_menu.cancel"),
        Binding("d", "pick('done')", "Done", id="mark_menu.done"),
        Binding("f", "pick('flagged')", "Flagged", id="mark_menu.flagged"),
        Binding("t", "pick('todo')", "To do", id="mark_menu.todo"),
        Binding("m", f"pick('{CLEAR}')", "Clear", id="mark_menu.clear"),
    ]
    MENU_TITLE = "Mark this email"
    DIALOG_ID = "mark-menu-dialog"

    DEFAULT_CSS = """
    MarkMenu > .menu-dialog {
        width: 36;
    }
    """

    def __init__(self, current: str | None = None) -> None:
        super().__init__()
        self.current = current

    def compose_options(self):
        options = []
        for key, state in MARK_KEYS.items():
            label = Text(f"{key}  ", style="bold")
            if state == CLEAR:
                label.append("  Clear the mark")
            else:
                label.append(f"{MARK_GLYPHS[state]} {MARK_WORDS[state].capitalize()}")
            if state == self.current:
                label.append("  (now)", style="dim")
            options.append(Option(label, id=state))
        yield OptionList(*options, id="mark-menu-options")

    @guarded
    def on_mount(self) -> None:
        if self.current in MARK_KEYS.values():  # the cursor starts on the email's mark
            self.query_one(OptionList).highlighted = list(MARK_KEYS.values()).index(self.current)

    @on(OptionList.OptionSelected)
    @guarded
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        close(self, event.option.id)

    @guarded
    def action_pick(self, state: str) -> None:
        close(self, state)
