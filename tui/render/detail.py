"""One email as text for the detail pane: the headers, the facts above the body, and the body.

Pure functions from models to Rich renderables and strings (no Textual): the detail
pane wraps them into lines. Server text goes through `one_line`/`clean`, never markup.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len, chop_cells
from rich.console import RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text

from tui.render.dates import full_time
from tui.render.email_text import failed, status_facts, status_label
from tui.render.html import LINKS_HEADING, body_text
from tui.render.rows import mark_label
from tui.render.safe import clean, one_line
from tui.render.sizes import human_size
from tui.zoho.models import BouncedStatus, Email, EmailDetail, Person

if TYPE_CHECKING:
    from tui.store.marks import Mark

_FACT_INDENT = "  "  # a status's facts (first, last, reason…) under it
_FACT_LABEL_WIDTH = 12
_LINK_LINE = re.compile(r"\[\d+\] \S+")  # a line of the "Links:" list under an HTML body


def _people(people: Sequence[Person]) -> str:
    return ", ".join(one_line(p.full) for p in people)


def label_grid(rows: Sequence[tuple[str, RenderableType]], label_style: Style) -> Table:
    """Labels in a column of their own, values beside them (a long value wraps under itself)."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style=label_style)
    grid.add_column(overflow="fold")
    for label, value in rows:
        grid.add_row(Text(label, end=""), value)
    return grid


def status_summary(email: Email, detail: EmailDetail | None) -> tuple[str, bool]:
    """One line for the header: why it bounced when it did, else the most telling status; and whether
    it is alarming (it bounced or failed)."""
    statuses = email.status or (detail.status if detail else ())
    bounce = next((s for s in statuses if isinstance(s, BouncedStatus)), None)
    if bounce is None:
        return status_label(statuses), failed(statuses)
    why = " · ".join(one_line(part).rstrip(".") for part in (bounce.reason, bounce.category) if part and part.strip())
    return (f"bounced: {why}" if why else "bounced"), True


def header_renderable(
    email: Email, detail: EmailDetail | None, styles: dict[str, Style], mark: Mark | None = None
) -> RenderableType:
    """Subject, people, date and status in a line: what the list row (and the detail) tell; and the
    person's own mark with its note."""
    subject = one_line((detail.subject if detail else None) or email.subject) or "(no subject)"
    sender = (detail.sender if detail else None) or email.sender
    to = (detail.to if detail else ()) or email.to
    cc = (detail.cc if detail else ()) or email.cc
    when = email.time or (detail.sent_time if detail else None)
    rows: list[tuple[str, Text]] = [("From", Text(one_line(sender.full) if sender else "—"))]
    rows.append(("To", Text(_people(to) or "—")))
    if cc:
        rows.append(("Cc", Text(_people(cc))))
    if detail and detail.reply_to:
        rows.append(("Reply-To", Text(one_line(detail.reply_to.full))))
    summary, bounced = status_summary(email, detail)
    verb = "scheduled for" if summary == "scheduled" else "sent"  # a scheduled email has not left yet
    rows.append(("Date", Text(full_time(when, verb=verb) if when else "—")))
    rows.append(("Status", Text(summary, style=styles["bounced"] if bounced else "")))
    if mark is not None:
        rows.append(("Mark", Text(mark_label(mark.state, mark.note), style=styles.get("mark", ""))))
    table = Table.grid()
    table.add_column(overflow="fold")
    table.add_row(Text(subject, style=styles["subject"]))
    table.add_row(label_grid(rows, styles["label"]))
    return table


def _fact(label: str, value: str, style: Style) -> Table:
    """One fact of a status ("reason", "…"): the label indented, the value in a column of its own."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, min_width=len(_FACT_INDENT) + _FACT_LABEL_WIDTH)
    grid.add_column(overflow="fold")
    grid.add_row(Text(_FACT_INDENT + label, style=style, end=""), Text(value, style=style, end=""))
    return grid


def info_rows(
    email: Email, detail: EmailDetail | None, styles: dict[str, Style], notes: Mapping[str, str] | None = None
) -> list[tuple[str, RenderableType]]:
    """The status timeline, owner, source, linked record, Zia's reading and attachments: above the body.

    `notes` by attachment id say how saving it goes ("saving… 40%", "saved to …").
    """
    statuses = email.status or (detail.status if detail else ())
    bounced = any(isinstance(s, BouncedStatus) for s in statuses)
    style = styles["bounced"] if bounced else Style()
    # Each status on its line, each of its facts as label and value: a long value (a bounce reason)
    # wraps under the value, not under the label. status_facts' text is already safe.
    rows: list[tuple[str, RenderableType]] = [
        ("Timeline" if n == 0 else "", Text(text, style=style) if value is None else _fact(text, value, style))
        for n, (text, value) in enumerate(status_facts(statuses))
    ]
    if email.owner and (email.owner.name or email.owner.id):
        rows.append(("Owner", Text(one_line(email.owner.name or email.owner.id))))
    if email.source:
        rows.append(("Source", Text(one_line(email.source))))
    linked = email.linked_record
    if linked and (linked.name or linked.id):
        where = f" ({one_line(linked.module)})" if linked.module else ""
        rows.append(("Record", Text(one_line(linked.name or linked.id) + where)))
    for label, value in (
        ("Zia summary", (detail.summary if detail else None) or email.summary),
        ("Intent", (detail.intent if detail else None) or email.intent),
        ("Sentiment", (detail.sentiment if detail else None) or email.sentiment),
        ("Emotion", (detail.emotion if detail else None) or email.emotion),
    ):
        if value and value.strip():
            rows.append((label, Text(clean(value).strip())))
    if detail is not None:
        for n, attachment in enumerate(detail.attachments):
            line = Text(one_line(attachment.name) or "(unnamed)")
            line.append(f"  {human_size(attachment.size)}", style=styles["label"])
            if notes and attachment.id in notes:
                line.append(f"  · {notes[attachment.id]}", style=styles["note"])
            rows.append(("Attached" if n == 0 else "", line))
    elif email.has_attachment:
        rows.append(("Attached", Text("(names and sizes come with the full email)", style=styles["label"])))
    return rows


def keep_link_numbers(text: str, width: int) -> str:
    """In the "Links:" list, `[4] ` stays on the line where its URL starts.

    Word wrapping would break after `[4]` and start a long URL on the next line;
    a link line too long for `width` is cut by cells instead (as folding would cut
    the URL anyway). The URL's characters are left as they are.
    """
    start = text.rfind(LINKS_HEADING + "\n")
    if start < 0 or (start > 0 and text[start - 1] != "\n"):
        return text
    head, listed = text[:start], text[start:].split("\n")
    for n, line in enumerate(listed):
        if _LINK_LINE.fullmatch(line) and cell_len(line) > width:
            listed[n] = "\n".join(chop_cells(line, width))
    return head + "\n".join(listed)


def body_lines(detail: EmailDetail, width: int) -> str:
    """The body as text wrapped for `width` columns, link numbers kept with their URLs. Slow for big HTML."""
    return keep_link_numbers(body_text(detail, width), width)
