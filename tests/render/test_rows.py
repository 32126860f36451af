"""A list row: column widths at any size, recipients with "+N", each cell as plain, safe text."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from rich.style import Style

from rich.cells import cell_len

from tui.render.dates import LIST_DATE_WIDTH, LIST_DATE_YEAR_WIDTH, SHORT_TIME_WIDTH, list_date, short_time
from tui.render.rows import (
    ATTACHMENT_MARK,
    COLUMNS,
    MARK_GLYPHS,
    MIN_TIME_WIDTH,
    NARROW_TABLE,
    ROOMY_SUBJECT,
    STATUS_WIDTH,
    RowStyles,
    column_widths,
    mark_label,
    recipients_cell,
    row_cells,
    time_width,
)
from tui.zoho.models import BouncedStatus, Email, OpenedStatus, OtherStatus, Person, SentStatus

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)
STYLES = RowStyles(bounced=Style(color="red"), muted=Style(dim=True))


@pytest.mark.parametrize("width", [40, 57, 76, 80, 85, 156, 300])
@pytest.mark.parametrize("dates", [MIN_TIME_WIDTH, LIST_DATE_WIDTH, LIST_DATE_YEAR_WIDTH])
def test_columns_fill_the_width_and_the_subject_takes_the_rest(width, dates):
    widths = column_widths(width, dates)
    assert list(widths) == list(COLUMNS)
    drawn = [w for w in widths.values() if w]
    assert sum(drawn) + 2 * len(drawn) <= max(width, 70)
    assert widths["subject"] >= 10 and widths["status"] == STATUS_WIDTH and widths["attachment"] == len(ATTACHMENT_MARK)
    assert widths["mark"] == 1 and widths["time"] in (dates, SHORT_TIME_WIDTH)
    assert (widths["to"] == 0) == (width < NARROW_TABLE)


@pytest.mark.parametrize(
    ("terminal", "table", "subject_before"),
    # The list's table at 80×24 (the whole width), 160×48 (55 % of it) and 60×15; the subject had 24, 28, 10.
    [(80, 77, 24), (160, 85, 28), (60, 57, 10)],
)
def test_the_subject_has_more_room_than_before_at_every_size(terminal, table, subject_before):
    widths = column_widths(table, LIST_DATE_WIDTH)
    assert widths["subject"] >= subject_before + 5
    assert widths["subject"] > widths["from"] + widths["to"]


def test_the_date_gets_its_time_of_day_only_when_the_subject_keeps_its_room():
    assert column_widths(85, LIST_DATE_WIDTH)["time"] == LIST_DATE_WIDTH
    roomy = column_widths(200, LIST_DATE_WIDTH)
    assert roomy["time"] == SHORT_TIME_WIDTH and roomy["subject"] >= ROOMY_SUBJECT
    assert column_widths(200, MIN_TIME_WIDTH)["time"] == MIN_TIME_WIDTH  # no dates: nothing to widen


def test_recipients_cut_the_first_and_never_the_count():
    people = (Person("A very long recipient name indeed", None), Person("B", None), Person("C", None))
    cell = recipients_cell(people, 12)
    assert cell.plain.endswith(" +2") and len(cell.plain) <= 12 and cell.plain.startswith("A very")
    assert recipients_cell((), 12).plain == "—"


def test_a_row_reads_as_text_with_the_year_only_when_it_is_not_this_year():
    email = Email(
        "m",
        subject="\x1b[31mInvoice\u202e",
        sender=Person("Ada", "ada@example.com"),
        to=(Person(None, "grace@example.com"),),
        time=datetime(2026, 11, 20, 6, 44, tzinfo=timezone.utc),
        has_attachment=True,
        status=(OpenedStatus(2, None, None),),
    )
    widths = column_widths(80, LIST_DATE_WIDTH)
    cells = [c.plain for c in row_cells(email, widths, STYLES, now=NOW)]
    assert cells[:3] == ["", "Nov 20", "Ada"] and cells[4:] == ["Invoice", "opened×2", ATTACHMENT_MARK]
    assert cells[3].startswith("grace") and cells[3].endswith("…") and len(cells[3]) <= widths["to"]
    last_year = Email("m", time=datetime(2025, 11, 20, 6, 44, tzinfo=timezone.utc))
    widths = column_widths(80, time_width([email, last_year], NOW))
    assert widths["time"] == LIST_DATE_YEAR_WIDTH
    assert row_cells(last_year, widths, STYLES, now=NOW)[1].plain == "2025-11-20"
    assert row_cells(email, widths, STYLES, now=NOW)[1].plain == "Nov 20"
    roomy = column_widths(200, LIST_DATE_YEAR_WIDTH)
    assert row_cells(email, roomy, STYLES, now=NOW)[1].plain == "Nov 20 06:44"
    assert row_cells(last_year, roomy, STYLES, now=NOW)[1].plain == "Nov 20  2025"


def test_the_year_follows_the_injected_clock_not_the_wall_clock():
    email = Email("m", time=datetime(2026, 11, 20, 6, 44, tzinfo=timezone.utc))
    next_year = datetime(2027, 1, 2, tzinfo=timezone.utc)
    widths = column_widths(80, time_width([email], next_year))
    assert row_cells(email, widths, STYLES, now=next_year)[1].plain == "2026-11-20"
    assert row_cells(email, widths, STYLES, now=NOW)[1].plain == "Nov 20"


@pytest.mark.parametrize("status", [BouncedStatus(None, "no such user", None, None), OtherStatus("failed")])
def test_a_bounced_or_failed_row_is_styled_whole_and_an_empty_subject_says_so(status):
    email = Email("m", subject="  ", status=(status,))
    cells = row_cells(email, column_widths(80, LIST_DATE_WIDTH), STYLES, now=NOW)
    assert cells[4].plain == "(no subject)" and cells[5].plain == status.type
    assert all(cell.style and Style.parse(str(cell.style)).color is not None for cell in cells if cell.plain)
    assert cells[5].style.bold


def test_a_sent_row_is_not_styled_as_an_alarm():
    cells = row_cells(Email("m", subject="Hi", status=(SentStatus(None),)), column_widths(80, 6), STYLES, now=NOW)
    assert cells[4].style == Style() and not cells[5].style.bold


@pytest.mark.parametrize(("state", "glyph"), [("done", "✓"), ("flagged", "⚑"), ("todo", "☐"), (None, "")])
def test_the_mark_is_one_cell_of_its_own_glyph(state, glyph):
    styles = RowStyles(bounced=Style(color="red"), muted=Style(dim=True), marks={"flagged": Style(bold=True)})
    cell = row_cells(Email("m", subject="Hi"), column_widths(80, 6), styles, now=NOW, mark=state)[0]
    assert cell.plain == glyph and cell_len(cell.plain) <= 1
    assert bool(cell.style and cell.style.bold) == (state == "flagged")


def test_the_marks_are_told_apart_without_colour():
    assert len(set(MARK_GLYPHS.values())) == len(MARK_GLYPHS) == 3
    assert all(cell_len(glyph) == 1 for glyph in MARK_GLYPHS.values())
    assert mark_label("flagged", "call back\x1b[31m Monday") == "⚑ flagged — call back Monday"
    assert mark_label("todo", "  ") == "☐ to do"


@pytest.mark.parametrize(
    "when",
    [
        datetime(2026, 11, 20, 6, 44, tzinfo=timezone.utc),
        datetime(2025, 1, 2, 3, 4, tzinfo=timezone.utc),
        datetime(1, 1, 1, 0, 0, tzinfo=timezone(timedelta(hours=14))),
        datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-14))),
        datetime(2026, 3, 5, 0, 0),
    ],
)
def test_every_date_fits_the_width_two_emails_decide(when):
    """The rule `time_width` stands on: it reads the newest and the oldest email, not 50,000."""
    width = time_width([Email("a"), Email("b", time=when)], NOW)
    assert len(list_date(when, now=NOW)) <= width
    assert width == (LIST_DATE_WIDTH if when.year == 2026 else LIST_DATE_YEAR_WIDTH)
    assert len(short_time(when, now=NOW)) == SHORT_TIME_WIDTH


def test_the_newest_and_the_oldest_email_decide_the_date_width():
    dated = [Email(f"m{n}", time=datetime(2026, 11 - n, 1, tzinfo=timezone.utc)) for n in range(5)]
    assert time_width(dated, NOW) == LIST_DATE_WIDTH
    older = [*dated, Email("old", time=datetime(2025, 12, 31, tzinfo=timezone.utc)), Email("undated")]
    assert time_width(older, NOW) == LIST_DATE_YEAR_WIDTH


def test_no_dated_email_keeps_the_time_column_narrow():
    assert time_width([]) == time_width([Email("a"), Email("b")]) == MIN_TIME_WIDTH
