"""One email in full: headers, status timeline, Zia's reading, attachments, then the body.

The headers come first, straight from the list row, so something useful is on
screen before the detail call returns; passing over rows redraws only the headers
(and nothing when they are the same). The body is converted to text (html2text for
HTML) off the UI thread; meanwhile the pane says "rendering…". html2text wraps the
text to the pane's width, and its lines are shown as they are (`tui.render.lines`):
nothing is wrapped twice. A big body (a 2 MB newsletter) is converted in a process
of its own, where it cannot hold the UI thread's GIL for a second, while the first
part of it, converted on its own in a moment, is shown at once. The lines go into
`BodyView`, which makes only the lines in view, so a huge body scrolls as fast as a
short one. Nothing here calls the API: the record screen hands in models.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Console, RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.binding import Binding
from textual.cache import LRUCache
from textual.containers import Vertical
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget
from textual.worker import Worker, get_current_worker

from tui.render.body_links import BodyLinks, find_links
from tui.render.safe import clean, one_line
from tui.widgets.error_panel import ErrorPanel
from tui.zoho.errors import ZohoError
from tui.zoho.models import Email, EmailDetail
from tui.widgets.guard import guarded

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from tui.session.conversations import Conversation
    from tui.store.marks import Mark

# Imported where first used (tui.render.detail, tui.render.lines and html2text behind them, the
# process pool): none of it is on screen before the first email is, and start-up should not wait.

RENDERING = "rendering…"
RENDERING_REST = "rendering the rest…"
LOADING = "loading…"
FALLBACK_WIDTH = 78
_BODY_CACHE_SIZE = 16  # converted bodies kept per (message_id, width): a 2 MB one is converted once
_HEADER_CACHE_SIZE = 64  # headers drawn per (email, width): moving back and forth redraws none
# Rows passed closer together than this (a held key repeats every 30-40 ms) are not drawn one by
# one: the pane draws the row the cursor rests on, this long after it stopped. A single move, after
# the pane was still, is drawn at once.
PASSING_S = 0.06
# Bodies this long (characters) are converted in another process, their first part shown first.
BIG_BODY = 200_000
# The first part: about four screens of text of a newsletter, converted in milliseconds.
BODY_START = 32_000
# A conversion that has not answered by then is given up: the text is shown as it is.
BODY_PATIENCE_S = 120.0

Line = Strip | str  # a line of a LineView: drawn (a Strip), or plain text that fits the view
# Where a line's links are: (start, end, target) in characters. A target is a terminal hyperlink
# (OSC 8) there: a click opens it where the terminal supports it, and the whole target, however
# many lines it was cut over.
LinkSpans = Mapping[int, Sequence[tuple[int, int, str]]]


def render_strips(renderable: RenderableType, width: int, style: Style | None = None) -> list[Strip]:
    """Lines of `renderable` wrapped at `width`, on a private console (safe in a thread)."""
    console = Console(
        width=width, file=io.StringIO(), force_terminal=True, color_system="truecolor", legacy_windows=False
    )
    options = console.options.update(width=width, highlight=False)
    lines = console.render_lines(renderable, options, style=style, pad=False)
    return [Strip(line, Segment.get_line_length(line)) for line in lines]


def converted(detail: EmailDetail, width: int) -> list[str]:
    """The body's lines at `width`; when the converter fails, a line saying so and the text as it is."""
    from tui.render.lines import body_rows

    try:
        return body_rows(detail, width)
    except Exception as exc:  # a converter bug must not take the app down: show the text as it is
        return unconverted(detail, width, exc)


def unconverted(detail: EmailDetail, width: int, error: BaseException) -> list[str]:
    from tui.render.lines import fit

    why = one_line(type(error).__name__)
    return fit(f"The body could not be converted ({why}); its text follows.\n\n" + clean(detail.content), width)


class BodyConverter:
    """Converts big bodies in a process of its own, one at a time.

    html2text is pure Python: in a thread it holds the GIL for a second or more and the
    keys wait. The worker process is forked from a server that has the converter
    imported (`forkserver`; `spawn` where there is none). A worker that dies, or does not
    answer within BODY_PATIENCE_S, fails that conversion (the pane then shows the text as
    it is) and the next one gets a new worker.
    """

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None

    async def rows(self, detail: EmailDetail, width: int) -> list[str]:
        # Only what the conversion reads is sent: the raw answer would send the body twice.
        light = EmailDetail(detail.message_id, mail_format=detail.mail_format, content=detail.content)
        # Submitting starts the worker the first time (and the server it forks from): not on the UI thread.
        future: Future[list[str]] = await asyncio.to_thread(self._submit, light, width)
        from concurrent.futures.process import BrokenProcessPool

        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), BODY_PATIENCE_S)
        except asyncio.CancelledError:
            future.cancel()
            raise
        except (BrokenProcessPool, TimeoutError):
            self.shutdown()  # a worker that died or hangs: the next body gets a new one
            raise

    def _submit(self, detail: EmailDetail, width: int) -> Future[list[str]]:
        from tui.render.lines import body_rows

        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor
            from multiprocessing import resource_tracker

            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
            if context.get_start_method() == "forkserver":
                context.set_forkserver_preload(["tui.render.lines"])
            # multiprocessing's helper process is handed sys.stderr, which Textual replaces with an
            # object whose fileno() is -1 (starting it would fail): it gets /dev/null instead.
            with open(os.devnull, "w") as devnull, contextlib.redirect_stderr(devnull):
                resource_tracker.ensure_running()
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
        return self._pool.submit(body_rows, detail, width)

    def shutdown(self) -> None:
        """Stop the worker now, even mid-conversion (the app is quitting, or the worker is broken)."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        # Python 3.11 has no public way to stop a busy worker (3.14: terminate_workers).
        workers = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in workers:
            process.terminate()


def _linked_segments(line: str, spans: Sequence[tuple[int, int, str]]) -> list[Segment]:
    """`line` in segments, the parts that are links carrying their target."""
    segments: list[Segment] = []
    at = 0
    for start, end, target in sorted(spans):
        if start > at:
            segments.append(Segment(line[at:start]))
        segments.append(Segment(line[start:end], Style(link=target)))
        at = end
    if at < len(line):
        segments.append(Segment(line[at:]))
    return segments


class LineView(ScrollView):
    """Lines drawn only where they are in view: cheap to update, cheap to scroll.

    A line is a Strip (drawn already) or a plain string that fits the view (a body's
    line: a Strip is made for it when it comes into view, and kept a while).
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines: Sequence[Line] = []
        self._links: LinkSpans = {}
        self._strips: LRUCache[int, Strip] = LRUCache(256)  # a few screens: scrolling back draws nothing again

    @property
    def line_count(self) -> int:
        return len(self._lines)

    @property
    def text_width(self) -> int:
        return self.scrollable_content_region.width or FALLBACK_WIDTH

    @property
    def lines_text(self) -> list[str]:
        """The text of every line, as shown."""
        return [line if isinstance(line, str) else line.text for line in self._lines]

    def set_lines(self, lines: Sequence[Line], *, keep_position: bool = False, links: LinkSpans | None = None) -> None:
        self._lines = lines
        self._links = links or {}
        self._strips.clear()
        # Lines are wrapped to the view: its width (not the longest line's) keeps the size, and the layout, still.
        region = self.scrollable_content_region.width
        widest = max((line.cell_length for line in lines if not isinstance(line, str)), default=0)
        if not region:  # not laid out yet; once it is, the plain lines (made to fit it) are never wider
            widest = max(widest, max((cell_len(line) for line in lines if isinstance(line, str)), default=0))
        size = Size(max(region, widest), len(lines))
        if region and size != self.virtual_size:
            # The view's own size never follows its lines (its height is fixed or a fraction): new lines change
            # its scrollbar and how far it scrolls, not the layout, which `virtual_size` would redo for the
            # whole screen on every email the cursor passes.
            self.set_reactive(Widget.virtual_size, size)
            self._scroll_update(size)
        elif not region:
            self.virtual_size = size
        if not keep_position:
            self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()

    def _strip(self, index: int) -> Strip:
        line = self._lines[index]
        if isinstance(line, Strip):
            return line
        strip = self._strips.get(index)
        if strip is None:
            spans = self._links.get(index)
            if spans:
                strip = Strip(_linked_segments(line, spans), cell_len(line))
            else:
                strip = Strip([Segment(line)], cell_len(line)) if line else Strip([], 0)
            self._strips[index] = strip
        return strip

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        style = self.rich_style
        if index >= len(self._lines):
            return Strip.blank(width, style)
        return self._strip(index).crop_extend(scroll_x, scroll_x + width, style).apply_style(style)


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

    _fit = 0  # the height its lines take, with the rule under them
    _height = 0  # the height it has

    def set_lines(
        self, lines: Sequence[Line], *, keep_position: bool = False, links: LinkSpans | None = None, hold: bool = False
    ) -> None:
        """`hold`: grow if they need it, never shrink (rows passed: a height that changes at each row lays out
        the whole screen again, twice the cost of the move; `fit` once the email is drawn in full)."""
        self._fit = len(lines) + 1
        self._set_height(max(self._fit, self._height) if hold else self._fit)
        super().set_lines(lines, keep_position=keep_position, links=links)

    def fit(self) -> None:
        """As tall as its lines again (after rows passed with `hold`)."""
        self._set_height(self._fit)

    def _set_height(self, height: int) -> None:
        # A fixed height changes the layout only when it changes.
        if height != self._height:
            self._height = height
            self.styles.height = height


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
        "email-detail--mark",
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
    EmailDetailView > .email-detail--mark {
        text-style: bold;
    }
    EmailDetailView ErrorPanel {
        margin: 0;
    }
    EmailDetailView.-blank HeaderView, EmailDetailView.-header-inline HeaderView {
        display: none;
    }
    """

    def __init__(self, *, mark_of: Callable[[str], Mark | None] | None = None, id: str | None = None) -> None:
        """`mark_of(message_id)`: the person's mark on an email, shown in its header."""
        super().__init__(id=id, classes="-blank")  # born blank: no restyling of the pane as it mounts
        self._mark_of = mark_of or (lambda _message_id: None)
        self.border_title = "Email"
        self.email: Email | None = None
        self.detail: EmailDetail | None = None
        self.rendering = False  # the body is being converted (its first part may be shown: `preview`)
        self.preview = False  # the body's first part is shown while the rest converts
        self.state = "blank"  # blank, loading, detail, error, conversation
        self._blank_note = "No email selected."  # what a blank pane says (drawn as it mounts if told before)
        self._drawn = False  # its parts are mounted: it can draw (the record screen may tell it things before)
        self.conversation: Conversation | None = None  # shown while state is "conversation"
        self._conversation_details: Mapping[str, EmailDetail | None] = {}
        self._conversation_note: str | None = None
        # The shown conversation's bodies by (message_id, width): a long one must not push its own out of `_bodies`.
        self._conversation_bodies: dict[tuple[str, int], list[str]] = {}
        self._token = 0
        self._bodies: OrderedDict[tuple[str, int], tuple[list[str], BodyLinks]] = OrderedDict()
        self.links: BodyLinks | None = None  # of the body shown in full (None while it renders)
        # Conversions under way by (message_id, width): coming back to an email attaches to its conversion.
        self._converting: dict[tuple[str, int], Worker] = {}
        # The body the pane waits for: (key, token it was asked under, keep_position).
        self._waiting: tuple[tuple[str, int], int, bool] | None = None
        self._info_width = 0
        self._below_info: Sequence[Line] = []  # the body (or a note) under the info rows
        self._below_links: BodyLinks | None = None  # the links of `_below_info`, when it is a body
        self._attachment_notes: dict[tuple[str, str], str] = {}
        self._note_shown: tuple[str, int] | None = None  # the body is only this note, at this width
        self._headers: LRUCache[tuple[object, ...], list[Strip]] = LRUCache(_HEADER_CACHE_SIZE)
        self._header_shown: tuple[object, ...] | None = None
        self._header_lines: list[Strip] = []
        # In a short pane the headers would not fit above the body: they scroll with it, nothing hidden.
        self.header_inline = False
        self._converter = BodyConverter()
        self._position: str | None = None  # the title asked for with `show_position`
        self._last_move = -PASSING_S  # monotonic time of the last show_email
        self._passing: Timer | None = None  # draws the row the cursor rests on, once it rests
        self._error_panel = ErrorPanel(title="Could not load this email", id="detail-error")  # `mount_hidden`

    def compose(self):
        yield HeaderView(id="detail-header")
        yield BodyView(id="detail-body")

    def mount_hidden(self) -> None:
        """Mount the error box (hidden until a detail fails to load) after the first paint, not with it."""
        if self._error_panel.parent is None:
            self.mount(self._error_panel, before=self.body)

    @guarded
    def on_mount(self) -> None:
        self._drawn = True
        self.show_nothing(self._blank_note)

    @guarded
    def on_unmount(self) -> None:
        # The record screen closes, or the app quits: a conversion under way is stopped, not waited for.
        self._converter.shutdown()

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
            "mark": style("email-detail--mark", partial=True),
        }

    # --- what is shown ---------------------------------------------------------------

    def show_nothing(self, note: str) -> None:
        """No email: just a line saying why (the record screen may say it before the pane is mounted)."""
        self._blank_note = note
        if not self._drawn:
            self.email = self.detail = None
            self.state = "blank"
            return
        self._stop_passing()
        self._token += 1
        self.email = self.detail = None
        self.rendering = self.preview = False
        self.state = "blank"
        self.add_class("-blank")
        self._clear_error()
        self._apply_position()
        self._show_note(note)

    def show_email(self, email: Email) -> None:
        """The headers from the list row; the body follows with `show_detail`.

        Called for every row the cursor passes. A move after the pane was still is drawn at
        once; rows passed in a run (a held key) are not drawn one by one: the row the cursor
        rests on is, PASSING_S after the last move, with its title (`show_position`). Nothing
        is drawn when the same email is shown already, and only the headers otherwise.
        """
        if self.state == "loading" and self.email == email:
            return
        self._token += 1
        self.email, self.detail = email, None
        self.rendering = self.preview = False
        self.state = "loading"
        now = time.monotonic()
        passing, self._last_move = now - self._last_move < PASSING_S, now
        if passing:
            if self._passing is not None:
                self._passing.stop()
            self._passing = self.set_timer(PASSING_S, self._draw_passed, name="detail: the row at rest")
            return
        self._draw_loading()

    def _draw_loading(self) -> None:
        self._stop_passing()
        self.remove_class("-blank")
        self._clear_error()
        self._update_header()
        # Only a note until the email arrives: one line, so passing rows quickly costs no layout.
        self._show_note(LOADING)

    @guarded
    def _draw_passed(self) -> None:
        self._passing = None
        if self.state == "loading" and self.email is not None:
            self._draw_loading()

    def _stop_passing(self) -> None:
        if self._passing is not None:
            self._passing.stop()
            self._passing = None

    def show_position(self, title: str) -> None:
        """The pane's title ("Email 12 of 60+"), drawn when the pane shows that email in full.

        Setting `border_title` redraws the whole pane (72×45 at 160×48: 45% of a cursor move's
        cost when set for every row passed); the title is drawn with the email's detail (after
        the pause before it is fetched, or at once when it was read before), not for the headers
        of each row passed. Until then the title names the email shown in full last.
        """
        self._position = title
        if self.state in ("detail", "error", "blank", "conversation") and self._passing is None:
            self._apply_position()

    def _apply_position(self) -> None:
        if self._position is not None and self._position != self.border_title:
            self.border_title = self._position

    def show_detail(self, email: Email, detail: EmailDetail | None) -> None:
        """Everything: headers, info lines and the body (converted off the UI thread)."""
        if self.email is None or self.email.message_id != email.message_id or self.detail is not detail:
            self._token += 1
        self.email, self.detail = email, detail
        self.state = "detail"
        self.preview = False
        self._stop_passing()
        self.remove_class("-blank")
        self._clear_error()
        self._update_header()
        self._fit_header()
        self._apply_position()
        self._show_body(keep_position=False)

    def show_error(self, email: Email, error: ZohoError, *, action: str | None = None) -> None:
        """The detail call failed: the row's headers stay, the error sits where the body would be."""
        if self.email is None or self.email.message_id != email.message_id:
            self.show_email(email)
        if self._passing is not None:
            self._draw_loading()
        self._token += 1
        self.rendering = self.preview = False
        self.state = "error"
        self._fit_header()
        self._apply_position()
        self._error_panel.show_error(error, action=action)
        self._set_body([], keep_position=False)

    def _clear_error(self) -> None:
        panel = self._error_panel
        if panel.error is not None:  # clearing an empty panel would still cost a layout
            panel.clear_error()

    def _update_header(self) -> None:
        assert self.email is not None
        header = self.query_one(HeaderView)
        lines = self._header_at(self.body.text_width if self.header_inline else header.text_width)
        if lines is None:
            return  # the same headers at the same width: nothing to draw
        inline = self._too_tall(len(lines))
        if inline != self.header_inline:
            self.header_inline = inline
            self.set_class(inline, "-header-inline")
            # Drawn again at the width of where they go now (the body's, or the header's own).
            self._header_shown = None
            lines = self._header_at(self.body.text_width if inline else header.text_width) or lines
        self._header_lines = lines
        if not inline:
            header.set_lines(lines, hold=self.state == "loading")

    def _fit_header(self) -> None:
        """The email is drawn in full (or its error is): the headers take just their lines again."""
        if not self.header_inline:
            self.query_one(HeaderView).fit()

    def _header_at(self, width: int) -> list[Strip] | None:
        """The headers drawn at `width` (from the cache when drawn before); None when they are on screen."""
        assert self.email is not None
        mark = self._mark_of(self.email.message_id)
        key = (self.email, self.detail, width, self.app.theme, mark)
        if key == self._header_shown:
            return None
        lines = self._headers.get(key)
        if lines is None:
            from tui.render.detail import header_renderable

            lines = render_strips(header_renderable(self.email, self.detail, self._styles(), mark), width)
            self._headers[key] = lines
        self._header_shown = key
        return lines

    def _too_tall(self, header_lines: int) -> bool:
        """Whether the headers (and their rule) would need more than the half of the pane they may take."""
        height = self.content_size.height
        return bool(height) and header_lines + 1 > height // 2

    def _head_lines(self) -> list[Strip]:
        """The headers at the top of the body, when they scroll with it (a short pane); else none."""
        if not self.header_inline or not self._header_lines:
            return []
        width = self.body.text_width
        return [*self._header_lines, Strip([Segment("─" * width, self._styles()["label"])], width)]

    def mark_changed(self, message_id: str) -> None:
        """The person's mark on `message_id` changed: its header shows the new one."""
        if self.email is not None and self.email.message_id == message_id and self.state != "blank":
            self._update_header()
            if self.header_inline and self.state == "detail":
                self._show_body(keep_position=True)  # the headers scroll with the body: it carries them

    def _note_lines(self, note: str) -> list[Strip]:
        return render_strips(Text(note, style=self._styles()["note"]), self.body.text_width)

    def _show_note(self, note: str, *, keep_position: bool = False) -> None:
        """The body is just `note` (no info rows): drawn only when it is not on screen already."""
        shown = (note, self.body.text_width, self._header_shown if self.header_inline else None)
        self.links = None
        if self._note_shown == shown:
            return
        self.body.set_lines([*self._head_lines(), *self._note_lines(note)], keep_position=keep_position)
        self._note_shown = shown

    def _info_lines(self) -> list[Strip]:
        from tui.render.detail import info_rows, label_grid

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

    def _set_body(self, lines: Sequence[Line], *, keep_position: bool, links: BodyLinks | None = None) -> None:
        """The info rows, then `lines` (the body, or a note where it will be) and where its links are."""
        self._below_info, self._below_links = lines, links
        self.links = links
        self._note_shown = None
        above = [*self._head_lines(), *self._info_lines()]
        spans: dict[int, list[tuple[int, int, str]]] = {}
        if links is not None:
            for index, found in links.spans.items():
                spans[len(above) + index] = [(s.start, s.end, links.targets[s.link]) for s in found]
        self.body.set_lines([*above, *lines], keep_position=keep_position, links=spans)

    def set_attachment_note(self, message_id: str, attachment_id: str, note: str) -> None:
        """How saving an attachment goes, shown after its size (kept for when the email is shown again)."""
        self._attachment_notes[(message_id, attachment_id)] = note
        if self.message_id == message_id and self.state == "detail":
            self._set_body(self._below_info, keep_position=True, links=self._below_links)

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
            lines, links = cached
            self._set_body(lines, keep_position=keep_position, links=links)
            return
        self.rendering = True
        self._waiting = (key, self._token, keep_position)
        self._set_body(self._note_lines(RENDERING), keep_position=keep_position)
        running = self._converting.get(key)
        if running is None or running.is_finished or running.is_cancelled:
            # One conversion per (message_id, width), however often the person comes back to it.
            self._converting[key] = self._start_conversion(detail, width)

    def _start_conversion(self, detail: EmailDetail, width: int) -> Worker[None]:
        if len(detail.content or "") >= BIG_BODY:
            return self._convert_big_body(detail, width)
        return self._convert_body(detail, width)

    # Each worker is described in so many words: Textual's default description is the repr of its arguments, and
    # a 2 MB body's repr held the UI ~15 ms.
    @work(thread=True, group="body", exit_on_error=False, description="converting a body")
    def _convert_body(self, detail: EmailDetail, width: int) -> None:
        lines = converted(detail, width)
        links = find_links(lines, width)
        if get_current_worker().is_cancelled:
            return  # the pane was removed
        try:
            self.app.call_from_thread(self._body_ready, (detail.message_id, width), lines, links)
        except RuntimeError:
            pass  # the app closed while the body was converting

    @work(group="body", exit_on_error=False, description="converting a big body")
    async def _convert_big_body(self, detail: EmailDetail, width: int) -> None:
        """In another process; meanwhile its first part, converted here in a moment, is shown."""
        from tui.render.lines import body_start_rows

        key = (detail.message_id, width)
        whole = asyncio.ensure_future(self._converter.rows(detail, width))
        try:
            try:
                start = await asyncio.to_thread(body_start_rows, detail, width, BODY_START)
            except Exception:  # noqa: BLE001 - the whole body is on its way; the start is only a head start
                start = []
            if start and not whole.done():
                self._body_started(key, start)
            try:
                lines = await whole
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the worker failed, died or hung: the text as it is, never a wait
                lines = await asyncio.to_thread(unconverted, detail, width, error)
        finally:
            whole.cancel()
        links = await asyncio.to_thread(find_links, lines, width)
        self._body_ready(key, lines, links)

    def _wanted(self, key: tuple[str, int]) -> bool:
        """Whether the pane still waits for this body (the same email, width and showing)."""
        if self._waiting is None:
            return False
        wanted, token, _keep = self._waiting
        return wanted == key and token == self._token and self.state == "detail"

    def _body_started(self, key: tuple[str, int], lines: list[str]) -> None:
        if not self._wanted(key):
            return
        assert self._waiting is not None
        _key, token, keep_position = self._waiting
        self.preview = True
        self._set_body([*lines, "", *self._note_lines(RENDERING_REST)], keep_position=keep_position)
        self._waiting = (key, token, True)  # the whole body comes in where the person has scrolled to

    def _body_ready(self, key: tuple[str, int], lines: list[str], links: BodyLinks) -> None:
        # Kept even when the person has moved on: coming back must not convert it again.
        self._converting.pop(key, None)
        self._keep_body(key, lines, links)
        if not self._wanted(key):
            return  # another email (or width) is on screen now
        assert self._waiting is not None
        _key, _token, keep_position = self._waiting
        self._waiting = None
        self.rendering = self.preview = False
        self._set_body(lines, keep_position=keep_position, links=links)

    @guarded
    def on_resize(self, event: events.Resize) -> None:
        # Text is wrapped to the pane: wrap it again when the pane's width changed; and the headers go
        # into the body (or back above it) when the pane's height changed which fits them.
        if self.state == "conversation" and self.body.text_width != self._info_width:
            self._show_conversation(keep_position=True)
            return
        if self.email is None:
            return
        if self.body.text_width == self._info_width and self._too_tall(len(self._header_lines)) == self.header_inline:
            return
        self._header_shown = None  # decided again: above the body, or in it
        self._update_header()
        self._token += 1
        if self.state == "detail":
            self._show_body(keep_position=True)
        elif self.state == "loading":
            self._show_note(LOADING, keep_position=True)
        else:
            self._set_body([], keep_position=True)

    # --- a conversation ----------------------------------------------------------------

    def show_conversation(
        self, conversation: Conversation, details: Mapping[str, EmailDetail | None], *, note: str | None = None
    ) -> None:
        """A whole conversation, oldest first, quotes folded: the bodies in `details` (by message id; the
        others say they are not read yet), `note` above them (what reading the rest costs)."""
        same = self.state == "conversation" and self.conversation is not None and self.conversation.key == conversation.key
        self._stop_passing()
        self._token += 1
        self.email = self.detail = None
        self.rendering = self.preview = False
        self.state = "conversation"
        self.conversation, self._conversation_details, self._conversation_note = conversation, dict(details), note
        if not same:
            self._conversation_bodies = {}
        self.remove_class("-blank")
        self._clear_error()
        self._apply_position()
        self._show_conversation(keep_position=same)

    def _show_conversation(self, *, keep_position: bool) -> None:
        from tui.render.conversation import NOT_READ, conversation_header, conversation_parts

        conversation = self.conversation
        assert conversation is not None
        header = self.query_one(HeaderView)
        key = ("conversation", conversation, header.text_width, self.app.theme)
        if key != self._header_shown:
            lines = self._headers.get(key)
            if lines is None:
                lines = render_strips(conversation_header(conversation, self._styles()), header.text_width)
                self._headers[key] = lines
            self._header_shown = key
            header.set_lines(lines)
        width = self.body.text_width
        self._info_width = width
        bodies: list[tuple[Email, Sequence[str] | str]] = []
        to_convert: list[EmailDetail] = []
        for email in conversation.oldest_first:
            if email.message_id not in self._conversation_details:
                bodies.append((email, NOT_READ))
                continue
            detail = self._conversation_details[email.message_id]
            if detail is None:
                bodies.append((email, "(Zoho returned nothing for this email)"))
                continue
            key = (detail.message_id, width)
            cached = self._bodies.get(key)
            converted_lines = self._conversation_bodies.get(key) or (cached[0] if cached else None)
            if converted_lines is None:
                to_convert.append(detail)
                bodies.append((email, RENDERING))
            else:
                bodies.append((email, converted_lines))
        styles = self._styles()
        lines: list[Line] = []
        if self._conversation_note:
            lines.extend(self._note_lines(self._conversation_note))
            lines.append("")
        for part in conversation_parts(bodies, width):
            if part.kind == "body":
                lines.append(part.text)
            else:
                style = styles["label"] if part.kind == "heading" else styles["note"]
                lines.append(Strip([Segment(part.text, style)], cell_len(part.text)))
        self.rendering = bool(to_convert)
        self._note_shown = None
        self.body.set_lines(lines, keep_position=keep_position)
        if to_convert:
            self._convert_conversation(to_convert, width, self._token)

    @work(group="conversation-bodies", exclusive=True, exit_on_error=False, description="converting a conversation")
    async def _convert_conversation(self, details: list[EmailDetail], width: int, token: int) -> None:
        """The conversation's bodies not converted yet at this width, each shown as it is ready."""
        for detail in details:
            key = (detail.message_id, width)
            cached = self._bodies.get(key)
            lines = cached[0] if cached is not None else None
            if lines is None:
                try:
                    if len(detail.content or "") >= BIG_BODY:
                        lines = await self._converter.rows(detail, width)
                    else:
                        lines = await asyncio.to_thread(converted, detail, width)
                except asyncio.CancelledError:
                    raise
                except Exception as error:  # the worker failed, died or hung: the text as it is
                    lines = await asyncio.to_thread(unconverted, detail, width, error)
                self._keep_body(key, lines)
            if token != self._token or self.state != "conversation":
                return  # the person moved on: what was converted is kept for later
            self._conversation_bodies[key] = lines
        self._show_conversation(keep_position=True)

    def _keep_body(self, key: tuple[str, int], lines: list[str], links: BodyLinks | None = None) -> None:
        self._bodies[key] = (lines, links if links is not None else find_links(lines, key[1]))
        self._bodies.move_to_end(key)
        while len(self._bodies) > _BODY_CACHE_SIZE:
            self._bodies.popitem(last=False)
