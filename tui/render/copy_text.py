"""What `y` copies of an email, and how the app says it copied it. Pure functions (no Textual).

The letters after `y` are listed once, here: the menu shows them, the record screen acts
on them. What is copied is the text as shown, made safe like everything shown (a pasted
subject cannot carry an escape sequence into the next terminal it is pasted into).
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from tui.render.safe import clean, one_line
from tui.zoho.models import Email, EmailDetail, Person


class CopyChoice(msgspec.Struct, frozen=True):
    """One line of the copy menu: its key, and what it copies."""

    key: str  # the letter after `y`
    name: str  # what the record screen copies
    label: str  # in the menu
    what: str  # in "Copied the subject (42 characters)"


COPY_CHOICES: tuple[CopyChoice, ...] = (
    CopyChoice("s", "subject", "Subject", "the subject"),
    CopyChoice("f", "sender", "Sender's address", "the sender's address"),
    CopyChoice("t", "recipients", "All recipients (To and Cc)", "the recipients"),
    CopyChoice("i", "message_id", "Message id", "the message id"),
    CopyChoice("b", "body", "Body as text", "the body"),
    CopyChoice("l", "link", "A link of the body, by number…", "link"),
    CopyChoice("w", "web_link", "The record's web link (Zoho CRM)", "the record's web link"),
)
COPY_BY_NAME = {choice.name: choice for choice in COPY_CHOICES}


def _address(person: Person | None) -> str:
    return one_line(person.email or person.name) if person else ""


def _addresses(people: Iterable[Person]) -> str:
    seen: list[str] = []
    for person in people:
        address = _address(person)
        if address and address.lower() not in (s.lower() for s in seen):
            seen.append(address)
    return ", ".join(seen)


def email_text(name: str, email: Email, detail: EmailDetail | None) -> str:
    """The subject, sender's address, recipients or message id of `email` ("" when Zoho gave none)."""
    if name == "subject":
        return one_line((detail.subject if detail else None) or email.subject)
    if name == "sender":
        return _address((detail.sender if detail else None) or email.sender)
    if name == "recipients":
        to = (detail.to if detail else ()) or email.to
        cc = (detail.cc if detail else ()) or email.cc
        return _addresses((*to, *cc))
    if name == "message_id":
        return one_line(email.message_id)
    raise ValueError(f"not a field of an email: {name!r}")


def body_as_text(detail: EmailDetail) -> str:
    """The body as text with its paragraphs unwrapped (HTML converted, links listed). Slow for big HTML."""
    from tui.render.html import body_text  # html2text: imported when a body is first copied, not at start

    return clean(body_text(detail, 0))


def copied_note(what: str, text: str) -> str:
    """'Copied the subject (42 characters)'."""
    count = len(text)
    return f"Copied {what} ({count:,} character{'' if count == 1 else 's'})"
