"""Typed, immutable models of Zoho's answers, and tolerant parsers for them.

Parsing never trusts a key to be there or a value to have its documented
type: any nullable field may be null or missing, times keep their UTC offset,
counts and sizes that Zoho sends as strings become ints. `raw` keeps the
object exactly as the API returned it (for `export`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import msgspec

from tui.structs import Partial


# --- tolerant scalar readers -------------------------------------------------


def _str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float, bool)):
        return str(value)
    return None


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def parse_time(value: Any) -> datetime | None:
    """ISO-8601 with its UTC offset kept (`2023-12-06T11:55:16+05:30`)."""
    if not isinstance(value, str) or not value:
        return None
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _obj(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


# --- people ------------------------------------------------------------------


class Person(msgspec.Struct, frozen=True):
    """An address as Zoho gives it: `{user_name, email}`."""

    name: str | None
    email: str | None

    @classmethod
    def parse(cls, data: Any) -> Person | None:
        data = _obj(data)
        name, email = _str(data.get("user_name")), _str(data.get("email"))
        if not name and not email:
            return None
        return cls(name or None, email or None)

    @property
    def display(self) -> str:
        """The name, else the address."""
        return self.name or self.email or ""

    @property
    def full(self) -> str:
        if self.name and self.email and self.name != self.email:
            return f"{self.name} <{self.email}>"
        return self.display


def _people(value: Any) -> tuple[Person, ...]:
    return tuple(p for p in (Person.parse(x) for x in _list(value)) if p is not None)


class Owner(msgspec.Struct, frozen=True):
    """Who owns an email or a record in the CRM."""

    id: str | None
    name: str | None

    @classmethod
    def parse(cls, data: Any) -> Owner | None:
        data = _obj(data)
        owner = cls(_str(data.get("id")), _str(data.get("name")))
        return owner if owner.id or owner.name else None


class LinkedRecord(msgspec.Struct, frozen=True):
    """The record an email is linked to."""

    id: str | None
    name: str | None
    module: str | None  # api name

    @classmethod
    def parse(cls, data: Any) -> LinkedRecord | None:
        data = _obj(data)
        if not data:
            return None
        module = _obj(data.get("module"))
        return cls(_str(data.get("id")), _str(data.get("name")), _str(module.get("api_name")))


# --- statuses ----------------------------------------------------------------


class SentStatus(msgspec.Struct, frozen=True):
    """The email was sent (nothing more is known)."""

    type: str = "sent"


class OpenedStatus(msgspec.Struct, frozen=True):
    """The email was opened: how often, first and last."""

    count: int | None
    first_open: datetime | None
    last_open: datetime | None
    type: str = "opened"


class ClickedStatus(msgspec.Struct, frozen=True):
    """A link in the email was clicked: how often, first and last."""

    count: int | None
    first_click: datetime | None
    last_click: datetime | None
    type: str = "clicked"


class BouncedStatus(msgspec.Struct, frozen=True):
    """The email bounced: when and why."""

    bounced_time: datetime | None
    reason: str | None
    category: str | None
    sub_category: str | None
    type: str = "bounced"


class OtherStatus(msgspec.Struct, frozen=True):
    """Any status type this app does not know (delivered, scheduled, failed...): kept by name."""

    type: str
    fields: tuple[tuple[str, str], ...] = ()


Status = SentStatus | OpenedStatus | ClickedStatus | BouncedStatus | OtherStatus


def parse_status(data: Any) -> Status | None:
    data = _obj(data)
    kind = _str(data.get("type"))
    if not kind:
        return None
    if kind == "sent":
        return SentStatus()
    if kind == "opened":
        return OpenedStatus(_int(data.get("count")), parse_time(data.get("first_open")), parse_time(data.get("last_open")))
    if kind == "clicked":
        return ClickedStatus(_int(data.get("count")), parse_time(data.get("first_click")), parse_time(data.get("last_click")))
    if kind == "bounced":
        return BouncedStatus(
            parse_time(data.get("bounced_time")),
            _str(data.get("bounced_reason")),
            _str(data.get("category")),
            _str(data.get("sub_category")),
        )
    extras = tuple((k, s) for k, v in data.items() if k != "type" and (s := _str(v)) is not None)
    return OtherStatus(kind, extras)


def _statuses(value: Any) -> tuple[Status, ...]:
    return tuple(s for s in (parse_status(x) for x in _list(value)) if s is not None)


# --- emails ------------------------------------------------------------------


class Email(Partial, frozen=True):
    """One row of "Get Emails of a Record" (no body: only the detail call has it)."""

    UNCOMPARED = HIDDEN = frozenset({"raw"})

    message_id: str
    subject: str | None = None
    sender: Person | None = None
    to: tuple[Person, ...] = ()
    cc: tuple[Person, ...] = ()
    owner: Owner | None = None
    time: datetime | None = None
    sent: bool | None = None
    read: bool | None = None
    has_attachment: bool | None = None
    has_thread_attachment: bool | None = None
    source: str | None = None
    summary: str | None = None
    emotion: str | None = None
    intent: str | None = None
    sentiment: str | None = None
    linked_record: LinkedRecord | None = None
    status: tuple[Status, ...] = ()
    raw: Mapping[str, Any] = msgspec.field(default_factory=dict)

    @classmethod
    def parse(cls, data: Any) -> Email | None:
        data = _obj(data)
        message_id = _str(data.get("message_id"))
        if not message_id:
            return None
        return cls(
            message_id=message_id,
            subject=_str(data.get("subject")),
            sender=Person.parse(data.get("from")),
            to=_people(data.get("to")),
            cc=_people(data.get("cc")),
            owner=Owner.parse(data.get("owner")),
            time=parse_time(data.get("time")),
            sent=_bool(data.get("sent")),
            read=_bool(data.get("read")),
            has_attachment=_bool(data.get("has_attachment")),
            has_thread_attachment=_bool(data.get("has_thread_attachment")),
            source=_str(data.get("source")),
            summary=_str(data.get("summary")),
            emotion=_str(data.get("emotion")),
            intent=_str(data.get("intent")),
            sentiment=_str(data.get("sentiment_info")),
            linked_record=LinkedRecord.parse(data.get("linked_record")),
            status=_statuses(data.get("status")),
            raw=data,
        )

    def status_of(self, kind: type[Status]) -> Status | None:
        return next((s for s in self.status if isinstance(s, kind)), None)

    @property
    def bounced(self) -> BouncedStatus | None:
        return self.status_of(BouncedStatus)  # type: ignore[return-value]


class Attachment(msgspec.Struct, frozen=True):
    """An attachment of an email, as its detail lists it."""

    id: str
    name: str | None
    size: int | None  # bytes

    @classmethod
    def parse(cls, data: Any) -> Attachment | None:
        data = _obj(data)
        attachment_id = _str(data.get("id"))
        if not attachment_id:
            return None
        return cls(attachment_id, _str(data.get("name")), _int(data.get("size")))


class EmailDetail(Partial, frozen=True):
    """One email as "Get a specific email" returns it: with its body and attachments."""

    UNCOMPARED = HIDDEN = frozenset({"raw"})

    message_id: str
    subject: str | None = None
    sender: Person | None = None
    to: tuple[Person, ...] = ()
    cc: tuple[Person, ...] = ()
    reply_to: Person | None = None
    sent_time: datetime | None = None
    mail_format: str | None = None  # "html" or "text"
    content: str | None = None
    attachments: tuple[Attachment, ...] = ()
    thread_id: str | None = None
    editable: bool | None = None
    status: tuple[Status, ...] = ()
    summary: str | None = None
    emotion: str | None = None
    intent: str | None = None
    sentiment: str | None = None
    raw: Mapping[str, Any] = msgspec.field(default_factory=dict)

    @classmethod
    def parse(cls, data: Any, message_id: str) -> EmailDetail:
        """`message_id` is the one asked for: the detail answer may not repeat it."""
        data = _obj(data)
        return cls(
            message_id=_str(data.get("message_id")) or message_id,
            subject=_str(data.get("subject")),
            sender=Person.parse(data.get("from")),
            to=_people(data.get("to")),
            cc=_people(data.get("cc")),
            reply_to=Person.parse(data.get("reply_to")),
            sent_time=parse_time(data.get("sent_time")),
            mail_format=_str(data.get("mail_format")),
            content=_str(data.get("content")),
            attachments=tuple(a for a in (Attachment.parse(x) for x in _list(data.get("attachments"))) if a),
            thread_id=_str(data.get("thread_id")),
            editable=_bool(data.get("editable")),
            status=_statuses(data.get("status")),
            summary=_str(data.get("summary")),
            emotion=_str(data.get("emotion")),
            intent=_str(data.get("intent")),
            sentiment=_str(data.get("sentiment_info")),
            raw=data,
        )

    @property
    def is_html(self) -> bool:
        return (self.mail_format or "html").lower() != "text"


class PageInfo(msgspec.Struct, frozen=True):
    """A list page's `info`: where the next page starts and whether there is one."""

    per_page: int | None = None
    count: int | None = None
    next_index: str | None = None
    prev_index: str | None = None
    more_records: bool = False

    @classmethod
    def parse(cls, data: Any) -> PageInfo:
        data = _obj(data)
        next_index = _str(data.get("next_index"))
        return cls(
            per_page=_int(data.get("per_page")),
            count=_int(data.get("count")),
            next_index=next_index or None,
            prev_index=_str(data.get("prev_index")),
            # No next_index means there is nothing to page on to, whatever the flag says.
            more_records=bool(_bool(data.get("more_records"))) and bool(next_index),
        )


class EmailPage(msgspec.Struct, frozen=True):
    """One page of a record's emails (10 at most). An HTTP 204 is an empty page."""

    emails: tuple[Email, ...] = ()
    info: PageInfo = PageInfo()

    @classmethod
    def parse(cls, data: Any) -> EmailPage:
        data = _obj(data)
        emails = tuple(e for e in (Email.parse(x) for x in _list(data.get("Emails"))) if e)
        return cls(emails, PageInfo.parse(data.get("info")))

    @property
    def raw_emails(self) -> tuple[Mapping[str, Any], ...]:
        return tuple(e.raw for e in self.emails)


# --- modules, records, users, org ------------------------------------------------


class Module(msgspec.Struct, frozen=True):
    """A CRM module, as the module list gives it."""

    api_name: str
    label: str  # plural label
    singular_label: str | None = None
    module_name: str | None = None
    id: str | None = None
    api_supported: bool = True
    generated_type: str | None = None  # default, custom, ...
    display_field: str | None = None  # the field that names a record (custom modules)

    @classmethod
    def parse(cls, data: Any) -> Module | None:
        data = _obj(data)
        api_name = _str(data.get("api_name"))
        if not api_name:
            return None
        display = data.get("display_field")
        display_field = _str(_obj(display).get("api_name")) if isinstance(display, Mapping) else _str(display)
        return cls(
            api_name=api_name,
            label=_str(data.get("plural_label")) or _str(data.get("module_name")) or api_name,
            singular_label=_str(data.get("singular_label")),
            module_name=_str(data.get("module_name")),
            id=_str(data.get("id")),
            api_supported=_bool(data.get("api_supported")) is not False,
            generated_type=_str(data.get("generated_type")),
            display_field=display_field,
        )

    @property
    def is_custom(self) -> bool:
        return self.generated_type == "custom"


class Record(msgspec.Struct, frozen=True):
    """A record picked to read the emails of."""

    module: str  # api name
    id: str
    name: str | None = None
    detail: str | None = None  # an identifying field beside the name: email, website, stage...

    @property
    def display(self) -> str:
        return self.name or self.id


class User(msgspec.Struct, frozen=True):
    """A CRM user (the owner filter lists them)."""

    id: str
    name: str | None
    email: str | None
    status: str | None = None

    @classmethod
    def parse(cls, data: Any) -> User | None:
        data = _obj(data)
        user_id = _str(data.get("id"))
        if not user_id:
            return None
        name = _str(data.get("full_name")) or " ".join(
            p for p in (_str(data.get("first_name")), _str(data.get("last_name"))) if p
        )
        return cls(user_id, name or None, _str(data.get("email")), _str(data.get("status")))


class Org(msgspec.Struct, frozen=True):
    """The org the credentials reach."""

    id: str | None
    company_name: str | None
    domain_name: str | None  # builds web links: https://crm.zoho.com/crm/{domain_name}/tab/...

    @classmethod
    def parse(cls, data: Any) -> Org | None:
        orgs = _list(_obj(data).get("org"))
        if not orgs:
            return None
        org = _obj(orgs[0])
        return cls(_str(org.get("id")), _str(org.get("company_name")), _str(org.get("domain_name")))
