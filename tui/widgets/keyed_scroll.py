"""A scrolling box with the app's one set of scroll keys, the same as the email's body.

j/k or ↓/↑ a line, space/b or PgDn/PgUp a page, g/G or Home/End the top and the end:
help, the no-credentials screen and the email read alike.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import VerticalScroll

from tui.widgets.guard import guarded

SCROLL_BINDINGS = [
    Binding("j,down", "scroll_down", "Scroll down", show=False, id="scroll.down"),
    Binding("k,up", "scroll_up", "Scroll up", show=False, id="scroll.up"),
    Binding("space,pagedown", "page_down", "Page down", show=False, id="scroll.page_down"),
    Binding("b,pageup", "page_up", "Page up", show=False, id="scroll.page_up"),
    Binding("g,home", "scroll_home", "Top", show=False, id="scroll.top"),
    Binding("G,end", "scroll_end", "End", show=False, id="scroll.end"),
]


class KeyedScroll(VerticalScroll):
    """A VerticalScroll that answers every scroll key (it takes the focus to do so)."""

    BINDINGS = SCROLL_BINDINGS

    # Without animation: a key moves the view at once (and a test reads where it went).
    @guarded
    def action_scroll_down(self) -> None:
        self.scroll_relative(y=1, animate=False)

    @guarded
    def action_scroll_up(self) -> None:
        self.scroll_relative(y=-1, animate=False)

    @guarded
    def action_page_down(self) -> None:
        self.scroll_page_down(animate=False)

    @guarded
    def action_page_up(self) -> None:
        self.scroll_page_up(animate=False)

    @guarded
    def action_scroll_home(self) -> None:
        self.scroll_home(animate=False)

    @guarded
    def action_scroll_end(self) -> None:
        self.scroll_end(animate=False)
