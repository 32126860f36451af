"""The header at the top of every screen: Textual's, with its title update made safe.

Textual's `Header` updates its title from watchers it sets up on mount; when a screen is
replaced the moment it appears (Try again on the credentials screen, on a loaded machine),
a watcher can run on a header whose title widget is already gone, and `NoMatches` stops the
app. Here that update is skipped: the header going away has nothing to show.
"""

from __future__ import annotations

from textual.css.query import NoMatches
from textual.events import Mount
from textual.dom import NoScreen
from textual.widgets import Header
from textual.widgets._header import HeaderTitle

from tui.widgets.guard import guarded


class AppHeader(Header):
    @guarded
    def _on_mount(self, event: Mount) -> None:
        event.prevent_default()  # instead of Header._on_mount, not as well

        async def set_title() -> None:
            try:
                self.query_one(HeaderTitle).update(self.format_title())
            except (NoScreen, NoMatches):
                pass

        self.watch(self.app, "title", set_title)
        self.watch(self.app, "sub_title", set_title)
        self.watch(self.screen, "title", set_title)
        self.watch(self.screen, "sub_title", set_title)
