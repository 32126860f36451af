"""Conversations: subjects without their prefixes, grouping by thread and subject, the view's lines."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta, timezone

import pytest

from tui.sandbox.data import DEFAULT_SEED, LEAD_MAIN, SandboxData
from tui.session.conversations import base_subject, conversation_lines, group_conversations, line_of
from tui.zoho.models import Email, Person

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
ADA = Person("Ada Lovelace", "ada@example.com")
BOB = Person("Bob", "bob@example.com")
CAROL = Person(None, "carol@example.com")


def email(mid: str, subject: str | None, hours_ago: float, sender: Person = ADA, to: tuple[Person, ...] = (BOB,)) -> Email:
    return Email(mid, subject=subject, sender=sender, to=to, time=T0 - timedelta(hours=hours_ago))


@pytest.mark.parametrize(
    ("subject", "base"),
    [
        ("Re: Quote", "Quote"),
        ("RE: Fwd: Quote", "Quote"),
        ("AW: SV: FW: Quote", "Quote"),
        ("Re[2]: Quote", "Quote"),
        ("re(3):Quote", "Quote"),
        ("Fwd:Re:  Quote  for   you ", "Quote for you"),
        ("  Re :  Quote", "Quote"),
        ("Re-scheduling the day", "Re-scheduling the day"),
        ("Regarding: Quote", "Regarding: Quote"),
        ("Re: ", ""),
        (None, ""),
    ],
)
def test_base_subject_takes_every_reply_and_forward_prefix_off(subject, base):
    assert base_subject(subject) == base


def test_without_threads_emails_group_by_subject_newest_conversation_first():
    emails = [
        email("4", "Re: Re: Quote", 1, sender=BOB, to=(ADA,)),
        email("3", "Invoice", 2),
        email("2", "RE: quote", 3, sender=CAROL, to=(ADA,)),
        email("1", "Quote", 10),
    ]
    conversations = group_conversations(emails, {})
    assert [c.key for c in conversations] == ["subject:quote", "subject:invoice"]
    quote = conversations[0]
    assert [e.message_id for e in quote.emails] == ["4", "2", "1"]  # newest first, as listed
    assert [e.message_id for e in quote.oldest_first] == ["1", "2", "4"]
    assert quote.count == 3 and quote.subject == "Quote" and quote.latest == emails[0].time
    # Each person once, in the order they took part (sender, then recipients, oldest email first).
    assert quote.participants == (ADA, BOB, CAROL)


def test_thread_ids_split_one_subject_and_join_a_changed_subject():
    emails = [
        email("5", "Re: Meeting", 1),
        email("4", "Budget (was: Meeting)", 2),
        email("3", "Meeting", 3),
        email("2", "Re: Meeting", 40),
        email("1", "Meeting", 50),
    ]
    threads = {"5": "A", "4": "A", "3": "A", "2": "B", "1": "B"}
    conversations = group_conversations(emails, threads)
    assert [[e.message_id for e in c.emails] for c in conversations] == [["5", "4", "3"], ["2", "1"]]
    assert [c.key for c in conversations] == ["thread:A", "thread:B"]


def test_an_email_of_unknown_thread_joins_the_nearest_thread_of_its_subject():
    emails = [
        email("4", "Re: Meeting", 2),  # unknown: nearest to thread A
        email("3", "Meeting", 3),
        email("2", "Re: Meeting", 48),  # unknown: nearest to thread B
        email("1", "Meeting", 50),
        email("0", "Other", 60),  # unknown, no thread of its subject: its subject's conversation
    ]
    conversations = group_conversations(emails, {"3": "A", "1": "B"})
    assert {c.key: sorted(e.message_id for e in c.emails) for c in conversations} == {
        "thread:A": ["3", "4"],
        "thread:B": ["1", "2"],
        "subject:other": ["0"],
    }


def test_emails_without_a_subject_are_each_a_conversation():
    emails = [email("2", None, 1), email("1", "  ", 2)]
    assert [c.key for c in group_conversations(emails, {})] == ["email:2", "email:1"]


def test_emails_without_a_time_come_after_the_others_in_list_order():
    emails = [Email("3", subject="No time"), email("2", "Later", 1), email("1", "Sooner", 5)]
    assert [c.subject for c in group_conversations(emails, {})] == ["Later", "Sooner", "No time"]


def _sandbox_mailbox():
    data = SandboxData(DEFAULT_SEED)
    mailbox = data.mailbox(data.records[LEAD_MAIN[1]])
    emails = [Email.parse(mailbox.list_item(n)) for n in range(mailbox.total)]
    return mailbox, emails


def test_the_sandbox_threads_are_grouped_as_the_sandbox_made_them():
    mailbox, emails = _sandbox_mailbox()
    threads = {e.message_id: str(mailbox.detail(n)["thread_id"]) for n, e in enumerate(emails)}
    made: dict[int, set[str]] = defaultdict(set)
    for n, e in enumerate(emails):
        made[mailbox.spec(n).thread_root].add(e.message_id)
    assert any(len(ids) > 2 for ids in made.values()), "the sandbox has threads of replies"
    conversations = group_conversations(emails, threads)
    assert sorted(sorted(c.ids) for c in conversations) == sorted(sorted(ids) for ids in made.values())
    # Newest conversation first.
    latest = [c.latest for c in conversations]
    assert latest == sorted(latest, reverse=True)


def test_without_thread_ids_no_sandbox_thread_is_split():
    mailbox, emails = _sandbox_mailbox()
    conversation_of = {mid: c.key for c in group_conversations(emails, {}) for mid in c.ids}
    made: dict[int, set[str]] = defaultdict(set)
    for n, e in enumerate(emails):
        made[mailbox.spec(n).thread_root].add(e.message_id)
    for ids in made.values():
        assert len({conversation_of[mid] for mid in ids}) == 1


def test_lines_show_an_expanded_conversation_s_emails_under_it_and_the_cursor_finds_them():
    emails = [email("4", "Re: Quote", 1), email("3", "Invoice", 2), email("2", "Quote", 3)]
    conversations = group_conversations(emails, {})
    collapsed = conversation_lines(conversations, expanded=())
    assert [(line.conversation.key, line.email) for line in collapsed] == [("subject:quote", None), ("subject:invoice", None)]
    lines = conversation_lines(conversations, expanded={"2"})
    assert [(line.email.message_id if line.email else None, line.expanded) for line in lines] == [
        (None, True), ("4", False), ("2", False), (None, False)
    ]
    assert [line.anchor for line in lines] == ["4", "4", "2", "3"]
    assert line_of(lines, "2", on_email=True) == 2
    assert line_of(lines, "2", on_email=False) == 0
    assert line_of(collapsed, "2", on_email=True) == 0  # its conversation is collapsed: its line
    assert line_of(lines, "3", on_email=True) == 3
    assert line_of(lines, "gone", on_email=False) == 0
    # A conversation of one email never expands.
    assert not conversation_lines(conversations, expanded={"3"})[1].expanded
