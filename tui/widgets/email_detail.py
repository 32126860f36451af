"""One email in full: headers, status timeline, Zia's reading, attachments, then the body.

The headers come first, straight from the list row, so something useful is on
screen before the detail call returns. The body is converted to text (html2text
for HTML) in a thread worker, because a 2 MB newsletter takes seconds; meanwhile
the pane says "rendering…". The converted lines go into `BodyView`, which
renders only the lines in view, so a huge body scrolls as fast as a short one.
Nothing here calls the API: the record screen hands in models.
"""

from __future__ import annotations

import io
from collections import OrderedDict

from rich.console import Console, RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.binding import Binding
from textual.containers import Vertical
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import Worker, get_current_worker

from tui.render.detail import body_lines, header_renderable, info_rows, label_grid
from tui.render.safe import clean, one_line
from tui.widgets.error_panel import ErrorPanel
from tui.zoho.errors import ZohoError
from tui.zoho.models import Email, EmailDetail
from tui.widgets.guard import guarded

RENDERING = "rendering…"
LOADING = "loading…"
_FALLBACK_WIDTH = 78
_BODY_CACHE_SIZE = 16  # converted bodies kept per (message_id, width): a 2 MB one is converted once


def render_strips(renderable: RenderableType, width: int, style: Style | None = None) -> list[Strip]:
    """Lines of `renderable` wrapped at `width`, on a private console (safe in a thread)."""
    console = Console(
        width=width, file=io.StringIO(), force_terminal=True, color_system="truecolor", legacy_windows=False
    )
    options = console.options.update(width=width, highlight=False)
    lines = console.render_lines(renderable, options, style=style, pad=False)
    return [Strip(line, Segment.get_line_length(line)) for line in lines]


def body_strips(detail: EmailDetail, width: int) -> list[Strip]:
    """The body converted (HTML through html2text) and wrapped. Slow for big HTML: call from a thread."""
    return render_strips(Text(body_lines(detail, width), overflow="fold", end=""), width)


class LineView(ScrollView):
    """Pre-rendered lines, drawn only where they are in view: cheap to update, cheap to scroll."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines: list[Strip] = []

    @property
    def line_count(self) -> int:
        return len(self._lines)

    @property
    def text_width(self) -> int:
        return self.scrollable_content_region.width or _FALLBACK_WIDTH

    def set_lines(self, lines: list[Strip], *, keep_position: bool = False) -> None:
        self._lines = lines
        # Lines are wrapped to the view: its width (not the longest line's) keeps the size, and the layout, still.
        width = max(self.scrollable_content_region.width, max((line.cell_length for line in lines), default=0))
        self.virtual_size = Size(width, len(lines))
        if not keep_position:
            self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        style = self.rich_style
        if index >= len(self._lines):
            return Strip.blank(width, style)
        return self._lines[index].crop_extend(scroll_x, scroll_x + width, style).apply_style(style)


class HeaderView(LineView, can_focus=False):
    """Subject, people, date, status: as tall as its lines (at most half the pane; the wheel scrolls the rest)."""

    DEFAULT_CSS = """
    HeaderView {
        height: auto;
        max-height: 50%;
        padding: 0 1;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
        border-bottom: hkey $border-blurred;
    }
    """

    def set_lines(self, lines: list[Strip], *, keep_position: bool = False) -> None:
        # A fixed height changes the layout only when the number of lines does.
        self.styles.height = len(lines) + 1  # and the rule under them
        super().set_lines(lines, keep_position=keep_position)


class BodyView(LineView, can_focus=True):
    """The email's text; scrolls on its own."""

    BINDINGS = [
        Binding("j,down", "scroll_down", "Scroll down", show=False, id="email_body.down"),
        Binding("k,up", "scroll_up", "Scroll up", show=False, id="email_body.up"),
        Binding("space,pagedown", "page_down", "Page down", show=False, id="email_body.page_down"),
        Binding("b,pageup", "page_up", "Page up", show=False, id="email_body.page_up"),
        Binding("g,home", "scroll_home", "Top of the email", show=False, id="email_body.top"),
        Binding("G,end", "scroll_end", "End of the email", show=False, id="email_body.end"),
    ]

    DEFAULT_CSS = """
    BodyView {
        height: 1fr;
        padding: 0 1;
        scrollbar-size-vertical: 1;
        scrollbar-gutter: stable;
        overflow-x: hidden;
    }
    """


class EmailDetailView(Vertical):
    """The right-hand (or full-screen) pane: one email."""

    COMPONENT_CLASSES = {
        "email-detail--label",
        "email-detail--subject",
        "email-detail--bounced",
        "email-detail--note",
    }

    DEFAULT_CSS = """
    EmailDetailView {
        border: round $border-blurred;
        border-title-color: $text;
        height: 1fr;
    }
    EmailDetailView:focus-within {
        border: round $border;
    }
    EmailDetailView > .email-detail--label {
        color: $text-muted;
    }
    EmailDetailView > .email-detail--subject {
        text-style: bold;
        color: $text;
    }
    EmailDetailView > .email-detail--bounced {
        color: $text-error;
        text-style: bold;
    }
    EmailDetailView > .email-detail--note {
        color: $text-muted;
        text-style: italic;
    }
    EmailDetailView ErrorPanel {
        margin: 0;
    }
    EmailDetailView.-blank HeaderView {
        display: none;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Email"
        self.email: Email | None = None
        self.detail: EmailDetail | None = None
        self.rendering = False
        self.state = "blank"  # blank, loading, detail, error
        self._token = 0
        self._bodies: OrderedDict[tuple[str, int], list[Strip]] = OrderedDict()
        # Conversions under way by (message_id, width): coming back to an email attaches to its conversion.
        self._converting: dict[tuple[str, int], Worker] = {}
        # The body the pane waits for: (key, token it was asked under, keep_position).
        self._waiting: tuple[tuple[str, int], int, bool] | None = None
        self._info_width = 0
        self._below_info: list[Strip] = []  # the body (or a note) under the info rows
        self._attachment_notes: dict[tuple[str, str], str] = {}

    def compose(self):
        yield HeaderView(id="detail-header")
        yield ErrorPanel(title="Could not load this email", id="detail-error")
        yield BodyView(id="detail-body")

    @guarded
    def on_mount(self) -> None:
        self.show_nothing("No email selected.")

    @property
    def body(self) -> BodyView:
        return self.query_one(BodyView)

    @property
    def message_id(self) -> str | None:
        return self.email.message_id if self.email else None

    def _styles(self) -> dict[str, Style]:
        style = self.get_component_rich_style
        return {
            "label": style("email-detail--label", partial=True),
            "subject": style("email-detail--subject", partial=True),
            "bounced": style("email-detail--bounced", partial=True),
            "note": style("email-detail--note", partial=True),
        }

    # --- what is shown ---------------------------------------------------------------

    def show_nothing(self, note: str) -> None:
        """No email: just a line saying why."""
        self._token += 1
        self.email = self.detail = None
        self.rendering = False
        self.state = "blank"
        self.add_class("-blank")
        self._clear_error()
        self.body.set_lines(self._note_lines(note))

    def show_email(self, email: Email) -> None:
        """The headers from the list row at once; the body follows with `show_detail`."""
        self._token += 1
        self.email, self.detail = email, None
        self.rendering = False
        self.state = "loading"
        self.remove_class("-blank")
        self._clear_error()
        self._update_header()
        # Only a note until the email arrives: one line, so passing rows quickly costs no layout.
        self.body.set_lines(self._note_lines(LOADING))

    def show_detail(self, email: Email, detail: EmailDetail | None) -> None:
        """Everything: headers, info lines and the body (converted off the UI thread)."""
        if self.email is None or self.email.message_id != email.message_id or self.detail is not detail:
            self._token += 1
        self.email, self.detail = email, detail
        self.state = "detail"
        self.remove_class("-blank")
        self._clear_error()
        self._update_header()
        self._show_body(keep_position=False)

    def show_error(self, email: Email, error: ZohoError, *, action: str | None = None) -> None:
        """The detail call failed: the row's headers stay, the error sits where the body would be."""
        if self.email is None or self.email.message_id != email.message_id:
            self.show_email(email)
        self._token += 1
        self.rendering = False
        self.state = "error"
        self.query_one(ErrorPanel).show_error(error, action=action)
        self._set_body([], keep_position=False)

    def _clear_error(self) -> None:
        panel = self.query_one(ErrorPanel)
        if panel.error is not None:  # clearing an empty panel would still cost a layout
            panel.clear_error()

    def _update_header(self) -> None:
        assert self.email is not None
        header = self.query_one(HeaderView)
        header.set_lines(render_strips(header_renderable(self.email, self.detail, self._styles()), header.text_width))

    def _note_lines(self, note: str) -> list[Strip]:
        return render_strips(Text(note, style=self._styles()["note"]), self.body.text_width)

    def _info_lines(self) -> list[Strip]:
        if self.email is None:
            return []
        message_id = self.email.message_id
        notes = {a: note for (m, a), note in self._attachment_notes.items() if m == message_id}
        rows = info_rows(self.email, self.detail, self._styles(), notes)
        width = self.body.text_width
        self._info_width = width
        if not rows:
            return []
        lines = render_strips(label_grid(rows, self._styles()["label"]), width)
        rule = Strip([Segment("─" * width, self._styles()["label"])], width)
        return [*lines, rule]

    def _set_body(self, lines: list[Strip], *, keep_position: bool) -> None:
        """The info rows, then `lines` (the body, or a note where it will be)."""
        self._below_info = lines
        self.body.set_lines(self._info_lines() + lines, keep_position=keep_position)

    def set_attachment_note(self, message_id: str, attachment_id: str, note: str) -> None:
        """How saving an attachment goes, shown after its size (kept for when the email is shown again)."""
        self._attachment_notes[(message_id, attachment_id)] = note
        if self.message_id == message_id and self.state == "detail":
            self._set_body(self._below_info, keep_position=True)

    def _show_body(self, *, keep_position: bool) -> None:
        detail = self.detail
        if detail is None:
            self.rendering = False
            self._set_body(
                self._note_lines("Zoho returned nothing for this email (it may have been deleted)."),
                keep_position=keep_position,
            )
            return
        width = self.body.text_width
        key = (detail.message_id, width)
        cached = self._bodies.get(key)
        if cached is not None:
            self._bodies.move_to_end(key)
            self._waiting = None
            self.rendering = False
            self._set_body(cached, keep_position=keep_position)
            return
        self.rendering = True
        self._waiting = (key, self._token, keep_position)
        self._set_body(self._note_lines(RENDERING), keep_position=keep_position)
        running = self._converting.get(key)
        if running is None or running.is_finished or running.is_cancelled:
            # One conversion per (message_id, width), however often the person comes back to it.
            self._converting[key] = self._convert_body(detail, width)

    @work(thread=True, group="body", exit_on_error=False)
    def _convert_body(self, detail: EmailDetail, width: int) -> None:
        try:
            lines = body_strips(detail, width)
        except Exception as exc:  # a converter bug must not take the app down: show the text as it is
            lines = render_strips(
                Text(f"The body could not be converted ({one_line(type(exc).__name__)}); its text follows.\n\n")
                + Text(clean(detail.content)),
                width,
            )
        if get_current_worker().is_cancelled:
            return  # the pane was removed
        try:
            self.app.call_from_thread(self._body_ready, (detail.message_id, width), lines)
        except RuntimeError:
            pass  # the app closed while the body was converting

    def _body_ready(self, key: tuple[str, int], lines: list[Strip]) -> None:
        # Kept even when the person has moved on: coming back must not convert it again.
        self._converting.pop(key, None)
        self._bodies[key] = lines
        self._bodies.move_to_end(key)
        while len(self._bodies) > _BODY_CACHE_SIZE:
            self._bodies.popitem(last=False)
        if self._waiting is None:
            return
        wanted, token, keep_position = self._waiting
        if wanted != key or token != self._token or self.state != "detail":
            return  # another email (or width) is on screen now
        self._waiting = None
        self.rendering = False
        self._set_body(lines, keep_position=keep_position)

    @guarded
    def on_resize(self, event: events.Resize) -> None:
        # Text is wrapped to the pane: wrap it again when the pane's width changed.
        if self.email is None or self.body.text_width == self._info_width:
            return
        self._update_header()
        self._token += 1
        if self.state == "detail":
            self._show_body(keep_position=True)
        elif self.state == "loading":
            self.body.set_lines(self._note_lines(LOADING), keep_position=True)
        else:
            self._set_body([], keep_position=True)
