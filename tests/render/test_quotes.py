"""Quoted text folded, and a conversation as the pane reads it."""

from __future__ import annotations

from datetime import datetime, timezone

from tui.render.conversation import NOT_READ, conversation_parts, email_heading
from tui.render.lines import body_rows
from tui.render.quotes import fold_quotes, folded_lines
from tui.sandbox.data import DEFAULT_SEED, LEAD_MAIN, SandboxData
from tui.zoho.models import Email, EmailDetail, Person


def test_a_quote_and_its_wrapped_attribution_become_one_line():
    lines = [
        "Thanks, that works.",
        "",
        "On Tue, 27 Oct 2026 15:31:38 +0000, Ada Lovelace <ada@lovelace-",
        "analytics.co.uk> wrote:",
        "",
        "> Hello Patricia,",
        ">",
        "> Sounds good.",
        "",
        "Patricia",
    ]
    assert fold_quotes(lines) == ["Thanks, that works.", "", "… 6 quoted lines", "", "Patricia"]
    assert [folded for _line, folded in folded_lines(lines)] == [False, False, True, False, False]


def test_a_wrapped_quoted_paragraph_is_folded_whole():
    lines = ["Agreed.", "> the Mk II with the extended store and", "the printing apparatus.", ">",
             "> Thanks,", "", "Ada"]
    assert fold_quotes(lines) == ["Agreed.", "… 4 quoted lines", "", "Ada"]


def test_text_that_only_looks_like_an_attribution_stays():
    lines = ["On Monday we met.", "", "On the table, he wrote:", "nothing quoted", "1 > 0 in math"]
    assert fold_quotes(lines) == lines
    assert fold_quotes(["> one"]) == ["… 1 quoted line"]


def test_the_sandbox_replies_lose_their_quotes_html_and_text():
    data = SandboxData(DEFAULT_SEED)
    mailbox = data.mailbox(data.records[LEAD_MAIN[1]])
    replies = [n for n in range(60) if mailbox.spec(n).depth]
    formats = set()
    for n in replies:
        detail = EmailDetail.parse(mailbox.detail(n), mailbox.message_id(n))
        formats.add(detail.mail_format)
        shown = fold_quotes(body_rows(detail, 60))
        assert not any(line.lstrip().startswith(">") for line in shown), (n, shown)
        assert not any("wrote:" in line for line in shown), (n, shown)
        assert sum(line.startswith("… ") and "quoted line" in line for line in shown) == 1, (n, shown)
    assert formats == {"html", "text"}


def test_a_conversation_reads_oldest_first_under_headings():
    t = datetime(2026, 11, 20, 6, 44, tzinfo=timezone.utc)
    first = Email("1", subject="Quote", sender=Person("Ada", "ada@x"), time=t)
    reply = Email("2", subject="Re: Quote", sender=Person("Bob", None), time=t)
    parts = conversation_parts([(first, ["", "Hello,", "the quote.", ""]), (reply, NOT_READ)], 60)
    assert [(p.kind, p.text) for p in parts] == [
        ("heading", email_heading(first, 60)),
        ("body", "Hello,"),
        ("body", "the quote."),
        ("body", ""),
        ("heading", email_heading(reply, 60)),
        ("note", NOT_READ),
    ]
    assert email_heading(first, 60).startswith("── Ada · Fri 2026-11-20 06:44 UTC ─")
    assert len(email_heading(first, 60)) == 60
    assert len(email_heading(first, 12)) == 12 and email_heading(first, 12).endswith("…")
