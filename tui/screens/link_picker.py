"""`l` (and `y l`): the links of the email's body by number, each showing where it really goes.

The list is of targets, so a link whose text names one site and whose target is another
shows the target (its host in bold). A number typed picks that link; Enter opens it (in the
browser where there is one in front of the person; over SSH it is copied and shown), `y`
copies it. The record screen does the opening and copying: this returns the choice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple
from urllib.parse import urlsplit

from rich.table import Table
from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.screens.menu import MenuScreen
from tui.widgets.access import close
from tui.widgets.guard import guarded


class LinkChoice(NamedTuple):
    number: int  # as listed in the body: [1] is 1
    target: str
    copy: bool  # copy it (`y`, or a picker opened to copy) rather than open it


def link_label(number: int, target: str, digits: int) -> Table:
    """`[12] https://host/path…`: the number and the target, its host in bold (where it really goes), cut to fit."""
    row = Table.grid(expand=True, padding=(0, 1))
    row.add_column(no_wrap=True, width=digits + 2, justify="right")
    row.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    text = Text(target)
    try:
        host = urlsplit(target).hostname or ""
    except ValueError:
        host = ""
    at = target.lower().find(host) if host else -1
    if at >= 0:
        text.stylize("bold", at, at + len(host))
    row.add_row(f"[{number}]", text)
    return row


class LinkPicker(MenuScreen[LinkChoice | None]):
    """Pick a link of the body; Enter opens (or copies, see `to_copy`), `y` copies, Escape cancels."""

    # Enter says what it does here: one of the three is active (check_action).
    BINDINGS = [
        Binding("enter", "choose('open')", "Open", priority=True, id="link_picker.open"),
        Binding("enter", "choose('show')", "Copy and show (no browser here)", priority=True, id="link_picker.show"),
        Binding("enter", "choose('copy')", "Copy", priority=True, id="link_picker.copy_enter"),
        Binding("y", "copy", "Copy", id="link_picker.copy"),
        Binding("escape", "cancel", "Cancel", id="link_picker.cancel"),
        # Priority, like Enter: digits typed quickly before Enter are taken in the order typed.
        *(Binding(d, f"digit('{d}')", "Link number", show=False, priority=True, id=f"link_picker.digit_{d}") for d in "0123456789"),
    ]
    MENU_TITLE = "Links"
    DIALOG_ID = "link-picker-dialog"

    DEFAULT_CSS = """
    LinkPicker > .menu-dialog {
        width: 100;
    }
    """

    def __init__(self, targets: Sequence[str], *, to_copy: bool, can_open: bool) -> None:
        """`to_copy`: Enter copies (opened with `y l`); `can_open`: a browser is in front of the person."""
        super().__init__()
        self.targets = list(targets)
        self.to_copy = to_copy
        self.can_open = can_open
        self._typed = ""  # the digits typed so far

    @property
    def enter_does(self) -> str:
        """What Enter does here: open, show (copy and show: no browser in front of the person) or copy."""
        if self.to_copy:
            return "copy"
        return "open" if self.can_open else "show"

    @guarded
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose":
            return parameters == (self.enter_does,)
        return True

    def compose_options(self):
        digits = len(str(len(self.targets)))
        yield OptionList(
            *(Option(link_label(n, t, digits), id=f"link-{n}") for n, t in enumerate(self.targets, 1)),
            id="link-picker-options",
        )

    @guarded
    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        if self.targets:
            options.highlighted = 0
        self.query_one(".menu-dialog").border_subtitle = "type a number"

    @guarded
    def action_digit(self, digit: str) -> None:
        """Typed digits name a link: 1 then 2 is [12] when there is one, else [2]."""
        typed = self._typed + digit
        if not typed.lstrip("0") or int(typed) > len(self.targets):
            typed = digit
        self._typed = typed
        number = int(typed) if typed.lstrip("0") else 0
        if 1 <= number <= len(self.targets):
            self.query_one(OptionList).highlighted = number - 1

    def _choice(self, *, copy: bool) -> LinkChoice | None:
        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self.targets):
            return None
        return LinkChoice(index + 1, self.targets[index], copy)

    @guarded
    def action_choose(self, does: str = "open") -> None:
        choice = self._choice(copy=does == "copy")
        if choice is not None:
            close(self, choice)

    @guarded
    def action_copy(self) -> None:
        choice = self._choice(copy=True)
        if choice is not None:
            close(self, choice)

    @on(OptionList.OptionSelected)
    @guarded
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        close(self, LinkChoice(event.option_index + 1, self.targets[event.option_index], self.to_copy))
