"""Records that change while the app is open: emails arrive on top, sent emails are opened again."""

from __future__ import annotations

from datetime import datetime

import pytest

from tui.sandbox import data

EMAILS = "email_related_records.json#/components/schemas/"


def _ids(answer) -> list[str]:
    return [e["message_id"] for e in answer.json()["Emails"]]


def test_delivered_emails_go_on_top_newest_first_and_the_rest_keep_their_ids(api, sandbox):
    before = api.all_emails(data.LEAD_TEN)
    new = sandbox.deliver(*data.LEAD_TEN, count=3)
    after = api.all_emails(data.LEAD_TEN)
    assert [e["message_id"] for e in after] == new + [e["message_id"] for e in before]
    times = [datetime.fromisoformat(e["time"]) for e in after]
    assert times == sorted(times, reverse=True)
    assert len(set(new)) == 3


def test_a_next_index_handed_out_before_arrivals_still_starts_at_the_same_email(api, sandbox):
    page_one = api.emails(data.LEAD_MAIN)
    page_two = api.emails(data.LEAD_MAIN, index=page_one.json()["info"]["next_index"])
    sandbox.deliver(*data.LEAD_MAIN, count=4)
    again = api.emails(data.LEAD_MAIN, index=page_one.json()["info"]["next_index"])
    assert _ids(again) == _ids(page_two)
    # Page one now starts with the arrivals, then what page one showed.
    assert _ids(api.emails(data.LEAD_MAIN))[4:] == _ids(page_one)[:6]


def test_delivered_emails_are_deterministic_and_have_details(api):
    from tui.sandbox.app import Sandbox

    first, second = Sandbox(), Sandbox()
    assert first.deliver(*data.LEAD_ONE, count=2) == second.deliver(*data.LEAD_ONE, count=2)
    for message_id in first.deliver(*data.LEAD_ONE, count=1):
        assert first.handle("GET", f"/crm/v8/{data.LEAD_ONE[0]}/{data.LEAD_ONE[1]}/Emails/{message_id}",
                            {"Authorization": f"Zoho-oauthtoken {first.mint_access_token()}"}).status == 200


def test_open_again_turns_sent_into_opened_then_counts_up(api, sandbox):
    emails = api.all_emails(data.LEAD_MAIN)
    sent = next(e for e in emails if [s["type"] for s in e["status"]] == ["sent"] and e["sent"])
    sandbox.open_again(*data.LEAD_MAIN, sent["message_id"])
    opened = next(e for e in api.all_emails(data.LEAD_MAIN) if e["message_id"] == sent["message_id"])
    assert [(s["type"], s["count"]) for s in opened["status"]] == [("opened", "1")]
    sandbox.open_again(*data.LEAD_MAIN, sent["message_id"])
    again = next(e for e in api.all_emails(data.LEAD_MAIN) if e["message_id"] == sent["message_id"])
    assert again["status"][0]["count"] == "2"


def test_open_again_refuses_an_email_nobody_could_open(api, sandbox):
    emails = api.all_emails(data.LEAD_MAIN)
    received = next(e for e in emails if [s["type"] for s in e["status"]] == ["received"])
    with pytest.raises(ValueError):
        sandbox.open_again(*data.LEAD_MAIN, received["message_id"])
    with pytest.raises(KeyError):
        sandbox.open_again(*data.LEAD_MAIN, "not-an-id")


def test_changed_records_still_match_zohos_schemas(api, oas, sandbox):
    new = sandbox.deliver(*data.LEAD_MAIN, count=12)
    emails = api.all_emails(data.LEAD_MAIN)
    opened = next(e for e in emails if [s["type"] for s in e["status"]] == ["sent"] and e["sent"])
    sandbox.open_again(*data.LEAD_MAIN, opened["message_id"])
    for answer in api.pages(data.LEAD_MAIN):
        oas.validate(EMAILS + "wrapper", answer.json())
    for message_id in new:
        oas.validate(EMAILS + "detail_wrapper", api.email(data.LEAD_MAIN, message_id).json())
