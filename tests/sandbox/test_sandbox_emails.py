"""The Emails API of the sandbox: pages, filters, one email, attachments, and the data the demo promises."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import unquote

import pytest

from tui.sandbox import data
from tui.sandbox.attachments import CHUNK_SIZE
from tui.sandbox.corpus import HOSTILE_ATTACHMENT_NAMES
from tui.zoho.catalog import email_types_for
from tui.zoho.models import EmailDetail, EmailPage

HEX96 = re.compile(r"[0-9a-f]{96}")


def ids(emails: list[dict]) -> list[str]:
    return [e["message_id"] for e in emails]


# --- pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("record", [data.LEAD_MAIN, data.ACCOUNT_MAIN, data.DEAL_MAIN, data.CUSTOM_MAIN,
                                    data.CONTACT_HOSTILE, data.LEAD_TEN, data.LEAD_ELEVEN, data.LEAD_ONE])
def test_paging_shows_every_email_of_each_type_exactly_once(api, sandbox, record):
    mailbox = sandbox.data.mailbox(sandbox.data.record(*record))
    every_id = {mailbox.message_id(n) for n in range(mailbox.total)}
    seen: dict[str | None, list[str]] = {}
    for email_type in email_types_for(record[0]):
        if email_type.value == "user_emails":
            continue
        params = {"type": email_type.value} if email_type.value else {}
        seen[email_type.value] = ids(api.all_emails(record, **params))
    seen["user_emails"] = []
    for owner in (u.id for u in data.USERS):
        seen["user_emails"] += ids(api.all_emails(record, type="user_emails", owner_id=owner))
    for email_type, found in seen.items():
        assert len(found) == len(set(found)), f"{email_type}: an email came twice"
    # No type = the users' emails and the CRM-sent ones; every email belongs to exactly one filter.
    assert set(seen[None]) == set(seen["user_emails"]) | set(seen["sent_from_crm"])
    filters = [set(found) for email_type, found in seen.items() if email_type is not None]
    assert sum(len(f) for f in filters) == len(every_id) and set().union(*filters) == every_id
    assert len(seen[None]) == sandbox.data.record(*record).shape.count


def test_pages_hold_ten_newest_first_with_opaque_indexes(api):
    answers = list(api.pages(data.LEAD_MAIN))
    assert len(answers) == 25
    instants = []
    for number, answer in enumerate(answers):
        info = answer.json()["info"]
        assert info["per_page"] == 10 and info["count"] == len(answer.json()["Emails"]) == 10
        assert info["more_records"] is (number < 24)
        assert info["prev_index"] == "0" if number <= 1 else HEX96.fullmatch(info["prev_index"])
        if info["more_records"]:
            assert HEX96.fullmatch(info["next_index"])
        else:
            assert info["next_index"] is None
        instants += [datetime.fromisoformat(e["time"]) for e in answer.json()["Emails"]]
    assert instants == sorted(instants, reverse=True)
    assert all(datetime(2026, 1, 5).astimezone() <= t <= datetime(2026, 11, 21).astimezone() for t in instants)


def test_prev_index_leads_back_a_page(api):
    first, second, third = list(api.pages(data.LEAD_MAIN))[:3]
    back = api.emails(data.LEAD_MAIN, index=third.json()["info"]["prev_index"])
    assert ids(back.json()["Emails"]) == ids(second.json()["Emails"])
    again = api.emails(data.LEAD_MAIN, index=second.json()["info"]["prev_index"])
    assert ids(again.json()["Emails"]) == ids(first.json()["Emails"])


def test_ten_and_eleven_emails_split_at_the_page_boundary(api):
    (ten,) = api.pages(data.LEAD_TEN)
    assert ten.json()["info"]["more_records"] is False and ten.json()["info"]["count"] == 10
    first, second = api.pages(data.LEAD_ELEVEN)
    assert first.json()["info"]["more_records"] is True and second.json()["info"]["count"] == 1
    (one,) = api.pages(data.LEAD_ONE)
    assert one.json()["info"]["count"] == 1


def test_an_empty_result_is_http_204_with_an_empty_body(api):
    for email_type in email_types_for("Leads"):
        params = {"type": email_type.value} if email_type.value else {}
        answer = api.emails(data.LEAD_EMPTY, **params)
        assert (answer.status, answer.body) == (204, b"")
    assert api.emails(data.LEAD_TEN, type="drafts").status == 204


def test_the_answers_parse_with_the_apps_models(api):
    emails = api.all_emails(data.LEAD_MAIN)
    page = EmailPage.parse(api.emails(data.LEAD_MAIN).json())
    assert len(page.emails) == 10 and page.info.more_records
    assert {e.message_id for e in EmailPage.parse({"Emails": emails}).emails} == set(ids(emails))


# --- the type / owner_id / index rules -------------------------------------------------------


@pytest.mark.parametrize("params, param_name", [
    ({"type": "everything"}, "type"),
    ({"type": ""}, "type"),
    ({"type": "all_contacts_sent_crm_emails"}, "type"),
    ({"type": "all_contacts_scheduled_crm_emails"}, "type"),
    ({"type": "all_contacts_draft_crm_emails"}, "type"),
    ({"owner_id": data.CURRENT_USER_ID}, "owner_id"),
    ({"type": "sent_from_crm", "owner_id": data.CURRENT_USER_ID}, "owner_id"),
    ({"type": "user_emails", "owner_id": "4150868000000999999"}, "owner_id"),
    ({"index": "not-an-index"}, "index"),
    ({"index": "ab" * 48}, "index"),
])
def test_bad_parameters_are_invalid_data_naming_the_parameter(api, params, param_name):
    answer = api.emails(data.LEAD_MAIN, **params)
    assert answer.status == 400
    assert answer.json() == {"code": "INVALID_DATA", "details": {"param_name": param_name},
                             "message": "invalid data", "status": "error"}


def test_accounts_answer_the_all_contacts_types(api):
    for email_type in ("all_contacts_sent_crm_emails", "all_contacts_scheduled_crm_emails",
                       "all_contacts_draft_crm_emails"):
        emails = api.all_emails(data.ACCOUNT_MAIN, type=email_type)
        assert emails, email_type
        assert {e["linked_record"]["module"]["api_name"] for e in emails} == {"Contacts"}


def test_user_emails_default_to_the_current_users_mailbox(api):
    mine = api.all_emails(data.LEAD_MAIN, type="user_emails")
    assert mine and {e["owner"]["id"] for e in mine} == {data.CURRENT_USER_ID}
    assert {e["source"] for e in mine} == {"imap"}
    charles = api.all_emails(data.LEAD_MAIN, type="user_emails", owner_id=data.USERS[1].id)
    assert charles and {e["owner"]["id"] for e in charles} == {data.USERS[1].id}


def test_an_index_only_works_for_the_listing_it_came_from(api):
    next_index = api.emails(data.LEAD_MAIN).json()["info"]["next_index"]
    assert api.emails(data.LEAD_MAIN, index=next_index).status == 200
    assert api.emails(data.LEAD_MAIN, index="0").json() == api.emails(data.LEAD_MAIN).json()
    for wrong in (api.emails(data.LEAD_MAIN, type="sent_from_crm", index=next_index),
                  api.emails(data.CONTACT_HOSTILE, index=next_index),
                  api.emails(data.LEAD_MAIN, index=next_index[:-2] + "00")):
        assert wrong.json()["details"] == {"param_name": "index"}


def test_unknown_record_and_module(api):
    answer = api.emails(("Leads", "4150868000000999999"))
    assert (answer.status, answer.json()["code"], answer.json()["details"]) == (400, "INVALID_DATA",
                                                                                 {"resource_path_index": 1})
    # A record of another module is not a lead.
    assert api.emails(("Leads", data.CONTACT_HOSTILE[1])).json()["details"] == {"resource_path_index": 1}
    assert api.emails(("Gadgets", data.LEAD_MAIN[1])).json()["code"] == "INVALID_MODULE"
    # Module names are not case-sensitive and may drop underscores, as Zoho's docs write them.
    assert api.emails(("leads", data.LEAD_MAIN[1])).status == 200


def test_no_permission_and_cannot_process_records(api):
    denied = api.emails(data.LEAD_NO_PERMISSION)
    assert (denied.status, denied.json()["code"], denied.json()["message"]) == (403, "NO_PERMISSION",
                                                                                 "permission denied")
    busy = api.emails(data.LEAD_CANNOT_PROCESS)
    assert (busy.status, busy.json()["code"]) == (400, "CANNOT_PROCESS")
    assert "IMAP" in busy.json()["details"]["reason"] and "sync" in busy.json()["details"]["reason"]
    assert api.email(data.LEAD_NO_PERMISSION, data.LARGE_NEWSLETTER_ID).status == 403


def test_old_api_versions_of_the_emails_api_are_not_supported(sandbox, api):
    answer = sandbox.handle("GET", f"/crm/v3/Leads/{data.LEAD_MAIN[1]}/Emails",
                            {"Authorization": f"Zoho-oauthtoken {api.token}"})
    assert answer.json()["code"] == "API_NOT_SUPPORTED" and answer.json()["details"] == {"supported_version": 8}
    for version in ("v4", "v6", "v8"):
        assert sandbox.handle("GET", f"/crm/{version}/Leads/{data.LEAD_MAIN[1]}/Emails",
                              {"Authorization": f"Zoho-oauthtoken {api.token}"}).status == 200


# --- one email -----------------------------------------------------------------------------


def test_one_email_carries_body_attachments_and_thread(api):
    emails = api.all_emails(data.LEAD_MAIN)
    quote = next(e for e in emails if e["subject"] == "Quote for the Analytical Engine Mk II" and e["has_attachment"])
    answer = api.email(data.LEAD_MAIN, quote["message_id"], user_id=quote["owner"]["id"])
    (detail,) = answer.json()["Emails"]
    assert detail["mail_format"] == "html" and detail["content"].startswith("<div style=\"word-wrap")
    assert [a["name"] for a in detail["attachments"]] == ["Quote-Q-2026-0142.pdf", "Mk-II-brochure.pdf"]
    assert all(isinstance(a["size"], str) and a["size"].isdigit() for a in detail["attachments"])
    assert detail["thread_id"].isdigit() and isinstance(detail["editable"], bool)
    assert set(detail["reply_to"]) == {"user_name", "email"}
    parsed = EmailDetail.parse(detail, quote["message_id"])
    assert parsed.attachments[0].size == 24_792 and parsed.sent_time is not None


def test_replies_share_their_threads_id(api):
    emails = api.all_emails(data.LEAD_MAIN)
    details = {e["message_id"]: api.email(data.LEAD_MAIN, e["message_id"]).json()["Emails"][0] for e in emails[:20]}
    replies = [e for e in emails[:20] if (e["subject"] or "").startswith("Re: ")]
    assert replies
    for reply in replies:
        original = next(e for e in emails if e["subject"] == reply["subject"][4:])
        assert details[reply["message_id"]]["thread_id"] == api.email(
            data.LEAD_MAIN, original["message_id"]).json()["Emails"][0]["thread_id"]
    assert len({d["thread_id"] for d in details.values()}) < len(details)


def test_an_unknown_message_id_is_204(api):
    assert api.email(data.LEAD_MAIN, "0" * 96).status == 204
    other = api.all_emails(data.LEAD_TEN)[0]["message_id"]
    assert api.email(data.LEAD_MAIN, other).status == 204  # an id opens only under its own record
    assert api.email(data.LEAD_MAIN, data.LARGE_NEWSLETTER_ID, user_id="42").json()["details"] == {
        "param_name": "user_id"}


def test_the_large_newsletter_is_on_the_first_page_and_over_2_mb(api):
    assert data.LARGE_NEWSLETTER_ID == data.large_newsletter_id(data.DEFAULT_SEED)
    assert data.LARGE_NEWSLETTER_ID in ids(api.emails(data.LEAD_MAIN).json()["Emails"])
    (detail,) = api.email(data.LEAD_MAIN, data.LARGE_NEWSLETTER_ID).json()["Emails"]
    assert len(detail["content"].encode()) >= 2 * 1024 * 1024
    assert detail["content"].count("<table") > 1000


# --- the demo record shows everything -----------------------------------------------------------


def every_demo_email(api) -> list[dict]:
    emails = []
    for email_type in email_types_for("Leads"):
        if email_type.value not in (None, "user_emails"):
            emails += api.all_emails(data.LEAD_MAIN, type=email_type.value)
    for user in data.USERS:
        emails += [e for e in api.all_emails(data.LEAD_MAIN, type="user_emails", owner_id=user.id)]
    return emails


def test_the_demo_record_has_every_status_kind_and_null_field(api):
    emails = every_demo_email(api)
    assert len(emails) == 260
    statuses = [s for e in emails for s in e["status"]]
    assert {s["type"] for s in statuses} >= {"sent", "opened", "clicked", "bounced", "delivered", "scheduled", "draft",
                                             "failed", "received"}
    opened = next(s for s in statuses if s["type"] == "opened")
    assert opened["count"].isdigit() and opened["first_open"] <= opened["last_open"]
    bounced = next(s for s in statuses if s["type"] == "bounced")
    assert bounced["bounced_reason"] and bounced["category"] and bounced["sub_category"] and bounced["bounced_time"]
    assert sum(e["subject"] is None for e in emails) >= 1
    assert any(e["from"]["user_name"] is None for e in emails)
    assert any(e["cc"] is None for e in emails) and any(e["cc"] for e in emails)
    assert any(e["linked_record"] is None for e in emails) and any(e["linked_record"] for e in emails)
    assert any(len(e["subject"] or "") > 150 for e in emails)
    assert len({e["owner"]["id"] for e in emails}) >= 3
    assert {e["source"] for e in emails} >= {"imap", "individual", "workflow", "mass email"}
    assert any(e["summary"] and e["intent"] and e["sentiment_info"] and e["emotion"] for e in emails)
    assert {e["time"][-6:] for e in emails} >= {"+05:30", "-08:00", "+00:00"}
    assert any(e["has_attachment"] for e in emails) and any(e["has_thread_attachment"] for e in emails)


def test_the_demo_record_speaks_many_languages(api):
    subjects = " ".join(e["subject"] or "" for e in every_demo_email(api))
    for script in ("お見積もり", "差分机", "عرض سعر", "פגישת", "🎉", "Réunion", "Rückfrage"):
        assert script in subjects


def test_the_demo_record_has_real_world_bodies(api):
    first_page = api.emails(data.LEAD_MAIN).json()["Emails"]
    bodies = {e["message_id"]: api.email(data.LEAD_MAIN, e["message_id"]).json()["Emails"][0] for e in first_page}
    newsletter = bodies[first_page[0]["message_id"]]["content"]
    assert "<style" in newsletter and "display:none" in newsletter and "<table" in newsletter
    assert 'style="' in newsletter and re.search(r'<img [^>]*alt="[^"]+"', newsletter)
    assert newsletter.count("<a href=") >= 10
    assert {d["mail_format"] for d in bodies.values()} == {"html", "text"}
    rtl = next(d for d in bodies.values() if "عرض" in (d["subject"] or ""))
    assert 'dir="rtl"' in rtl["content"]
    quoted = next(d for d in bodies.values() if d["mail_format"] == "text" and (d["subject"] or "").startswith("Re:"))
    assert "\n> " in quoted["content"] and " wrote:" in quoted["content"]


def test_the_hostile_contact(api):
    emails = api.all_emails(data.CONTACT_HOSTILE)
    assert emails[0]["subject"] == "[@click=app.quit]x[/]"
    subjects = [e["subject"] or "" for e in emails]
    assert any("[b]bold[/b]" in s for s in subjects)
    assert any("\x1b[31mred\x1b[0m" in s for s in subjects)
    assert any("\u202e" in s for s in subjects)
    assert any(re.search("[\x80-\x9f]", s) for s in subjects)
    names = set()
    for email in emails:
        if email["has_attachment"]:
            detail = api.email(data.CONTACT_HOSTILE, email["message_id"]).json()["Emails"][0]
            names |= {a["name"] for a in detail["attachments"]}
    assert set(HOSTILE_ATTACHMENT_NAMES) <= names


# --- attachments ------------------------------------------------------------------------------


def attachments_of(api, record=data.LEAD_MAIN):
    for email in api.all_emails(record):
        if email["has_attachment"]:
            detail = api.email(record, email["message_id"]).json()["Emails"][0]
            for attachment in detail["attachments"]:
                yield email, attachment


def download(api, record, email, attachment, **overrides):
    module, record_id = record
    params = {"message_id": email["message_id"], "user_id": email["owner"]["id"], "id": attachment["id"],
              "name": attachment["name"], **overrides}
    return api.get(f"{module}/{record_id}/Emails/actions/download_attachments",
                   {k: v for k, v in params.items() if v is not None})


def test_downloads_stream_the_advertised_bytes_with_the_name(api):
    checked = 0
    for email, attachment in attachments_of(api):
        answer = download(api, data.LEAD_MAIN, email, attachment)
        assert answer.status == 200 and not isinstance(answer.body, bytes)
        chunks = list(answer.body)
        assert all(len(c) <= CHUNK_SIZE for c in chunks)
        assert sum(map(len, chunks)) == int(attachment["size"]) == int(answer.headers["Content-Length"])
        disposition = answer.headers["Content-Disposition"]
        assert disposition.startswith("attachment; filename*=UTF-8''")
        assert unquote(disposition.split("''", 1)[1]) == attachment["name"]
        assert re.fullmatch(r"[\x21-\x7e ;=*']+", disposition), "header must be plain ASCII"
        checked += 1
    assert checked >= 5


def test_downloads_are_deterministic_and_typed(api):
    email, attachment = next((e, a) for e, a in attachments_of(api) if a["name"].endswith(".pdf"))
    first = b"".join(download(api, data.LEAD_MAIN, email, attachment).body)
    again = b"".join(download(api, data.LEAD_MAIN, email, attachment).body)
    assert first == again and first.startswith(b"%PDF-")
    assert download(api, data.LEAD_MAIN, email, attachment).headers["Content-Type"] == "application/pdf"


def test_hostile_attachment_names_travel_percent_encoded(api):
    for email, attachment in attachments_of(api, data.CONTACT_HOSTILE):
        answer = download(api, data.CONTACT_HOSTILE, email, attachment)
        disposition = answer.headers["Content-Disposition"]
        assert "\n" not in disposition and "\x1b" not in disposition and "/" not in disposition.split("''")[1]
        assert unquote(disposition.split("''", 1)[1]) == attachment["name"]


@pytest.mark.parametrize("missing", ["message_id", "user_id", "id", "name"])
def test_every_download_parameter_is_mandatory(api, missing):
    email, attachment = next(attachments_of(api))
    answer = download(api, data.LEAD_MAIN, email, attachment, **{missing: None})
    assert answer.status == 400
    assert answer.json() == {"code": "REQUIRED_PARAM_MISSING", "details": {"param_name": missing},
                             "message": "One of the expected parameter is missing", "status": "error"}


@pytest.mark.parametrize("wrong", ["message_id", "user_id", "id", "name"])
def test_a_download_naming_no_file_is_invalid_data(api, wrong):
    email, attachment = next(attachments_of(api))
    answer = download(api, data.LEAD_MAIN, email, attachment, **{wrong: "4150868000000470099"})
    assert (answer.status, answer.json()["code"], answer.json()["details"]) == (400, "INVALID_DATA",
                                                                                 {"param_name": wrong})
