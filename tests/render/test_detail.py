"""The detail pane's text: headers, the facts above the body, and the body's link list."""

from __future__ import annotations

from datetime import datetime, timezone

from rich.console import Console
from rich.style import Style

from tui.render.detail import header_renderable, info_rows, keep_link_numbers, label_grid, status_summary
from tui.zoho.models import (
    Attachment,
    BouncedStatus,
    Email,
    EmailDetail,
    OpenedStatus,
    Owner,
    OtherStatus,
    Person,
    SentStatus,
)
from tui.store.marks import Mark

STYLES = {"label": Style(dim=True), "subject": Style(bold=True), "bounced": Style(color="red"), "note": Style(italic=True)}
WHEN = datetime(2026, 11, 20, 6, 44, tzinfo=timezone.utc)


def plain(renderable, width: int = 60) -> str:
    console = Console(width=width, color_system=None, record=True)
    console.print(renderable)
    return console.export_text()


def test_the_summary_says_why_an_email_bounced():
    bounce = BouncedStatus(WHEN, "550 5.1.1 no such user.", "Invalid Recipient", None)
    assert status_summary(Email("m", status=(bounce,)), None) == ("bounced: 550 5.1.1 no such user · Invalid Recipient", True)
    assert status_summary(Email("m", status=(SentStatus(),)), None) == ("sent", False)
    # The list row has no status: the detail's is used.
    assert status_summary(Email("m"), EmailDetail("m", status=(OpenedStatus(3, WHEN, WHEN),))) == ("opened ×3", False)


def test_the_header_lists_people_date_and_status_and_never_markup():
    email = Email(
        "m",
        subject="[@click=app.quit]x[/]",
        sender=Person("Ada Lovelace", "ada@example.com"),
        to=(Person(None, "grace@example.com"), Person("Charles", "cb@example.com")),
        time=WHEN,
        status=(SentStatus(),),
    )
    detail = EmailDetail("m", reply_to=Person("Desk", "desk@example.com"))
    text = plain(header_renderable(email, detail, STYLES), width=80)
    assert text.splitlines()[0].rstrip() == "[@click=app.quit]x[/]"
    words = " ".join(text.split())
    assert "From Ada Lovelace <ada@example.com>" in words
    assert "To grace@example.com, Charles <cb@example.com>" in words
    assert "Reply-To Desk <desk@example.com>" in " ".join(text.split())
    assert "Status" in text and "sent" in text


def test_a_failed_send_is_as_alarming_as_a_bounce():
    assert status_summary(Email("m", status=(SentStatus(), OtherStatus("failed"))), None) == ("failed", True)


def test_the_header_shows_the_mark_and_its_note_on_one_safe_line():
    email = Email("m", subject="Quote", time=WHEN, status=(SentStatus(),))
    assert "Mark" not in plain(header_renderable(email, None, STYLES), width=80)
    marked = plain(header_renderable(email, None, STYLES, Mark("flagged", "call\x1b[31m back\nMonday", 0.0)), width=80)
    line = next(line for line in marked.splitlines() if line.startswith("Mark"))
    assert " ".join(line.split()) == "Mark ⚑ flagged — call back Monday"
    done = plain(header_renderable(email, None, STYLES, Mark("done", None, 0.0)), width=80)
    assert any(" ".join(line.split()) == "Mark ✓ done" for line in done.splitlines())


def test_info_rows_name_the_owner_and_attachments_with_their_notes():
    email = Email("m", owner=Owner("1", "Patricia Boyle"), source="workflow", has_attachment=True)
    detail = EmailDetail("m", attachments=(Attachment("a1", "Quote.pdf", 2048), Attachment("a2", None, None)))
    rows = dict((label or f"+{n}", plain(value)) for n, (label, value) in enumerate(info_rows(email, detail, STYLES, {"a1": "saving… 40%"})))
    assert rows["Owner"].strip() == "Patricia Boyle" and rows["Source"].strip() == "workflow"
    assert "Quote.pdf" in rows["Attached"] and "2.0 KB" in rows["Attached"] and "saving… 40%" in rows["Attached"]
    assert "(unnamed)" in rows["+3"]
    # Before the detail arrives, the row only knows there are attachments.
    early = dict(info_rows(email, None, STYLES))
    assert "come with the full email" in plain(early["Attached"])


def test_a_long_bounce_reason_wraps_under_its_value_not_under_the_label():
    reason = "452 4.2.2 The email account that you tried to reach is over quota and cannot take more mail today."
    email = Email("m", status=(BouncedStatus(WHEN, reason, "Mailbox Full", None),))
    text = plain(label_grid(info_rows(email, None, STYLES), STYLES["label"]), width=60)
    reason_lines = [line for line in text.splitlines() if "over quota" in line or "mail today" in line]
    assert len(reason_lines) >= 1
    continuation = text.splitlines()[[i for i, line in enumerate(text.splitlines()) if "452 4.2.2" in line][0] + 1]
    assert continuation.startswith(" " * 20)  # under the value column


def test_link_numbers_stay_with_their_urls():
    body = "Hello\n\nLinks:\n[1] https://example.com/a\n[4] https://example.com/" + "x" * 100
    kept = keep_link_numbers(body, 40)
    lines = kept.splitlines()
    assert lines[3] == "[1] https://example.com/a"
    assert lines[4].startswith("[4] https://example.com/") and len(lines[4]) == 40
    assert "".join(lines[4:]) == "[4] https://example.com/" + "x" * 100  # the URL's characters unchanged
    assert keep_link_numbers("no list here", 10) == "no list here"


def test_a_scheduled_email_says_when_it_is_scheduled_for_not_sent():
    from datetime import timedelta

    from tui.zoho.models import OtherStatus

    there = WHEN.astimezone(timezone(timedelta(hours=5, minutes=30)))
    scheduled = Email("m", time=there, status=(OtherStatus("scheduled"),))
    text = plain(header_renderable(scheduled, None, STYLES), width=80)
    assert "(scheduled for 12:14 +05:30)" in text and "(sent" not in text
    sent = Email("m", time=there, status=(SentStatus(),))
    assert "(sent 12:14 +05:30)" in plain(header_renderable(sent, None, STYLES), width=80)
