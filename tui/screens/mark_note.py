"""The modal opened with `M`: a one-line note on the email's mark (an email not marked yet becomes to do).

Enter keeps the note (an empty one removes it, the mark stays), Escape leaves things as
they were. The note stays on this machine, with the mark.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.render.rows import mark_label
from tui.widgets.access import close
from tui.widgets.footer import KeyFooter
from tui.widgets.guard import guarded

NOTE_MAX = 200  # one line, not a document


class MarkNoteScreen(ModalScreen[str | None]):
    """Type the note; dismissed with the text (maybe empty) on Enter, None on Escape."""

    BINDINGS = [
        # Before the Input's own Enter, so the footer names it.
        Binding("enter", "keep", "Keep note", priority=True, id="mark_note.keep"),
        Binding("escape", "cancel", "Cancel", id="mark_note.cancel"),
    ]

    DEFAULT_CSS = """
    MarkNoteScreen {
        align: center middle;
    }
    MarkNoteScreen #mark-note-dialog {
        width: 64;
        max-width: 100%;
        height: auto;
        border: round $border;
        border-title-color: $text;
        background: $surface;
        padding: 0 1;
    }
    MarkNoteScreen #mark-note-state {
        color: $text-muted;
    }
    """

    def __init__(self, state: str, note: str | None) -> None:
        """`state`: the mark the note goes with (what it will be, for an email not marked yet)."""
        super().__init__()
        self.state = state
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="mark-note-dialog") as dialog:
            dialog.border_title = "Note on the mark"
            yield Static(f"{mark_label(self.state)} · Enter keeps it, empty removes it", id="mark-note-state",
                         markup=False)
            yield Input(self.note or "", placeholder="a line for yourself", max_length=NOTE_MAX, compact=True,
                        id="mark-note-input")
        yield KeyFooter()

    @guarded
    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @guarded
    def action_keep(self) -> None:
        close(self, self.query_one(Input).value)

    @guarded
    def action_cancel(self) -> None:
        close(self, None)
