"""The header at the top of every screen: the palette's icon and the title, as Textual's `Header` draws them.

Textual's own cannot be used as is, for two reasons. It updates its title from watchers set
up on mount; when a screen is replaced the moment it appears (Try again on the credentials
screen, on a loaded machine), a watcher can run on a header whose title is already gone, and
`NoMatches` stops the app: here that update is skipped. And a record's first frame should show
its rows as early as it can: `parts_later=True` draws the bar alone until `show_parts`, and
Textual's header module (~2 ms to import) is not loaded until then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.content import Content
from textual.css.query import NoMatches
from textual.dom import NoScreen
from textual.events import Click, Mount
from textual.reactive import Reactive
from textual.widget import Widget

from tui.widgets.guard import guarded

if TYPE_CHECKING:
    from textual.app import RenderResult


class AppHeader(Widget):
    """Textual's `Header` without a clock (the same parts, the same look), its title update made safe."""

    DEFAULT_CSS = """
    AppHeader {
        dock: top;
        width: 100%;
        background: $panel;
        color: $foreground;
        height: 1;
    }
    AppHeader.-tall {
        height: 3;
    }
    """

    icon: Reactive[str] = Reactive("⭘")
    """A character for the icon at the top left (it opens the command palette)."""

    def __init__(self, *, parts_later: bool = False) -> None:
        """`parts_later`: the icon and the title wait for `show_parts` (the bar is drawn meanwhile)."""
        super().__init__()
        self._parts_later = parts_later

    def compose(self) -> ComposeResult:
        if self._parts_later:
            return
        from textual.widgets._header import HeaderClockSpace, HeaderIcon, HeaderTitle

        yield HeaderIcon().data_bind(AppHeader.icon)
        yield HeaderTitle()
        yield HeaderClockSpace()

    def render(self) -> RenderResult:
        return ""  # under the parts; until they come, the bar (Widget's own would name the class)

    def show_parts(self) -> None:
        """The icon and the title, when they were left out (`parts_later`)."""
        if self._parts_later:
            self.call_later(self._mount_parts)  # on its own loop: the icon binds to the reactive of who composes it

    @guarded
    async def _mount_parts(self) -> None:
        if self._parts_later and self.is_attached:
            self._parts_later = False
            await self.recompose()
            self._set_title()

    def format_title(self) -> Content:
        return self.app.format_title(self.screen_title, self.screen_sub_title)

    @property
    def screen_title(self) -> str:
        title = self.screen.title
        return title if title is not None else self.app.title

    @property
    def screen_sub_title(self) -> str:
        sub_title = self.screen.sub_title
        return sub_title if sub_title is not None else self.app.sub_title

    def _set_title(self) -> None:
        from textual.widgets._header import HeaderTitle

        try:
            self.query_one(HeaderTitle).update(self.format_title())
        except (NoScreen, NoMatches):
            pass  # the parts are still to come, or the header is going away: nothing to show

    @guarded
    def _on_mount(self, event: Mount) -> None:
        async def set_title() -> None:
            if not self._parts_later:
                self._set_title()

        self.watch(self.app, "title", set_title)
        self.watch(self.app, "sub_title", set_title)
        self.watch(self.screen, "title", set_title)
        self.watch(self.screen, "sub_title", set_title)

    @guarded
    def _on_click(self, event: Click) -> None:
        self.toggle_class("-tall")  # as Textual's header does
