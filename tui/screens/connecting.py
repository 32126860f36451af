"""The first frame: says what the app is doing while credentials are read and Zoho answers.

A connection quicker than `QUIET_S` (the demo; a token still valid) goes straight to what was
asked for: the screen stays blank until then, so the first frame worth seeing is not delayed
by drawing one that would be gone at once (a quarter of the demo's first paint).
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Static

from tui.widgets.access import crm_app
from tui.widgets.guard import guarded
from tui.widgets.status_line import StatusLine
from tui.widgets.header import AppHeader


QUIET_S = 0.15  # on the app's clock


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
        self.drawn = False  # its line is on screen (after QUIET_S, or when shown again)
        self._resumed = False

    def compose(self) -> ComposeResult:
        if not self.drawn:
            return
        from tui.widgets.footer import KeyFooter  # here: not imported when the screen is never drawn (the demo)

        yield AppHeader()
        with Middle():
            with Center():
                # Still text, not a spinner: the first frame is the same in every snapshot.
                yield Static(Text(self.message), id="message")
        yield StatusLine("starting")
        yield KeyFooter()

    @guarded
    def on_mount(self) -> None:
        self._draw_if_still_here()

    @work(group="connecting", exit_on_error=False)
    async def _draw_if_still_here(self) -> None:
        await crm_app(self).clock.sleep(QUIET_S)
        if self.app.screen is self:  # below another screen by now: drawn when shown again, if ever
            await self.draw()

    async def draw(self) -> None:
        if not self.drawn:
            self.drawn = True
            await self.recompose()
            self.refresh_bindings()  # the footer lists the keys once it hears them

    @guarded
    def on_screen_resume(self) -> None:
        # The bottom of the stack: shown again only if every screen above it went. Never leave the
        # person on it once connected: after a moment (a record may be on its way) show the picker.
        if self._resumed:
            self.run_worker(self.draw(), group="connecting", exit_on_error=False)
        self._resumed = True
        self.set_timer(0.5, self._not_left_here)

    @guarded
    def _not_left_here(self) -> None:
        if self.app.screen is self:
            crm_app(self).back_from_the_bottom()
