"""The first frame: says what the app is doing while credentials are read and Zoho answers."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Static

from tui.widgets.access import crm_app
from tui.widgets.footer import KeyFooter
from tui.widgets.guard import guarded
from tui.widgets.status_line import StatusLine
from tui.widgets.header import AppHeader


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
        yield AppHeader()
        with Middle():
            with Center():
                # Still text, not a spinner: the first frame is the same in every snapshot.
                yield Static(Text(self.message), id="message")
        yield StatusLine("starting")
        yield KeyFooter()

    @guarded
    def on_screen_resume(self) -> None:
        # The bottom of the stack: shown again only if every screen above it went. Never leave the
        # person on it once connected: after a moment (a record may be on its way) show the picker.
        self.set_timer(0.5, self._not_left_here)

    @guarded
    def _not_left_here(self) -> None:
        if self.app.screen is self:
            crm_app(self).back_from_the_bottom()

    def set_message(self, message: str) -> None:
        self.message = message
        self.query_one("#message", Static).update(Text(message))
