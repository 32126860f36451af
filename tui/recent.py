"""The records opened lately, most recent first, kept across restarts.

A small JSON file in the platform's state dir (`~/.local/state/crm-emails/recent.json`
on Linux). Reading and writing block, so the app calls them from a thread worker.
A missing, unreadable or corrupt file reads as "no recent records"; writes go to
a temporary file first and replace the old one in one step.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

import platformdirs

from tui.zoho.models import Record

APP_NAME = "crm-emails"
FILE_NAME = "recent.json"
LIMIT = 20
_FORMAT = 1


def default_state_dir() -> Path:
    return Path(platformdirs.user_state_dir(APP_NAME))


def _record_from(data: Any) -> Record | None:
    if not isinstance(data, dict):
        return None
    module, record_id = data.get("module"), data.get("id")
    if not isinstance(module, str) or not module or not isinstance(record_id, str) or not record_id:
        return None
    name, detail = data.get("name"), data.get("detail")
    return Record(
        module,
        record_id,
        name if isinstance(name, str) and name else None,
        detail if isinstance(detail, str) and detail else None,
    )


def _record_to(record: Record) -> dict[str, str | None]:
    return {"module": record.module, "id": record.id, "name": record.name, "detail": record.detail}


class RecentRecords:
    """The recent-records file. Every method blocks on the disk: call them off the UI thread."""

    def __init__(self, state_dir: Path | None = None, *, limit: int = LIMIT) -> None:
        self.path = (state_dir if state_dir is not None else default_state_dir()) / FILE_NAME
        self.limit = limit
        # Two quick record switches write from two worker threads: one at a time.
        self._lock = threading.Lock()

    def load(self) -> list[Record]:
        """The stored records, most recent first; [] when there is no usable file."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        items = data.get("records") if isinstance(data, dict) else None
        if not isinstance(items, list):
            return []
        records: list[Record] = []
        seen: set[tuple[str, str]] = set()
        for item in items:
            record = _record_from(item)
            if record is not None and (record.module, record.id) not in seen:
                seen.add((record.module, record.id))
                records.append(record)
        return records[: self.limit]

    def add(self, record: Record) -> list[Record]:
        """Put `record` first (replacing an older entry for it) and save; returns the new list."""
        with self._lock:
            stored = self.load()
            key = (record.module, record.id)
            previous = next((r for r in stored if (r.module, r.id) == key), None)
            if previous is not None and record.name is None:
                # Opened by id while its name could not be fetched: keep the name we knew.
                record = Record(record.module, record.id, previous.name, record.detail or previous.detail)
            older = [r for r in stored if (r.module, r.id) != key]
            records = [record, *older][: self.limit]
            self._save(records)
            return records

    def _save(self, records: list[Record]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = json.dumps({"format": _FORMAT, "records": [_record_to(r) for r in records]}, indent=1)
        fd, tmp = tempfile.mkstemp(prefix=".recent-", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
