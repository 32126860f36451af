"""One email as a row of the list: the columns, their widths, and each cell's text.

Pure functions (no Textual): the list widget asks for widths when its size changes and
for a row's cells when the row comes into view. Server text goes through `one_line`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import msgspec
from rich.style import Style
from rich.text import Text

from tui.render.dates import LIST_DATE_WIDTH, LIST_DATE_YEAR_WIDTH, SHORT_TIME_WIDTH, list_date, short_time, this_year
from tui.render.email_text import failed, short_status
from tui.render.safe import one_line
from tui.zoho.models import Email, Person

# Single-width in every terminal font (a paperclip emoji is double-width and misaligns rows).
ATTACHMENT_MARK = "+"
MARK_WIDTH = 1
# The person's own marks, one cell each and told apart without colour.
MARK_GLYPHS = {"done": "✓", "flagged": "⚑", "todo": "☐"}
MARK_WORDS = {"done": "done", "flagged": "flagged", "todo": "to do"}
COLUMNS = ("mark", "time", "from", "to", "subject", "status", "attachment")
LABELS = {
    "mark": "", "time": "Date", "from": "From", "to": "To", "subject": "Subject", "status": "Status", "attachment": "",
}
STATUS_WIDTH = 9  # "opened×12", "delivered", "scheduled"
MIN_TIME_WIDTH = 5
# Below this many cells the To column goes (its recipients are in the email's header).
NARROW_TABLE = 70
# The date gets its time of day ("Nov 20 06:44") only when the subject keeps this much room.
ROOMY_SUBJECT = 48


def column_widths(width: int, time_width: int, cell_padding: int = 1) -> dict[str, int]:
    """Content width of each column for a table `width` cells wide: the subject takes what is left.

    A column given 0 is not drawn (To, below NARROW_TABLE cells). `time_width` is what the dates
    need (`time_width()`); with room to spare it grows to the date and time of day.
    """
    narrow = width < NARROW_TABLE
    drawn = len(COLUMNS) - narrow
    usable = width - 2 * cell_padding * drawn
    rest = max(usable - MARK_WIDTH - STATUS_WIDTH - len(ATTACHMENT_MARK), 0)

    def people(rest: int) -> tuple[int, int]:
        sender = min(max(rest * 22 // 100, 8), 24)
        return sender, 0 if narrow else min(max(rest * 16 // 100, 6), 20)

    if time_width > MIN_TIME_WIDTH and rest - SHORT_TIME_WIDTH - sum(people(rest - SHORT_TIME_WIDTH)) >= ROOMY_SUBJECT:
        time_width = SHORT_TIME_WIDTH
    rest = max(rest - time_width, 0)
    sender, to = people(rest)
    return {
        "mark": MARK_WIDTH,
        "time": time_width,
        "from": sender,
        "to": to,
        "subject": max(rest - sender - to, 10),
        "status": STATUS_WIDTH,
        "attachment": len(ATTACHMENT_MARK),
    }


def mark_label(state: str, note: str | None = None) -> str:
    """"⚑ flagged — call back Monday": the glyph, the state in words, the note (made one safe line)."""
    label = f"{MARK_GLYPHS.get(state, '?')} {MARK_WORDS.get(state, one_line(state))}"
    return f"{label} — {one_line(note)}" if note and one_line(note) else label


def recipients_cell(people: Sequence[Person], width: int, style: Style | str = "") -> Text:
    """The first recipient cut to fit, then "+N" for the others, which is never cut."""
    if not people:
        return Text("—", style=style, end="")
    suffix = f" +{len(people) - 1}" if len(people) > 1 else ""
    name = Text(one_line(people[0].display), style=style, end="")
    name.truncate(max(width - len(suffix), 1), overflow="ellipsis")
    name.append(suffix)
    return name


class RowStyles(msgspec.Struct, frozen=True):
    """The styles a list row is drawn with, from the table's component classes."""

    bounced: Style  # the whole row of an email that bounced or failed
    muted: Style  # the time, and "(no subject)"
    marks: Mapping[str, Style] = msgspec.field(default_factory=dict)  # each mark's glyph, by state


def row_cells(
    email: Email, widths: dict[str, int], styles: RowStyles, *, now: datetime | None = None, mark: str | None = None
) -> list[Text]:
    """The cells of `email`'s row, in COLUMNS order; `now` decides whether the date shows its year, `mark`
    is the person's mark on it (done, flagged, todo)."""
    alarming = email.bounced is not None or failed(email.status)
    style = styles.bounced if alarming else Style()

    def cell(text: str | None, cell_style: Style = style) -> Text:
        return Text(one_line(text), style=cell_style, no_wrap=True, overflow="ellipsis", end="")

    if not email.time:
        time = "—"
    elif widths["time"] >= SHORT_TIME_WIDTH:
        time = short_time(email.time, now=now)
    else:
        time = list_date(email.time, now=now)
    subject = email.subject if email.subject and email.subject.strip() else None
    glyph = MARK_GLYPHS.get(mark or "", "")
    return [
        Text(glyph, style=styles.marks.get(mark or "", Style()), end=""),
        # Our own text ("Nov 20  2025" aligns its year by a double space `one_line` would fold).
        Text(time, style=style + styles.muted if not alarming else style, no_wrap=True, end=""),
        cell(email.sender.display if email.sender else "—"),
        recipients_cell(email.to, widths["to"], style),
        cell(subject) if subject else cell("(no subject)", style + styles.muted),
        cell(short_status(email.status, widths["status"]), style + Style(bold=alarming)),
        cell(ATTACHMENT_MARK if email.has_attachment else ""),
    ]


def time_width(emails: Sequence[Email], now: datetime | None = None) -> int:
    """The date column's width for `emails`, newest first: "Nov 20" when the newest and the oldest dated
    email are of this year, room for "2025-11-20" when one is not. Two emails are read, not 50,000."""
    newest = next((e.time for e in emails if e.time is not None), None)
    if newest is None:
        return MIN_TIME_WIDTH
    oldest = next(e.time for e in reversed(emails) if e.time is not None)
    if this_year(newest, now) and this_year(oldest, now):
        return LIST_DATE_WIDTH
    return LIST_DATE_YEAR_WIDTH
