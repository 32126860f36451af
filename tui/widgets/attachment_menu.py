"""Which attachments of an email to save: one of them, or all. The modal opened with `s`."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList
from textual.widgets.option_list import Option

from tui.render.safe import one_line
from tui.render.sizes import human_size
from tui.zoho.models import Attachment

ALL_ID = "all"


def attachment_label(attachment: Attachment) -> str:
    return one_line(attachment.name) or "(unnamed)"


def _row(name: Text, size: str) -> Table:
    """The name (cut with "…" when long) and its size lined up on the right."""
    row = Table.grid(expand=True, padding=(0, 1))
    row.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    row.add_column(justify="right", no_wrap=True, style="dim")
    row.add_row(name, size)
    return row


class AttachmentMenu(ModalScreen[tuple[Attachment, ...] | None]):
    """Pick an attachment (or all of them) to save; Enter saves, Escape cancels."""

    BINDINGS = [
        # Before the list's own Enter, so the footer names it.
        Binding("enter", "choose", "Save", priority=True, id="attachment_menu.save"),
        Binding("escape", "cancel", "Cancel", id="attachment_menu.cancel"),
    ]

    DEFAULT_CSS = """
    AttachmentMenu {
        align: center middle;
    }
    AttachmentMenu > #attachment-menu-dialog {
        width: 64;
        max-width: 100%;
        height: auto;
        max-height: 90%;
        border: round $border;
        border-title-color: $text;
        background: $surface;
        padding: 0 1;
    }
    AttachmentMenu OptionList, AttachmentMenu OptionList:focus {
        height: auto;
        max-height: 24;
        border: none;
        padding: 0;
        background: $surface;
    }
    """

    def __init__(self, attachments: Sequence[Attachment]) -> None:
        super().__init__()
        self.attachments = tuple(attachments)

    def compose(self):
        with Vertical(id="attachment-menu-dialog") as dialog:
            dialog.border_title = "Save attachment"
            options: list[Option | None] = [
                Option(_row(Text(attachment_label(a)), human_size(a.size)), id=f"attachment-{n}")
                for n, a in enumerate(self.attachments)
            ]
            sizes = [a.size for a in self.attachments]
            total = sum(s for s in sizes if s is not None) if all(s is not None for s in sizes) else None
            everything = Text(f"All attachments ({len(self.attachments)})", style="bold")
            options += [None, Option(_row(everything, human_size(total)), id=ALL_ID)]
            yield OptionList(*options, id="attachment-menu-options")
        # Over the record screen's footer, whose keys do nothing while this is open.
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == ALL_ID:
            self.dismiss(self.attachments)
        else:
            self.dismiss((self.attachments[event.option_index],))

    def action_choose(self) -> None:
        self.query_one(OptionList).action_select()

    def action_cancel(self) -> None:
        self.dismiss(None)
