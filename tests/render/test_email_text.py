"""Statuses and recipients in words: the list's columns and the detail pane's timeline."""

from __future__ import annotations

from datetime import timedelta, timezone

import pytest

from tui.render.email_text import failed, recipients_label, short_status, status_facts, status_label, status_lines
from tui.zoho.models import (
    BouncedStatus,
    ClickedStatus,
    OpenedStatus,
    OtherStatus,
    Person,
    SentStatus,
    parse_status,
    parse_time,
)

SENT = SentStatus()
OPENED = OpenedStatus(3, parse_time("2026-11-20T13:55:00+05:30"), parse_time("2026-11-21T01:05:00+05:30"))
CLICKED = ClickedStatus(2, parse_time("2026-11-20T09:00:00Z"), parse_time("2026-11-20T10:30:00Z"))
BOUNCED = BouncedStatus(parse_time("2026-11-20T08:25:00Z"), "Mailbox full", "soft", "quota")
DELIVERED = OtherStatus("delivered", (("delivered_time", "2026-11-20T08:00:00Z"),))
SCHEDULED = OtherStatus("scheduled", (("scheduled_time", "2026-12-01T09:00:00+01:00"),))
DRAFT = OtherStatus("draft")
FAILED = OtherStatus("failed", (("reason", "Relay denied"),))


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ((), "—"),
        ((SENT,), "sent"),
        ((SENT, DELIVERED), "delivered"),
        ((SENT, DELIVERED, OPENED), "opened ×3"),
        ((SENT, OPENED, CLICKED), "clicked ×2"),
        ((SENT, OPENED, CLICKED, BOUNCED), "bounced"),
        ((BOUNCED, SENT), "bounced"),
        ((SCHEDULED,), "scheduled"),
        ((DRAFT, SCHEDULED), "scheduled"),
        ((DRAFT, DELIVERED), "draft"),
        ((OtherStatus("drafts"),), "draft"),
        ((OtherStatus("Delivered"), SENT), "delivered"),  # type names compared without case
        ((FAILED,), "failed"),
        ((SENT, FAILED), "failed"),  # a failed send outranks having been sent
        ((SENT, OPENED, FAILED), "failed"),
        ((BOUNCED, FAILED), "bounced"),
        ((FAILED, OtherStatus("received")), "failed"),  # the first unknown one
        ((OpenedStatus(None, None, None),), "opened"),
        ((OpenedStatus(0, None, None),), "opened"),
        ((OpenedStatus(1, None, None),), "opened ×1"),
        ((ClickedStatus(None, None, None), OPENED), "clicked"),
    ],
)
def test_status_label_picks_the_most_telling(statuses, expected: str) -> None:
    assert status_label(statuses) == expected


def test_status_label_reads_parsed_statuses() -> None:
    raw = [{"type": "sent"}, {"type": "opened", "count": "12", "first_open": None, "last_open": None}]
    assert status_label(tuple(parse_status(r) for r in raw)) == "opened ×12"
    assert status_label(iter([SENT, OPENED])) == "opened ×3"  # any iterable


def test_unknown_status_names_are_made_safe() -> None:
    hostile = OtherStatus("\x1b[31mfa\u202eiled\x1b[0m\n")
    assert status_label((hostile,)) == "failed"
    assert status_lines((hostile,)) == ["Failed"]
    assert status_label((OtherStatus("[b]x[/b]"),)) == "[b]x[/b]"  # literal: shown through Text
    assert status_label((OtherStatus("\x1b[0m"),)) == "unknown"


@pytest.mark.parametrize(
    ("people", "expected"),
    [
        ((), "—"),
        ((Person("John Smith", "john@example.com"),), "John Smith"),
        ((Person("John Smith", "john@example.com"), Person(None, "b@example.com")), "John Smith +1"),
        ((Person(None, "a@example.com"), Person("B", None), Person("C", None)), "a@example.com +2"),
        ((Person("\x1b[31m\n", "x@example.com"), Person("B", None)), "x@example.com +1"),
        ((Person("  Ada\n Lovelace \u202e", None),), "Ada Lovelace"),
        ((Person("[@click=app.quit]x[/]", None),), "[@click=app.quit]x[/]"),
        ((Person("\x00", None),), "—"),
    ],
)
def test_recipients_label(people, expected: str) -> None:
    assert recipients_label(people) == expected


def test_status_lines_tell_the_whole_timeline_in_order() -> None:
    statuses = (BOUNCED, CLICKED, OPENED, DELIVERED, SENT)
    assert status_lines(statuses) == [
        "Sent",
        "Delivered",
        "  delivered time Fri 2026-11-20 08:00 UTC",
        "Opened ×3",
        "  first        Fri 2026-11-20 08:25 UTC",
        "  last         Fri 2026-11-20 19:35 UTC",
        "Clicked ×2",
        "  first        Fri 2026-11-20 09:00 UTC",
        "  last         Fri 2026-11-20 10:30 UTC",
        "Bounced",
        "  when         Fri 2026-11-20 08:25 UTC",
        "  reason       Mailbox full",
        "  category     soft",
        "  sub-category quota",
    ]


def test_status_lines_keep_other_statuses_in_zohos_order_after_the_known_ones() -> None:
    assert status_lines((FAILED, SCHEDULED, SENT)) == [
        "Sent",
        "Failed",
        "  reason       Relay denied",
        "Scheduled",
        "  scheduled time Tue 2026-12-01 08:00 UTC",
    ]


def test_status_lines_leave_out_what_is_missing() -> None:
    assert status_lines((OpenedStatus(None, None, None), BouncedStatus(None, None, None, None))) == [
        "Opened",
        "Bounced",
    ]
    assert status_lines(()) == []


def test_status_facts_keep_label_and_value_apart() -> None:
    """The detail pane puts them in two columns, so a long value wraps under the value."""
    assert status_facts((FAILED, BOUNCED, SENT)) == [
        ("Sent", None),
        ("Bounced", None),
        ("when", "Fri 2026-11-20 08:25 UTC"),
        ("reason", "Mailbox full"),
        ("category", "soft"),
        ("sub-category", "quota"),
        ("Failed", None),
        ("reason", "Relay denied"),
    ]


def test_status_lines_in_another_zone() -> None:
    ist = timezone(timedelta(hours=5, minutes=30))
    assert status_lines((BOUNCED,), tz=ist)[1] == "  when         Fri 2026-11-20 13:55 UTC+05:30"


def test_status_lines_clean_server_text(assert_terminal_safe) -> None:
    bounced = BouncedStatus(None, "550 \x1b]8;;http://evil\x07user\x1b]8;;\x07 unknown\r\nsecond line", "hard\u202e", None)
    lines = status_lines((bounced, OtherStatus("x", (("note\x1b[2J", "[b]y[/b]\x85"),))))
    for line in lines:
        assert_terminal_safe(line)
        assert "\n" not in line
    assert "  reason       550 user unknown second line" in lines
    assert "  category     hard" in lines
    assert "  note         [b]y[/b]" in lines


@pytest.mark.parametrize("tz", [None, timezone(timedelta(hours=14)), timezone(timedelta(hours=-14))])
def test_times_no_zone_can_hold_never_hide_their_neighbours(tz):
    year_one, year_9999 = parse_time("0001-01-01T00:00:00+14:00"), parse_time("9999-12-31T23:59:59-14:00")
    statuses = (
        SENT,
        OpenedStatus(2, year_one, year_9999),
        ClickedStatus(1, year_9999, year_one),
        BouncedStatus(year_one, "Mailbox full", "soft", "quota"),
        OtherStatus("delivered", (("delivered_time", "9999-12-31T23:59:59-14:00"),)),
    )
    lines = status_lines(statuses, tz)
    assert "  first        Mon 0001-01-01 00:00 +14:00" in lines
    assert "  last         Fri 9999-12-31 23:59 -14:00" in lines
    assert "  when         Mon 0001-01-01 00:00 +14:00" in lines
    assert "  reason       Mailbox full" in lines  # the neighbour of an unshowable time
    assert "  delivered time Fri 9999-12-31 23:59 -14:00" in lines
    assert status_label(statuses) == "bounced"


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ((SENT, OPENED), "opened×3"),
        ((OpenedStatus(12, None, None),), "opened×12"),
        ((OpenedStatus(123, None, None),), "open×123"),
        ((ClickedStatus(3, None, None),), "clicked×3"),
        ((ClickedStatus(12, None, None),), "click×12"),
        ((ClickedStatus(None, None, None),), "clicked"),
        ((OpenedStatus(0, None, None),), "opened"),
        ((SENT, DELIVERED), "delivered"),
        ((SCHEDULED,), "scheduled"),
        ((SENT, FAILED), "failed"),
        ((BOUNCED,), "bounced"),
    ],
)
def test_short_status_fits_the_list_column(statuses, expected: str) -> None:
    assert short_status(statuses, 9) == expected and len(expected) <= 9


def test_failed_is_a_status_of_type_failed_in_any_case() -> None:
    assert failed((SENT, OtherStatus("Failed"))) and not failed((SENT, BOUNCED)) and not failed(())
