"""List rows get a fixed-width local time; the detail pane the local time and the sender's own."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tui.render.dates import SHORT_TIME_WIDTH, full_time, local_time, short_time

IST = timezone(timedelta(hours=5, minutes=30))
NEWFOUNDLAND = timezone(timedelta(hours=-3, minutes=-30))
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("2026-11-20T13:55:16+05:30", "Nov 20 08:25"),  # this year: in the local zone (UTC in tests)
        ("2026-11-29T09:05:00+00:00", "Nov 29 09:05"),  # today: same form, so the column lines up
        ("2026-01-05T00:30:00+01:00", "Jan 04 23:30"),  # another day once in the local zone
        ("2025-11-20T13:55:16+05:30", "Nov 20  2025"),  # an earlier year
        ("2027-01-05T10:00:00+00:00", "Jan 05  2027"),  # scheduled into next year
        ("2026-11-20T08:25:00", "Nov 20 08:25"),  # naive: taken as UTC
    ],
)
def test_short_time(when: str, expected: str) -> None:
    assert short_time(at(when), now=NOW) == expected


def test_short_time_is_always_twelve_characters() -> None:
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    for hours in range(0, 2 * 366 * 24, 37):
        assert len(short_time(start + timedelta(hours=hours), now=NOW)) == SHORT_TIME_WIDTH


def test_the_year_is_judged_in_the_readers_zone() -> None:
    new_year_in_utc = at("2026-12-31T23:30:00-05:00")  # 2027-01-01 04:30 UTC
    assert short_time(new_year_in_utc, now=at("2027-03-01T00:00:00+00:00")) == "Jan 01 04:30"
    assert short_time(new_year_in_utc, now=at("2027-03-01T00:00:00+00:00"), tz=timezone(timedelta(hours=-5))) == (
        "Dec 31  2026"
    )


def test_short_time_with_an_explicit_zone() -> None:
    assert short_time(at("2026-11-20T08:25:00+00:00"), now=NOW, tz=IST) == "Nov 20 13:55"


def test_short_time_defaults_to_the_clock() -> None:
    assert short_time(datetime.now(timezone.utc))[6] == " " and ":" in short_time(datetime.now(timezone.utc))
    assert short_time(datetime(1999, 1, 2, tzinfo=timezone.utc)) == "Jan 02  1999"


def test_no_time() -> None:
    assert short_time(None) == "—"
    assert full_time(None) == "—"
    assert local_time(None) == "—"


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("2026-11-20T13:55:16+05:30", "Fri 2026-11-20 08:25 UTC (sent 13:55 +05:30)"),
        ("2026-11-21T01:05:00+05:30", "Fri 2026-11-20 19:35 UTC (sent Sat 2026-11-21 01:05 +05:30)"),
        ("2026-11-20T22:00:00-03:30", "Sat 2026-11-21 01:30 UTC (sent Fri 2026-11-20 22:00 -03:30)"),
        ("2026-11-20T08:25:00+00:00", "Fri 2026-11-20 08:25 UTC"),  # same offset: nothing to add
        ("2026-11-20T08:25:00Z", "Fri 2026-11-20 08:25 UTC"),
        ("2026-11-20T08:25:00", "Fri 2026-11-20 08:25 UTC"),  # naive: taken as UTC
    ],
)
def test_full_time(when: str, expected: str) -> None:
    assert full_time(at(when.replace("Z", "+00:00"))) == expected


def test_full_time_in_another_zone() -> None:
    assert full_time(at("2026-11-20T13:55:16+05:30"), tz=IST) == "Fri 2026-11-20 13:55 UTC+05:30"
    assert full_time(at("2026-11-20T08:25:00+00:00"), tz=NEWFOUNDLAND) == (
        "Fri 2026-11-20 04:55 UTC-03:30 (sent 08:25 +00:00)"
    )


def test_local_time_has_no_sender_part() -> None:
    assert local_time(at("2026-11-20T13:55:16+05:30")) == "Fri 2026-11-20 08:25 UTC"


def test_a_zone_without_an_abbreviation_is_named_by_its_offset() -> None:
    zoneinfo = pytest.importorskip("zoneinfo")
    try:
        sao_paulo = zoneinfo.ZoneInfo("America/Sao_Paulo")  # calls itself "-03"
    except zoneinfo.ZoneInfoNotFoundError:
        pytest.skip("no time zone database on this system")
    assert full_time(at("2026-11-20T13:55:16+05:30"), tz=sao_paulo) == (
        "Fri 2026-11-20 05:25 -03:00 (sent 13:55 +05:30)"
    )


# --- times no zone can hold -----------------------------------------------------------------------

YEAR_ONE = "0001-01-01T00:00:00+14:00"  # year 0 in UTC
YEAR_9999 = "9999-12-31T23:59:59-14:00"  # year 10000 in UTC
ZONES = [None, timezone.utc, timezone(timedelta(hours=14)), timezone(timedelta(hours=-14)), IST]


@pytest.mark.parametrize("tz", ZONES)
@pytest.mark.parametrize(
    ("when", "short", "full"),
    [
        (YEAR_ONE, "Jan 01     1", "Mon 0001-01-01 00:00 +14:00"),
        (YEAR_9999, "Dec 31  9999", "Fri 9999-12-31 23:59 -14:00"),
    ],
)
def test_a_time_no_zone_can_hold_is_shown_as_sent(when: str, short: str, full: str, tz) -> None:
    dt = at(when)
    assert short_time(dt, now=NOW, tz=tz) == short
    assert len(short_time(dt, now=NOW, tz=tz)) == SHORT_TIME_WIDTH
    assert local_time(dt, tz=tz) == full == full_time(dt, tz=tz)


def test_a_time_only_the_readers_zone_cannot_hold() -> None:
    just_after_year_one = at("0001-01-01T03:00:00+00:00")
    assert full_time(just_after_year_one, tz=timezone(timedelta(hours=-5))) == "Mon 0001-01-01 03:00 +00:00"
    assert full_time(just_after_year_one, tz=timezone(timedelta(hours=5))) == (
        "Mon 0001-01-01 08:00 UTC+05:00 (sent 03:00 +00:00)"
    )
    naive_last_second = datetime(9999, 12, 31, 23, 59, 59)
    assert local_time(naive_last_second, tz=timezone(timedelta(hours=1))) == "Fri 9999-12-31 23:59 +00:00"


def test_now_near_the_edge_does_not_raise() -> None:
    assert short_time(at("2026-11-20T08:25:00+00:00"), now=at(YEAR_9999), tz=IST) == "Nov 20  2026"
