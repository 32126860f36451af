"""Feeds: pages at the bottom, refreshes on top, statuses updated in place, reset and forget."""

from __future__ import annotations

import pytest

from store_helpers import NOW, ids, item
from tui.sandbox import data
from tui.sandbox.app import Sandbox
from tui.store import StoreError, feed_filter_key

LEAD = ("Leads", "100")


def page(first: int, count: int = 10, **fields) -> list[dict]:
    return [item(f"m{n}", f"Email {n}", **fields) for n in range(first, first + count)]


def test_nothing_stored_is_none(store, scope):
    assert store.load_feed(scope, *LEAD, "") is None


def test_pages_append_at_the_bottom_and_keep_the_paging_state(store, scope):
    assert store.append_page(scope, *LEAD, "", page(0), next_index="i1", more=True) == 10
    assert store.append_page(scope, *LEAD, "", page(10), next_index="i2", more=True) == 10
    feed = store.load_feed(scope, *LEAD, "")
    assert ids(feed.items) == [f"m{n}" for n in range(20)]
    assert (feed.next_index, feed.more, feed.complete, feed.state.pages, feed.state.walked_at) == ("i2", True, False, 2, None)
    store.append_page(scope, *LEAD, "", page(20, 3), next_index=None, more=False)
    state = store.load_feed(scope, *LEAD, "").state
    assert (state.next_index, state.more, state.complete, state.walked_at, state.count) == (None, False, True, NOW, 23)


def test_items_come_back_exactly_as_zoho_gave_them(store, scope):
    odd = item("m1", "Hostile \x1b[31m\u202egnp.exe", time="0001-01-01T00:00:00+14:00", extra={"nested": [1, None]},
               weird="\ud800 lone surrogate")
    store.append_page(scope, *LEAD, "", [odd, {"no": "message id"}, "not even a dict"], next_index=None, more=False)
    assert store.load_feed(scope, *LEAD, "").items == [odd]


def test_a_page_updates_emails_already_in_the_feed_in_place(store, scope):
    store.append_page(scope, *LEAD, "", page(0), next_index="i1", more=True)
    changed = page(5, 10, status=["opened"])
    assert store.append_page(scope, *LEAD, "", changed, next_index="i2", more=True) == 5
    feed = store.load_feed(scope, *LEAD, "")
    assert ids(feed.items) == [f"m{n}" for n in range(15)]
    assert [i["status"][0]["type"] for i in feed.items[4:6]] == ["sent", "opened"]


def test_merge_top_puts_new_emails_on_top_in_order_and_reports_the_overlap(store, scope):
    store.append_page(scope, *LEAD, "", page(0), next_index="i1", more=True)
    refreshed = [item("new1"), item("new2"), *page(0, 3, status=["opened"])]
    result = store.merge_top(scope, *LEAD, "", refreshed, synced_at=NOW + 60)
    assert (result.new, result.updated, result.overlapped) == (2, 3, True)
    feed = store.load_feed(scope, *LEAD, "")
    assert ids(feed.items) == ["new1", "new2", *[f"m{n}" for n in range(10)]]
    assert feed.items[2]["status"] == [{"type": "opened"}]
    assert feed.state.synced_at == NOW + 60 and feed.next_index == "i1"  # the walk at the bottom goes on


def test_a_refresh_with_nothing_new_only_updates(store, scope):
    store.append_page(scope, *LEAD, "", page(0), next_index="i1", more=True)
    result = store.merge_top(scope, *LEAD, "", page(0), synced_at=NOW)
    assert (result.new, result.updated, result.overlapped) == (0, 10, True)


def test_a_refresh_over_several_pages_keeps_zohos_order(store, scope):
    store.append_page(scope, *LEAD, "", page(0), next_index="i1", more=True)
    first = store.merge_top(scope, *LEAD, "", [item(f"a{n}") for n in range(10)], synced_at=NOW)
    assert not first.overlapped
    second = store.merge_top(scope, *LEAD, "", [item("b0"), item("b1"), *page(0, 8)], synced_at=NOW, continued=True)
    assert (second.new, second.overlapped) == (2, True)
    store.append_page(scope, *LEAD, "", page(10, 2), next_index=None, more=False)
    expected = [f"a{n}" for n in range(10)] + ["b0", "b1"] + [f"m{n}" for n in range(12)]
    assert ids(store.load_feed(scope, *LEAD, "").items) == expected
    # The next refresh goes on top of all that.
    store.merge_top(scope, *LEAD, "", [item("c0"), item("a0")], synced_at=NOW + 1)
    assert ids(store.load_feed(scope, *LEAD, "").items) == ["c0", *expected]


def test_many_refreshes_stay_ordered(store, scope):
    store.append_page(scope, *LEAD, "", page(0), next_index="i1", more=True)
    order = [f"m{n}" for n in range(10)]
    for n in range(50):
        store.merge_top(scope, *LEAD, "", [item(f"r{n}"), item(order[0])], synced_at=NOW + n)
        order.insert(0, f"r{n}")
    assert ids(store.load_feed(scope, *LEAD, "").items) == order


def test_merge_top_on_an_empty_feed_then_pages_below(store, scope):
    result = store.merge_top(scope, *LEAD, "", page(0), synced_at=NOW)
    assert (result.new, result.overlapped) == (10, False)
    store.append_page(scope, *LEAD, "", page(10), next_index=None, more=False)
    store.merge_top(scope, *LEAD, "", [item("x"), item("y")], synced_at=NOW, continued=True)
    assert ids(store.load_feed(scope, *LEAD, "").items) == [*(f"m{n}" for n in range(10)), "x", "y",
                                                            *(f"m{n}" for n in range(10, 20))]


def test_filters_are_feeds_of_their_own_sharing_the_emails(store, scope):
    sent = feed_filter_key("sent_from_crm")
    assert feed_filter_key() == "" and feed_filter_key("user_emails", "42") == "user_emails:42"
    store.append_page(scope, *LEAD, "", page(0), next_index="i1", more=True)
    store.append_page(scope, *LEAD, sent, page(5, 2, status=["bounced"]), next_index=None, more=False)
    assert ids(store.load_feed(scope, *LEAD, sent).items) == ["m5", "m6"]
    assert store.load_feed(scope, *LEAD, "").items[5]["status"] == [{"type": "bounced"}]
    assert [s.filter_key for s in store.feed_states(scope, *LEAD)] == ["", sent]


def test_reset_drops_order_and_paging_but_keeps_emails_and_bodies(store, scope):
    store.append_page(scope, *LEAD, "", page(0), next_index="i1", more=True)
    store.save_detail(scope, "m1", {"content": "kept body", "mail_format": "text"})
    store.reset_feed(scope, *LEAD, "")
    assert store.load_feed(scope, *LEAD, "") is None
    assert store.load_detail(scope, "m1")["content"] == "kept body"
    assert store.search(scope, "kept").total == 1 and store.search(scope, "").total == 10
    store.append_page(scope, *LEAD, "", page(0, 3), next_index="j", more=True)
    assert ids(store.load_feed(scope, *LEAD, "").items) == ["m0", "m1", "m2"]


def test_one_message_on_two_records_is_kept_for_each(store, scope):
    store.append_page(scope, "Contacts", "1", "", [item("shared", "For the contact")], next_index=None, more=False)
    store.append_page(scope, "Accounts", "2", "", [item("shared", "For the account")], next_index=None, more=False)
    store.save_detail(scope, "shared", {"content": "one body", "mail_format": "text"})
    assert store.load_feed(scope, "Contacts", "1", "").items[0]["subject"] == "For the contact"
    assert {(h.module, h.record_id) for h in store.search(scope, "body").hits} == {("Contacts", "1"), ("Accounts", "2")}
    store.forget_record(scope, "Contacts", "1")
    assert store.load_detail(scope, "shared") is not None  # the account still has it
    store.forget_record(scope, "Accounts", "2")
    assert store.load_detail(scope, "shared") is None


def test_forget_record_leaves_nothing_behind(store, scope):
    store.append_page(scope, *LEAD, "", page(0), next_index="i1", more=True)
    store.save_detail(scope, "m1", {"content": "<p>secret plans</p>", "mail_format": "html"})
    store.set_mark(scope, "m1", "done")
    store.remember_record(scope, *LEAD, "Ada", opened=True)
    assert store.forget_record(scope, *LEAD) == 10
    assert store.load_feed(scope, *LEAD, "") is None and store.search(scope, "").total == 0
    assert store.search(scope, "secret").total == 0 and store.recent_records(scope) == []
    assert store.stats().bodies == 0 and store.marks_for(scope, *LEAD) == {}
    store._connection().execute("INSERT INTO email_fts (email_fts, rank) VALUES ('integrity-check', 1)")


def test_forget_all_empties_the_store(store, scope):
    store.append_page(scope, *LEAD, "", page(0), next_index="i1", more=True)
    store.forget_all()
    stats = store.stats()
    assert (stats.scopes, stats.records, stats.emails, stats.bodies) == (0, 0, 0, 0)


def test_scopes_keep_orgs_and_the_demo_apart(store):
    one, two = store.scope("default", "org-1"), store.scope("default", "org-2")
    demo = store.scope("default", "org-1", demo=True)
    assert len({one.id, two.id, demo.id}) == 3 and store.scope("default", "org-1") == one
    store.append_page(one, *LEAD, "", page(0, 2), next_index=None, more=False)
    assert store.load_feed(two, *LEAD, "") is None and store.load_feed(demo, *LEAD, "") is None
    assert store.search(two, "").total == 0
    assert store.scope("default", "org-2", label="Zylker").label == "Zylker"
    assert store.scope("default", "org-2").label == "Zylker"
    assert [s.id for s in store.scopes("default", demo=False)] == [one.id, two.id]


def test_sync_against_a_sandbox_record_that_changes(store, scope):
    """The app's refresh: page one until it overlaps; arrivals on top, re-opened statuses updated in place."""
    sandbox = Sandbox()
    mailbox = sandbox.data.mailbox(sandbox.data.record(*data.LEAD_MAIN))

    def zoho_page(start: int) -> list[dict]:
        return [mailbox.list_item(n) for n in mailbox.positions(None, None)[start : start + 10]]

    store.append_page(scope, *data.LEAD_MAIN, "", zoho_page(0), next_index="i", more=True)
    store.append_page(scope, *data.LEAD_MAIN, "", zoho_page(10), next_index="j", more=True)
    sent = next(i for i in zoho_page(0) if [s["type"] for s in i["status"]] == ["sent"] and i["sent"])
    arrived = sandbox.deliver(*data.LEAD_MAIN, count=13)
    sandbox.open_again(*data.LEAD_MAIN, sent["message_id"])
    first = store.merge_top(scope, *data.LEAD_MAIN, "", zoho_page(0), synced_at=NOW)
    second = store.merge_top(scope, *data.LEAD_MAIN, "", zoho_page(10), synced_at=NOW, continued=True)
    assert (first.overlapped, second.overlapped, first.new + second.new) == (False, True, 13)
    feed = store.load_feed(scope, *data.LEAD_MAIN, "")
    assert ids(feed.items) == ids(zoho_page(0) + zoho_page(10) + zoho_page(20) + zoho_page(30))[:33]
    assert ids(feed.items)[:13] == arrived
    opened = next(i for i in feed.items if i["message_id"] == sent["message_id"])
    assert opened["status"][0]["type"] == "opened"
    assert store.search(scope, "status:opened").total >= 1


def test_a_refresh_too_big_for_the_gap_is_refused(store, scope, monkeypatch):
    from tui.store import store as module

    monkeypatch.setattr(module, "SYNC_GAP", 3)
    store.append_page(scope, *LEAD, "", page(0), next_index="i1", more=True)
    with pytest.raises(StoreError):
        store.merge_top(scope, *LEAD, "", [item(f"n{k}") for k in range(5)], synced_at=NOW)
    assert ids(store.load_feed(scope, *LEAD, "").items) == [f"m{n}" for n in range(10)]
