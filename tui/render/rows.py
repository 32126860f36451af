"""One email as a row of the list: the columns, their widths, and each cell's text.

Pure functions (no Textual): the list widget asks for widths when its size changes and
for a row's cells when the row comes into view. Server text goes through `one_line`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from rich.style import Style
from rich.text import Text

from tui.render.dates import SHORT_TIME_WIDTH, short_time
from tui.render.email_text import status_label
from tui.render.safe import one_line
from tui.zoho.models import Email, Person

# Single-width in every terminal font (a paperclip emoji is double-width and misaligns rows).
ATTACHMENT_MARK = "+"
COLUMNS = ("time", "from", "to", "subject", "status", "attachment")
LABELS = {"time": "Time", "from": "From", "to": "To", "subject": "Subject", "status": "Status", "attachment": ""}
_STATUS_WIDTH = 10  # "opened ×12", "delivered", "scheduled"
MIN_TIME_WIDTH = 5


def column_widths(width: int, time_width: int, cell_padding: int = 1) -> dict[str, int]:
    """Content width of each column for a table `width` cells wide: the subject takes what is left."""
    usable = width - 2 * cell_padding * len(COLUMNS)
    rest = max(usable - time_width - _STATUS_WIDTH - len(ATTACHMENT_MARK), 0)
    sender = min(max(rest * 28 // 100, 8), 26)
    to = min(max(rest * 20 // 100, 6), 22)
    return {
        "time": time_width,
        "from": sender,
        "to": to,
        "subject": max(rest - sender - to, 10),
        "status": _STATUS_WIDTH,
        "attachment": len(ATTACHMENT_MARK),
    }


def recipients_cell(people: Sequence[Person], width: int, style: Style | str = "") -> Text:
    """The first recipient cut to fit, then "+N" for the others, which is never cut."""
    if not people:
        return Text("—", style=style, end="")
    suffix = f" +{len(people) - 1}" if len(people) > 1 else ""
    name = Text(one_line(people[0].display), style=style, end="")
    name.truncate(max(width - len(suffix), 1), overflow="ellipsis")
    name.append(suffix)
    return name


@dataclass(frozen=True, slots=True)
class RowStyles:
    bounced: Style  # the whole row of an email that bounced
    muted: Style  # the time, and "(no subject)"


def row_cells(email: Email, widths: dict[str, int], styles: RowStyles, *, now: datetime | None = None) -> list[Text]:
    """The cells of `email`'s row, in COLUMNS order; `now` decides whether the time shows its year."""
    style = styles.bounced if email.bounced is not None else Style()

    def cell(text: str | None, cell_style: Style = style) -> Text:
        return Text(one_line(text), style=cell_style, no_wrap=True, overflow="ellipsis", end="")

    time = short_time(email.time, now=now) if email.time else "—"
    subject = email.subject if email.subject and email.subject.strip() else None
    return [
        cell(time, style + styles.muted if email.bounced is None else style),
        cell(email.sender.display if email.sender else "—"),
        recipients_cell(email.to, widths["to"], style),
        cell(subject) if subject else cell("(no subject)", style + styles.muted),
        cell(status_label(email.status), style + Style(bold=email.bounced is not None)),
        cell(ATTACHMENT_MARK if email.has_attachment else ""),
    ]


def time_width(emails: Iterable[Email]) -> int:
    """The time column's width for `emails`: every `short_time` is SHORT_TIME_WIDTH wide ("Nov 20 14:05",
    "Nov 20  2025"), so the first email with a time decides it, without formatting 50,000 times."""
    return SHORT_TIME_WIDTH if any(email.time is not None for email in emails) else MIN_TIME_WIDTH
