"""The email list on its own: keys, clicks, what it posts, and that it draws only what is in view.

A host app holds one `EmailList` (80x24: the list shows 21 rows under its header) and records the
messages the list posts. Emails are made here, not fetched.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from textual import on
from textual.app import App, ComposeResult

from tui.render.rows import COLUMNS
from tui.widgets.email_list import EmailList, EmailTable
from tui.zoho.models import Email, Person

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)
ROWS_IN_VIEW = 21  # 24 lines less the list's border (2) and its header (1)


def make_emails(count: int, start: int = 0) -> list[Email]:
    return [
        Email(
            f"m{n}",
            subject=f"Subject {n}",
            sender=Person(f"Sender {n}", f"s{n}@example.com"),
            to=(Person("Ada", "ada@example.com"),),
            time=NOW - timedelta(minutes=n),
        )
        for n in range(start, start + count)
    ]


class Host(App):
    def __init__(self) -> None:
        super().__init__()
        self.posted: list[tuple[str, str | None]] = []

    def compose(self) -> ComposeResult:
        yield EmailList(now=lambda: NOW, id="list")

    def on_mount(self) -> None:
        self.email_list.table.focus()

    @property
    def email_list(self) -> EmailList:
        return self.query_one(EmailList)

    @on(EmailList.Highlighted)
    def _highlighted(self, event: EmailList.Highlighted) -> None:
        self.posted.append(("highlighted", event.email.message_id))

    @on(EmailList.Opened)
    def _opened(self, event: EmailList.Opened) -> None:
        self.posted.append(("opened", event.email.message_id))

    @on(EmailList.NearEnd)
    def _near_end(self, event: EmailList.NearEnd) -> None:
        self.posted.append(("near end", None))

    def taken(self) -> list[tuple[str, str | None]]:
        posted, self.posted = self.posted, []
        return posted


def said(app: Host) -> list[tuple[str, str | None]]:
    """What the list said about emails since last asked (NearEnd aside)."""
    return [(kind, m) for kind, m in app.taken() if kind != "near end"]


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.pause()


def line_text(table: EmailTable, y: int) -> str:
    table._base_style = table.rich_style
    return table.render_line(y).text


async def shown(pilot, emails: list[Email], **kw) -> EmailList:
    app = pilot.app
    app.email_list.show_emails(emails, **kw)
    await settle(pilot)
    return app.email_list


async def test_keys_move_the_cursor_and_each_move_says_which_email():
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        emails = make_emails(100)
        email_list = await shown(pilot, emails)
        table = email_list.table
        assert table.visible_rows == ROWS_IN_VIEW
        page = table.visible_rows
        app.taken()
        moves = [
            ("j", 1), ("down", 2), ("k", 1), ("up", 0), ("up", 0),
            ("pagedown", page), ("pageup", 0), ("ctrl+d", page // 2), ("ctrl+u", 0),
            ("G", 99), ("g", 0), ("end", 99), ("home", 0), ("ctrl+end", 99), ("ctrl+home", 0),
        ]
        for key, row in moves:
            await pilot.press(key)
            assert table.cursor_row == row, key
            assert email_list.cursor_email is emails[row]
            top = table.scroll_offset.y
            assert top <= row < top + table.visible_rows, f"{key}: the cursor is out of view"
        await settle(pilot)
        highlighted = [m for kind, m in app.taken() if kind == "highlighted"]
        # One Highlighted per key that moved the cursor (up on the first row moves nothing).
        rows = [row for (_, row), (_, before) in zip(moves, [("", 0), *moves]) if row != before]
        assert highlighted == [emails[row].message_id for row in rows]


async def test_enter_and_a_click_on_the_highlighted_row_open_it():
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        emails = make_emails(30)
        email_list = await shown(pilot, emails)
        await pilot.press("j", "enter")
        await settle(pilot)
        assert ("opened", "m1") in app.taken()
        # A click on another row highlights it; a click on the highlighted row opens it.
        header = email_list.table.header_height
        await pilot.click(EmailTable, offset=(30, header + 4))
        await settle(pilot)
        assert email_list.table.cursor_row == 4
        assert said(app) == [("highlighted", "m4")]
        await pilot.click(EmailTable, offset=(5, header + 4))
        await settle(pilot)
        assert said(app) == [("opened", "m4")]
        # The header does nothing.
        await pilot.click(EmailTable, offset=(5, 0))
        await settle(pilot)
        assert said(app) == [] and email_list.table.cursor_row == 4


async def test_the_wheel_scrolls_without_moving_the_cursor():
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        email_list = await shown(pilot, make_emails(200))
        await pilot.mouse_down(EmailTable, offset=(10, 5))  # the mouse over the rows
        table = email_list.table
        for _ in range(3):
            table.post_message(_wheel_down(table))
        await settle(pilot)
        assert table.scroll_y > 0 and table.cursor_row == 0


def _wheel_down(table: EmailTable):
    from textual import events

    region = table.region
    return events.MouseScrollDown(table, 10, 5, 0, 0, 0, False, False, False, screen_x=region.x + 10,
                                  screen_y=region.y + 5)


async def test_near_end_when_the_cursor_or_the_view_comes_within_a_page_of_the_last_row():
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        # 25 rows, 20 in view: the view's bottom is within a page of the end at once.
        await shown(pilot, make_emails(25))
        assert ("near end", None) in app.taken()
        # 100 rows: not near until the cursor gets within 10 rows of the last one.
        email_list = await shown(pilot, make_emails(100))
        app.taken()
        await pilot.press("pagedown", "pagedown", "pagedown")
        await settle(pilot)
        assert ("near end", None) not in app.taken()
        await pilot.press("G")
        await settle(pilot)
        assert ("near end", None) in app.taken() and email_list.near_end


def test_near_end_messages_merge():
    assert EmailList.NearEnd().can_replace(EmailList.NearEnd())


async def test_show_emails_puts_back_the_cursor_and_the_view_and_says_so():
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        emails = make_emails(500)
        email_list = await shown(pilot, emails)
        app.taken()
        email_list = await shown(pilot, emails, cursor_id="m310", scroll_y=300)
        table = email_list.table
        assert table.cursor_row == 310 and email_list.view_top == 300
        assert ("highlighted", "m310") in app.taken()
        assert "Subject 300 " in line_text(table, table.header_height)
        # A view the cursor is not in moves the least that shows the cursor.
        email_list = await shown(pilot, emails, cursor_id="m310", scroll_y=0)
        assert table.scroll_offset.y <= 310 < table.scroll_offset.y + table.visible_rows
        # An id no longer listed: the first row.
        await shown(pilot, emails[5:], cursor_id="m2")
        assert table.cursor_row == 0 and app.taken()[-1] == ("highlighted", "m5")


async def test_a_cleared_list_takes_every_key_and_reports_nothing():
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        email_list = await shown(pilot, make_emails(40))
        await pilot.press("j", "j")
        email_list = await shown(pilot, [])
        app.taken()
        for key in ("j", "k", "G", "g", "pagedown", "pageup", "ctrl+d", "ctrl+u", "enter"):
            await pilot.press(key)
        email_list.table.clear()
        await pilot.press("j", "enter")
        await settle(pilot)
        assert email_list.count == 0 and email_list.cursor_email is None and email_list.emails == []
        assert said(app) == []
        assert email_list.has_class("-empty")
        assert email_list.table.check_action("open_email", ()) is False
        # And it comes back: a page after the clear is highlighted.
        email_list.add_emails(make_emails(3, start=1000))
        await settle(pilot)
        assert email_list.cursor_email.message_id == "m1000" and not email_list.has_class("-empty")


async def test_50_000_rows_scroll_to_the_end_and_back_drawing_only_what_is_in_view(monkeypatch):
    drawn: list[int] = []
    render_cells = EmailTable.render_cells

    def counting(self, row, widths):
        drawn.append(row)
        return render_cells(self, row, widths)

    monkeypatch.setattr(EmailTable, "render_cells", counting)
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        emails = make_emails(50_000)
        email_list = await shown(pilot, emails)
        table = email_list.table
        assert len(drawn) <= table.visible_rows + 1  # the rows in view (and the cursor's row again)
        drawn.clear()
        await pilot.press("G")
        await settle(pilot)
        assert table.cursor_row == 49_999 and email_list.cursor_email is emails[-1]
        assert "Subject 49999 " in line_text(table, table.size.height - 1)
        assert len(drawn) <= table.visible_rows + 2
        drawn.clear()
        await pilot.press("g")
        await settle(pilot)
        assert table.cursor_row == 0 and table.scroll_y == 0
        assert "Subject 0 " in line_text(table, table.header_height)


async def test_a_cursor_move_draws_the_two_rows_that_change(monkeypatch):
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        email_list = await shown(pilot, make_emails(1000))
        await pilot.press("j")
        await settle(pilot)
        table = email_list.table
        drawn: list[int] = []
        render_cells = EmailTable.render_cells

        def counting(self, row, widths):
            drawn.append(row.message_id)
            return render_cells(self, row, widths)

        refreshed: list[object] = []
        refresh = EmailTable.refresh

        def refreshing(self, *regions, **kw):
            refreshed.append(regions)
            return refresh(self, *regions, **kw)

        monkeypatch.setattr(EmailTable, "render_cells", counting)
        monkeypatch.setattr(EmailTable, "refresh", refreshing)
        await pilot.press("j")
        await settle(pilot)
        assert drawn == ["m2"]  # row 2 under the cursor; row 1 without it is the strip drawn before the first j
        lines = [region.y for regions in refreshed for region in regions]
        assert sorted(lines) == [table.header_height + 1, table.header_height + 2]  # two lines, nothing else
        # Scrolling by a line draws only the row coming into view (and the two cursor rows).
        await pilot.press("pagedown")
        await settle(pilot)
        drawn.clear()
        await pilot.press("j")
        await settle(pilot)
        assert len(drawn) <= 2


async def test_appending_while_the_cursor_is_on_the_last_row():
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        emails = make_emails(12)
        email_list = await shown(pilot, emails)
        await pilot.press("G")
        await settle(pilot)
        app.taken()
        page = make_emails(10, start=12)
        emails.extend(page)  # as the record model does: its list grows, then the list is told
        assert email_list.add_emails(page) == 10
        await settle(pilot)
        table = email_list.table
        assert table.rows is emails and email_list.count == 22
        assert email_list.cursor_email.message_id == "m11"  # the cursor stays on its email
        assert "Subject 12 " in line_text(table, table.header_height + 12)
        assert not [m for kind, m in app.taken() if kind == "highlighted"]
        await pilot.press("j")
        assert email_list.cursor_email.message_id == "m12"


async def test_the_callers_list_is_held_not_copied_and_never_written_to():
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        emails = make_emails(30)
        email_list = await shown(pilot, emails)
        assert email_list.table.rows is emails
        # A page overlapping what is shown adds only the new ones.
        page = make_emails(10, start=25)
        assert email_list.add_emails(page) == 5
        # The caller did not append them to its list: the list keeps its own from here, the caller's is untouched.
        assert len(emails) == 30 and email_list.count == 35
        assert [e.message_id for e in email_list.emails[-5:]] == [f"m{n}" for n in range(30, 35)]
        assert email_list.add_emails(page) == 0


async def test_a_narrower_terminal_draws_narrower_columns_and_keeps_the_cursor_in_view():
    app = Host()
    async with app.run_test(size=(120, 40)) as pilot:
        email_list = await shown(pilot, make_emails(300))
        table = email_list.table
        wide = table.widths
        table.move_cursor(row=35)
        await pilot.resize_terminal(70, 20)
        await settle(pilot)
        assert sum(table.widths) < sum(wide)
        assert table.scroll_offset.y <= 35 < table.scroll_offset.y + table.visible_rows
        assert all(len(line_text(table, y)) == table.size.width for y in range(table.size.height))


async def test_the_time_column_widens_when_the_first_dated_email_arrives():
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        undated = [Email(f"u{n}", subject="no date") for n in range(3)]
        email_list = await shown(pilot, list(undated))
        time = COLUMNS.index("time")
        narrow = email_list.table.widths[time]
        email_list.add_emails(make_emails(2))
        await settle(pilot)
        assert email_list.table.widths[time] > narrow
        assert "Nov 29" in line_text(email_list.table, email_list.table.header_height + 3)
        email_list.add_emails([Email("old", subject="last year", time=NOW.replace(year=2025))])
        await settle(pilot)
        assert email_list.table.widths[time] == len("2025-11-29")
        assert "2025-11-29" in line_text(email_list.table, email_list.table.header_height + 5)


@pytest.mark.parametrize("message", [EmailTable.Highlighted, EmailTable.Selected])
async def test_a_message_about_rows_since_replaced_is_dropped(message):
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        old = make_emails(30)
        email_list = await shown(pilot, old)
        app.taken()
        table = email_list.table
        table.post_message(message(table, 1, old[1]))
        # Replaced before the table's message is handled: nothing is said about the old rows.
        email_list.show_emails(make_emails(30, start=100))
        await settle(pilot)
        assert said(app) == [("highlighted", "m100")]


async def test_a_sequence_shortened_under_the_list_draws_blank_lines_instead_of_failing():
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        emails = make_emails(30)
        email_list = await shown(pilot, emails)
        await pilot.press("j", "j")
        del emails[1:]  # not how to change rows (show them anew), but never a dead app
        email_list.table.refresh()
        await pilot.press("j", "enter", "k")
        await settle(pilot)
        assert line_text(email_list.table, email_list.table.header_height + 2).strip() == ""
        assert email_list.cursor_email is None or email_list.cursor_email is emails[0]
