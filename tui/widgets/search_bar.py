"""The record's search line: `/` opens it under the list; what is typed filters the stored emails.

A one-line box (Textual's compact Input) after a "/", and a note on the right that says
how many of the stored emails match ("12 of 250 stored — more on the server: G loads
them all") or why the query cannot be read. The record screen runs the search; this
only reads what is typed and shows what it is told. Plain text only: the note never
goes through markup.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Static

from tui.widgets.guard import guarded


class SearchInput(Input):
    """The query: Enter or Down goes to the hits, Escape ends the search (the screen hears both)."""

    BINDINGS = [
        Binding("enter,down", "screen.focus_hits", "Go to the hits", show=False, id="search.hits"),
        Binding("escape", "screen.end_search", "End search", id="search.end"),
    ]


class SearchBar(Horizontal):
    DEFAULT_CSS = """
    SearchBar {
        height: auto;
        max-height: 3;
        display: none;
        background: $panel;
    }
    SearchBar.-open {
        display: block;
    }
    SearchBar #search-slash {
        width: 2;
        padding: 0 0 0 1;
        color: $text-accent;
        text-style: bold;
    }
    SearchBar Input {
        width: 1fr;
        background: $panel;
    }
    SearchBar #search-note {
        width: auto;
        max-width: 60%;
        height: auto;  /* a sentence that does not fit wraps, never cut mid-way */
        padding: 0 1;
        color: $text-muted;
    }
    SearchBar.-error #search-note {
        color: $text-error;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._input = SearchInput(
            placeholder='words, "a phrase", from: to: subject: status: is:done has:attachment before: after:',
            compact=True,
            id="search-input",
        )
        self._note = Static(id="search-note", markup=False)

    def compose(self) -> ComposeResult:
        # The record screen mounts the line after its first paint, or when `/` first opens it.
        yield Static("/", id="search-slash")
        yield self._input
        yield self._note

    @property
    def input(self) -> SearchInput:
        return self._input

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def open(self) -> None:
        self.add_class("-open")
        if self.input.is_mounted:
            self.input.focus()
        # else the line was mounted just now, by this `/`: it focuses the box as it mounts

    @guarded
    def on_mount(self) -> None:
        if self.is_open:
            self.input.focus()

    def close(self) -> None:
        self.remove_class("-open", "-error")
        self.input.value = ""
        self.set_note("")

    def set_note(self, note: str, *, error: bool = False) -> None:
        self.set_class(error, "-error")
        self._note.update(Text(note, no_wrap=True, overflow="ellipsis"))
