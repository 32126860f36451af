"""The footer: one subscription to its screen's bindings, and its keys when it is mounted after they were told."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets._footer import FooterKey

from tui.widgets.footer import KeyFooter


class Bare(App[None]):
    BINDINGS = [Binding("x", "bell", "Bell")]

    def __init__(self, *, later: bool = False) -> None:
        super().__init__()
        self.later = later

    def compose(self) -> ComposeResult:
        if not self.later:
            yield KeyFooter()

    def on_mount(self) -> None:
        if self.later:
            self.call_after_refresh(lambda: self.mount(KeyFooter()))


async def test_it_hears_its_screens_bindings_once():
    app = Bare()
    async with app.run_test(size=(80, 5)) as pilot:
        await pilot.pause()
        footer = app.query_one(KeyFooter)
        assert len(app.screen.bindings_updated_signal._subscriptions.get(footer, [])) == 1


async def test_mounted_after_the_bindings_were_told_it_shows_the_keys():
    app = Bare(later=True)
    async with app.run_test(size=(80, 5)) as pilot:
        for _ in range(5):
            await pilot.pause()
        assert "Bell" in [key.description for key in app.query(FooterKey)]
