"""Which attachments of an email to save: one of them, or all. The modal opened with `s`."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual import on
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.downloads import attachment_label
from tui.render.sizes import human_size
from tui.screens.menu import MenuScreen, menu_bindings
from tui.zoho.models import Attachment
from tui.widgets.access import close
from tui.widgets.guard import guarded

ALL_ID = "all"


def _row(name: Text, size: str) -> Table:
    """The name (cut with "…" when long) and its size lined up on the right."""
    row = Table.grid(expand=True, padding=(0, 1))
    row.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    row.add_column(justify="right", no_wrap=True, style="dim")
    row.add_row(name, size)
    return row


class AttachmentMenu(MenuScreen[tuple[Attachment, ...] | None]):
    """Pick an attachment (or all of them) to save; Enter saves, Escape cancels."""

    BINDINGS = menu_bindings("Save", choose_id="attachment_menu.save", cancel_id="attachment_menu.cancel")
    MENU_TITLE = "Save attachment"
    DIALOG_ID = "attachment-menu-dialog"

    DEFAULT_CSS = """
    AttachmentMenu > .menu-dialog {
        width: 64;
    }
    """

    def __init__(self, attachments: Sequence[Attachment]) -> None:
        super().__init__()
        self.attachments = tuple(attachments)

    def compose_options(self):
        options: list[Option | None] = [
            Option(_row(Text(attachment_label(a)), human_size(a.size)), id=f"attachment-{n}")
            for n, a in enumerate(self.attachments)
        ]
        sizes = [a.size for a in self.attachments]
        total = sum(s for s in sizes if s is not None) if all(s is not None for s in sizes) else None
        everything = Text(f"All attachments ({len(self.attachments)})", style="bold")
        options += [None, Option(_row(everything, human_size(total)), id=ALL_ID)]
        yield OptionList(*options, id="attachment-menu-options")

    @on(OptionList.OptionSelected)
    @guarded
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == ALL_ID:
            close(self, self.attachments)
        else:
            close(self, (self.attachments[event.option_index],))
