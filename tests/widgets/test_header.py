"""The header survives its title widget going before its watchers do (a screen replaced as it appears)."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.css.query import NoMatches
from textual.widgets import Header
from textual.widgets._header import HeaderTitle

from tui.widgets.header import AppHeader


class OneHeader(App[None]):
    def __init__(self, header: type[Header]) -> None:
        super().__init__()
        self.header = header

    def compose(self) -> ComposeResult:
        yield self.header()


async def _change_title_after_the_title_widget_went(app: OneHeader) -> None:
    async with app.run_test() as pilot:
        await app.query_one(HeaderTitle).remove()
        app.title = "another title"
        await pilot.pause()
        await pilot.pause()


async def test_our_header_lets_the_title_change():
    app = OneHeader(AppHeader)
    await _change_title_after_the_title_widget_went(app)
    assert app.return_code in (None, 0)


async def test_textuals_header_would_stop_the_app():
    # Why AppHeader exists: if Textual fixes this, this test says so and AppHeader can go.
    with pytest.raises(NoMatches):
        await _change_title_after_the_title_widget_went(OneHeader(Header))
