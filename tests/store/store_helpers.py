"""A fixed clock and list items made to order, for the store's tests."""

from __future__ import annotations

from typing import Any


NOW = 1_790_000_000.0  # 2026-09-21: every store test runs at this instant


class Clock:
    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def item(message_id: str, subject: str | None = "Hello", *, sender: tuple[str | None, str] = ("Ada Lovelace", "ada@lovelace.io"),
         to: list[tuple[str | None, str]] | None = None, cc: list[tuple[str | None, str]] | None = None,
         time: str | None = "2026-03-04T11:55:16+05:30", status: list[str] | None = None,
         has_attachment: bool = False, summary: str | None = None, **extra: Any) -> dict[str, Any]:
    """A list item shaped like Zoho's."""
    return {
        "message_id": message_id,
        "subject": subject,
        "from": {"user_name": sender[0], "email": sender[1]},
        "to": [{"user_name": n, "email": a} for n, a in (to or [("Patricia Boyle", "patricia@aelab.com")])],
        "cc": None if cc is None else [{"user_name": n, "email": a} for n, a in cc],
        "owner": {"name": "Patricia Boyle", "id": "4150868000000470001"},
        "time": time,
        "status": [{"type": s} for s in (status or ["sent"])],
        "has_attachment": has_attachment,
        "summary": summary,
        **extra,
    }


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [i["message_id"] for i in items]
