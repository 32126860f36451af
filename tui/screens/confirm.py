"""A question before something that costs: what it does and what it costs, then yes or no."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.screens.menu import MenuScreen, menu_bindings
from tui.widgets.access import close
from tui.widgets.guard import guarded


class ConfirmScreen(MenuScreen[bool]):
    """`question` above two choices; Enter on the first answers True, Escape or the second False."""

    BINDINGS = menu_bindings("Choose", choose_id="confirm.choose", cancel_id="confirm.cancel")
    DIALOG_ID = "confirm-dialog"

    DEFAULT_CSS = """
    ConfirmScreen #confirm-question {
        padding: 0 0 1 0;
    }
    """

    def __init__(self, title: str, question: str, *, yes: str = "Yes", no: str = "Cancel") -> None:
        super().__init__()
        self.title_text = title
        self.question = question
        self.yes, self.no = yes, no

    def compose_options(self) -> ComposeResult:
        yield Static(Text(self.question), id="confirm-question")
        yield OptionList(Option(Text(self.yes), id="yes"), Option(Text(self.no), id="no"), id="confirm-options")

    @guarded
    def on_mount(self) -> None:
        self.query_one(f"#{self.DIALOG_ID}").border_title = self.title_text

    @on(OptionList.OptionSelected)
    @guarded
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        close(self, event.option.id == "yes")
