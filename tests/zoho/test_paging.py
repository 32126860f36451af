"""PageWalk: the one rule for when Zoho's paging has stopped making sense."""

from __future__ import annotations

from tui.zoho.models import Email, EmailPage, PageInfo
from tui.zoho.paging import PageWalk


def page(ids: list[str], next_index: str | None = None) -> EmailPage:
    return EmailPage(tuple(Email(i) for i in ids), PageInfo(next_index=next_index, more_records=next_index is not None))


def test_a_sound_walk_goes_to_its_end():
    walk = PageWalk()
    first = walk.told(None, page(["a", "b"], "i1"))
    last = walk.told("i1", page(["c"]))
    assert [e.message_id for e in first.fresh + last.fresh] == ["a", "b", "c"]
    assert first.stop is None and last.stop is None
    assert walk.pages == 2 and walk.emails == 3 and walk.was_asked("i1") and not walk.was_asked("i2")


def test_an_empty_page_that_says_more_follow_ends_the_walk():
    walk = PageWalk()
    walk.told(None, page(["a"], "i1"))
    verdict = walk.told("i1", page([], "i2"))
    assert verdict.fresh == ()
    assert verdict.stop == ("Zoho's paging looks broken: page 2 was empty but said more emails follow. "
                            "Stopped there; the 1 email read is kept.")


def test_an_empty_last_page_is_a_normal_end():
    assert PageWalk().told(None, page([])).stop is None  # HTTP 204: no emails


def test_a_page_of_emails_already_sent_ends_the_walk_whatever_its_next_index():
    walk = PageWalk()
    walk.told(None, page(["a", "b"], "i1"))
    verdict = walk.told("i1", page(["b", "a"], "i2"))
    assert verdict.fresh == () and "page 2 held only emails it had already sent" in verdict.stop
    assert "the 2 emails read are kept" in verdict.stop


def test_a_page_with_some_repeats_gives_only_the_new_ones_and_goes_on():
    walk = PageWalk()
    walk.told(None, page(["a", "b"], "i1"))
    verdict = walk.told("i1", page(["b", "c", "c"], "i2"))
    assert [e.message_id for e in verdict.fresh] == ["c"] and verdict.stop is None


def test_a_next_index_asked_before_ends_the_walk():
    walk = PageWalk()
    walk.told(None, page(["a"], "i1"))
    verdict = walk.told("i1", page(["b"], "i1"))
    assert [e.message_id for e in verdict.fresh] == ["b"]  # what it brought is still new
    assert "page 2 sent a next_index it had sent before" in verdict.stop
