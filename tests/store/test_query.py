"""The search language, parsed on its own (no store, no SQL)."""

from __future__ import annotations

from datetime import date

import pytest

from tui.store.query import (
    AttachmentTerm,
    DateTerm,
    Field,
    MarkTerm,
    QueryError,
    StatusTerm,
    TextTerm,
    parse,
)


def test_an_empty_query_matches_everything():
    assert parse("").is_empty and parse("   ").is_empty


def test_words_are_anded_and_the_last_one_is_a_prefix_while_typed():
    assert parse("invoice paid").terms == (TextTerm("invoice"), TextTerm("paid", prefix=True))
    assert parse("invoice paid ").terms == (TextTerm("invoice"), TextTerm("paid"))


def test_quoted_phrases_and_an_unclosed_one_being_typed():
    assert parse('"exact phrase" x').terms == (TextTerm("exact phrase", phrase=True), TextTerm("x", prefix=True))
    assert parse('"quarterly rep').terms == (TextTerm("quarterly rep", phrase=True, prefix=True),)


def test_text_qualifiers_take_a_word_or_a_phrase():
    assert parse('from:ada to:"Bob B" subject:renewal ').terms == (
        TextTerm("ada", Field.FROM),
        TextTerm("Bob B", Field.TO, phrase=True),
        TextTerm("renewal", Field.SUBJECT),
    )
    assert parse("From:ada@lovelace.io").terms == (TextTerm("ada@lovelace.io", Field.FROM, prefix=True),)


def test_fixed_qualifiers():
    query = parse("status:Opened has:attachment is:done after:2026-03-01 before:2026-04-01")
    assert query.terms == (
        StatusTerm(("opened",)),
        AttachmentTerm(),
        MarkTerm("done"),
        DateTerm("after", date(2026, 3, 1)),
        DateTerm("before", date(2026, 4, 1)),
    )


def test_draft_also_means_drafts():
    assert parse("status:draft").terms == (StatusTerm(("draft", "drafts")),)


def test_a_leading_dash_negates_words_phrases_and_qualifiers():
    assert parse('-newsletter -"mass mail" -is:done -status:bounced -from:x ').terms == (
        TextTerm("newsletter", negated=True),
        TextTerm("mass mail", phrase=True, negated=True),
        MarkTerm("done", negated=True),
        StatusTerm(("bounced",), negated=True),
        TextTerm("x", Field.FROM, negated=True),
    )


@pytest.mark.parametrize(
    "text, words",
    [
        ("10:30", ["10:30"]),  # digits before a colon: a word
        ('"re: hello"', ["re: hello"]),  # a qualifier-looking text, quoted
        ("NEAR( AND OR *", ["NEAR(", "AND", "OR", "*"]),
        ("- -- '; DROP TABLE emails; --", ["-", "-", "';", "DROP", "TABLE", "emails;", "-"]),  # "--": a negated "-"
        ('a"b', ['a"b']),
    ],
)
def test_hostile_or_odd_text_is_words(text, words):
    assert [t.text for t in parse(text).terms] == words


@pytest.mark.parametrize(
    "text, says",
    [
        ("re:hello", "no re: qualifier"),
        ("https://zoho.com", "no https: qualifier"),
        ("status:lost", "not a status"),
        ("has:pictures", "has:attachment"),
        ("is:read", "not a mark"),
        ("before:2026-13-01", "not a date"),
        ("after:yesterday", "YYYY-MM-DD"),
        ("from:", "needs a value"),
        ('subject:""', "needs a value"),
    ],
)
def test_mistakes_are_query_errors_with_a_sentence(text, says):
    with pytest.raises(QueryError) as error:
        parse(text)
    assert says in error.value.message and error.value.message.endswith(".")


def test_a_fixed_value_being_typed_is_a_prefix_too():
    assert parse("status:op").terms == (StatusTerm(("opened",)),)
    assert parse("status:s").terms == (StatusTerm(("sent", "scheduled")),)
    assert parse("is:d").terms == (MarkTerm("done"),) and parse("has:att").terms == (AttachmentTerm(),)
    with pytest.raises(QueryError):
        parse("status:op ")  # complete, and not a status
    with pytest.raises(QueryError):
        parse("status:zz")
