"""A record's emails, each computed on demand from (seed, record, position).

Position 0 is the newest email. Nothing is stored per email: the list answer
builds its ten items, the detail answer builds one body, so a 5,000-email
record costs no more memory than a 10-email one.

Records change while the app is open, deterministically: `deliver` puts new
emails on top (they take the positions -1, -2, ... newest last, so every
email keeps its number and id, and time runs on past the newest), and
`open_again` opens a sent email once more (a sent or delivered one becomes
opened). Only those two facts are kept per record. Categories decide which
`type` filter shows an email:

    user              synced from the owner's mailbox (IMAP/POP)   type=user_emails (by owner)
    sent              sent from CRM (individual, workflow, mass)   type=sent_from_crm
    scheduled         scheduled in CRM                             type=scheduled_in_crm
    draft             drafts                                       type=drafts
    contact_*         an account's contacts' CRM emails            type=all_contacts_*_crm_emails
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

import msgspec
import msgspec.structs

from tui.sandbox.attachments import AttachmentSpec
from tui.sandbox.corpus import (
    EMOTIONS,
    GREETINGS,
    HOSTILE_HTML_BODY,
    HOSTILE_TEXT_BODY,
    INTENTS,
    LANGUAGE_TOPICS,
    NEWSLETTERS,
    ORDINARY_ATTACHMENT_NAMES,
    REPLY_LINES,
    RTL_LANGUAGES,
    SENTIMENTS,
    SIGN_OFFS,
    SIGNATURE_TITLE,
    TOPICS,
    ZIA_SUMMARIES,
    Topic,
)
from tui.sandbox.data import (
    CURRENT_USER,
    DEAL_MAIN,
    LARGE_NEWSLETTER_BYTES,
    MODULE_BY_KEY,
    USER_BY_ID,
    USERS,
    Person,
    RecordSpec,
    User,
    message_context,
    module_key,
    zoho_time,
)
from tui.sandbox.showcase import SHOWCASES

if TYPE_CHECKING:
    from tui.sandbox import bodies
    from tui.sandbox.data import SandboxData

# `type` parameter -> the categories it shows. No type: the user's emails and CRM-sent ones.
TYPE_CATEGORIES: dict[str | None, frozenset[str]] = {
    None: frozenset({"user", "sent"}),
    "sent_from_crm": frozenset({"sent"}),
    "scheduled_in_crm": frozenset({"scheduled"}),
    "drafts": frozenset({"draft"}),
    "user_emails": frozenset({"user"}),
    "all_contacts_sent_crm_emails": frozenset({"contact_sent"}),
    "all_contacts_scheduled_crm_emails": frozenset({"contact_scheduled"}),
    "all_contacts_draft_crm_emails": frozenset({"contact_draft"}),
}
_CONTACT_CATEGORIES = ("contact_sent", "contact_scheduled", "contact_draft")
_THREAD_BLOCK = 8  # a thread never spans a multiple of this: bounds the walk to its root
_REPLY_CHANCE = 0.35

_BOUNCES = (
    ("Temporarily blocked", "Temporary Domain Failure", "Retries Exhausted. Host not reachable."),
    ("Permanently blocked", "Invalid Recipient", "550 5.1.1 The email account that you tried to reach does not exist."),
    ("Temporarily blocked", "Mailbox Full", "452 4.2.2 The email account that you tried to reach is over quota."),
    ("Permanently blocked", "Domain Not Found", "DNS lookup failed: the recipient domain does not exist."),
    ("Permanently blocked", "Spam Blocked", "554 5.7.1 Message rejected due to content restrictions."),
)
_SENT_STATUS_WEIGHTS = (
    (("sent",), 30), (("opened",), 28), (("opened", "clicked"), 10), (("clicked",), 4),
    (("bounced",), 10), (("delivered",), 12), (("failed",), 6),
)


class Address(msgspec.Struct, frozen=True):
    """A sender or recipient as Zoho lists them."""

    name: str | None
    email: str

    def json(self) -> dict[str, str | None]:
        return {"user_name": self.name, "email": self.email}


class Choices(msgspec.Struct, frozen=True):
    """Everything random about one email, drawn in a fixed order; showcase overrides replace fields."""

    category: str
    owner_id: str
    outgoing: bool
    source: str
    kind: str  # letter, newsletter, large_newsletter, hostile
    text: bool  # mail_format "text"
    language: str
    topic: int
    newsletter: int
    attachments: tuple[tuple[str, int], ...]
    zia: bool
    cc: bool
    second_recipient: bool
    linked: bool
    open_count: int
    # Rolls, not results: what they decide also depends on fields an override may change.
    status_roll: float
    read_roll: float
    jitter: float  # where in its time slot the email falls, 0..1
    status_kinds: tuple[str, ...] = ()  # () = decided by category, direction and status_roll
    subject: str | None = ""  # "" = from the topic; None = no subject
    sender_name: str | None = ""  # "" = the sender's real name
    reply: bool | None = None  # None: the thread rule decides


class EmailSpec(msgspec.Struct, frozen=True):
    """One email, resolved: what the list item and the detail answer are built from."""

    position: int
    message_id: str
    choices: Choices
    owner: User
    subject: str | None
    sender: Address
    to: tuple[Address, ...]
    cc: tuple[Address, ...] | None
    time: datetime  # in the offset it is shown with
    thread_root: int
    depth: int
    attachments: tuple[AttachmentSpec, ...]
    thread_has_attachment: bool

    @property
    def category(self) -> str:
        return self.choices.category

    @property
    def sent(self) -> bool:
        return self.choices.outgoing and self.category in ("user", "sent", "contact_sent")

    @property
    def mail_format(self) -> str:
        return "text" if self.choices.text else "html"


class Mailbox:
    def __init__(self, data: SandboxData, record: RecordSpec) -> None:
        self.data = data
        self.record = record
        self.shape = record.shape
        self.total = record.shape.total
        self._showcase = SHOWCASES.get(record.key, {})
        self._categories: tuple[str, ...] | None = None
        self._positions: dict[tuple[str | None, str | None], list[int]] = {}
        self._step = (data.time_last - data.time_first) / max(self.total, 1)
        self.arrived = 0  # emails delivered on top since the sandbox started: positions -1 .. -arrived
        self._opened_again: dict[int, int] = {}  # position -> opens added by open_again

    # --- a record that changes --------------------------------------------------

    def deliver(self, count: int = 1) -> list[str]:
        """`count` new emails on top of the list; returns their message ids, newest first."""
        self.arrived += count
        self._positions.clear()
        return [self.message_id(n) for n in range(-self.arrived, -self.arrived + count)]

    def open_again(self, n: int) -> None:
        """The recipient opens email n once more: its opened count rises, a sent or delivered one becomes opened."""
        choices = self.resolved(n)[0]
        kinds = choices.status_kinds
        if not set(kinds) & {"sent", "delivered", "opened", "clicked"} or not choices.outgoing:
            raise ValueError(f"email {n} was never delivered to anyone who could open it: {kinds}")
        self._opened_again[n] = self._opened_again.get(n, 0) + 1

    # --- which emails a filter shows --------------------------------------------

    def category(self, n: int) -> str:
        if n < 0 and self.shape.profile != "bulk":
            # An arrival: mail synced from the owner's mailbox, or sent from CRM.
            return "user" if random.Random(f"{self.data.seed}|{self.record.id}|{n}|arrival").random() < 0.5 else "sent"
        if self.shape.profile == "bulk":
            # The lead replies now and then; everything else is a mass-emailed newsletter.
            return "user" if n % 25 == 12 else "sent"
        if self._categories is None:
            self._categories = self._plan_categories()
        return self._categories[n]

    def _plan_categories(self) -> tuple[str, ...]:
        """Exactly `count` user/sent emails, and the extras (scheduled, drafts...) scattered among them."""
        rng = random.Random(f"{self.data.seed}|{self.record.id}|plan")
        fixed = {n: str(o["category"]) for n, o in self._showcase.items() if "category" in o and n < self.total}
        wanted = Counter({"scheduled": self.shape.scheduled, "draft": self.shape.drafts,
                          "contact_sent": self.shape.contact_sent, "contact_scheduled": self.shape.contact_scheduled,
                          "contact_draft": self.shape.contact_drafts})
        wanted.subtract(Counter(fixed.values()))
        extras = [category for category, k in sorted(wanted.items()) for _ in range(max(k, 0))]
        free = [n for n in range(self.total) if n not in fixed]
        placed = dict(zip(rng.sample(free, len(extras)), extras))
        return tuple(fixed.get(n) or placed.get(n) or ("user" if rng.random() < 0.5 else "sent")
                     for n in range(self.total))

    def positions(self, email_type: str | None, owner_id: str | None) -> list[int]:
        """Positions the filter shows, newest first (user_emails: only that owner's mailbox)."""
        key = (email_type, owner_id)
        if key not in self._positions:
            categories = TYPE_CATEGORIES[email_type]
            self._positions[key] = [
                n for n in range(-self.arrived, self.total)
                if self.category(n) in categories and (owner_id is None or self.owner_id(n) == owner_id)
            ]
        return self._positions[key]

    def owner_id(self, n: int) -> str:
        return self.resolved(n)[0].owner_id

    # --- ids ----------------------------------------------------------------------

    def message_id(self, n: int) -> str:
        if n < 0:
            return self.data.ids.seal(_arrival_context(self.record.id), -n - 1)
        return self.data.ids.seal(message_context(self.record.id), n)

    def position_of(self, message_id: str) -> int | None:
        n = self.data.ids.open(message_context(self.record.id), message_id)
        if n is not None:
            return n if n < self.total else None
        arrival = self.data.ids.open(_arrival_context(self.record.id), message_id)
        return -arrival - 1 if arrival is not None and arrival < self.arrived else None

    # --- one email ------------------------------------------------------------------

    def choices(self, n: int) -> Choices:
        rng = random.Random(f"{self.data.seed}|{self.record.id}|{n}")
        category = self.category(n)
        bulk = self.shape.profile == "bulk"
        outgoing = category != "user" or rng.random() < 0.5
        if bulk:
            outgoing = category == "sent"
        source = self._source(rng, category, bulk)
        owner = CURRENT_USER.id if bulk or rng.random() < 0.75 else rng.choice(USERS[1:]).id
        language = "en" if rng.random() < 0.8 else rng.choice(LANGUAGE_TOPICS).language
        choices = Choices(
            category=category,
            owner_id=owner,
            outgoing=outgoing,
            source=source,
            kind="newsletter" if source == "mass email" else "letter",
            text=rng.random() < (0.1 if source == "mass email" else 0.3),
            language=language,
            topic=rng.randrange(len(TOPICS)),
            newsletter=rng.randrange(len(NEWSLETTERS)),
            attachments=self._attachment_choices(rng, bulk),
            zia=not outgoing and rng.random() < 0.4,
            cc=not bulk and rng.random() < 0.15,
            second_recipient=outgoing and rng.random() < 0.2,
            linked=not bulk and rng.random() < 0.1,
            open_count=rng.randint(1, 9),
            status_roll=rng.random(),
            read_roll=rng.random(),
            jitter=rng.random(),
        )
        override = self._showcase.get(n)
        return msgspec.structs.replace(choices, **override) if override else choices

    @staticmethod
    def _source(rng: random.Random, category: str, bulk: bool) -> str:
        if category == "user":
            return "imap"  # synced from the owner's mailbox (IMAP or POP: Zoho calls both imap)
        if bulk and category == "sent":
            return "mass email"
        return rng.choices(("individual", "workflow", "mass email"), (60, 20, 20))[0]

    @staticmethod
    def _status_kinds(choices: Choices) -> tuple[str, ...]:
        if choices.status_kinds:
            return choices.status_kinds
        if choices.category in ("scheduled", "contact_scheduled"):
            return ("scheduled",)
        if choices.category in ("draft", "contact_draft"):
            return ("draft",)
        if choices.category == "user":
            return ("sent",) if choices.outgoing else ("received",)
        roll = choices.status_roll * sum(weight for _, weight in _SENT_STATUS_WEIGHTS)
        for kinds, weight in _SENT_STATUS_WEIGHTS:
            if roll < weight:
                return kinds
            roll -= weight
        return _SENT_STATUS_WEIGHTS[-1][0]

    @staticmethod
    def _attachment_choices(rng: random.Random, bulk: bool) -> tuple[tuple[str, int], ...]:
        if bulk or rng.random() >= 0.2:
            return ()
        names = rng.sample(ORDINARY_ATTACHMENT_NAMES, rng.randint(1, 3))
        return tuple((name, rng.randint(1_200, 2_600_000)) for name in names)

    def _replies_to_next(self, n: int) -> bool:
        """Whether email n answers email n+1 (the next older one), making them one thread."""
        override = self._showcase.get(n, {}).get("reply")
        if override is not None:
            return bool(override)
        if self.shape.profile != "ordinary" and self.shape.profile != "demo":
            return False
        if n + 1 >= self.total or n % _THREAD_BLOCK == _THREAD_BLOCK - 1:
            return False
        if self.category(n) != "user" or self.category(n + 1) not in ("user", "sent"):
            return False
        return random.Random(f"{self.data.seed}|{self.record.id}|{n}|thread").random() < _REPLY_CHANCE

    def thread_of(self, n: int) -> tuple[int, int]:
        """(position of the thread's first email, how many replies down n is)."""
        root = n
        while self._replies_to_next(root):
            root += 1
        return root, root - n

    def resolved(self, n: int) -> tuple[Choices, int, Choices]:
        """Email n's choices once its thread has had its say: (choices, depth in the thread, the root's choices)."""
        choices = self.choices(n)
        root, depth = self.thread_of(n)
        root_choices = self.choices(root) if depth else choices
        if depth:
            # Replies alternate: the record's side answers the user's side and back, in the root owner's mailbox.
            outgoing = root_choices.outgoing != (depth % 2 == 1)
            choices = msgspec.structs.replace(choices, outgoing=outgoing, kind="letter", status_kinds=(), language="en",
                              owner_id=root_choices.owner_id)
        kinds, open_count = self._status_kinds(choices), choices.open_count
        opens = self._opened_again.get(n, 0)
        if opens:
            if "opened" in kinds:
                open_count += opens
            else:
                first = next(k for k in kinds if k in ("sent", "delivered", "clicked"))
                kinds = tuple("opened" if k == first else k for k in kinds) if first != "clicked" else ("opened", *kinds)
                open_count = opens
        return msgspec.structs.replace(choices, status_kinds=kinds, open_count=open_count), depth, root_choices

    def spec(self, n: int) -> EmailSpec:
        choices, depth, root_choices = self.resolved(n)
        root = n + depth
        owner = USER_BY_ID[choices.owner_id]
        correspondent = self._correspondent(n, choices)
        me = Address(owner.full_name, owner.email)
        them = Address(correspondent.name, correspondent.email)
        if choices.kind in ("newsletter", "large_newsletter"):
            newsletter = NEWSLETTERS[choices.newsletter]
            me = Address(newsletter.sender_name, newsletter.sender_email)
        sender, recipient = (me, them) if choices.outgoing else (them, me)
        if choices.sender_name != "":
            sender = Address(choices.sender_name, sender.email)
        to = (recipient,)
        if choices.second_recipient:
            to += (Address("Accounts Payable", "accounts@" + recipient.email.split("@", 1)[1]),)
        cc = (Address(USERS[1].full_name, USERS[1].email), Address(None, USERS[2].email)) if choices.cc else None
        offset = owner.utc_offset if choices.outgoing else correspondent.utc_offset
        moment = self.data.time_last - self._step * (n + 0.7 * choices.jitter)
        attachments = self._attachments(n, choices)
        return EmailSpec(
            position=n,
            message_id=self.message_id(n),
            choices=choices,
            owner=owner,
            subject=self._subject(choices, root_choices, depth),
            sender=sender,
            to=to,
            cc=cc,
            time=moment.astimezone(timezone(offset)),
            thread_root=root,
            depth=depth,
            attachments=attachments,
            thread_has_attachment=bool(attachments or root_choices.attachments),
        )

    def _correspondent(self, n: int, choices: Choices) -> Person:
        """Who the email is with: the record itself, or one of an account's contacts."""
        if choices.category in _CONTACT_CATEGORIES and self.record.contacts:
            contact_id, name = self.record.contacts[n % len(self.record.contacts)]
            contact = self.data.records[contact_id]
            return Person(name, str(contact.fields.get("Email")), self.record.correspondents[0].utc_offset)
        return self.record.correspondents[n % len(self.record.correspondents)]

    def _subject(self, choices: Choices, root: Choices, depth: int) -> str | None:
        if depth:
            base = self._subject(root, root, 0)
            return None if base is None else f"Re: {base}"
        if choices.subject != "":
            return choices.subject
        if choices.kind in ("newsletter", "large_newsletter"):
            newsletter = NEWSLETTERS[choices.newsletter]
            if choices.kind == "large_newsletter":
                return f"{newsletter.brand}: the 2026 archive, every issue in one email"
            return newsletter.subjects[choices.topic % len(newsletter.subjects)]
        return _topic(choices).subject

    def _attachments(self, n: int, choices: Choices) -> tuple[AttachmentSpec, ...]:
        context = f"{self.record.id}|{n}"
        return tuple(
            AttachmentSpec(self.data.ids.digest("attachment", context, str(k), length=20), name, size,
                           f"{self.data.seed}|{context}|attachment|{k}")
            for k, (name, size) in enumerate(choices.attachments)
        )

    # --- JSON ------------------------------------------------------------------------

    def list_item(self, n: int) -> dict[str, object]:
        """One email as the list answer carries it (no body)."""
        spec = self.spec(n)
        choices = spec.choices
        zia = self._zia(spec)
        return {
            "cc": None if spec.cc is None else [a.json() for a in spec.cc],
            "has_thread_attachment": spec.thread_has_attachment,
            "summary": zia["summary"],
            "owner": {"name": spec.owner.full_name, "id": spec.owner.id},
            "read": choices.outgoing or choices.read_roll < 0.8,
            "subject": spec.subject,
            "message_id": spec.message_id,
            "has_attachment": bool(spec.attachments),
            "source": choices.source,
            "sent": spec.sent,
            "intent": zia["intent"],
            "sentiment_info": zia["sentiment_info"],
            "linked_record": self._linked_record(spec),
            "related_to_record": None,
            "activity_info": None,
            "emotion": zia["emotion"],
            "from": spec.sender.json(),
            "to": [a.json() for a in spec.to],
            "time": _iso(spec.time),
            "status": self._statuses(spec),
        }

    def detail(self, n: int) -> dict[str, object]:
        """One email as "get a specific email" returns it: with its body and attachments."""
        spec = self.spec(n)
        zia = self._zia(spec)
        self.data.bodies_built += 1
        reply_to = spec.sender if spec.choices.kind == "newsletter" else Address(None, "")
        return {
            "attachments": [a.json() for a in spec.attachments],
            "subject": spec.subject,
            "editable": spec.category in ("draft", "contact_draft", "scheduled", "contact_scheduled"),
            "mail_format": spec.mail_format,
            "intent": zia["intent"],
            "content": self.content(spec),
            "sentiment_info": zia["sentiment_info"],
            "sent_time": _iso(spec.time),
            "thread_id": self.data.ids.digits("thread", self.record.id, str(spec.thread_root), length=18),
            "emotion": zia["emotion"],
            "summary": zia["summary"],
            "reply_to": reply_to.json(),
            "from": spec.sender.json(),
            "to": [a.json() for a in spec.to],
            "cc": None if spec.cc is None else [a.json() for a in spec.cc],
            "status": self._statuses(spec),
        }

    def attachment(self, n: int, attachment_id: str) -> AttachmentSpec | None:
        return next((a for a in self.spec(n).attachments if a.id == attachment_id), None)

    def _zia(self, spec: EmailSpec) -> dict[str, str | None]:
        if not spec.choices.zia:
            return {"summary": None, "intent": None, "sentiment_info": None, "emotion": None}
        rng = random.Random(f"{self.data.seed}|{self.record.id}|{spec.position}|zia")
        return {"summary": rng.choice(ZIA_SUMMARIES), "intent": rng.choice(INTENTS),
                "sentiment_info": rng.choice(SENTIMENTS), "emotion": rng.choice(EMOTIONS)}

    def _linked_record(self, spec: EmailSpec) -> dict[str, object] | None:
        if spec.category in _CONTACT_CATEGORIES and self.record.contacts:
            contact_id, name = self.record.contacts[spec.position % len(self.record.contacts)]
            return {"id": contact_id, "name": name, "module": _module_ref("Contacts")}
        if not spec.choices.linked:
            return None
        deal = self.data.records[DEAL_MAIN[1]]
        return {"id": deal.id, "name": deal.name, "module": _module_ref("Deals")}

    def _statuses(self, spec: EmailSpec) -> list[dict[str, str]]:
        rng = random.Random(f"{self.data.seed}|{self.record.id}|{spec.position}|status")

        def later(hours: float) -> str:
            return zoho_time(spec.time + timedelta(hours=hours), spec.owner.tz)

        def first_and_last(count: int, within: float) -> tuple[str, str]:
            first = rng.uniform(0.1, 30)
            return later(first), later(first + (rng.uniform(0.5, within) if count > 1 else 0))

        statuses: list[dict[str, str]] = []
        for kind in spec.choices.status_kinds:
            if kind == "opened":
                count = spec.choices.open_count
                first, last = first_and_last(count, 200)
                statuses.append({"type": "opened", "count": str(count), "first_open": first, "last_open": last})
            elif kind == "clicked":
                count = rng.randint(1, 4)
                first, last = first_and_last(count, 100)
                statuses.append({"type": "clicked", "count": str(count), "first_click": first, "last_click": last})
            elif kind == "bounced":
                category, sub_category, reason = rng.choice(_BOUNCES)
                statuses.append({"type": "bounced", "bounced_time": later(rng.uniform(0.01, 72)),
                                 "bounced_reason": reason, "category": category, "sub_category": sub_category})
            else:
                statuses.append({"type": kind})
        return statuses

    # --- bodies -----------------------------------------------------------------------

    def content(self, spec: EmailSpec) -> str:
        from tui.sandbox import bodies  # here: only a detail call has a body (it loads html.entities, ~1 ms)

        choices = spec.choices
        rng = random.Random(f"{self.data.seed}|{self.record.id}|{spec.position}|body")
        recipient = spec.to[0].email
        if choices.kind == "hostile":
            return HOSTILE_TEXT_BODY if choices.text else HOSTILE_HTML_BODY
        if choices.kind in ("newsletter", "large_newsletter"):
            newsletter = NEWSLETTERS[choices.newsletter]
            if choices.kind == "large_newsletter":
                return bodies.large_newsletter_html(rng, newsletter, spec.subject or "", recipient,
                                                    LARGE_NEWSLETTER_BYTES)
            if choices.text:
                return bodies.plain_newsletter(rng, newsletter, recipient)
            return bodies.newsletter_html(rng, newsletter, spec.subject or "", recipient)
        letter = self._letter(spec, rng)
        quoted = self._quoted(spec) if spec.depth else None
        return bodies.plain_body(letter, quoted) if choices.text else bodies.html_body(letter, quoted)

    def _letter(self, spec: EmailSpec, rng: random.Random) -> bodies.Letter:
        from tui.sandbox import bodies

        choices = spec.choices
        topic = _topic(choices)
        language = topic.language
        first_name = _first_name(spec.to[0])
        paragraphs = (rng.choice(REPLY_LINES),) if spec.depth else topic.paragraphs
        company = self.record.fields.get("Company") or self.record.name
        return bodies.Letter(
            greeting=rng.choice(GREETINGS[language]).format(first=first_name),
            paragraphs=tuple(p.format(company=company) for p in paragraphs),
            sign_off=rng.choice(SIGN_OFFS[language]),
            sender_name=_first_name(spec.sender),
            signature=(spec.owner.full_name, f"{spec.owner.role}, {SIGNATURE_TITLE}") if choices.outgoing else (),
            rtl=language in RTL_LANGUAGES,
        )

    def _quoted(self, spec: EmailSpec) -> bodies.Quoted | None:
        from tui.sandbox import bodies

        parent = self.spec(spec.position + 1)
        if parent.choices.kind != "letter":
            return None
        rng = random.Random(f"{self.data.seed}|{self.record.id}|{parent.position}|body")
        when = parent.time.strftime("%a, %d %b %Y %H:%M:%S %z")
        header = f"On {when}, {parent.sender.name or parent.sender.email} <{parent.sender.email}> wrote:"
        return bodies.Quoted(header, bodies.letter_text(self._letter(parent, rng)))


def _arrival_context(record_id: str) -> str:
    """Ids of delivered emails are sealed apart: their numbers count arrivals, not positions."""
    return message_context(record_id) + "|arrival"


def _topic(choices: Choices) -> Topic:
    if choices.language == "en":
        return TOPICS[choices.topic % len(TOPICS)]
    return next(t for t in LANGUAGE_TOPICS if t.language == choices.language)


def _first_name(address: Address) -> str:
    """How people sign and greet: the first name, else the address's first word (ada.lovelace@ -> Ada)."""
    if address.name:
        return address.name.split()[0]
    return address.email.split("@")[0].split(".")[0].capitalize()


def _module_ref(api_name: str) -> dict[str, str]:
    return {"api_name": api_name, "id": MODULE_BY_KEY[module_key(api_name)].id}


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()
