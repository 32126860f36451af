"""Times in the reader's time zone: short for list rows, full for the detail pane.

`tz=None` means the system's local zone (what `datetime.astimezone()` picks,
so TZ=UTC in tests); pass a `tzinfo` to choose another. A naive datetime is
taken to be UTC (Zoho always sends an offset; a time without one is not
local to the reader either). Month and day names are English whatever the
locale, so every value has the same width.

A time that cannot be moved into the reader's zone (year 1 at +14:00 is year 0
in UTC; 9999-12-31 at -14:00 is year 10000) is shown as it was sent, in the
sender's own offset: these functions never raise for a datetime.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo

NO_TIME = "—"
SHORT_TIME_WIDTH = 12
LIST_DATE_WIDTH = 6  # "Nov 20"
LIST_DATE_YEAR_WIDTH = 10  # "2025-11-20"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _in_zone(dt: datetime, tz: tzinfo | None) -> datetime:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(tz)


def _shown_zone(dt: datetime, tz: tzinfo | None) -> tuple[datetime, bool]:
    """`dt` in the reader's zone, or as sent when that zone cannot hold it: (the time, whether it moved)."""
    try:
        return _in_zone(dt, tz), True
    except (OverflowError, ValueError, OSError):
        return (dt if dt.tzinfo is not None else dt.replace(tzinfo=timezone.utc)), False


def short_time(dt: datetime | None, now: datetime | None = None, tz: tzinfo | None = None) -> str:
    """Always 12 characters, like `ls -l`: "Nov 20 14:05" in the current year, "Nov 20  2025" otherwise.

    The year is compared in the reader's zone, with `now` (default: the
    clock) as the reference; None -> "—".
    """
    if dt is None:
        return NO_TIME
    local, _moved = _shown_zone(dt, tz)
    day = f"{_MONTHS[local.month - 1]} {local.day:02d}"
    if this_year(dt, now, tz):
        return f"{day} {local.hour:02d}:{local.minute:02d}"
    return f"{day} {local.year:>5}"


def list_date(dt: datetime | None, now: datetime | None = None, tz: tzinfo | None = None) -> str:
    """The list's narrow date: "Nov 20" in the current year, "2025-11-20" in another; None -> "—".

    As `short_time`, the year is compared in the reader's zone with `now` (default: the clock).
    """
    if dt is None:
        return NO_TIME
    local, _moved = _shown_zone(dt, tz)
    if this_year(dt, now, tz):
        return f"{_MONTHS[local.month - 1]} {local.day:02d}"
    return f"{local.year:04d}-{local.month:02d}-{local.day:02d}"


def this_year(dt: datetime, now: datetime | None = None, tz: tzinfo | None = None) -> bool:
    """Whether `dt` falls in the year of `now` (default: the clock), both in the reader's zone."""
    local, _moved = _shown_zone(dt, tz)
    today, _ = _shown_zone(now, tz) if now is not None else (datetime.now(timezone.utc).astimezone(tz), True)
    return local.year == today.year


def local_time(dt: datetime | None, tz: tzinfo | None = None) -> str:
    """"Thu 2026-11-20 08:25 UTC": the weekday, date, time and zone of `dt` in the reader's zone."""
    if dt is None:
        return NO_TIME
    local, moved = _shown_zone(dt, tz)
    zone = _zone_name(local) if moved else _offset(local.utcoffset())
    return f"{_WEEKDAYS[local.weekday()]} {_date_and_time(local)} {zone}"


def full_time(dt: datetime | None, tz: tzinfo | None = None, *, verb: str = "sent") -> str:
    """The local time, and the sender's own when its offset differs.

    "Thu 2026-11-20 08:25 UTC (sent 13:55 +05:30)"; the sender's date is
    added when it is another day there: "(sent Fri 2026-11-21 01:05 +05:30)".
    `verb` says what happens at that time: "scheduled for" an email not sent yet.
    """
    if dt is None:
        return NO_TIME
    shown = local_time(dt, tz)
    if dt.tzinfo is None:
        return shown
    local, moved = _shown_zone(dt, tz)
    if not moved or local.utcoffset() == dt.utcoffset():
        return shown
    there = (f"{dt.hour:02d}:{dt.minute:02d}" if dt.date() == local.date()
             else f"{_WEEKDAYS[dt.weekday()]} {_date_and_time(dt)}")
    return f"{shown} ({verb} {there} {_offset(dt.utcoffset())})"


def _date_and_time(dt: datetime) -> str:
    """"2026-11-20 08:25"; the year always four digits (strftime's %Y gives "1" for year 1 on some systems)."""
    return f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d} {dt.hour:02d}:{dt.minute:02d}"


def _zone_name(local: datetime) -> str:
    name = local.tzname()
    # Some zones have no abbreviation and name themselves by offset ("+0530"): write it "+05:30".
    if not name or name[0] in "+-":
        return _offset(local.utcoffset())
    return name


def _offset(delta: timedelta | None) -> str:
    minutes = int((delta or timedelta()).total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{minutes:02d}"
