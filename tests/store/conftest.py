"""A store in tmp_path, a fixed clock, and list items made to order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tui.store import Store

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


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store_path(tmp_path):
    return tmp_path / "data" / "store.sqlite3"


@pytest.fixture(params=[True, False], ids=["fts5", "like"])
def full_text(request) -> bool:
    return request.param


@pytest.fixture
def store(store_path, clock) -> Iterator[Store]:
    with Store.open(store_path, clock=clock) as opened:
        yield opened


@pytest.fixture
def scope(store):
    return store.scope("default", "org-1", label="Analytical Engines")
