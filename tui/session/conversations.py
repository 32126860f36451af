"""A record's emails as conversations, without Textual: grouping, and the lines of the conversation view.

An email's thread is known only once its detail was read (the list rows carry no
`thread_id`): emails whose thread is known are grouped by it; the others join a
thread of the same subject (the one nearest in time) or, when there is none, the
conversation of their subject with the reply and forward prefixes taken off
(`Re:`, `Fwd:`, `AW:`, `SV:`, `FW:`, `Re[2]:`…). An email with no subject is a
conversation of its own. The emails keep the list's order (newest first); the
conversations come newest first.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from functools import lru_cache

import msgspec

from tui.zoho.models import Email, Person

# One reply/forward prefix: "Re:", "RE :", "Fwd:", "FW:", "AW:", "SV:", "Re[2]:", "Re(3):".
_PREFIX = re.compile(r"\s*(?:re|fwd?|aw|sv)\s*(?:\[\d+\]|\(\d+\))?\s*:", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=8192)  # a record's subjects repeat: each is stripped once
def base_subject(subject: str | None) -> str:
    """The subject without its reply and forward prefixes, however many, its spaces collapsed."""
    text = _SPACES.sub(" ", subject or "").strip()
    while match := _PREFIX.match(text):
        text = text[match.end() :].strip()
    return text


class Conversation(msgspec.Struct, frozen=True):
    """Emails of one thread (or one subject), newest first as the list has them."""

    key: str  # "thread:ID", "subject:…" or "email:MESSAGE_ID": what grouped them
    emails: tuple[Email, ...]

    @property
    def count(self) -> int:
        return len(self.emails)

    @property
    def subject(self) -> str:
        """The subject the conversation started with, without prefixes ("" when it has none)."""
        for email in reversed(self.emails):
            if base := base_subject(email.subject):
                return base
        return ""

    @property
    def latest(self) -> datetime | None:
        return max((e.time for e in self.emails if e.time is not None), default=None)

    @property
    def oldest_first(self) -> tuple[Email, ...]:
        return tuple(reversed(self.emails))

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(e.message_id for e in self.emails)

    @property
    def participants(self) -> tuple[Person, ...]:
        """Senders and recipients (not Cc), each once, in the order they first took part."""
        seen: set[str] = set()
        people: list[Person] = []
        for email in self.oldest_first:
            for person in (email.sender, *email.to):
                if person is None:
                    continue
                key = (person.email or person.display).casefold()
                if key and key not in seen:
                    seen.add(key)
                    people.append(person)
        return tuple(people)


def group_conversations(emails: Iterable[Email], thread_ids: Mapping[str, str]) -> list[Conversation]:
    """`emails` (newest first) as conversations, newest first; `thread_ids` by message id where known."""
    listed = list(emails)
    keys: list[str] = [""] * len(listed)
    threads_of_subject: dict[str, list[str]] = {}  # subject key -> thread keys with an email of that subject
    times_of_thread: dict[str, list[float]] = {}
    for n, email in enumerate(listed):
        thread = thread_ids.get(email.message_id)
        if not thread:
            continue
        keys[n] = key = f"thread:{thread}"
        subject = base_subject(email.subject).casefold()
        if subject:
            known = threads_of_subject.setdefault(subject, [])
            if key not in known:
                known.append(key)
        if email.time is not None:
            times_of_thread.setdefault(key, []).append(email.time.timestamp())
    for n, email in enumerate(listed):
        if keys[n]:
            continue
        subject = base_subject(email.subject).casefold()
        if not subject:
            keys[n] = f"email:{email.message_id}"
        elif threads := threads_of_subject.get(subject):
            keys[n] = _nearest(threads, times_of_thread, email.time)
        else:
            keys[n] = f"subject:{subject}"
    grouped: dict[str, list[Email]] = {}
    for key, email in zip(keys, listed):
        grouped.setdefault(key, []).append(email)
    conversations = [Conversation(key, tuple(members)) for key, members in grouped.items()]
    # Newest first: by the latest time; those without a time keep the list's order, after the others.
    order = {c.key: n for n, c in enumerate(conversations)}
    return sorted(
        conversations,
        key=lambda c: (c.latest is None, -(c.latest.timestamp()) if c.latest else 0.0, order[c.key]),
    )


def _nearest(threads: Sequence[str], times: Mapping[str, list[float]], when: datetime | None) -> str:
    """Of the threads sharing a subject, the one with an email nearest in time to `when` (else the newest)."""
    if when is None or len(threads) == 1:
        return threads[0]
    moment = when.timestamp()
    return min(threads, key=lambda t: min((abs(moment - s) for s in times.get(t, ())), default=float("inf")))


class ConversationLine(msgspec.Struct, frozen=True):
    """A line of the conversation view: a conversation, or one of its emails when it is expanded."""

    conversation: Conversation
    email: Email | None = None  # None: the conversation's own line
    expanded: bool = False  # (the conversation's line) its emails are shown under it

    @property
    def anchor(self) -> str:
        """The message id that stands for the line: its email, or the conversation's newest."""
        return (self.email or self.conversation.emails[0]).message_id


def conversation_lines(conversations: Sequence[Conversation], expanded: Collection[str]) -> list[ConversationLine]:
    """One line per conversation; under a conversation with an email in `expanded` (message ids), its emails."""
    lines: list[ConversationLine] = []
    for conversation in conversations:
        opened = conversation.count > 1 and any(e.message_id in expanded for e in conversation.emails)
        lines.append(ConversationLine(conversation, expanded=opened))
        if opened:
            lines.extend(ConversationLine(conversation, email) for email in conversation.emails)
    return lines


def line_of(lines: Sequence[ConversationLine], message_id: str | None, *, on_email: bool) -> int:
    """Where the cursor goes for `message_id`: its own row when it is shown and `on_email`, else its
    conversation's line (0 when it is not listed)."""
    if message_id is None:
        return 0
    conversation_row = None
    for n, line in enumerate(lines):
        if line.email is None:
            if message_id in line.conversation.ids:
                conversation_row = n
                if not (on_email and line.expanded):
                    return n
        elif on_email and line.email.message_id == message_id:
            return n
    return conversation_row or 0
