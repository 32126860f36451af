"""The one line above the footer on every screen: where you are and what the app is doing.

Left: "DEMO" or the credentials profile, then the context a screen sets (the record,
how many emails are loaded). Right: the API calls made this session (each one costs
a Zoho credit) and the connection note ("offline — retrying in 4 s") in the warning colour.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from tui.render.safe import one_line
from tui.widgets.access import OnCrmApp
from tui.widgets.guard import guarded

_SEPARATOR = " · "


class StatusLine(OnCrmApp, Widget):
    """Reads `app.demo`, `app.profile`, `app.api_calls` and `app.connection_note`; screens call `set_context`.

    Yield it last before the Footer, below a body of height 1fr (it is not docked: two widgets
    docked at the bottom would overlap).
    """

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        width: 1fr;
        padding: 0 1;
        background: $panel;
        color: $text-muted;
    }
    """

    def __init__(self, context: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._context_text = context
        self._says_offline = False
        self._watch_note = ""

    @guarded
    def on_mount(self) -> None:
        # Each screen has its own status line; all of them follow the app's counters.
        self.watch(self.app, "api_calls", self._app_changed, init=False)
        self.watch(self.app, "connection_note", self._app_changed, init=False)

    def _app_changed(self, _value: object) -> None:
        self.refresh()

    @property
    def context(self) -> str:
        return self._context_text

    def set_context(self, text: str, *, says_offline: bool = False) -> None:
        """What this screen is showing, in a few words ("Ada Lovelace · 30 of 250 emails"). Plain text.

        `says_offline`: the context already says Zoho cannot be reached ("offline — stored 12:04"), so the
        app's own connection note is left out rather than said twice in one line."""
        text = one_line(text)
        if text != self._context_text or says_offline != self._says_offline:
            self._context_text = text
            self._says_offline = says_offline
            self.refresh()

    def set_watch(self, note: str) -> None:
        """What watching the record costs ("watching every 2 min · ~30 calls/h"), beside the call count; "" when off."""
        if note != self._watch_note:
            self._watch_note = note
            self.refresh()

    def _mode(self) -> Text:
        app = self.crm
        mode = Text()  # styled by span, not as a base style that would colour the whole line
        if app.demo:
            mode.append("DEMO", style=self._warning_style())
        else:
            mode.append(one_line(app.profile or "default"), style="bold")
        return mode

    def _right(self) -> Text:
        app = self.crm
        right = Text(f"{self._watch_note} · " if self._watch_note else "")
        right.append(f"API calls: {app.api_calls}")
        note = "" if self._says_offline else app.connection_note
        if note:
            right.append("  ")
            right.append(one_line(note), style=self._warning_style())
        return right

    def _warning_style(self) -> str:
        return f"bold {self.app.current_theme.warning or 'yellow'}"

    def render(self) -> Text:
        width = max(self.content_size.width, 1)
        left = self._mode()
        if self._context_text:
            left.append(_SEPARATOR)
            left.append(self._context_text)
        right = self._right()
        room = width - cell_len(right.plain) - 1
        if room < cell_len(left.plain):
            left.truncate(max(room, 0), overflow="ellipsis")
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        line.append_text(left)
        line.append(" " * max(width - cell_len(left.plain) - cell_len(right.plain), 1))
        line.append_text(right)
        return line
