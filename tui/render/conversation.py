"""A conversation as text for the detail pane: what it is about, then its emails oldest first, quotes folded.

Pure functions (no Textual): the pane hands in each email's body lines as converted
for its width (or a note where a body is not here yet) and draws what comes back.
Server text goes through `one_line`, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len, chop_cells
from rich.console import RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text

from tui.render.dates import local_time
from tui.render.detail import label_grid
from tui.render.email_text import status_label
from tui.render.quotes import folded_lines
from tui.render.safe import one_line
from tui.session.conversations import Conversation
from tui.zoho.models import Email

NOT_READ = "(not read yet)"


def conversation_header(conversation: Conversation, styles: dict[str, Style]) -> RenderableType:
    """Subject, how many emails over what time, and who took part."""
    subject = one_line(conversation.subject) or "(no subject)"
    oldest, newest = conversation.oldest_first[0], conversation.emails[0]
    count = conversation.count
    span = local_time(oldest.time) if oldest.time else "—"
    if count > 1:
        span += f" → {local_time(newest.time) if newest.time else '—'}"
    rows: list[tuple[str, Text]] = [("Emails", Text(f"{count} · {span}"))]
    people = ", ".join(one_line(p.display) for p in conversation.participants)
    rows.append(("People", Text(people or "—")))
    table = Table.grid()
    table.add_column(overflow="fold")
    table.add_row(Text(subject, style=styles["subject"]))
    table.add_row(label_grid(rows, styles["label"]))
    return table


def email_heading(email: Email, width: int) -> str:
    """"── Ada Lovelace · Tue 2026-10-27 15:31 UTC · opened ──────": one email's place in the conversation."""
    sender = one_line(email.sender.display) if email.sender else "—"
    parts = [sender, local_time(email.time) if email.time else "—"]
    status = status_label(email.status)
    if status != "—":
        parts.append(status)
    head = "── " + " · ".join(parts) + " "
    room = width - cell_len(head)
    return head + "─" * room if room > 0 else chop_cells(head, max(width - 1, 1))[0] + "…"


@dataclass(frozen=True, slots=True)
class Part:
    """One line of the conversation as the pane shows it: a heading, a body line or a note."""

    text: str
    kind: str  # "heading", "body" or "note"


def conversation_parts(bodies: Sequence[tuple[Email, Sequence[str] | str]], width: int) -> list[Part]:
    """Each email (oldest first) under its heading: its body's lines with the quotes folded, or a note
    (`str`) where its body is not here ("(not read yet)", "rendering…")."""
    parts: list[Part] = []
    for n, (email, body) in enumerate(bodies):
        if n:
            parts.append(Part("", "body"))
        parts.append(Part(email_heading(email, width), "heading"))
        if isinstance(body, str):
            parts.append(Part(body, "note"))
            continue
        for line, folded in folded_lines(_trimmed(body)):
            parts.append(Part(line, "note" if folded else "body"))
    return parts


def _trimmed(lines: Sequence[str]) -> list[str]:
    """Without the blank lines at the start and the end."""
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return list(lines[start:end])
