"""The search language of the local store, parsed into terms; no SQL here.

    invoice paid                 every word, anywhere (subject, people, Zia summary, body)
    "exact phrase"               the words next to each other, in this order
    from:ada  from:"Ada L"       sender's name or address
    to:bob                       a recipient's name or address (To or Cc)
    subject:renewal              the subject
    status:opened                sent opened clicked bounced failed scheduled draft delivered received
    has:attachment
    after:2026-03-01             on or after that day (the reader's local time, inclusive)
    before:2026-04-01            before that day starts (exclusive): after:… before:… is a date range
    is:done  is:flagged  is:todo the local marks
    -word  -"phrase"  -is:done   a leading '-' negates a word, a phrase or a qualifier

Terms are ANDed. The query's last bare word is a prefix while it is being
typed (`invo` finds `invoice`): it is complete once a space follows it. So
is the value of a last `status:`, `is:` or `has:` (`status:op`, `is:d`).
Qualifier names and their fixed values are case-insensitive. An unknown
qualifier, a bad value or a bad date is a `QueryError` whose message is one
sentence for the person. A word that merely contains a colon after digits or
punctuation (`10:30`) is a word; to search text that looks like a qualifier
(`re:`, `https://…`), quote it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import Enum

from tui.store.marks import MARK_STATES

STATUS_KINDS = ("sent", "opened", "clicked", "bounced", "failed", "scheduled", "draft", "delivered", "received")
# `status:draft` also matches Zoho's `drafts` (its type parameter's spelling).
STATUS_ALIASES: dict[str, tuple[str, ...]] = {"draft": ("draft", "drafts")}
HAS_VALUES = {"attachment": "attachment", "attachments": "attachment"}


class QueryError(ValueError):
    """A query the store cannot run; `message` says why in one sentence."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Field(Enum):
    """Where a text term is looked for."""

    ANY = "any"
    FROM = "from"
    TO = "to"  # To and Cc
    SUBJECT = "subject"


@dataclass(frozen=True, slots=True)
class TextTerm:
    """A word or a phrase, anywhere or in one field."""

    text: str
    field: Field = Field.ANY
    phrase: bool = False  # typed in quotes
    prefix: bool = False  # the last word, still being typed
    negated: bool = False


@dataclass(frozen=True, slots=True)
class StatusTerm:
    kinds: tuple[str, ...]  # any of these `status[].type` values (lowercase)
    negated: bool = False


@dataclass(frozen=True, slots=True)
class AttachmentTerm:
    negated: bool = False


@dataclass(frozen=True, slots=True)
class MarkTerm:
    state: str  # done, flagged, todo
    negated: bool = False


@dataclass(frozen=True, slots=True)
class DateTerm:
    """`after:` (on or after the day, inclusive) or `before:` (before the day starts, exclusive)."""

    bound: str  # "after" or "before"
    day: date
    negated: bool = False


Term = TextTerm | StatusTerm | AttachmentTerm | MarkTerm | DateTerm


@dataclass(frozen=True, slots=True)
class Query:
    terms: tuple[Term, ...] = ()
    text: str = ""

    @property
    def is_empty(self) -> bool:
        """An empty query matches every stored email."""
        return not self.terms

    @property
    def text_terms(self) -> tuple[TextTerm, ...]:
        return tuple(t for t in self.terms if isinstance(t, TextTerm))


_QUALIFIERS = ("from", "to", "subject", "status", "has", "is", "before", "after")
_TEXT_FIELDS = {"from": Field.FROM, "to": Field.TO, "subject": Field.SUBJECT}
# A qualifier is letters then a colon at the start of a token: `from:`, `Status:`. `10:30` is a word.
_QUALIFIER = re.compile(r"([A-Za-z]+):")
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True, slots=True)
class _Token:
    negated: bool
    qualifier: str | None
    value: str
    quoted: bool
    last_open: bool  # the query's last token, with no space after it


def parse(text: str) -> Query:
    """The terms of `text`; raises QueryError for an unknown qualifier, a bad value or a bad date."""
    tokens = _tokens(text)
    terms: list[Term] = []
    for token in tokens:
        term = _term(token)
        if term is not None:
            terms.append(term)
    return Query(tuple(terms), text)


def _tokens(text: str) -> list[_Token]:
    """Split on whitespace; a `"` at a token's start (or after `qualifier:`) runs to the next `"`."""
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        negated = False
        if text[i] == "-" and i + 1 < n and not text[i + 1].isspace():
            negated = True
            i += 1
        qualifier = None
        match = _QUALIFIER.match(text, i)
        if match:
            qualifier = match.group(1).lower()
            i = match.end()
        if i < n and text[i] == '"':
            end = text.find('"', i + 1)
            closed = end != -1
            value = text[i + 1 : end] if closed else text[i + 1 :]
            i = end + 1 if closed else n
            # An unclosed phrase at the end is still being typed: its last word is a prefix.
            tokens.append(_Token(negated, qualifier, value, True, not closed))
            continue
        start = i
        while i < n and not text[i].isspace():
            i += 1
        tokens.append(_Token(negated, qualifier, text[start:i], False, i == n))
    return tokens


def _term(token: _Token) -> Term | None:
    if token.qualifier is None:
        if not token.value:
            return None
        return TextTerm(token.value, Field.ANY, phrase=token.quoted, prefix=token.last_open, negated=token.negated)
    name, value, negated = token.qualifier, token.value, token.negated
    if name not in _QUALIFIERS:
        raise QueryError(
            f"There is no {name}: qualifier (use {', '.join(q + ':' for q in _QUALIFIERS)}, "
            f'or put the text in quotes to search for it: "{name}:{value}").'
        )
    if not value.strip():
        raise QueryError(f'{name}: needs a value after it, like {name}:{_EXAMPLES[name]}.')
    if name in _TEXT_FIELDS:
        return TextTerm(value, _TEXT_FIELDS[name], phrase=token.quoted, prefix=token.last_open, negated=negated)
    word = value.strip().lower()
    if token.last_open and not token.quoted:
        # Still being typed: `status:op` already means opened, `status:s` sent or scheduled.
        known = {"status": STATUS_KINDS, "is": MARK_STATES, "has": ("attachment",)}.get(name, ())
        started = [k for k in known if k.startswith(word)]
        if name == "status" and started and word not in STATUS_KINDS:
            return StatusTerm(tuple(a for k in started for a in STATUS_ALIASES.get(k, (k,))), negated)
        if len(started) == 1:
            word = started[0]
    if name == "status":
        if word not in STATUS_KINDS:
            raise QueryError(f"status:{value} is not a status Zoho reports: use one of {', '.join(STATUS_KINDS)}.")
        return StatusTerm(STATUS_ALIASES.get(word, (word,)), negated)
    if name == "has":
        if word not in HAS_VALUES:
            raise QueryError(f"has:{value} is not known: has:attachment is the one there is.")
        return AttachmentTerm(negated)
    if name == "is":
        if word not in MARK_STATES:
            raise QueryError(f"is:{value} is not a mark: use is:done, is:flagged or is:todo.")
        return MarkTerm(word, negated)
    return DateTerm(name, _day(name, value), negated)


_EXAMPLES = {"from": "ada", "to": "bob", "subject": '"quarterly report"', "status": "opened",
             "has": "attachment", "is": "done", "before": "2026-04-01", "after": "2026-03-01"}


def _day(name: str, value: str) -> date:
    match = _DAY.fullmatch(value.strip())
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    raise QueryError(f"{name}:{value} is not a date: write it YYYY-MM-DD, like {name}:{_EXAMPLES[name]}.")
