"""`y`: what to copy of the email (or the record's web link), each behind a letter. The letter copies at once.

The menu shows beside each choice what it holds, so the person sees what will land on the
clipboard; the record screen copies it (`y` and the letter, typed quickly, never show the
menu long enough to matter).
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.table import Table
from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.render.copy_text import COPY_CHOICES, CopyChoice
from tui.render.safe import one_line
from tui.screens.menu import MenuScreen, menu_bindings
from tui.widgets.access import close
from tui.widgets.guard import guarded


def _row(choice: CopyChoice, preview: str | None) -> Table:
    """`s  Subject   Engine Room Digest: five ways…`: the letter, the choice, what it holds (cut to fit)."""
    row = Table.grid(expand=True, padding=(0, 1))
    row.add_column(no_wrap=True, width=1, style="bold")
    row.add_column(no_wrap=True, width=len(max((c.label for c in COPY_CHOICES), key=len)))
    row.add_column(ratio=1, no_wrap=True, overflow="ellipsis", style="dim")
    row.add_row(choice.key, choice.label, Text(one_line(preview or "")))
    return row


class CopyMenu(MenuScreen[str | None]):
    """Choose what to copy: a letter, or the cursor and Enter; Escape copies nothing."""

    BINDINGS = [
        *menu_bindings("Copy", choose_id="copy_menu.copy", cancel_id="copy_menu.cancel"),
        *(
            Binding(choice.key, f"pick('{choice.name}')", choice.label, show=False, id=f"copy_menu.{choice.name}")
            for choice in COPY_CHOICES
        ),
    ]
    MENU_TITLE = "Copy"
    DIALOG_ID = "copy-menu-dialog"

    DEFAULT_CSS = """
    CopyMenu > .menu-dialog {
        width: 76;
    }
    """

    def __init__(self, previews: Mapping[str, str]) -> None:
        """`previews` by choice name: what each holds now ("" when there is nothing to copy yet)."""
        super().__init__()
        self.previews = dict(previews)

    def compose_options(self):
        yield OptionList(
            *(Option(_row(c, self.previews.get(c.name)), id=c.name) for c in COPY_CHOICES), id="copy-menu-options"
        )

    @guarded
    def action_pick(self, name: str) -> None:
        close(self, name)

    @on(OptionList.OptionSelected)
    @guarded
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        close(self, event.option.id)
