"""A list row: column widths at any size, recipients with "+N", each cell as plain, safe text."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from rich.style import Style

from tui.render.dates import SHORT_TIME_WIDTH, short_time
from tui.render.rows import (
    ATTACHMENT_MARK,
    COLUMNS,
    MIN_TIME_WIDTH,
    RowStyles,
    column_widths,
    recipients_cell,
    row_cells,
    time_width,
)
from tui.zoho.models import BouncedStatus, Email, OpenedStatus, Person

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)
STYLES = RowStyles(bounced=Style(color="red"), muted=Style(dim=True))


@pytest.mark.parametrize("width", [40, 76, 80, 156, 300])
def test_columns_fill_the_width_and_the_subject_takes_the_rest(width):
    widths = column_widths(width, 12)
    assert list(widths) == list(COLUMNS)
    assert sum(widths.values()) + 2 * len(COLUMNS) <= max(width, 70)
    assert widths["subject"] >= 10 and widths["status"] == 10 and widths["attachment"] == len(ATTACHMENT_MARK)


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
    widths = column_widths(80, 12)
    cells = [c.plain for c in row_cells(email, widths, STYLES, now=NOW)]
    assert cells[:2] == ["Nov 20 06:44", "Ada"] and cells[3:] == ["Invoice", "opened ×2", ATTACHMENT_MARK]
    assert cells[2].startswith("grace@") and cells[2].endswith("…") and len(cells[2]) <= widths["to"]
    last_year = Email("m", time=datetime(2025, 11, 20, 6, 44, tzinfo=timezone.utc))
    assert "2025" in row_cells(last_year, widths, STYLES, now=NOW)[0].plain


def test_a_bounced_row_is_styled_whole_and_an_empty_subject_says_so():
    email = Email("m", subject="  ", status=(BouncedStatus(None, "no such user", None, None),))
    cells = row_cells(email, column_widths(80, 12), STYLES, now=NOW)
    assert cells[3].plain == "(no subject)" and cells[4].plain == "bounced"
    assert all(cell.style and Style.parse(str(cell.style)).color is not None for cell in cells if cell.plain)


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
def test_every_short_time_is_as_wide_so_one_dated_email_sets_the_time_column(when):
    """The rule `time_width` stands on: it does not format 50,000 times to measure them."""
    assert len(short_time(when, now=NOW)) == SHORT_TIME_WIDTH
    assert time_width([Email("a"), Email("b", time=when)]) == SHORT_TIME_WIDTH


def test_no_dated_email_keeps_the_time_column_narrow():
    assert time_width([]) == time_width([Email("a"), Email("b")]) == MIN_TIME_WIDTH
