"""The sandbox's emails for the figures, computed once per run and read by every child.

`emails.jsonl` holds CONTACT_HUGE's list items as Zoho's list answer carries them, one a
line, newest first: the list figures parse them into the app's models page by page, the
store figure stores them, the baselines take their strings.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tui.sandbox.data import CONTACT_HUGE, LEAD_MAIN, SandboxData

PAGE = 10  # Zoho's page of emails


def write_emails(folder: Path, count: int) -> Path:
    """CONTACT_HUGE's first `count` emails as JSON lines (written once per run and folder)."""
    path = folder / f"emails-{count}.jsonl"
    if path.exists():
        return path
    data = SandboxData()
    mailbox = data.mailbox(data.record(*CONTACT_HUGE))
    partial = path.with_suffix(".partial")
    with open(partial, "w", encoding="utf-8") as out:
        for n in range(count):
            out.write(json.dumps(mailbox.list_item(n), ensure_ascii=False) + "\n")
    partial.replace(path)
    return path


def items(path: Path, limit: int | None = None) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if limit is not None and n >= limit:
                return
            yield json.loads(line)


def pages(path: Path, limit: int | None = None) -> Iterator[tuple[str | None, dict[str, Any]]]:
    """(index asked, list answer) per page of ten, as the sandbox pages CONTACT_HUGE."""
    total = sum(1 for _ in open(path, "rb")) if limit is None else limit
    data = SandboxData()
    context = f"index|{CONTACT_HUGE[1]}|None|None"
    batch: list[dict[str, Any]] = []
    index: str | None = None
    start = 0
    for item in items(path, limit):
        batch.append(item)
        if len(batch) == PAGE:
            yield index, _answer(batch, data, context, start, total)
            index = data.ids.seal(context, total - start - PAGE) if start + PAGE < total else None
            start += PAGE
            batch = []
    if batch:
        yield index, _answer(batch, data, context, start, total)


def _answer(batch: list[dict[str, Any]], data: SandboxData, context: str, start: int, total: int) -> dict[str, Any]:
    more = start + PAGE < total
    return {
        "Emails": batch,
        "info": {
            "per_page": PAGE,
            "count": len(batch),
            "next_index": data.ids.seal(context, total - start - PAGE) if more else None,
            "more_records": more,
        },
    }


def emails(path: Path, limit: int | None = None) -> list[Any]:
    """The app's Email models of the first `limit` lines."""
    from tui.zoho.models import Email

    return [email for item in items(path, limit) if (email := Email.parse(item)) is not None]


def demo_subjects(count: int = 10) -> list[str]:
    """The subjects of the demo record's first page (LEAD_MAIN), as the list shows them."""
    from tui.render.safe import one_line

    data = SandboxData()
    mailbox = data.mailbox(data.record(*LEAD_MAIN))
    return [one_line(mailbox.list_item(n)["subject"]) for n in range(count)]

