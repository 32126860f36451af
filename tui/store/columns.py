"""What the store keeps beside the raw JSON: the columns listing and search read, and body text.

Everything here is pure and tolerant: any key may be missing or of the wrong
type, a time may be unparseable or out of range (`0001-01-01T00:00:00+14:00`),
and text may hold lone surrogates (which SQLite cannot store as UTF-8).
"""

from __future__ import annotations

import json
import re
import zlib
from datetime import datetime, timezone
from typing import Any

import msgspec

_SURROGATE = re.compile(r"[\ud800-\udfff]")
_LINKED_TEXT = re.compile(r"\[([^\[\]\n]*)\]\[\d+\]")  # "[report][1]": the app's reference link
_LINK_MARK = re.compile(r"\[\d+\]")


def dump(value: Any) -> str:
    """JSON text as the store keeps it: compact, UTF-8, lone surrogates escaped so SQLite can take it."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def pack(value: Any) -> bytes:
    """A detail as the store keeps it: JSON, zlib-compressed (HTML bodies shrink about 4x)."""
    return zlib.compress(dump(value).encode("utf-8"), 6)


def unpack(blob: bytes) -> Any:
    return json.loads(zlib.decompress(blob).decode("utf-8"))


def text(value: Any) -> str | None:
    """A string column: None for anything that is not a non-empty string; lone surrogates replaced."""
    if not isinstance(value, str) or not value:
        return None
    return _SURROGATE.sub("\ufffd", value)


def epoch(value: Any) -> int | None:
    """Seconds since 1970 (UTC) of an ISO-8601 time, or None when it cannot be read or placed.

    A time without an offset is taken to be UTC, as the app's dates do. A time
    before 1970 (`0001-01-01T00:00:00+14:00` is a placeholder, and not even a
    date in UTC) is no time an email was sent: None.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    raw = value.strip()
    if raw.endswith(("Z", "z")):
        raw = raw[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(raw)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        moment = moment.astimezone(timezone.utc)
        return int(moment.timestamp()) if moment.year >= 1970 else None
    except (ValueError, OverflowError, OSError):
        return None


def _person(value: Any) -> tuple[str | None, str | None]:
    if not isinstance(value, dict):
        return None, None
    return text(value.get("user_name")), text(value.get("email"))


def people_text(value: Any) -> str | None:
    """Names and addresses of a to/cc list, as one searchable line: `Ada Lovelace ada@x.io, bob@y.io`."""
    if not isinstance(value, list):
        return None
    parts = []
    for entry in value:
        name, address = _person(entry)
        shown = " ".join(p for p in (name, address) if p)
        if shown:
            parts.append(shown)
    return ", ".join(parts) or None


class ItemColumns(msgspec.Struct, frozen=True):
    """The columns of one list item (message_id is the key; everything else may be None)."""

    message_id: str
    raw: str
    time_text: str | None
    time_epoch: int | None
    subject: str | None
    from_name: str | None
    from_address: str | None
    to_text: str | None
    cc_text: str | None
    summary: str | None
    status_kinds: str  # " sent opened ": every status[].type, lowercased, space-delimited
    has_attachment: int
    owner_id: str | None
    thread_id: str | None

    @property
    def searchable(self) -> tuple[str | None, ...]:
        """What the full-text index holds of the item (a change here means reindexing it)."""
        return (self.subject, self.from_name, self.from_address, self.to_text, self.cc_text, self.summary)


def item_columns(item: Any) -> ItemColumns | None:
    """The columns of a list item; None when it has no message_id (it cannot be kept)."""
    if not isinstance(item, dict):
        return None
    message_id = item.get("message_id")
    if isinstance(message_id, (int, float)) and not isinstance(message_id, bool):
        message_id = str(message_id)
    if not isinstance(message_id, str) or not message_id.strip():
        return None
    from_name, from_address = _person(item.get("from"))
    owner = item.get("owner")
    owner_id = owner.get("id") if isinstance(owner, dict) else None
    if isinstance(owner_id, int) and not isinstance(owner_id, bool):
        owner_id = str(owner_id)
    time_value = item.get("time")
    return ItemColumns(
        message_id=_SURROGATE.sub("\ufffd", message_id),
        raw=dump(item),
        time_text=text(time_value),
        time_epoch=epoch(time_value),
        subject=text(item.get("subject")),
        from_name=from_name,
        from_address=from_address,
        to_text=people_text(item.get("to")),
        cc_text=people_text(item.get("cc")),
        summary=text(item.get("summary")),
        status_kinds=status_kinds(item.get("status")),
        has_attachment=1 if item.get("has_attachment") is True else 0,
        owner_id=text(owner_id),
        thread_id=text(item.get("thread_id")),
    )


def status_kinds(value: Any) -> str:
    kinds = []
    for entry in value if isinstance(value, list) else ():
        kind = entry.get("type") if isinstance(entry, dict) else None
        if isinstance(kind, str) and kind.strip():
            word = "_".join(kind.strip().lower().split())
            if word not in kinds:
                kinds.append(word)
    return " " + " ".join(kinds) + " " if kinds else " "


def body_text(detail: Any, message_id: str) -> str:
    """The plain text of a detail's body for search: HTML converted as the app shows it, links left out.

    Converting a 2 MB newsletter takes about a second: call it from the store's thread.
    """
    if not isinstance(detail, dict):
        return ""
    from tui.render.html import LINKS_HEADING, NO_BODY, body_text as readable_text
    from tui.zoho.models import EmailDetail

    shown = readable_text(EmailDetail.parse(detail, message_id), width=0)
    if shown == NO_BODY:
        return ""
    # The numbered link list and the [n] marks are the reader's; search wants the words.
    before, heading, _links = shown.rpartition(f"\n\n{LINKS_HEADING}\n")
    if heading:
        shown = before
    elif shown.startswith(f"{LINKS_HEADING}\n"):
        shown = ""
    return _LINK_MARK.sub("", _LINKED_TEXT.sub(r"\1", shown)).strip()
