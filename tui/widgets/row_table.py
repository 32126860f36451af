"""A table drawn through Textual's line API: a header line, one line per row, a row cursor.

The rows stay data: a sequence its owner holds, shown by reference (never copied
into cells), and a method of the subclass that turns one row into its cells. Only
the lines on screen are drawn, each from a small LRU of strips keyed by (row,
width, cursor, hover, style): a scroll reuses the strips of the rows still in view
and draws only the rows coming in, a cursor move redraws two lines, and appending
rows draws nothing until they are scrolled to. Toolong's `LogLines` works this way.

It looks and moves like a `DataTable` with a row cursor (the same component styles,
the same segments and scrollbar): swapping it in for one changed no screen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar, Generic, TypeVar

from rich.console import RenderableType
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.cache import LRUCache
from textual.geometry import Region, Size, clamp
from textual.message import Message
from textual.renderables.styled import Styled
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.widgets.guard import guarded

RowT = TypeVar("RowT")

# Below this many cells the columns do not shrink further: the line is cut at the right instead.
MIN_TABLE_WIDTH = 40
# Strips kept: a few screens of rows in each state (plain, cursor, hover) at the tallest terminal.
_STRIPS_KEPT = 256
_NO_STYLE = Style()


class RowTable(ScrollView, Generic[RowT], can_focus=True, inherit_bindings=False):
    """Rows of a sequence under a header, one line each, with a row cursor; subclasses say what the cells are.

    A subclass gives `column_labels`, `column_widths(width)` and `render_cells(row, widths)`, and its keys
    (BINDINGS) for the actions here. Posts `Highlighted` when the cursor lands on a row and `Selected` on
    Enter or a click on the cursor's row.
    """

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "row-table--header",
        "row-table--cursor",
        "row-table--hover",
        "row-table--header-hover",
    }
    # DataTable's look with a row cursor (its `datatable--*` rules, renamed).
    DEFAULT_CSS = """
    RowTable {
        background: $surface;
        color: $foreground;
        &:focus {
            background-tint: $foreground 5%;
            & > .row-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .row-table--header {
                background-tint: $foreground 5%;
            }
        }
        & > .row-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .row-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .row-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .row-table--header-hover {
            background: $accent 30%;
        }
        & > .row-table--hover {
            background: $block-hover-background;
        }
    }
    """

    header_height: ClassVar[int] = 1
    cell_padding: ClassVar[int] = 1

    class RowMessage(Message):
        """About `row`, at `index` of the rows of `table`."""

        def __init__(self, table: RowTable, index: int, row: object) -> None:
            super().__init__()
            self.table = table
            self.index = index
            self.row = row

        @property
        def control(self) -> RowTable:
            return self.table

    class Highlighted(RowMessage):
        """The cursor landed on `row`."""

    class Selected(RowMessage):
        """Enter, or a click on the cursor's row."""

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._rows: Sequence[RowT] = ()
        self._count = 0  # rows shown: the first `_count` of `_rows` (the owner may have appended more since)
        self._own = False  # `_rows` is a list of ours (made when the owner's sequence could not be appended to)
        self.cursor_row = 0
        self._hover_row: int | None = None  # -1: the header
        self._show_hover = False  # the mouse moved over the rows since the last key
        self._strips: LRUCache[tuple[object, ...], tuple[object, Strip]] = LRUCache(_STRIPS_KEPT)
        self._widths: tuple[int, tuple[int, ...]] = (-1, ())  # (for width, column content widths)
        self._base_style = _NO_STYLE
        self._styles_kept: dict[tuple[str, bool, bool], Style] = {}
        self._styled_for: tuple[Style, bool] | None = None  # the (base style, focus) the component styles are for
        # Told at once when a move lands the cursor on a row (a key, a click), besides the Highlighted message:
        # what follows the cursor is then drawn in the move's frame, not in one more after the message's trip.
        self.on_cursor: Callable[[int, RowT], None] | None = None

    # --- what the subclass says -------------------------------------------------------

    def column_labels(self) -> Sequence[RenderableType]:
        """The header's cells."""
        raise NotImplementedError

    def column_widths(self, width: int) -> Sequence[int]:
        """Each column's content width (padding excluded) for a table `width` cells wide; 0 leaves it out."""
        raise NotImplementedError

    def render_cells(self, row: RowT, widths: Sequence[int]) -> Sequence[RenderableType]:
        """The cells of one row; called only when the row comes into view."""
        raise NotImplementedError

    # --- the rows ---------------------------------------------------------------------

    @property
    def rows(self) -> Sequence[RowT]:
        """The sequence shown (its first `row_count` items)."""
        return self._rows

    @property
    def row_count(self) -> int:
        return self._count

    def row_at(self, index: int) -> RowT | None:
        """The row at `index`; None past the rows (or if the owner shortened its sequence instead of showing anew)."""
        if not 0 <= index < self._count:
            return None
        try:
            return self._rows[index]
        except IndexError:
            return None

    def show_rows(self, rows: Sequence[RowT], *, cursor_row: int = 0, scroll_y: float = 0) -> None:
        """Show `rows` (held, not copied) with the cursor on `cursor_row`, scrolled to `scroll_y` if the cursor
        stays in view there; posts `Highlighted` for the cursor's row."""
        self._rows, self._count, self._own = rows, len(rows), False
        self._hover_row = None
        self._set_virtual_size()
        self.refresh()  # the strips of rows still at their index are drawn again from the cache
        self.cursor_row = clamp(cursor_row, 0, max(self._count - 1, 0))
        self._restore_view(scroll_y)
        # Before the first layout (or while hidden) the height is not known yet: again once it is.
        self.call_after_refresh(self._restore_view, scroll_y)
        self._post_highlighted()

    def append_rows(self, new: Sequence[RowT]) -> None:
        """Show `new` after the rows shown: usually the owner appended them to the sequence it gave already."""
        rows, count, added = self._rows, self._count, len(new)
        if not added:
            return
        grown = len(rows) >= count + added and all(rows[count + i] is row for i, row in enumerate(new))
        if not grown:
            # Never write into a sequence someone else holds: from here on the rows are a list of ours.
            if not self._own:
                self._rows, self._own = list(rows[:count]), True
            rows = self._rows
            del rows[count:]  # type: ignore[attr-defined]
            rows.extend(new)  # type: ignore[attr-defined]
        self._count = count + added
        # A taller virtual size repaints the lines in view: the rows already drawn come from the strip cache.
        self._set_virtual_size()
        if count == 0:
            self.cursor_row = 0
            self._post_highlighted()

    def rows_grown(self) -> None:
        """The sequence shown grew at its end (its owner appended to it): show the rows past `row_count`."""
        count, grown = self._count, len(self._rows)
        if grown <= count or self._own:
            return
        self._count = grown
        self._set_virtual_size()
        if count == 0:
            self.cursor_row = 0
            self._post_highlighted()

    def clear(self) -> None:
        self.show_rows(())

    def columns_changed(self) -> None:
        """The cells or their widths changed (not the rows): draw every line again."""
        self._widths = (-1, ())
        self._strips.clear()
        self.refresh()

    def _set_virtual_size(self) -> None:
        # As DataTable: the header is part of the height, so scroll_y is the first row in view.
        self.virtual_size = Size(self.scrollable_content_region.width, self.header_height + self._count)

    def cells_at(self, index: int) -> list[Text]:
        """The cells of the row at `index` as text, as they are drawn (for tests and copying)."""
        row = self.row_at(index)
        if row is None:
            return []
        cells = self.render_cells(row, self.widths)
        return [cell if isinstance(cell, Text) else Text(str(cell)) for cell in cells]

    @property
    def widths(self) -> tuple[int, ...]:
        """Each column's content width at the current width."""
        width = self.scrollable_content_region.width
        if self._widths[0] != width:
            self._widths = (width, tuple(self.column_widths(max(width, MIN_TABLE_WIDTH))))
        return self._widths[1]

    # --- the cursor and the view ------------------------------------------------------

    @property
    def visible_rows(self) -> int:
        """How many rows fit in the viewport (the header excluded)."""
        return max(self.scrollable_content_region.height - self.header_height, 0)

    def move_cursor(self, *, row: int, scroll: bool = True) -> None:
        """Put the cursor on `row` (clamped to the rows) and, with `scroll`, scroll it into view."""
        if not self._count:
            return
        row = clamp(row, 0, self._count - 1)
        old = self.cursor_row
        if row == old:
            if scroll:
                self.scroll_to_cursor()
            return
        self.cursor_row = row
        self._refresh_row(old)
        self._refresh_row(row)
        if scroll:
            self.scroll_to_cursor()
        self._post_highlighted()
        landed = self.row_at(row)
        if self.on_cursor is not None and landed is not None:
            self.on_cursor(row, landed)

    def scroll_to_cursor(self) -> None:
        """Scroll the least that brings the cursor's row into view (the header always shows)."""
        height = self.visible_rows
        if height <= 0 or not self._count:
            return
        top, row = self.scroll_offset.y, self.cursor_row
        if row < top:
            self.scroll_to(y=row, animate=False, force=True)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False, force=True)

    def _restore_view(self, scroll_y: float) -> None:
        self.scroll_to(y=scroll_y, animate=False, force=True)
        self.scroll_to_cursor()

    def _refresh_row(self, index: int) -> None:
        """Draw one row's line again (the header's for -1), if it is in view."""
        if index < 0:
            self.refresh(Region(0, 0, self.size.width, self.header_height))
        else:
            self.refresh_line(self.header_height + index)

    def _post_highlighted(self) -> None:
        row = self.row_at(self.cursor_row)
        if row is not None:
            self.post_message(self.Highlighted(self, self.cursor_row, row))

    def _post_selected(self) -> None:
        row = self.row_at(self.cursor_row)
        if row is not None:
            self.post_message(self.Selected(self, self.cursor_row, row))

    def _set_hover(self, row: int | None, show: bool) -> None:
        old, was_shown = self._hover_row, self._show_hover
        self._hover_row, self._show_hover = row, show
        if (old, was_shown) != (row, show):
            if old is not None and was_shown:
                self._refresh_row(old)
            if row is not None and show:
                self._refresh_row(row)

    def _keyboard(self) -> None:
        """A key moves the cursor: the mouse's hover line goes until the mouse moves again."""
        self._set_hover(self._hover_row, False)

    def _row_at_y(self, y: int) -> int | None:
        """The row on line `y` of the widget (-1: the header), None below the last row."""
        if y < self.header_height:
            return -1
        row = y - self.header_height + self.scroll_offset.y
        return row if row < self._count else None

    # --- actions (the subclass binds keys to them) ------------------------------------

    @guarded
    def action_cursor_down(self) -> None:
        self._keyboard()
        self.move_cursor(row=self.cursor_row + 1)

    @guarded
    def action_cursor_up(self) -> None:
        self._keyboard()
        self.move_cursor(row=self.cursor_row - 1)

    @guarded
    def action_page_down(self) -> None:
        # As DataTable: the view moves a page, the cursor a page (or to the last row).
        self._keyboard()
        height = self.visible_rows
        self.scroll_to(y=self.scroll_y + height, animate=False, force=True)
        self.move_cursor(row=self.cursor_row + height)

    @guarded
    def action_page_up(self) -> None:
        self._keyboard()
        height = self.visible_rows
        self.scroll_to(y=self.scroll_y - height, animate=False, force=True)
        self.move_cursor(row=self.cursor_row - height)

    @guarded
    def action_half_page(self, direction: int) -> None:
        self._keyboard()
        self.move_cursor(row=self.cursor_row + direction * max(self.visible_rows // 2, 1))

    @guarded
    def action_scroll_top(self) -> None:
        self._keyboard()
        self.move_cursor(row=0)

    @guarded
    def action_scroll_bottom(self) -> None:
        self._keyboard()
        self.move_cursor(row=self._count - 1)

    @guarded
    def action_select_row(self) -> None:
        self._keyboard()
        self._post_selected()

    # --- the mouse --------------------------------------------------------------------

    @guarded
    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        row = None if offset is None else self._row_at_y(offset.y)
        self._set_hover(row, True)
        if row is None or row < 0:
            return  # the header, or below the last row
        event.stop()
        if row == self.cursor_row:
            self._post_selected()
        else:
            self.move_cursor(row=row)

    @guarded
    def on_mouse_move(self, event: events.MouseMove) -> None:
        offset = event.get_content_offset(self)
        row = None if offset is None else self._row_at_y(offset.y)
        self._set_hover(row, row is not None)

    @guarded
    def on_leave(self, event: events.Leave) -> None:
        self._set_hover(self._hover_row, False)

    @guarded
    def on_resize(self, event: events.Resize) -> None:
        self._set_virtual_size()
        self.scroll_to_cursor()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self._styles_kept.clear()

    # --- drawing ----------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # Once per paint rather than once per line: the style walks every ancestor.
        self._base_style = self.rich_style
        styled_for = (self._base_style, self.has_focus)
        if styled_for != self._styled_for:
            self._styled_for = styled_for
            self._styles_kept.clear()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self._base_style
        if y < self.header_height:
            row = -1
        else:
            row = y - self.header_height + self.scroll_offset.y
            if row >= self._count:
                return Strip.blank(width, base)
        cursor = row == self.cursor_row
        hover = self._show_hover and row == self._hover_row
        shown = self.row_at(row) if row >= 0 else None
        if row >= 0 and shown is None:
            return Strip.blank(width, base)
        key = (row, width, cursor, hover, base)
        kept = self._strips.get(key)
        # Kept while the same row object is at the same index: rows shown anew (a refresh, a filter switched
        # back) draw only the rows that changed.
        if kept is not None and kept[0] is shown:
            return kept[1]
        strip = self._render_row(row, shown, width, base, cursor, hover)
        self._strips[key] = (shown, strip)
        return strip

    def _render_row(self, row: int, shown: RowT | None, width: int, base: Style, cursor: bool, hover: bool) -> Strip:
        """One line, drawn as DataTable draws a row of its row cursor: a padded cell per column, then the rest."""
        widths = self.widths
        header = row < 0
        if header:
            row_style = self.component_style("row-table--header", whole=True)
            cells = self.column_labels()
        else:
            row_style = base
            cells = self.render_cells(shown, widths)  # type: ignore[arg-type]
        component, post = self._cell_styles(header, hover, cursor and not header)
        pad = self.cell_padding
        segments: list[Segment] = []
        used = 0
        for column, (cell, cell_width) in enumerate(zip(cells, widths)):
            if not cell_width:
                continue  # a column left out at this width: not even its padding
            pre = row_style + Style.from_meta({"row": row, "column": column}) + component
            segments.extend(self._cell_segments(cell, cell_width, pre, post))
            used += cell_width + 2 * pad
        extend, _ = self._cell_styles(header, hover, cursor, post_priority=False)
        extend = row_style + extend + Style.from_meta({"row": row, "column": 0, "out_of_bounds": True})
        segments.append(Segment(" " * max(width - used, 0), extend))
        return Strip(segments).crop(0, width).adjust_cell_length(width, base).simplify()

    def _cell_segments(self, cell: RenderableType, width: int, pre: Style, post: Style) -> list[Segment]:
        """A cell `width` wide between its paddings: the segments Rich makes of
        `Styled(Padding(cell, (0, pad)), pre, post)` on one line, without Rich's general layout for a line of text."""
        if not isinstance(cell, Text) or "\n" in cell.plain or "\t" in cell.plain:
            return self._rendered_cell(cell, width, pre, post)
        line = cell
        if cell.cell_len > width:
            line = cell.copy()
            line.truncate(width, overflow=line.overflow or "fold")
        outside = pre + post  # the paddings, and the room the text leaves
        pad = " " * self.cell_padding
        segments = [Segment(pad, outside)]
        own = line.style
        if not line.spans:
            if not own:
                segments.append(Segment(line.plain, outside))
            elif line.plain:
                style = self.app.console.get_style(own) if isinstance(own, str) else own
                segments.append(Segment(line.plain, pre + style + post))
        else:
            # As Text.__rich_console__: the text's own style joined into its spans, then each run's style.
            for text, style, _ in Text("\n").join([line]).render(self.app.console):
                segments.append(Segment(text, pre + style + post if style else outside))
        room = width - line.cell_len
        segments.append(Segment(" " * room + pad if room > 0 else pad, outside))
        return segments

    def _rendered_cell(self, cell: RenderableType, width: int, pre: Style, post: Style) -> list[Segment]:
        """A cell through Rich's renderer, as DataTable draws one (any renderable; the reference for the above)."""
        pad = self.cell_padding
        options = self.app.console_options.update_dimensions(width + 2 * pad, 1).update(no_wrap=True)
        padded = Styled(Padding(cell, (0, pad)), pre_style=pre, post_style=post)
        return self.app.console.render_lines(padded, options)[0]

    def _cell_styles(self, header: bool, hover: bool, cursor: bool, post_priority: bool = True) -> tuple[Style, Style]:
        """The cursor's and the hover's styles over a cell, and what must win over the cell's own colours."""
        component = _NO_STYLE
        if hover:
            component += self.component_style("row-table--hover")
            if header:
                component += self.component_style("row-table--header-hover")
        if cursor:
            component += self.component_style("row-table--cursor")
        if not post_priority:
            return component, _NO_STYLE
        # The cursor's colours win over a cell's own (a red bounced row is not red under the cursor).
        post = Style.from_color(color=component.color) + Style.from_color(bgcolor=component.bgcolor)
        return component, post

    def component_style(self, name: str, *, partial: bool = False, whole: bool = False) -> Style:
        """A component class's Rich style, kept until the widget's style or focus changes.

        (Textual forgets its own copy on every refresh, and a cursor move refreshes.) `partial`: only what the
        class's rule sets; `whole`: the styles' own rich_style, without the text-opacity blend.
        """
        key = (name, partial, whole)
        style = self._styles_kept.get(key)
        if style is None:
            if whole:
                style = self.get_component_styles(name).rich_style
            else:
                style = self.get_component_rich_style(name, partial=partial)
            self._styles_kept[key] = style
        return style
