"""The record's emails as conversations: one line each, its emails as indented rows when expanded.

A `RowTable` of `ConversationLine`s (tui.session.conversations). It draws and moves;
the record screen groups the emails and hands the conversations in
(`show_conversations`), keeping the cursor on the email (or conversation) it was
on. Enter or → expands a conversation, ← or Enter on its line collapses it;
Enter on one of its emails opens that email, as in the flat list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.message import Message

from tui.render.dates import SHORT_TIME_WIDTH, short_time
from tui.render.rows import RowStyles, recipients_cell
from tui.render.safe import one_line
from tui.session.conversations import Conversation, ConversationLine, conversation_lines, line_of
from tui.widgets.guard import guarded
from tui.widgets.row_table import RowTable

COLLAPSED, EXPANDED = "▸", "▾"
_COUNT_WIDTH = 5  # "▸ 123"


def conversation_widths(width: int, cell_padding: int = 1) -> list[int]:
    """Content widths of the columns (count, time, people, subject) for a table `width` cells wide."""
    usable = width - 2 * cell_padding * 4
    rest = max(usable - _COUNT_WIDTH - SHORT_TIME_WIDTH, 0)
    people = min(max(rest * 32 // 100, 10), 40)
    return [_COUNT_WIDTH, SHORT_TIME_WIDTH, people, max(rest - people, 10)]


def conversation_cells(
    line: ConversationLine, widths: Sequence[int], styles: RowStyles, *, now: datetime | None = None
) -> list[Text]:
    """A conversation's line (marker and count, latest time, people, subject) or one of its emails, indented."""

    def cell(text: str, style: Style | str = "") -> Text:
        return Text(text, style=style, no_wrap=True, overflow="ellipsis", end="")

    conversation, email = line.conversation, line.email
    if email is None:
        marker = " " if conversation.count == 1 else (EXPANDED if line.expanded else COLLAPSED)
        latest = conversation.latest
        subject = one_line(conversation.subject)
        return [
            cell(f"{marker} {conversation.count}", styles.muted),
            cell(short_time(latest, now=now) if latest else "—", styles.muted),
            recipients_cell(conversation.participants, widths[2]),
            cell(subject) if subject else cell("(no subject)", styles.muted),
        ]
    style = styles.bounced if email.bounced is not None else Style()
    sender = one_line(email.sender.display) if email.sender else "—"
    subject = one_line(email.subject)
    return [
        cell(""),
        cell(short_time(email.time, now=now) if email.time else "—", style or styles.muted),
        cell("  " + sender, style),
        cell("  " + subject, style) if subject else cell("  (no subject)", style + styles.muted),
    ]


class ConversationTable(RowTable[ConversationLine]):
    """Conversations, newest first; a conversation's emails under it when it is expanded."""

    BINDINGS = [
        Binding("up,k", "cursor_up", "Previous line", show=False, id="conversations.up"),
        Binding("down,j", "cursor_down", "Next line", show=False, id="conversations.down"),
        Binding("home,ctrl+home,g", "scroll_top", "First conversation", show=False, id="conversations.first"),
        Binding("end,ctrl+end,G", "last_line", "Last conversation (loads every email)", show=False,
                id="conversations.last"),
        Binding("pageup", "page_up", "Page up", show=False, id="conversations.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="conversations.page_down"),
        Binding("ctrl+d", "half_page(1)", "Half a page down", show=False, id="conversations.half_down"),
        Binding("ctrl+u", "half_page(-1)", "Half a page up", show=False, id="conversations.half_up"),
        Binding("enter", "enter", "Expand / open", id="conversations.enter"),
        Binding("right,l", "expand", "Expand", show=False, id="conversations.expand"),
        Binding("left,h", "collapse", "Collapse", show=False, id="conversations.collapse"),
        Binding("v", "read", "Read conversation", show=False, id="conversations.read"),
    ]

    COMPONENT_CLASSES = {"conversation-table--bounced", "conversation-table--muted"}

    DEFAULT_CSS = """
    ConversationTable {
        height: 1fr;
        scrollbar-size-vertical: 1;
        scrollbar-gutter: stable;
        scrollbar-size-horizontal: 0;
        overflow-x: hidden;
    }
    ConversationTable > .conversation-table--bounced {
        color: $text-error;
    }
    ConversationTable > .conversation-table--muted {
        color: $text-muted;
    }
    """

    class LineHighlighted(Message):
        """The cursor is on `line` (a conversation, or one of its emails)."""

        def __init__(self, line: ConversationLine) -> None:
            super().__init__()
            self.line = line

    class EmailOpened(Message):
        """Enter on an email of an expanded conversation."""

        def __init__(self, line: ConversationLine) -> None:
            super().__init__()
            self.line = line

    class ReadAsked(Message):
        """v: read the conversation under the cursor in the pane (full-screen when the terminal is narrow)."""

        def __init__(self, line: ConversationLine) -> None:
            super().__init__()
            self.line = line

    class NearEnd(Message):
        """The person moved within a screen of the last line: more emails may make more conversations."""

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ConversationTable.NearEnd)

    class ToEnd(Message):
        """G or End: the last conversation, after every email is loaded."""

    def __init__(self, *, now: Callable[[], datetime], id: str | None = None) -> None:
        super().__init__(id=id)
        self._now = now
        self.conversations: list[Conversation] = []
        self._expanded: set[str] = set()  # message ids of the expanded conversations' emails
        self._lines: list[ConversationLine] = []

    # --- what is shown ---------------------------------------------------------------

    @property
    def lines(self) -> Sequence[ConversationLine]:
        return self._lines

    @property
    def cursor_line(self) -> ConversationLine | None:
        return self.row_at(self.cursor_row)

    def show_conversations(self, conversations: list[Conversation], *, anchor: str | None, on_email: bool) -> None:
        """Show `conversations`, the cursor on the line of `anchor` (a message id): its own row when `on_email`
        and its conversation is expanded, else its conversation's line. The view keeps its scroll."""
        self.conversations = conversations
        self._lines = conversation_lines(conversations, self._expanded)
        row = line_of(self._lines, anchor, on_email=on_email)
        self.show_rows(self._lines, cursor_row=row, scroll_y=self.scroll_y)

    def _reshow(self, anchor: str, *, on_email: bool) -> None:
        self.show_conversations(self.conversations, anchor=anchor, on_email=on_email)

    # --- cells -----------------------------------------------------------------------

    def column_labels(self) -> list[Text]:
        return [Text(""), Text("Latest"), Text("People"), Text("Subject")]

    def column_widths(self, width: int) -> list[int]:
        return conversation_widths(width, self.cell_padding)

    def render_cells(self, row: ConversationLine, widths: Sequence[int]) -> list[Text]:
        styles = RowStyles(
            bounced=self.component_style("conversation-table--bounced", partial=True),
            muted=self.component_style("conversation-table--muted", partial=True),
        )
        return conversation_cells(row, widths, styles, now=self._now())

    # --- actions ---------------------------------------------------------------------

    def _set_expanded(self, line: ConversationLine, expanded: bool) -> None:
        if line.conversation.count < 2:
            return
        if expanded:
            self._expanded.update(line.conversation.ids)
        else:
            self._expanded.difference_update(line.conversation.ids)
        # Collapsing from one of its emails puts the cursor on the conversation's line.
        self._reshow(line.anchor if expanded else line.conversation.emails[0].message_id, on_email=False)

    @guarded
    def action_enter(self) -> None:
        line = self.cursor_line
        if line is None:
            return
        if line.email is not None:
            self.post_message(self.EmailOpened(line))
        else:
            self._set_expanded(line, not line.expanded)

    @guarded
    def action_expand(self) -> None:
        line = self.cursor_line
        if line is not None and line.email is None and not line.expanded:
            self._set_expanded(line, True)

    @guarded
    def action_collapse(self) -> None:
        line = self.cursor_line
        if line is None:
            return
        if line.email is not None or line.expanded:
            self._set_expanded(line, False)

    @guarded
    def action_read(self) -> None:
        line = self.cursor_line
        if line is not None:
            self.post_message(self.ReadAsked(line))

    @guarded
    def action_last_line(self) -> None:
        self.action_scroll_bottom()
        self.post_message(self.ToEnd())

    # --- events ----------------------------------------------------------------------

    def _post_highlighted(self) -> None:
        line = self.cursor_line
        if line is not None:
            self.post_message(self.LineHighlighted(line))

    def _post_selected(self) -> None:
        self.action_enter()  # a click on the cursor's line: as Enter

    def move_cursor(self, *, row: int, scroll: bool = True) -> None:
        super().move_cursor(row=row, scroll=scroll)
        # Only the person's moves ask for more: a page that lands and adds no line must not ask for the next.
        self.check_near_end()

    def check_near_end(self) -> None:
        """Within a screen of the last line (the cursor or the view): ask for more."""
        if not self.display or not self.row_count:
            return
        last_seen = max(self.cursor_row + 1, int(self.scroll_y) + self.visible_rows)
        if self.row_count - last_seen < max(self.visible_rows, 1):
            self.post_message(self.NearEnd())
