"""The header: drawn as Textual's, surviving its title widget going before its watchers do (a screen replaced
as it appears), and able to draw its bar alone until its parts are wanted."""

from __future__ import annotations

import re

import pytest
from textual.app import App, ComposeResult
from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import Header
from textual.widgets._header import HeaderTitle

from tui.widgets.header import AppHeader


class OneHeader(App[None]):
    def __init__(self, header: type[Widget], **options: bool) -> None:
        super().__init__()
        self.header = header
        self.options = options

    def compose(self) -> ComposeResult:
        yield self.header(**self.options)


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
    # Why AppHeader guards its title: if Textual fixes this, this test says so and the guard can go.
    with pytest.raises(NoMatches):
        await _change_title_after_the_title_widget_went(OneHeader(Header))


async def _screenshot(app: OneHeader, size: tuple[int, int], *, click: bool = False) -> str:
    app.title, app.sub_title = "Ada Lovelace · Lead", "DEMO DATA (sandbox)"
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        if click:
            await pilot.click(offset=(30, 0))  # on the title: the header grows to three lines, as Textual's does
            await pilot.pause()
        # The same picture: the id Rich derives from how the lines were cut into pieces is left out.
        return re.sub(r"terminal-\d+", "terminal", app.export_screenshot())


@pytest.mark.parametrize("size", [(80, 5), (40, 5)])
@pytest.mark.parametrize("click", [False, True])
async def test_it_draws_what_textuals_header_draws(size, click):
    assert await _screenshot(OneHeader(AppHeader), size, click=click) == await _screenshot(
        OneHeader(Header), size, click=click
    )


async def test_with_parts_later_the_bar_comes_alone_and_its_title_when_asked():
    app = OneHeader(AppHeader, parts_later=True)
    app.title = "Ada Lovelace · Lead"
    async with app.run_test(size=(80, 5)) as pilot:
        header = app.query_one(AppHeader)
        assert not header.children and "Ada Lovelace" not in app.export_screenshot()
        header.show_parts()
        await pilot.pause()
        assert "Ada Lovelace" in str(app.query_one(HeaderTitle).render())
        app.title = "Charles Babbage · Contact"  # and it follows the title from then on
        await pilot.pause()
        assert "Charles Babbage" in str(app.query_one(HeaderTitle).render())
