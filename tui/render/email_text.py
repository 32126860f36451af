"""An email's status and recipients in words, for the list's columns and the detail pane.

Everything returned here has been through `one_line`/`clean`: server text
(unknown status names, bounce reasons, names) is safe to put in a Text.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, tzinfo
from typing import TypeVar

from tui.render.dates import NO_TIME, local_time
from tui.render.safe import one_line
from tui.zoho.models import (
    BouncedStatus,
    ClickedStatus,
    OpenedStatus,
    OtherStatus,
    Person,
    SentStatus,
    Status,
    parse_time,
)

NO_STATUS = "—"
NO_RECIPIENT = "—"
# The known type names of OtherStatus, most telling first (Zoho's names vary: "draft"/"drafts").
_OTHER_RANK = {"scheduled": 0, "draft": 1, "drafts": 1, "delivered": 2}
_LABEL_INDENT = "  "
_LABEL_WIDTH = 12

_S = TypeVar("_S")


def _first(statuses: Iterable[Status], kind: type[_S]) -> _S | None:
    return next((s for s in statuses if isinstance(s, kind)), None)


def _times(count: int | None) -> str:
    return f" ×{count}" if count is not None and count > 0 else ""


def _type_name(status: OtherStatus) -> str:
    return one_line(status.type).lower() or "unknown"


def status_label(statuses: Iterable[Status]) -> str:
    """The most telling status, for a list column: bounced > failed > clicked ×N > opened ×N >
    scheduled > draft > delivered > sent > any other type by name; "—" when there is none."""
    statuses = tuple(statuses)
    if _first(statuses, BouncedStatus):
        return "bounced"
    # A failed send matters more than having been sent: it is what the person must act on.
    if failed(statuses):
        return "failed"
    if clicked := _first(statuses, ClickedStatus):
        return "clicked" + _times(clicked.count)
    if opened := _first(statuses, OpenedStatus):
        return "opened" + _times(opened.count)
    others = [_type_name(s) for s in statuses if isinstance(s, OtherStatus)]
    known = sorted((n for n in others if n in _OTHER_RANK), key=_OTHER_RANK.__getitem__)
    if known:
        return "draft" if known[0] == "drafts" else known[0]
    if _first(statuses, SentStatus):
        return "sent"
    return others[0] if others else NO_STATUS


def failed(statuses: Iterable[Status]) -> bool:
    """Zoho could not send it (a status of type "failed"): shown like a bounce."""
    return any(isinstance(s, OtherStatus) and _type_name(s) == "failed" for s in statuses)


def short_status(statuses: Iterable[Status], width: int) -> str:
    """`status_label` in at most `width` cells where it can be: "opened×12", else "open×123"."""
    statuses = tuple(statuses)
    label = status_label(statuses)
    for verb, short, kind in (("clicked", "click", ClickedStatus), ("opened", "open", OpenedStatus)):
        if label.startswith(verb):
            found = _first(statuses, kind)
            count = found.count if found is not None and found.count else None
            if count is None:
                return verb
            return next((s for s in (f"{verb}×{count}", f"{short}×{count}") if len(s) <= width), f"{short}×{count}")
    return label


def recipients_label(people: Iterable[Person]) -> str:
    """The first recipient's name (or address) and how many more: "John Smith +1"; "—" for none."""
    shown = [name for name in (one_line(p.display) or one_line(p.email) for p in people) if name]
    if not shown:
        return NO_RECIPIENT
    return shown[0] if len(shown) == 1 else f"{shown[0]} +{len(shown) - 1}"


def status_lines(statuses: Iterable[Status], tz: tzinfo | None = None) -> list[str]:
    """The status timeline for the detail pane, one fact a line; [] when there is no status.

    Sent, then delivered, opened, clicked, bounced, then the rest in Zoho's
    order. Times are in the reader's zone (`tz`, default the local zone).
    """
    return [
        text if value is None else f"{_LABEL_INDENT}{text:<{_LABEL_WIDTH}} {value}"
        for text, value in status_facts(statuses, tz)
    ]


def status_facts(statuses: Iterable[Status], tz: tzinfo | None = None) -> list[tuple[str, str | None]]:
    """`status_lines` before it is aligned: (status, None) for each status, (label, value) for each of its
    facts. For a grid that wraps a long value (a bounce reason) under the value, not under the label."""
    ordered = sorted(statuses, key=_timeline_rank)
    facts: list[tuple[str, str | None]] = []
    for status in ordered:
        if isinstance(status, SentStatus):
            facts.append(("Sent", None))
        elif isinstance(status, OpenedStatus):
            facts.append(("Opened" + _times(status.count), None))
            facts += _details((("first", status.first_open), ("last", status.last_open)), tz)
        elif isinstance(status, ClickedStatus):
            facts.append(("Clicked" + _times(status.count), None))
            facts += _details((("first", status.first_click), ("last", status.last_click)), tz)
        elif isinstance(status, BouncedStatus):
            facts.append(("Bounced", None))
            facts += _details(
                (
                    ("when", status.bounced_time),
                    ("reason", status.reason),
                    ("category", status.category),
                    ("sub-category", status.sub_category),
                ),
                tz,
            )
        else:
            facts.append((_type_name(status).capitalize(), None))
            facts += _details(((key.replace("_", " "), value) for key, value in status.fields), tz)
    return facts


def _timeline_rank(status: Status) -> int:
    if isinstance(status, SentStatus):
        return 0
    if isinstance(status, OtherStatus) and _type_name(status) == "delivered":
        return 1
    ranks = {OpenedStatus: 2, ClickedStatus: 3, BouncedStatus: 4}
    return ranks.get(type(status), 5)


def _details(facts: Iterable[tuple[str, str | datetime | None]], tz: tzinfo | None) -> list[tuple[str, str]]:
    """(label, value) for the facts that have a value; times in the reader's zone."""
    details = []
    for label, value in facts:
        if isinstance(value, str):
            # Unknown statuses carry their times as strings: show them like the known ones.
            value = parse_time(value) or one_line(value)
        text = local_time(value, tz) if isinstance(value, datetime) else value
        if text and text != NO_TIME:
            details.append((one_line(label), text))
    return details
