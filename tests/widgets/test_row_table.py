"""RowTable draws a cell the way Rich lays out a DataTable cell, without Rich's general layout for it."""

from __future__ import annotations

import itertools

from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.strip import Strip

from tui.widgets.row_table import RowTable

SAMPLES = ["", "a", "hello", "héllo wörld", "日本語のテキスト", "emoji 😀 here", "x" * 30, "ab日", "—",
           "(no subject)", "[@click=app.quit]x[/]"]


class Cells(RowTable[str]):
    def column_labels(self):
        return []

    def column_widths(self, width):
        return []

    def render_cells(self, row, widths):
        return []


class Host(App):
    def compose(self) -> ComposeResult:
        yield Cells()


def cells() -> list[Text]:
    out = []
    for plain, style, overflow in itertools.product(
        SAMPLES, [Style(), Style(color="red"), Style(bold=True, color="red"), ""], [None, "ellipsis", "fold", "crop"]
    ):
        text = Text(plain, style=style, no_wrap=True, overflow=overflow, end="")
        out.append(text)
        if plain:
            spanned = text.copy()
            spanned.stylize(Style(italic=True, color="blue"), 0, max(1, len(plain) // 2))
            out.append(spanned)
    return out


async def test_a_cell_is_the_same_segments_as_through_rich():
    app = Host()
    async with app.run_test() as pilot:
        table = app.query_one(Cells)
        pre = Style(color="white", bgcolor="black") + Style.from_meta({"row": 1, "column": 2})
        cursor = Style.parse("green on blue")
        posts = [Style(), Style.from_color(color=cursor.color) + Style.from_color(bgcolor=cursor.bgcolor)]
        differ = []
        for cell, width, post in itertools.product(cells(), range(1, 16), posts):
            fast = Strip(table._cell_segments(cell.copy(), width, pre, post)).simplify()
            rich = Strip(table._rendered_cell(cell.copy(), width, pre, post)).simplify()
            if list(fast) != list(rich):
                differ.append((cell.plain, cell.style, cell.overflow, width))
        assert differ == []
        await pilot.pause()
