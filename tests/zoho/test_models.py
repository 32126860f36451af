"""Parsing of every documented shape, and of the undocumented ones real data has."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from shared_files import shared_path
from tui.zoho.models import (
    Attachment,
    BouncedStatus,
    ClickedStatus,
    Email,
    EmailDetail,
    EmailPage,
    Module,
    OpenedStatus,
    Org,
    OtherStatus,
    PageInfo,
    SentStatus,
    User,
    parse_status,
    parse_time,
)



def seed_samples() -> list[dict]:
    """The two sample responses of Zoho's doc page, made valid JSON (the stray quote, the `{...}` elision)."""
    text = shared_path("seeds", "000_47625892845283fa.txt").read_text()
    text = text.replace('"test with attachment"",', '"test with attachment",')
    text = re.sub(r",\s*\{\s*\.\.\.\s*\}", "", text)
    samples = []
    for start in (m.start() for m in re.finditer(r"Copied\{", text)):
        depth = 0
        body = text[start + len("Copied") :]
        for i, ch in enumerate(body):
            depth += ch == "{"
            depth -= ch == "}"
            if depth == 0:
                samples.append(json.loads(body[: i + 1]))
                break
    return samples


def test_the_doc_samples_parse():
    listing, detail = seed_samples()
    page = EmailPage.parse(listing)
    assert [e.subject for e in page.emails] == ["test with attachment", "test with attachment"]
    first, second = page.emails
    assert first.cc == () and first.linked_record is None and first.summary is None
    assert first.owner.name == "Patricia Boyle" and first.owner.id == "2313985000000470001"
    assert [p.email for p in first.to] == ["christopher-maclead@noemail.com", "christopher-maclead@34523.com"]
    assert first.time.utcoffset() == timedelta(hours=5, minutes=30)
    assert first.status == (SentStatus(),)
    bounce = second.bounced
    assert isinstance(bounce, BouncedStatus)
    assert bounce.reason == "Retries Exhausted. Host not reachable."
    assert bounce.category == "Temporarily blocked" and bounce.sub_category == "Temporary Domain Failure"
    assert page.info == PageInfo(10, 10, page.info.next_index, "0", True)
    assert page.info.next_index.startswith("487a357e")
    assert page.raw_emails[0]["message_id"] == first.message_id

    email = EmailDetail.parse(detail["Emails"][0], "asked-for-id")
    assert email.message_id == "asked-for-id"
    assert email.attachments == (Attachment("72daf06xxx349c51ce66", "email_templates.png", 24792),)
    assert email.mail_format == "html" and email.is_html
    assert email.reply_to is None  # {"user_name": null, "email": ""} names nobody
    assert email.status == (OpenedStatus(1, parse_time("2022-12-06T06:23:38+05:30"), parse_time("2022-12-06T06:23:38+05:30")),)
    assert email.intent == "purchase" and email.sentiment == "positive" and email.emotion == "gratitude"
    assert email.thread_id == "12343212343"


def test_missing_and_null_fields_never_crash():
    assert Email.parse({}) is None
    email = Email.parse({"message_id": "m1", "from": None, "to": None, "status": None, "owner": {}, "time": None})
    assert email == Email("m1")
    odd = Email.parse({"message_id": 7, "to": [None, "x", {"email": "a@b.c"}], "sent": "true", "time": "garbage"})
    assert odd.message_id == "7" and [p.email for p in odd.to] == ["a@b.c"] and odd.sent is True and odd.time is None
    assert EmailPage.parse(None) == EmailPage()
    assert EmailDetail.parse(None, "m").content is None


def test_page_info_without_next_index_has_no_more_records():
    assert not PageInfo.parse({"more_records": True, "next_index": None}).more_records
    assert PageInfo.parse({"more_records": "true", "next_index": "ab", "count": "3"}) == PageInfo(None, 3, "ab", None, True)


def test_status_kinds():
    assert parse_status({"type": "clicked", "count": "4", "first_click": "2026-01-02T03:04:05Z"}) == ClickedStatus(
        4, parse_time("2026-01-02T03:04:05+00:00"), None
    )
    assert parse_status({"type": "delivered", "time": "2026-01-01T00:00:00+00:00", "x": None}) == OtherStatus(
        "delivered", (("time", "2026-01-01T00:00:00+00:00"),)
    )
    assert parse_status({"count": 3}) is None
    assert parse_status({"type": "opened", "count": "not a number"}).count is None


def test_sizes_and_counts_become_ints():
    assert Attachment.parse({"id": "a", "size": "24792"}).size == 24792
    assert Attachment.parse({"id": "a", "size": 10.0}).size == 10
    assert Attachment.parse({"id": "a", "size": "big"}).size is None
    assert Attachment.parse({"name": "no id"}) is None


def test_modules_users_org():
    module = Module.parse(
        {"api_name": "Projects", "plural_label": "Projects", "generated_type": "custom", "display_field": {"api_name": "Name"}}
    )
    assert module.is_custom and module.display_field == "Name" and module.api_supported
    assert Module.parse({"api_name": "Tasks", "api_supported": False}).api_supported is False
    assert User.parse({"id": "1", "first_name": "Ada", "last_name": "L", "email": "a@x"}).name == "Ada L"
    assert Org.parse({"org": [{"domain_name": "org808232144", "id": 5}]}).domain_name == "org808232144"
    assert Org.parse({"org": []}) is None
