"""The header at the top of every screen: Textual's, with its title update made safe.

Textual's `Header` updates its title from watchers it sets up on mount; when a screen is
replaced the moment it appears (Try again on the credentials screen, on a loaded machine),
a watcher can run on a header whose title widget is already gone, and `NoMatches` stops the
app. Here that update is skipped: the header going away has nothing to show.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.css.query import NoMatches
from textual.events import Mount
from textual.dom import NoScreen
from textual.widgets import Header
from textual.widgets._header import HeaderTitle

from tui.widgets.guard import guarded


class AppHeader(Header):
    """Textual's Header; `parts_later=True` leaves out its icon and title until `show_parts` (after the first
    paint of a screen that wants its rows out first: the three parts cost that frame ~3 ms)."""

    def __init__(self, *, parts_later: bool = False) -> None:
        super().__init__()
        self._parts_later = parts_later

    def compose(self) -> ComposeResult:
        if not self._parts_later:
            yield from super().compose()

    def render(self) -> str:
        return ""  # under the parts; until they come, a bar (Widget's own would name the class)

    async def show_parts(self) -> None:
        """The icon and the title, when they were left out (`parts_later`)."""
        if self._parts_later and self.is_attached:
            self._parts_later = False
            await self.recompose()
            self._set_title()

    def _set_title(self) -> None:
        try:
            self.query_one(HeaderTitle).update(self.format_title())
        except (NoScreen, NoMatches):
            pass

    @guarded
    def _on_mount(self, event: Mount) -> None:
        event.prevent_default()  # instead of Header._on_mount, not as well

        async def set_title() -> None:
            self._set_title()

        self.watch(self.app, "title", set_title)
        self.watch(self.app, "sub_title", set_title)
        self.watch(self.screen, "title", set_title)
        self.watch(self.screen, "sub_title", set_title)
