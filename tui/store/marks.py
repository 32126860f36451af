"""The person's own marks on emails: done, flagged or to do, with an optional one-line note.

Kept in the local store by scope (profile + org) and message id, never sent anywhere:
the app stays read-only towards Zoho. Pure data; no SQL here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

MARK_STATES = ("done", "flagged", "todo")


class Mark(msgspec.Struct, frozen=True):
    """The person's mark on an email, its note, and when it was set."""

    state: str  # done, flagged, todo
    note: str | None
    at: float  # when it was set (epoch seconds)


def one_line_note(note: str | None) -> str | None:
    """A note as kept: its words on one line; None when it has none."""
    return " ".join(note.split()) or None if note else None


def mark_json(mark: Mark) -> dict[str, str | None]:
    """The mark as `export --marks` writes it: {"state", "note", "at"} with `at` in ISO 8601, local offset."""
    from datetime import datetime

    at = datetime.fromtimestamp(mark.at).astimezone().isoformat(timespec="seconds")
    return {"state": mark.state, "note": mark.note, "at": at}


def with_marks(rows: list[dict[str, Any]], marks: Mapping[str, Mark]) -> list[dict[str, Any]]:
    """Each row whose message id is marked gains "mark" (the rows are changed in place and returned)."""
    if marks:
        for row in rows:
            mark = marks.get(row.get("message_id"))  # type: ignore[arg-type]
            if mark is not None:
                row["mark"] = mark_json(mark)
    return rows
