"""The first frame: says what the app is doing while credentials are read and Zoho answers."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from tui.widgets.status_line import StatusLine


class ConnectingScreen(Screen[None]):
    """Never a blank screen: a line saying what is happening, replaced as soon as the client is ready."""

    DEFAULT_CSS = """
    ConnectingScreen #message {
        width: auto;
        color: $text-muted;
    }
    """

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        yield Header()
        with Middle():
            with Center():
                # Still text, not a spinner: the first frame is the same in every snapshot.
                yield Static(Text(self.message), id="message")
        yield StatusLine("starting")
        yield Footer()

    def set_message(self, message: str) -> None:
        self.message = message
        self.query_one("#message", Static).update(Text(message))
