"""Search on seeded data, with FTS5 and with the LIKE fallback: every qualifier, negation, hostile text."""

from __future__ import annotations

from datetime import timedelta, timezone

import pytest

from store_helpers import item
from tui.store import QueryError, Store

LEAD, CONTACT = ("Leads", "100"), ("Contacts", "200")
ALL = ["m6", "m5", "m3", "m2", "m1", "m4"]  # newest first; m4's time cannot be placed: last


@pytest.fixture
def seeded(store_path, clock, full_text):
    with Store.open(store_path, clock=clock, full_text=full_text) as store:
        scope = store.scope("default", "org-1")
        store.append_page(scope, *LEAD, "", [
            item("m1", "Invoice INV-001 overdue", to=[("Bob Brown", "bob@zylker.com")], time="2026-03-04T10:00:00+00:00",
                 status=["sent", "opened"], has_attachment=True, summary="Customer asks about the invoice"),
            item("m2", "Newsletter: March edition", sender=("Engine Room", "news@engine.example"),
                 time="2026-03-31T23:30:00+00:00", status=["delivered"]),
            item("m3", "Re: Café meeting", sender=(None, "jose@alvarez.es"), to=[("Ada Lovelace", "ada@lovelace.io")],
                 cc=[("Charles Babbage", "charles@aelab.com")], time="2026-04-01T00:30:00+00:00", status=["bounced"]),
            item("m4", "Draft: proposal", sender=("Patricia Boyle", "patricia@aelab.com"),
                 time="0001-01-01T00:00:00+14:00", status=["drafts"]),
            item("m5", 'Quote "special" (NEAR) offer * - AND', sender=("Saoirse O'Brien", "obrien@x.ie"),
                 time="2026-05-01T09:00:00+02:00", status=["scheduled"]),
        ], next_index=None, more=False)
        store.append_page(scope, *CONTACT, "", [item("m6", "Invoice paid", time="2026-06-01T08:00:00+00:00")],
                          next_index=None, more=False)
        store.save_detail(scope, "m2", {"content": "<p>Ten ways to speed up your tables</p>", "mail_format": "html"})
        store.remember_record(scope, *LEAD, "Ada Lovelace")
        yield store, scope


def found(seeded, query, **options) -> list[str]:
    store, scope = seeded
    return [h.message_id for h in store.search(scope, query, **options).hits]


def test_an_empty_query_lists_everything_newest_first(seeded):
    assert found(seeded, "") == ALL
    store, scope = seeded
    hit = store.search(scope, "overdue").hits
    assert (hit[0].module, hit[0].record_id, hit[0].record_name, hit[0].sender, hit[0].subject) == (
        "Leads", "100", "Ada Lovelace", "Ada Lovelace", "Invoice INV-001 overdue")
    assert hit[0].item["summary"] == "Customer asks about the invoice" and hit[0].time == "2026-03-04T10:00:00+00:00"


@pytest.mark.parametrize(
    "query, expected",
    [
        ("invoice", ["m6", "m1"]),
        ("invo", ["m6", "m1"]),  # the last word is a prefix while typed
        ("invoice overdue", ["m1"]),
        ('"march edition"', ["m2"]),
        ('"edition march"', []),
        ("cafe", ["m3"]),  # diacritics and case ignored
        ("CAFÉ", ["m3"]),
        ("tables", ["m2"]),  # the body of a fetched detail
        ("customer", ["m1"]),  # the Zia summary
        ("zylker", ["m1"]),  # a recipient's address
        ("from:ada", ["m6", "m1"]),
        ("from:lovelace.io", ["m6", "m1"]),
        ("from:jose", ["m3"]),
        ('from:"Engine Room"', ["m2"]),
        ("to:charles", ["m3"]),  # Cc counts as to:
        ("to:ada", ["m3"]),
        ("subject:invoice", ["m6", "m1"]),
        ("subject:lovelace", []),
        ("status:opened", ["m1"]),
        ("status:sent", ["m6", "m1"]),
        ("status:draft", ["m4"]),  # Zoho's "drafts"
        ("status:bounced", ["m3"]),
        ("status:scheduled", ["m5"]),
        ("status:delivered", ["m2"]),
        ("-status:bounced", ["m6", "m5", "m2", "m1", "m4"]),
        ("has:attachment", ["m1"]),
        ("-has:attachment", ["m6", "m5", "m3", "m2", "m4"]),
        ("after:2026-04-01", ["m6", "m5", "m3"]),  # inclusive, from the day's start (UTC here)
        ("before:2026-04-01", ["m2", "m1"]),  # exclusive; an unplaceable time matches no date
        ("after:2026-03-01 before:2026-04-01", ["m2", "m1"]),
        ("-before:2026-04-01", ["m6", "m5", "m3"]),
        ("-newsletter", ["m6", "m5", "m3", "m1", "m4"]),
        ("invoice -paid", ["m1"]),
        ("-invoice -newsletter", ["m5", "m3", "m4"]),
        ("status:sent -from:ada", []),
        ("from:ada has:attachment status:opened before:2026-03-05 invoice", ["m1"]),
    ],
)
def test_every_qualifier_and_combination(seeded, query, expected):
    assert found(seeded, query) == expected


def test_dates_are_days_in_the_persons_time_zone(seeded):
    new_york = timezone(timedelta(hours=-5))  # 2026-04-01 starts at 05:00 UTC there: m3 (00:30 UTC) is before it
    assert found(seeded, "before:2026-04-01", tz=new_york) == ["m3", "m2", "m1"]
    assert found(seeded, "after:2026-04-01", tz=new_york) == ["m6", "m5"]


def test_marks(seeded):
    store, scope = seeded
    store.set_mark(scope, "m2", "done")
    store.set_mark(scope, "m3", "flagged")
    assert found(seeded, "is:done") == ["m2"]
    assert found(seeded, "is:flagged") == ["m3"] and found(seeded, "is:todo") == []
    assert found(seeded, "-is:done") == ["m6", "m5", "m3", "m1", "m4"]


def test_a_complete_word_is_not_a_prefix_with_full_text(seeded, full_text):
    # FTS5 matches whole words; the LIKE fallback matches inside words.
    assert found(seeded, "invo ") == ([] if full_text else ["m6", "m1"])


@pytest.mark.parametrize(
    "query",
    ['"', "*", "NEAR(", "-", "--", "' OR 1=1 --", "AND", "OR", ")", "(", "{subject}", "%", "_", "\\", '"""',
     "NOT", "a*b", "^x", "10:30", '"unclosed', "-\"", "NEAR(a b, 2)", "\x00", "\u202e", "🙂", "'; DROP TABLE emails; --"],
)
def test_hostile_input_is_searched_as_text(seeded, query):
    store, scope = seeded
    result = store.search(scope, query)
    assert isinstance(result.hits, list)
    assert found(seeded, "") == ALL  # nothing was dropped


def test_fts_syntax_typed_by_a_person_finds_the_text(seeded):
    assert found(seeded, '"special"') == ["m5"]
    assert found(seeded, "(NEAR)") == ["m5"]
    assert found(seeded, "O'Brien") == ["m5"]
    assert found(seeded, "%") == ALL  # no letter or digit: no condition


def test_limit_counts_every_match_and_stored_counts_what_was_searched(seeded):
    store, scope = seeded
    result = store.search(scope, "", limit=2)
    assert [h.message_id for h in result.hits] == ["m6", "m5"] and (result.total, result.stored) == (6, 6)
    one = store.search(scope, "invoice", module="Leads", record_id="100")
    assert [h.message_id for h in one.hits] == ["m1"] and (one.total, one.stored) == (1, 5)
    feed = store.search(scope, "", module="Contacts", record_id="200", filter_key="")
    assert (feed.total, feed.stored) == (1, 1)
    assert store.search(scope, "", module="Contacts", record_id="200", filter_key="drafts").stored == 0


def test_scopes_are_searched_apart_or_together(seeded):
    store, scope = seeded
    other = store.scope("default", "org-2")
    store.append_page(other, *LEAD, "", [item("m1", "Invoice from the other org")], next_index=None, more=False)
    assert found(seeded, "other") == []
    both = store.search([scope, other], "invoice")
    assert sorted(h.subject for h in both.hits) == ["Invoice INV-001 overdue", "Invoice from the other org",
                                                    "Invoice paid"]
    assert store.search(store.scopes("default"), "other").total == 1


def test_a_bad_query_is_a_query_error(seeded):
    store, scope = seeded
    with pytest.raises(QueryError):
        store.search(scope, "colour:red")


def test_the_like_fallback_says_so(seeded, full_text):
    store, _scope = seeded
    assert store.full_text is full_text
    assert (store.search_note is None) is full_text
    if not full_text:
        assert "LIKE" in store.search_note


def test_the_index_is_rebuilt_after_writes_made_without_it(store_path, clock):
    with Store.open(store_path, clock=clock) as store:
        scope = store.scope("default", "org")
        store.append_page(scope, *LEAD, "", [item("m1", "First")], next_index=None, more=False)
    with Store.open(store_path, clock=clock, full_text=False) as store:
        store.append_page(scope, *LEAD, "", [item("m2", "Second")], next_index=None, more=False)
        store.forget_record(scope, *CONTACT)
    with Store.open(store_path, clock=clock) as store:
        assert store.full_text
        assert [h.message_id for h in store.search(scope, "second").hits] == ["m2"]
        store._connection().execute("INSERT INTO email_fts (email_fts, rank) VALUES ('integrity-check', 1)")


def test_updates_leave_no_ghosts_in_the_index(seeded, full_text):
    store, scope = seeded
    store.append_page(scope, *LEAD, "", [item("m1", "Renamed subject", status=["bounced"])], next_index=None, more=False)
    assert found(seeded, "overdue") == [] and found(seeded, "renamed") == ["m1"]
    store.forget_record(scope, *CONTACT)
    assert found(seeded, "paid") == []
    if full_text:
        store._connection().execute("INSERT INTO email_fts (email_fts, rank) VALUES ('integrity-check', 1)")
