"""The emails of one record as a table: one line per email, keyed by message_id.

A `DataTable` renders only the rows in view, so a record with thousands of
emails scrolls as fast as one with ten. The list never fetches anything: the
record screen hands it emails and tells it what to say at the end of the rows
("loading more…", "end — 250 emails") and which error to show. It reports the highlighted
email, an Enter, and when the cursor or the viewport comes within a page of
the last row (`NearEnd`, merged when several are queued).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from rich.cells import cell_len
from rich.text import Text
from textual import events, on
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from tui.render.dates import short_time
from tui.render.rows import COLUMNS, LABELS, MIN_TIME_WIDTH, RowStyles, column_widths, row_cells
from tui.widgets.error_panel import ErrorPanel
from tui.widgets.guard import guarded
from tui.zoho.catalog import EMAILS_PER_PAGE
from tui.zoho.errors import ZohoError
from tui.zoho.models import Email

_SIDEWAYS = frozenset({"cursor_left", "cursor_right", "page_left", "page_right"})


class EmailTable(DataTable[Text]):
    """The rows: vim keys on top of DataTable's arrows, PgUp/PgDn, Home/End."""

    # DataTable's own arrow, Home/End and ctrl+Home/End keys are rebound here with words for the help screen,
    # so each move is one line there ("↓ j  Next email"), not one per key.
    BINDINGS = [
        Binding("enter", "open_email", "Open", id="email_list.open"),
        Binding("down,j", "cursor_down", "Next email", show=False, id="email_list.down"),
        Binding("up,k", "cursor_up", "Previous email", show=False, id="email_list.up"),
        Binding("home,g,ctrl+home", "scroll_top", "First email", show=False, id="email_list.first"),
        Binding("end,G,ctrl+end", "scroll_bottom", "Last loaded email", show=False, id="email_list.last"),
        Binding("ctrl+d", "half_page(1)", "Half a page down", show=False, id="email_list.half_down"),
        Binding("ctrl+u", "half_page(-1)", "Half a page up", show=False, id="email_list.half_up"),
    ]

    COMPONENT_CLASSES = {"email-table--bounced", "email-table--muted"}

    DEFAULT_CSS = """
    EmailTable {
        height: 1fr;
        scrollbar-size-vertical: 1;
        scrollbar-gutter: stable;
        scrollbar-size-horizontal: 0;
        overflow-x: hidden;
    }
    EmailTable > .email-table--bounced {
        color: $text-error;
    }
    EmailTable > .email-table--muted {
        color: $text-muted;
    }
    """

    @property
    def visible_rows(self) -> int:
        """How many rows fit in the viewport (the header row excluded)."""
        height = self.scrollable_content_region.height - (self.header_height if self.show_header else 0)
        return max(height, 0)

    @guarded
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_email":
            return self.row_count > 0  # no "Open" in the footer while there is nothing to open
        # DataTable's left/right keys move a cell cursor; a row cursor has nowhere to go sideways.
        return action not in _SIDEWAYS

    @guarded
    def action_open_email(self) -> None:
        self.action_select_cursor()  # an action of its own: help lists it with the email keys, not the moves

    @guarded
    def action_half_page(self, direction: int) -> None:
        if self.row_count:
            step = max(self.visible_rows // 2, 1)
            self.move_cursor(row=max(min(self.cursor_row + direction * step, self.row_count - 1), 0))


class EmailList(Vertical):
    """A record's emails: the table, a line under it saying what is going on, and an error box."""

    DEFAULT_CSS = """
    EmailList {
        border: round $border-blurred;
        border-title-color: $text;
        border-subtitle-color: $text-muted;
        height: 1fr;
    }
    EmailList:focus-within {
        border: round $border;
    }
    EmailList #email-list-note {
        display: none;
        padding: 0 1;
        color: $text-muted;
    }
    EmailList.-empty EmailTable {
        display: none;
    }
    EmailList.-empty #email-list-note {
        display: block;
        height: 1fr;
        content-align: center middle;
        text-align: center;
    }
    EmailList.-empty.-failed #email-list-note {
        display: none;
    }
    EmailList ErrorPanel {
        margin: 0;
    }
    """

    class Highlighted(Message):
        """The cursor is on `email`."""

        def __init__(self, email: Email) -> None:
            super().__init__()
            self.email = email

    class Opened(Message):
        """Enter (or a click on the highlighted row) on `email`."""

        def __init__(self, email: Email) -> None:
            super().__init__()
            self.email = email

    class NearEnd(Message):
        """The cursor or the viewport is within a page of the last row: time to load more."""

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, EmailList.NearEnd)

    def __init__(self, *, now: Callable[[], datetime] | None = None, id: str | None = None) -> None:
        """`now` tells the local date and time (whether a row's date shows its year); the app's clock."""
        super().__init__(id=id)
        self._now = now or (lambda: datetime.now().astimezone())
        self._emails: dict[str, Email] = {}
        self._order: list[str] = []
        self._time_width = MIN_TIME_WIDTH
        self._table_width = 0

    def compose(self):
        yield EmailTable(id="email-table", cursor_type="row", zebra_stripes=False, cell_padding=1)
        yield Static(id="email-list-note", markup=False)
        yield ErrorPanel(title="Could not load emails", id="email-list-error")

    @guarded
    def on_mount(self) -> None:
        self.watch(self.table, "scroll_y", self._viewport_moved, init=False)
        self.set_class(True, "-empty")

    @property
    def table(self) -> EmailTable:
        return self.query_one(EmailTable)

    @property
    def error_panel(self) -> ErrorPanel:
        return self.query_one(ErrorPanel)

    # --- what is shown ---------------------------------------------------------------

    @property
    def emails(self) -> list[Email]:
        return [self._emails[i] for i in self._order]

    @property
    def count(self) -> int:
        return len(self._order)

    @property
    def cursor_email(self) -> Email | None:
        table = self.table
        if not 0 <= table.cursor_row < len(self._order):
            return None
        return self._emails[self._order[table.cursor_row]]

    @property
    def view_top(self) -> float:
        """How far the rows are scrolled (to put the view back where it was)."""
        return self.table.scroll_y

    def show_emails(self, emails: Sequence[Email], *, cursor_id: str | None = None, scroll_y: float = 0) -> None:
        """Replace every row; put the cursor back on `cursor_id` and the viewport at `scroll_y`."""
        table = self.table
        self._emails = {}
        self._order = []
        table.clear(columns=True)
        self._time_width = self._measure_times(emails, MIN_TIME_WIDTH)
        self._add_columns()
        self._append(emails)
        row = self._order.index(cursor_id) if cursor_id in self._emails else 0
        if self._order:
            # Place the viewport first, then the cursor, so the cursor does not drag the view to the top.
            table.scroll_to(y=scroll_y, animate=False, immediate=True, force=True)
            table.move_cursor(row=row, scroll=False)
            table.call_after_refresh(self._restore_view, scroll_y, row)
        self.set_class(not self._order, "-empty")
        self.call_after_refresh(self.check_near_end)

    def _restore_view(self, scroll_y: float, row: int) -> None:
        table = self.table
        table.scroll_to(y=scroll_y, animate=False, force=True)
        if row < table.row_count:
            top = table.scroll_y
            if not top <= row < top + max(table.visible_rows, 1):
                table.move_cursor(row=row, scroll=True)

    def add_emails(self, emails: Iterable[Email]) -> int:
        """Append the emails not shown yet (a page retried or overlapping adds no duplicate)."""
        fresh = [e for e in emails if e.message_id not in self._emails]
        if not fresh:
            return 0
        if self._measure_times(fresh, self._time_width) > self._time_width:
            # A wider time appeared: rebuild so the column fits it.
            email, scroll_y = self.cursor_email, self.table.scroll_y
            self.show_emails(self.emails + fresh, cursor_id=email.message_id if email else None, scroll_y=scroll_y)
            return len(fresh)
        self._append(fresh)
        self.set_class(not self._order, "-empty")
        self.call_after_refresh(self.check_near_end)
        return len(fresh)

    def set_note(self, note: str | Text) -> None:
        """What an empty list says in its middle: "loading emails…", "No emails on this record."."""
        self.query_one("#email-list-note", Static).update(note)

    def set_progress(self, progress: str) -> None:
        """The end of the list (its bottom border): "loading more…", "end — 250 emails", "offline — …"."""
        self.border_subtitle = progress

    def show_error(self, error: ZohoError, *, action: str | None = None, title: str = "Could not load emails") -> None:
        """An error box under the rows (at the top when there are none)."""
        self.error_panel.show_error(error, action=action, title=title)
        self.add_class("-failed")

    def clear_error(self) -> None:
        if self.error_panel.error is not None:
            self.error_panel.clear_error()
        self.remove_class("-failed")

    # --- rows ------------------------------------------------------------------------

    def _measure_times(self, emails: Iterable[Email], at_least: int) -> int:
        now = self._now()
        widths = [cell_len(short_time(e.time, now=now)) for e in emails if e.time is not None]
        return max([at_least, *widths])

    def _add_columns(self) -> None:
        table = self.table
        self._table_width = self._content_width()
        widths = column_widths(self._table_width, self._time_width, table.cell_padding)
        for key in COLUMNS:
            table.add_column(Text(LABELS[key]), width=widths[key], key=key)

    def _content_width(self) -> int:
        """The table's width inside the list's border, less its scrollbar (hidden while empty)."""
        width = self.scrollable_content_region.width - self.table.styles.scrollbar_size_vertical
        # Before the first layout nothing has a size: assume an 80-column terminal.
        return max(width if width > 0 else 76, 40)

    def _append(self, emails: Iterable[Email]) -> None:
        table = self.table
        widths = column_widths(self._table_width, self._time_width, table.cell_padding)
        for email in emails:
            if email.message_id in self._emails:
                continue
            self._emails[email.message_id] = email
            self._order.append(email.message_id)
            table.add_row(*self._cells(email, widths), key=email.message_id)

    def _cells(self, email: Email, widths: dict[str, int]) -> list[Text]:
        table = self.table
        styles = RowStyles(
            bounced=table.get_component_rich_style("email-table--bounced", partial=True),
            muted=table.get_component_rich_style("email-table--muted", partial=True),
        )
        return row_cells(email, widths, styles, now=self._now())

    # --- events ----------------------------------------------------------------------

    def _email_of(self, row_key: object) -> Email | None:
        """The email of a row event; None for the events a cleared table sends (row -1, no key)."""
        value = getattr(row_key, "value", None)
        return self._emails.get(value) if isinstance(value, str) else None

    @on(DataTable.RowHighlighted, "#email-table")
    @guarded
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        email = self._email_of(event.row_key)
        if email is not None:
            self.post_message(self.Highlighted(email))
        self.check_near_end()

    @on(DataTable.RowSelected, "#email-table")
    @guarded
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        email = self._email_of(event.row_key)
        if email is not None:
            self.post_message(self.Opened(email))

    @guarded
    def _viewport_moved(self, _scroll_y: float) -> None:
        self.check_near_end()

    @guarded
    def on_resize(self, event: events.Resize) -> None:
        if self._order and self._content_width() != self._table_width:
            email, scroll_y = self.cursor_email, self.table.scroll_y
            self.show_emails(self.emails, cursor_id=email.message_id if email else None, scroll_y=scroll_y)
        elif not self._order:
            self._table_width = 0
        self.call_after_refresh(self.check_near_end)

    @property
    def near_end(self) -> bool:
        """Fewer than a page of rows lie below the cursor or the bottom of the viewport."""
        table = self.table
        if not self.is_mounted or not self.display:
            return False
        last_seen = max(max(table.cursor_row, -1) + 1, int(table.scroll_y) + table.visible_rows)
        return len(self._order) - last_seen < EMAILS_PER_PAGE

    def check_near_end(self) -> None:
        if self.near_end:
            self.post_message(self.NearEnd())
