"""A feed's rules for what Zoho answers: new rows, updated rows, and paging that looks broken."""

from __future__ import annotations

import json

from tui.session.feed import EmailFeed
from tui.session.filters import EmailFilter
from tui.zoho.models import Email, EmailPage, PageInfo, SentStatus


def page(ids: list[str], next_index: str | None = None, more: bool = False) -> EmailPage:
    return EmailPage(tuple(Email(i) for i in ids), PageInfo(next_index=next_index, more_records=more))


def test_pages_append_and_remember_where_the_next_starts():
    feed = EmailFeed(EmailFilter())
    assert feed.next_page_index() is None
    assert [e.message_id for e in feed.add_page(page(["a", "b"], "i2", True), None)] == ["a", "b"]
    assert feed.next_page_index() == "i2" and feed.more and feed.can_load_more
    feed.add_page(page(["c"]), "i2")
    assert [e.message_id for e in feed.emails] == ["a", "b", "c"] and not feed.more and feed.stopped is None


def test_an_empty_page_that_claims_more_ends_the_walk_with_a_sentence():
    feed = EmailFeed(EmailFilter())
    feed.add_page(page(["a"], "i2", True), None)
    feed.add_page(page([], "i3", True), "i2")
    assert not feed.more and not feed.can_load_more
    assert feed.stopped.startswith("Zoho's paging looks broken") and "was empty" in feed.stopped
    assert "the 1 email read is kept" in feed.stopped


def test_a_page_of_known_emails_or_an_index_asked_before_ends_the_walk():
    feed = EmailFeed(EmailFilter())
    feed.add_page(page(["a", "b"], "i2", True), None)
    feed.add_page(page(["a", "b"], "i3", True), "i2")
    assert "only emails it had already sent" in feed.stopped and feed.count == 2

    feed = EmailFeed(EmailFilter())
    feed.add_page(page(["a"], "i2", True), None)
    feed.add_page(page(["b"], "i2", True), "i2")  # points back at itself
    assert "sent before" in feed.stopped and feed.count == 2


def test_a_known_email_on_a_later_page_is_updated_in_place_not_repeated():
    feed = EmailFeed(EmailFilter())
    feed.add_page(page(["a", "b"], "i2", True), None)
    opened = Email("b", subject="now with a status", status=(SentStatus(),))
    fresh = feed.add_page(EmailPage((opened, Email("c")), PageInfo(more_records=False)), "i2")
    assert [e.message_id for e in fresh] == ["c"]
    assert [e.message_id for e in feed.emails] == ["a", "b", "c"] and feed.emails[1].subject == "now with a status"


def test_newest_on_top_and_a_restart_forgets_the_indexes_asked():
    feed = EmailFeed(EmailFilter())
    feed.add_page(page(["b", "c"], "i2", True), None)
    assert feed.add_newest([Email("a"), Email("b")], next_index="x", more=True) == 1
    assert [e.message_id for e in feed.emails] == ["a", "b", "c"] and feed.next_index == "i2"
    generation = feed.generation
    assert feed.add_newest([Email("y"), Email("z")], next_index="i2", more=True) == 2
    assert [e.message_id for e in feed.emails] == ["y", "z"] and feed.generation == generation + 1
    assert not feed.walk.was_asked("i2") and feed.next_index == "i2"


def test_detached_rows_parse_every_email_without_touching_what_the_ui_thread_keeps():
    from tui.session.rows import PARSED_KEPT, EmailRows

    items = [(f"m{n}", json.dumps({"message_id": f"m{n}", "subject": f"s{n}"})) for n in range(PARSED_KEPT + 10)]
    rows = EmailRows.from_raw(items)
    on_screen = rows[0]
    before = list(rows._parsed)
    assert [e.subject for e in rows.detached()] == [f"s{n}" for n in range(PARSED_KEPT + 10)]
    assert list(rows._parsed) == before and rows[0] is on_screen
    # The UI thread's own reads keep at most PARSED_KEPT parsed.
    assert [e.message_id for e in rows] == [f"m{n}" for n in range(PARSED_KEPT + 10)]
    assert len(rows._parsed) == PARSED_KEPT
