"""The emails of one record as a table: one line per email, drawn only while in view.

`EmailTable` is a `RowTable` of the record model's own `Email` list, held by
reference: no cells are kept per row, a row's cells are made when it scrolls into
view, so a record of 50,000 emails scrolls, grows and refreshes as fast as one of
ten. The list never fetches anything: the record screen hands it emails and tells
it what to say at the end of the rows ("loading more…", "end — 250 emails") and
which error to show. It reports the highlighted email, an Enter, and when the
cursor or the viewport comes within a page of the last row (`NearEnd`, merged when
several are queued).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from itertools import islice
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from rich.text import Text
from textual import events, on
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from tui.render.rows import (
    COLUMNS,
    LABELS,
    MARK_GLYPHS,
    MIN_TIME_WIDTH,
    RowStyles,
    column_widths,
    row_cells,
    time_width,
)
from tui.widgets.error_panel import ErrorPanel
from tui.widgets.guard import guarded
from tui.widgets.row_table import RowTable
from tui.zoho.catalog import EMAILS_PER_PAGE
from tui.zoho.errors import ZohoError
from tui.zoho.models import Email

if TYPE_CHECKING:
    from tui.widgets.conversation_table import ConversationTable


@runtime_checkable
class IndexedEmails(Protocol):
    """Rows that know their message ids and where each is (tui.session.rows.EmailRows)."""

    @property
    def ids(self) -> Sequence[str]: ...

    def index_of(self, message_id: str | None) -> int | None: ...


class EmailTable(RowTable[Email]):
    """The rows: vim keys beside the arrows, PgUp/PgDn, Home/End; the cells from `tui.render.rows`."""

    # One binding per move with words for the help screen, so each is one line there ("↑ k  Previous email").
    # Keys in the order help lists them (the order DataTable's merged bindings had).
    BINDINGS = [
        Binding("up,k", "cursor_up", "Previous email", show=False, id="email_list.up"),
        Binding("down,j", "cursor_down", "Next email", show=False, id="email_list.down"),
        Binding("home,ctrl+home,g", "scroll_top", "First email", show=False, id="email_list.first"),
        Binding("end,ctrl+end,G", "last_email", "Last email (loads every email)", show=False, id="email_list.last"),
        Binding("pageup", "page_up", "Page up", show=False, id="email_list.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="email_list.page_down"),
        Binding("enter", "open_email", "Open", id="email_list.open"),
        Binding("ctrl+d", "half_page(1)", "Half a page down", show=False, id="email_list.half_down"),
        Binding("ctrl+u", "half_page(-1)", "Half a page up", show=False, id="email_list.half_up"),
    ]

    COMPONENT_CLASSES = {
        "email-table--bounced",
        "email-table--muted",
        "email-table--done",
        "email-table--flagged",
        "email-table--todo",
    }

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
    EmailTable > .email-table--done {
        color: $text-success;
    }
    EmailTable > .email-table--flagged {
        color: $text-warning;
        text-style: bold;
    }
    EmailTable > .email-table--todo {
        color: $text-accent;
        text-style: bold;
    }
    """

    def __init__(
        self, *, now: Callable[[], datetime], mark_of: Callable[[str], str | None] | None = None, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self._now = now
        self._mark_of = mark_of or (lambda _message_id: None)
        self.time_width = MIN_TIME_WIDTH

    def column_labels(self) -> list[Text]:
        return [Text(LABELS[key]) for key in COLUMNS]

    def column_widths(self, width: int) -> list[int]:
        widths = column_widths(width, self.time_width, self.cell_padding)
        return [widths[key] for key in COLUMNS]

    def render_cells(self, row: Email, widths: Sequence[int]) -> list[Text]:
        styles = RowStyles(
            bounced=self.component_style("email-table--bounced", partial=True),
            muted=self.component_style("email-table--muted", partial=True),
            marks={state: self.component_style(f"email-table--{state}", partial=True) for state in MARK_GLYPHS},
        )
        mark = self._mark_of(row.message_id)
        return row_cells(row, dict(zip(COLUMNS, widths)), styles, now=self._now(), mark=mark)

    @guarded
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_email":
            return self.row_count > 0  # no "Open" in the footer while there is nothing to open
        return True

    @guarded
    def action_open_email(self) -> None:
        self.action_select_row()  # an action of its own name: help lists it with the email keys, not the moves

    @guarded
    def action_last_email(self) -> None:
        """The last email listed; the record screen also starts loading the rest when there is more."""
        self.action_scroll_bottom()
        self.post_message(EmailList.ToEnd())


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
    EmailList ConversationTable, EmailList.-conversations EmailTable {
        display: none;
    }
    EmailList.-conversations ConversationTable {
        display: block;
    }
    EmailList.-empty EmailTable, EmailList.-empty ConversationTable {
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

    class ToEnd(Message):
        """G or End: the person wants the last email (of the record, not only of what is loaded)."""

    class NearEnd(Message):
        """The cursor or the viewport is within a page of the last row: time to load more."""

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, EmailList.NearEnd)

    def __init__(
        self,
        *,
        now: Callable[[], datetime] | None = None,
        mark_of: Callable[[str], str | None] | None = None,
        on_highlight: Callable[[Email], None] | None = None,
        id: str | None = None,
    ) -> None:
        """`now` tells the local date and time (whether a row's date shows its year); the app's clock.
        `mark_of(message_id)` is the person's mark on an email (done, flagged, todo or None).
        `on_highlight(email)`: the cursor is on `email`, told at once when a move put it there (in place of the
        Highlighted message: a detail pane that follows is drawn in the move's frame, not one frame later)."""
        super().__init__(id=id, classes="-empty")  # born empty: no restyling of the list as it mounts
        self._now = now or (lambda: datetime.now().astimezone())
        self._table = EmailTable(now=self._now, mark_of=mark_of, id="email-table")
        self._on_highlight = on_highlight
        self._told: Email | None = None  # the email `on_highlight` heard of last, by a move
        if on_highlight is not None:
            self._table.on_cursor = self._cursor_landed
        self._conversations: ConversationTable | None = None  # made once asked for (`conversations`)
        self._error_panel = ErrorPanel(title="Could not load emails", id="email-list-error")
        self._ids: set[str] = set()  # the message ids shown: a page retried or overlapping adds no duplicate

    def compose(self):
        yield self._table
        yield Static(id="email-list-note", markup=False)

    def mount_hidden(self) -> None:
        """Mount what the list shows only on demand (the conversation view, an error box): after its first
        paint, not with it (each widget mounted costs the first frame its styling, hidden or not). Until then
        they are set up unmounted, and show what they were told once mounted."""
        if self._error_panel.parent is None:
            self.mount(self.conversations, after=self._table)
            self.mount(self._error_panel)

    @guarded
    def on_mount(self) -> None:
        self.watch(self.table, "scroll_y", self._viewport_moved, init=False)

    @property
    def table(self) -> EmailTable:
        return self._table

    @property
    def conversations(self) -> ConversationTable:
        """The conversation view's table (shown instead of the rows while `conversations_on`)."""
        if self._conversations is None:
            from tui.widgets.conversation_table import ConversationTable  # here: not needed for the first frame

            self._conversations = ConversationTable(now=self._now, id="conversation-table")
        return self._conversations

    @property
    def conversations_on(self) -> bool:
        return self.has_class("-conversations")

    def show_conversation_view(self, on: bool) -> None:
        """Show the conversations instead of the rows (or the rows again), with the focus where the list's was."""
        self.mount_hidden()
        had_focus = self._table.has_focus or self.conversations.has_focus
        self._told = None
        self.set_class(on, "-conversations")
        if had_focus:
            (self.conversations if on else self._table).focus()

    @on(events.DescendantFocus)
    @guarded
    def _focus_shown_table(self, event: events.DescendantFocus) -> None:
        # The screen focuses `table` (the list's rows): in the conversation view, the conversations take it.
        if event.widget is self._table and self.conversations_on:
            self.conversations.focus()

    @property
    def error_panel(self) -> ErrorPanel:
        return self._error_panel

    # --- what is shown ---------------------------------------------------------------

    @property
    def emails(self) -> list[Email]:
        """The emails shown, in order (a copy)."""
        return list(islice(self.table.rows, self.table.row_count))

    @property
    def count(self) -> int:
        return self.table.row_count

    @property
    def cursor_email(self) -> Email | None:
        table = self.table
        return table.row_at(table.cursor_row)

    @property
    def view_top(self) -> float:
        """How far the rows are scrolled (to put the view back where it was)."""
        return self.table.scroll_y

    def show_emails(self, emails: Sequence[Email], *, cursor_id: str | None = None, scroll_y: float = 0) -> None:
        """Show `emails` (the caller's sequence, held, not copied: append to it, then call `add_emails`);
        the cursor back on `cursor_id` and the viewport at `scroll_y`."""
        table = self.table
        row = 0
        if isinstance(emails, IndexedEmails):
            # A record model's rows, parsed only when drawn: their ids and positions come without parsing.
            self._ids = set(emails.ids)
            row = emails.index_of(cursor_id) or 0
        else:
            self._ids = {e.message_id for e in emails}
            if cursor_id in self._ids:
                row = next(i for i, e in enumerate(emails) if e.message_id == cursor_id)
        self._set_time_width(time_width(emails, self._now()))
        self._told = None  # rows shown anew: their cursor's email is told again, even the same one
        table.show_rows(emails, cursor_row=row, scroll_y=scroll_y)
        self.set_class(not emails, "-empty")
        self.call_after_refresh(self.check_near_end)

    def add_emails(self, emails: Iterable[Email]) -> int:
        """Show the emails not shown yet after the others (a page retried or overlapping adds no duplicate).

        The usual caller has appended them to the sequence it gave `show_emails` already: they are not copied.
        """
        fresh: list[Email] = []
        for email in emails:
            if email.message_id not in self._ids:
                self._ids.add(email.message_id)
                fresh.append(email)
        if not fresh:
            return 0
        if self.table.time_width < (width := time_width(fresh, self._now())):
            self._set_time_width(width)
        self.table.append_rows(fresh)
        self.set_class(False, "-empty")
        self.call_after_refresh(self.check_near_end)
        return len(fresh)

    def shows(self, emails: Sequence[Email]) -> bool:
        """`emails` is the very sequence the list holds (rows appended to it can be shown by `rows_grown`)."""
        return self.table.rows is emails

    def rows_grown(self) -> None:
        """Rows were appended to the sequence given to `show_emails` (the rest of a stored list, 49,800 rows
        of JSON text): show them without reading them."""
        emails = self.table.rows
        shown = self.table.row_count
        added = emails.ids[shown:] if isinstance(emails, IndexedEmails) else [e.message_id for e in emails[shown:]]
        self._ids.update(added)
        if self.table.time_width < (width := time_width(emails, self._now())):
            self._set_time_width(width)
        self.table.rows_grown()
        self.set_class(not emails, "-empty")
        self.call_after_refresh(self.check_near_end)

    def _set_time_width(self, width: int) -> None:
        if width != self.table.time_width:
            self.table.time_width = width
            self.table.columns_changed()

    def marks_changed(self) -> None:
        """A mark was set or cleared: draw the rows in view again."""
        self.table.columns_changed()

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

    # --- events ----------------------------------------------------------------------

    def _email_of(self, index: int, row: object) -> Email | None:
        """The email a table message is about; None when the rows were replaced since it was sent."""
        email = self.table.row_at(index)
        return email if email is row else None

    @on(EmailTable.Highlighted, "#email-table")
    @guarded
    def _row_highlighted(self, event: EmailTable.Highlighted) -> None:
        event.stop()
        email = self._email_of(event.index, event.row)
        if email is not None and not self.conversations_on:  # hidden rows: the conversations say what is read
            if self._on_highlight is None:
                self.post_message(self.Highlighted(email))
            elif email is self.cursor_email and email is not self._told:
                self._tell(email)  # the rows were shown anew (no move): told now
        self.check_near_end()

    def _cursor_landed(self, _index: int, email: Email) -> None:
        if not self.conversations_on:
            self._tell(email)

    def _tell(self, email: Email) -> None:
        assert self._on_highlight is not None
        self._told = email
        self._on_highlight(email)

    @on(EmailTable.Selected, "#email-table")
    @guarded
    def _row_selected(self, event: EmailTable.Selected) -> None:
        event.stop()
        email = self._email_of(event.index, event.row)
        if email is not None:
            self.post_message(self.Opened(email))

    @guarded
    def _viewport_moved(self, _scroll_y: float) -> None:
        self.check_near_end()

    @guarded
    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self.check_near_end)

    @property
    def near_end(self) -> bool:
        """Fewer than a page of rows lie below the cursor or the bottom of the viewport."""
        table = self.table
        if not self.is_mounted or not self.display:
            return False
        last_seen = max(max(table.cursor_row, -1) + 1, int(table.scroll_y) + table.visible_rows)
        return table.row_count - last_seen < EMAILS_PER_PAGE

    def check_near_end(self) -> None:
        if self.near_end:
            self.post_message(self.NearEnd())
