"""A record's emails in Zoho's order, parsed only when looked at.

A stored record of 50,000 emails must paint its first screen at once: the rows
come from the store as Zoho's JSON text and each is parsed into an `Email` the
first time something reads it (the list draws only the rows on screen). New
emails go on top and pages at the bottom, both in O(page); finding a row by its
message id is a dict lookup, so a re-read page updates its known rows in place
without walking the list.

Rows are kept as compact JSON text, whatever their source: an `Email` with its raw
dict weighs about three times its text, and 50,000 of them would hold ~200 MB for
rows nobody looks at. Parsed emails live in a small LRU (`PARSED_KEPT`): the rows on
screen and those the cursor passed lately.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, overload

from tui.zoho.models import Email

Raw = str | dict[str, Any]  # a list item as Zoho sent it: JSON text (from the store) or parsed
Row = Raw | Email  # how a row is kept: JSON text, or an Email built without what Zoho sent (tests, fallbacks)
PARSED_KEPT = 512  # parsed emails kept: several screens of a tall terminal, and the pages just added


def compact(email: Email) -> Row:
    """An email as the JSON text of what Zoho sent (an email built without it is kept as it is)."""
    if not email.raw:
        return email
    return json.dumps(email.raw, ensure_ascii=False, separators=(",", ":"))


class EmailRows(Sequence[Email]):
    def __init__(self, emails: Iterable[Email] = ()) -> None:
        self._ids: list[str] = []
        self._position: dict[str, int] = {}  # message id -> position; index = position - self._top
        self._top = 0
        self._parsed: OrderedDict[str, Email] = OrderedDict()  # an LRU over `_raw`
        self._raw: dict[str, Row] = {}  # every row
        self.extend(emails)

    @classmethod
    def from_raw(cls, items: Iterable[tuple[str, Raw]]) -> EmailRows:
        """Rows from (message_id, list item) pairs, each parsed when first read."""
        rows = cls()
        kept: dict[str, Raw] = {}
        for message_id, raw in items:
            kept.setdefault(message_id, raw)  # listed twice: the first stands
        rows.append_raw(list(kept), kept)
        return rows

    # --- Sequence ------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._ids)

    @overload
    def __getitem__(self, index: int) -> Email: ...

    @overload
    def __getitem__(self, index: slice) -> list[Email]: ...

    def __getitem__(self, index: int | slice) -> Email | list[Email]:
        if isinstance(index, slice):
            return [self._email(i) for i in self._ids[index]]
        return self._email(self._ids[index])

    def __iter__(self) -> Iterator[Email]:
        for message_id in list(self._ids):
            yield self._email(message_id)

    def __contains__(self, value: object) -> bool:
        """A message id (or an Email) is in the list."""
        key = value.message_id if isinstance(value, Email) else value
        return key in self._position

    def __bool__(self) -> bool:
        return bool(self._ids)

    def __repr__(self) -> str:
        return f"EmailRows({len(self)} emails, {len(self._parsed)} parsed)"

    # --- reading ---------------------------------------------------------------------------

    @property
    def ids(self) -> Sequence[str]:
        """The message ids in order (no parsing)."""
        return self._ids

    def index_of(self, message_id: str | None) -> int | None:
        position = self._position.get(message_id) if message_id is not None else None
        return None if position is None else position - self._top

    def raw(self, message_id: str) -> dict[str, Any]:
        """The list item as Zoho sent it (for export and the store)."""
        raw = self._raw[message_id]
        if isinstance(raw, Email):
            return dict(raw.raw) or {"message_id": raw.message_id}
        return json.loads(raw) if isinstance(raw, str) else dict(raw)

    def _email(self, message_id: str) -> Email:
        email = self._parsed.get(message_id)
        if email is not None:
            self._parsed.move_to_end(message_id)
            return email
        email = self._parse(message_id, self._raw[message_id])
        self._keep_parsed(email)
        return email

    @staticmethod
    def _parse(message_id: str, raw: Row) -> Email:
        if isinstance(raw, Email):
            return raw
        data = json.loads(raw) if isinstance(raw, str) else raw
        return Email.parse(data) or Email(message_id)

    def detached(self) -> Iterator[Email]:
        """Every row, parsed without touching the LRU: for a worker thread (the UI thread keeps using it)."""
        for message_id in list(self._ids):
            email = self._parsed.get(message_id)
            raw = self._raw.get(message_id) if email is None else None
            if email is None and raw is None:
                continue  # taken out meanwhile
            yield email if email is not None else self._parse(message_id, raw)  # type: ignore[arg-type]

    def _keep_parsed(self, email: Email) -> None:
        self._parsed[email.message_id] = email
        self._parsed.move_to_end(email.message_id)
        if len(self._parsed) > PARSED_KEPT:
            self._parsed.popitem(last=False)

    # --- changing --------------------------------------------------------------------------

    def copy(self) -> EmailRows:
        """Another list of the same rows (nothing parsed): change it while a widget still shows this one."""
        rows = EmailRows()
        rows._ids = list(self._ids)
        rows._position = dict(self._position)
        rows._top = self._top
        rows._parsed = OrderedDict(self._parsed)
        rows._raw = dict(self._raw)
        return rows

    def extend(self, emails: Iterable[Email]) -> None:
        """Append emails not listed yet (at the bottom)."""
        for email in emails:
            if email.message_id in self._position:
                continue
            self._position[email.message_id] = self._top + len(self._ids)
            self._ids.append(email.message_id)
            self._raw[email.message_id] = compact(email)
            self._keep_parsed(email)  # the same objects the caller holds (a list shows them as they came)

    def append_raw(self, ids: Sequence[str], raw: Mapping[str, Raw]) -> int:
        """Append rows not listed yet from their ids in order and their JSON text (the rest of a stored list,
        gathered on the store's thread); returns how many were added. No row is parsed."""
        fresh = [message_id for message_id in dict.fromkeys(ids) if message_id not in self._position]
        base = self._top + len(self._ids)
        self._position.update(zip(fresh, range(base, base + len(fresh))))
        self._ids.extend(fresh)
        if len(fresh) == len(raw):
            self._raw.update(raw)
        else:
            self._raw.update((message_id, raw[message_id]) for message_id in fresh)
        return len(fresh)

    def prepend(self, emails: Sequence[Email]) -> None:
        """Put emails not listed yet on top, in the given order."""
        fresh: list[Email] = []
        seen: set[str] = set()
        for email in emails:
            if email.message_id not in self._position and email.message_id not in seen:
                seen.add(email.message_id)
                fresh.append(email)
        self._top -= len(fresh)
        for offset, email in enumerate(fresh):
            self._position[email.message_id] = self._top + offset
            self._raw[email.message_id] = compact(email)
            self._keep_parsed(email)  # on top: on screen next
        self._ids[:0] = [e.message_id for e in fresh]

    def replace(self, email: Email) -> bool:
        """A newer copy of a listed email (its statuses changed); False when it is not listed."""
        if email.message_id not in self._position:
            return False
        self._raw[email.message_id] = compact(email)
        if email.message_id in self._parsed:
            self._keep_parsed(email)
        return True

    def remove(self, message_ids: Iterable[str]) -> None:
        """Take emails out of the list (rare: a test, or Zoho dropping them)."""
        gone = set(message_ids) & self._position.keys()
        if not gone:
            return
        kept = [i for i in self._ids if i not in gone]
        for message_id in gone:
            self._parsed.pop(message_id, None)
            self._raw.pop(message_id, None)
        self._ids, self._top = kept, 0
        self._position = {message_id: n for n, message_id in enumerate(kept)}
