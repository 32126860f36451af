"""Details with their body text, record names and recent records, and marks."""

from __future__ import annotations

import pytest

from store_helpers import item
from tui.sandbox import data
from tui.sandbox.app import Sandbox
from tui.zoho.models import Record

LEAD = ("Leads", "100")


def test_a_detail_comes_back_as_saved_and_its_html_body_is_searchable_as_text(store, scope):
    store.append_page(scope, *LEAD, "", [item("m1", "Quarterly")], next_index=None, more=False)
    detail = {"content": '<html><body><p>Our <b>inv&eacute;ntory</b> <a href="https://x.example/track">report</a>'
                         '<img src="https://x.example/p.png" alt=""></p><div style="display:none">preheader</div>'
                         "</body></html>",
              "mail_format": "html", "thread_id": "555", "attachments": []}
    store.save_detail(scope, "m1", detail)
    assert store.load_detail(scope, "m1") == detail
    (body,) = store._connection().execute("SELECT body_text FROM details").fetchone()
    assert body == "Our invéntory report"  # links, images and hidden text left out
    assert store.search(scope, "inventory").total == 1 and store.search(scope, "track").total == 0
    assert store.search(scope, "").hits[0].item["message_id"] == "m1"
    (thread,) = store._connection().execute("SELECT thread_id FROM emails").fetchone()
    assert thread == "555"


def test_a_text_body_is_kept_as_is_and_a_new_detail_replaces_the_old_in_the_index(store, scope, full_text):
    store.full_text = store.full_text and full_text
    store.append_page(scope, *LEAD, "", [item("m1")], next_index=None, more=False)
    store.save_detail(scope, "m1", {"content": "first <version> of it", "mail_format": "text"})
    assert store.search(scope, "version").total == 1
    store.save_detail(scope, "m1", {"content": "second draft", "mail_format": "text"})
    assert store.search(scope, "version").total == 0 and store.search(scope, "second").total == 1


def test_the_two_megabyte_newsletter_is_converted_and_searchable(store, scope):
    sandbox = Sandbox()
    mailbox = sandbox.data.mailbox(sandbox.data.record(*data.LEAD_MAIN))
    position = data.LARGE_NEWSLETTER_POSITION
    store.append_page(scope, *data.LEAD_MAIN, "", [mailbox.list_item(position)], next_index=None, more=False)
    store.save_detail(scope, data.LARGE_NEWSLETTER_ID, mailbox.detail(position))
    assert store.search(scope, "archive").total == 1


def test_missing_details_lists_the_feed_in_order(store, scope):
    store.append_page(scope, *LEAD, "", [item(f"m{n}") for n in range(5)], next_index=None, more=False)
    store.save_detail(scope, "m1", {"content": "x", "mail_format": "text"})
    store.save_detail(scope, "m3", {"content": "y", "mail_format": "text"})
    assert store.missing_details(scope, *LEAD, "") == ["m0", "m2", "m4"]
    assert store.missing_details(scope, *LEAD, "sent_from_crm") == []
    assert set(store.details_for(scope, ["m1", "m2", "m3"])) == {"m1", "m3"}


def test_recent_records_are_the_opened_ones_most_recent_first(store, scope, clock):
    store.remember_record(scope, "Leads", "1", "Ada", "ada@x.io", opened=True)
    clock.now += 10
    store.remember_record(scope, "Leads", "2", "Bob", opened=True)
    store.remember_record(scope, "Leads", "3", "Failed to open")  # named, never opened
    store.remember_record(scope, "Leads", "1", None, opened=True)  # opened again by id, name unknown this time
    assert store.recent_records(scope) == [Record("Leads", "1", "Ada", "ada@x.io"), Record("Leads", "2", "Bob")]
    assert store.recent_records(scope, limit=1) == [Record("Leads", "1", "Ada", "ada@x.io")]
    assert store.record_name(scope, "Leads", "3") == "Failed to open"
    assert store.record_name(scope, "Leads", "9") is None


def test_recent_records_are_per_scope_and_the_demo_apart(store):
    real, other, demo = store.scope("default", "a"), store.scope("default", "b"), store.scope("default", "a", demo=True)
    store.remember_record(real, "Leads", "1", "Real", opened=True)
    store.remember_record(demo, "Leads", "1", "Demo", opened=True)
    assert [r.name for r in store.recent_records(real)] == ["Real"]
    assert [r.name for r in store.recent_records(demo)] == ["Demo"]
    assert store.recent_records(other) == []


def test_the_latest_scope_is_the_org_whose_record_was_opened_last(store, clock):
    older, newer = store.scope("default", "org:1"), store.scope("default", "org:2")
    for n in range(3):
        store.remember_record(older, "Leads", str(n), opened=True)  # opened more often, longer ago
    clock.now += 10
    store.remember_record(newer, "Leads", "9", opened=True)
    store.remember_record(store.scope("default", "sandbox", demo=True), "Leads", "9", opened=True)  # the demo: never
    assert store.latest_scope("default") == newer and store.latest_scope("nobody") is None


def test_the_recent_limit_is_twenty_by_default(store, scope):
    for n in range(25):
        store.remember_record(scope, "Leads", str(n), f"Lead {n}", opened=True)
    recent = store.recent_records(scope)
    assert len(recent) == 20 and recent[0].id == "24" and recent[-1].id == "5"


def test_marks_set_replace_and_clear(store, scope, clock):
    store.append_page(scope, *LEAD, "", [item("m1"), item("m2")], next_index=None, more=False)
    store.set_mark(scope, "m1", "flagged", "call\nback   Monday")
    clock.now += 5
    store.set_mark(scope, "m2", "todo")
    marks = store.marks_for(scope, *LEAD)
    assert (marks["m1"].state, marks["m1"].note) == ("flagged", "call back Monday")
    assert (marks["m2"].state, marks["m2"].note, marks["m2"].at) == ("todo", None, clock.now)
    store.set_mark(scope, "m1", "done")
    store.clear_mark(scope, "m2")
    assert {k: v.state for k, v in store.marks_for(scope, *LEAD).items()} == {"m1": "done"}
    with pytest.raises(ValueError):
        store.set_mark(scope, "m1", "starred")
