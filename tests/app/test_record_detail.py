"""The detail pane: follows the cursor after a pause, caches, renders big bodies off the UI thread."""

from __future__ import annotations

import asyncio
import gc
import re
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool

from textual.worker import WorkerState

from tests.app.helpers import settle
from tests.app.record_helpers import (  # noqa: F401 (fixtures)
    demo,
    detail_calls,
    go_to_position,
    hold_key,
    message_id_at,
    open_type_filter,
    record_screen,
    row_ids,
    wait_until,
)
from tests.support.waits import until
from tui.sandbox.data import LARGE_NEWSLETTER_POSITION, LEAD_MAIN
from tui.render.html import LINKS_HEADING, body_text
from tui.render.lines import body_rows
from tui.screens.record import RecordScreen
from tui.widgets import email_detail
from tui.widgets.email_detail import BodyView
from tui.zoho.models import EmailDetail

WIDE = (160, 48)
NARROW = (80, 24)
NEWSLETTER_POSITION = 0  # an HTML newsletter with long tracking links
BOUNCED_POSITION = 11  # a showcase email whose bounce reason wraps at 80 columns


async def test_detail_follows_the_cursor_and_is_cached(tmp_path):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = await record_screen(pilot)
        ids = row_ids(screen)
        assert [c.path.rsplit("/", 1)[-1] for c in detail_calls(sandbox)] == [ids[0]]
        assert screen.detail_view.message_id == ids[0] and screen.detail_view.state == "detail"
        await pilot.press("j")
        await settle(pilot)
        assert screen.detail_view.message_id == ids[1]
        assert len(detail_calls(sandbox)) == 2
        await pilot.press("k")
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)
        assert len(detail_calls(sandbox)) == 2, "going back to an email fetched it again"
        assert screen.detail_view.message_id == ids[1] and screen.detail_view.state == "detail"


async def test_holding_j_makes_at_most_two_detail_calls(tmp_path):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = await record_screen(pilot)
        before = len(detail_calls(sandbox))
        assert before == 1  # the first row, shown on arrival
        # A held key: 20 presses 30 ms apart (a terminal's key repeat), well inside the pause before fetching.
        gc.collect()  # a full collection mid-way (garbage of earlier tests) would be a 100+ ms gap
        await hold_key(pilot, "j", 20, 0.03)
        await settle(pilot)
        calls = detail_calls(sandbox)
        assert len(calls) <= 2, [c.path[-12:] for c in calls]
        assert len(calls) - before <= 1
        assert calls[-1].path.endswith(row_ids(screen)[20])
        assert screen.detail_view.message_id == row_ids(screen)[20]
        # While the key was held, the pane showed each row's headers at once.
        assert screen.detail_view.state == "detail"


async def test_large_newsletter_converts_without_blocking(tmp_path):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = await record_screen(pilot)
        view = screen.detail_view
        row = await go_to_position(pilot, LEAD_MAIN, LARGE_NEWSLETTER_POSITION)
        await wait_until(pilot, lambda: view.rendering, timeout=30, what="the 2 MB body to start converting")

        def body_workers() -> list:
            return [w for w in app.workers if w.group == "body" and w.state == WorkerState.RUNNING]

        # Its worker is pending until its thread starts: wait for it to run (it runs for a second or more).
        await wait_until(pilot, lambda: body_workers(), timeout=30, what="the body converted in a worker")
        (converting,) = body_workers()
        # A key goes through while the thread converts: the UI is not blocked.
        table = screen.email_list.table
        await hold_key(pilot, "j", 1, 0.0)
        await wait_until(pilot, lambda: table.cursor_row == row + 1, what="the key")
        assert converting.state == WorkerState.RUNNING
        await wait_until(pilot, lambda: view.message_id == row_ids(screen)[row + 1], what="the pane to follow")
        await pilot.press("k")
        await settle(pilot)
        assert view.message_id == row_ids(screen)[row]
        assert not view.rendering
        assert view.body.line_count > 5000
        # Converted in its own process (not the text as it is, the fallback when a conversion fails).
        shown = view.body.lines_text
        assert LINKS_HEADING in shown and not any("could not be converted" in line for line in shown)
        # The body scrolls on its own: focus it and page down.
        await pilot.press("tab")
        assert isinstance(app.focused, BodyView)
        await pilot.press("space", "space")
        await wait_until(pilot, lambda: view.body.scroll_y > 0, what="the body to scroll")
        assert screen.email_list.table.cursor_row == row


def count_conversions(monkeypatch) -> list[str]:
    """Every body conversion started, by message id (the real conversion still runs)."""
    started: list[str] = []
    convert = email_detail.EmailDetailView._start_conversion

    def counting(view, detail, width):
        started.append(detail.message_id)
        return convert(view, detail, width)

    monkeypatch.setattr(email_detail.EmailDetailView, "_start_conversion", counting)
    return started


async def test_coming_back_to_a_converting_body_attaches_to_its_conversion(tmp_path, monkeypatch):
    started = count_conversions(monkeypatch)
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = await record_screen(pilot)
        view, table = screen.detail_view, screen.email_list.table
        newsletter = message_id_at(sandbox, LEAD_MAIN, LARGE_NEWSLETTER_POSITION)
        row = await go_to_position(pilot, LEAD_MAIN, LARGE_NEWSLETTER_POSITION)
        await wait_until(pilot, lambda: view.rendering, timeout=30, what="the 2 MB body to start converting")
        # j then k while it converts (its detail is cached: k shows it again at once).
        await hold_key(pilot, "j", 1, 0.0)
        await wait_until(pilot, lambda: view.message_id == row_ids(screen)[row + 1], what="the pane to follow j")
        await hold_key(pilot, "k", 1, 0.0)
        await wait_until(pilot, lambda: table.cursor_row == row and view.message_id == newsletter, what="k")
        await wait_until(
            pilot, lambda: view.state == "detail" and not view.rendering, timeout=60, what="the newsletter's body"
        )
        await settle(pilot)
        assert started.count(newsletter) == 1, started
        assert view.body.line_count > 5000


async def test_a_body_converted_after_moving_on_is_kept(tmp_path, monkeypatch):
    started = count_conversions(monkeypatch)
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = await record_screen(pilot)
        view = screen.detail_view
        newsletter = message_id_at(sandbox, LEAD_MAIN, LARGE_NEWSLETTER_POSITION)
        row = await go_to_position(pilot, LEAD_MAIN, LARGE_NEWSLETTER_POSITION)
        await wait_until(pilot, lambda: view.rendering, timeout=30, what="the 2 MB body to start converting")
        await hold_key(pilot, "j", 1, 0.0)
        await wait_until(pilot, lambda: view.message_id == row_ids(screen)[row + 1], what="the pane to follow j")
        # The newsletter finishes converting while another email is on screen...
        await wait_until(
            pilot,
            lambda: not [w for w in app.workers if w.group == "body" and not w.is_finished],
            timeout=60,
            what="the conversions to finish",
        )
        assert view.message_id == row_ids(screen)[row + 1]
        # ...and coming back shows it at once, without converting it again.
        await pilot.press("k")
        await wait_until(pilot, lambda: view.message_id == newsletter, what="k")
        assert view.state == "detail" and not view.rendering
        assert view.body.line_count > 5000
        assert started.count(newsletter) == 1, started


async def open_full_screen(pilot, position: int) -> list[str]:
    """Open LEAD_MAIN's showcase email at `position` full-screen (80 columns); the lines of its pane."""
    screen = await record_screen(pilot)
    await go_to_position(pilot, LEAD_MAIN, position)
    await pilot.press("enter")
    view = screen.detail_view
    await wait_until(pilot, lambda: view.state == "detail" and not view.rendering, timeout=30, what="the email")
    return [line.rstrip() for line in view.body.lines_text]


async def test_a_wrapped_bounce_reason_stays_under_its_value(tmp_path):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        lines = await open_full_screen(pilot, BOUNCED_POSITION)
        (at,) = [n for n, line in enumerate(lines) if line.lstrip().startswith("reason ")]
        value_column = len(lines[at]) - len(lines[at].split("reason", 1)[1].lstrip())
        # At 80 columns the reason does not fit on its line: the rest of it starts under its first word.
        continuation = lines[at + 1]
        assert not continuation.lstrip().startswith(("category", "sub-category")), lines[at : at + 2]
        assert len(continuation) - len(continuation.lstrip()) == value_column, lines[at : at + 2]


async def test_a_long_link_starts_on_the_line_of_its_number(tmp_path):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        lines = await open_full_screen(pilot, NEWSLETTER_POSITION)
        view = app.screen.detail_view
        listed = lines[lines.index(LINKS_HEADING) + 1 :]
        width = view.body.text_width
        # The links as html_to_text lists them (one a line), and as the pane shows them (folded at the width).
        expected = body_text(view.detail, width).split(LINKS_HEADING + "\n", 1)[1].splitlines()
        assert any(len(link) > width for link in expected), "no link long enough to wrap at 80 columns"
        shown: list[str] = []
        for line in listed:
            if re.match(r"\[\d+\]", line):
                assert re.match(r"\[\d+\] https?://", line), f"{line!r}: the URL starts on the next line"
                shown.append(line)
            else:
                shown[-1] += line  # the rest of a folded URL, character for character
        assert shown == expected


async def test_narrow_enter_opens_and_escape_returns_to_the_same_row(tmp_path):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        screen = await record_screen(pilot)
        assert not screen.detail_view.display
        # At 80 columns nothing is fetched for rows only passed over.
        for _ in range(3):
            await pilot.press("j")
        await settle(pilot)
        assert detail_calls(sandbox) == []
        await pilot.press("enter")
        await settle(pilot)
        assert screen.detail_view.display and not screen.email_list.display
        assert screen.detail_view.message_id == row_ids(screen)[3]
        assert len(detail_calls(sandbox)) == 1
        assert isinstance(app.focused, BodyView)
        await pilot.press("escape")
        await settle(pilot)
        assert screen.email_list.display and not screen.detail_view.display
        assert screen.email_list.table.cursor_row == 3
        assert app.focused is screen.email_list.table
        # Widening the terminal shows both panes and follows the cursor.
        await pilot.resize_terminal(*WIDE)
        await settle(pilot)
        assert screen.detail_view.display and screen.email_list.display
        assert screen.detail_view.message_id == row_ids(screen)[3]
        assert len(detail_calls(sandbox)) == 1


async def test_detail_error_stays_in_the_detail_pane(tmp_path):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = await record_screen(pilot)
        rows = row_ids(screen)
        sandbox.faults.always = "500"
        await pilot.press("j")
        await settle(pilot)
        view = screen.detail_view
        assert view.state == "error"
        panel = view.query_one("#detail-error")
        assert panel.display and panel.error.code == "INTERNAL_SERVER_ERROR"
        assert not screen.email_list.error_panel.display
        assert row_ids(screen) == rows
        sandbox.faults.always = None
        await pilot.press("R")
        await settle(pilot)
        assert view.state == "detail" and view.message_id == rows[1]
        assert not panel.display


async def test_narrow_filter_change_closes_the_open_email(tmp_path):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        screen = await record_screen(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.detail_view.display
        await open_type_filter(pilot)
        await pilot.press("down", "down", "down", "enter")  # Drafts
        await record_screen(pilot)
        assert screen.filter.type == "drafts"
        assert screen.email_list.display and not screen.detail_view.display
        assert app.focused is screen.email_list.table


async def test_a_big_body_whose_conversion_fails_shows_its_text(tmp_path, monkeypatch):
    async def broken(self, detail, width):
        raise BrokenProcessPool("the worker died")

    monkeypatch.setattr(email_detail.BodyConverter, "rows", broken)
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = await record_screen(pilot)
        view = screen.detail_view
        newsletter = message_id_at(sandbox, LEAD_MAIN, LARGE_NEWSLETTER_POSITION)
        await go_to_position(pilot, LEAD_MAIN, LARGE_NEWSLETTER_POSITION)
        await wait_until(
            pilot,
            lambda: view.message_id == newsletter and view.state == "detail" and not view.rendering,
            timeout=60,
            what="the text as it is",
        )
        shown = " ".join(line.strip() for line in view.body.lines_text)
        assert "The body could not be converted (BrokenProcessPool); its text follows." in shown
        assert "<html" in shown.lower() or "<table" in shown.lower()


async def test_the_converter_process_converts_and_stops_when_asked():
    converter = email_detail.BodyConverter()
    detail = EmailDetail("m", mail_format="html", content="<p>" + "word " * 60_000 + "</p>")
    try:
        assert await converter.rows(detail, 40) == body_rows(detail, 40)
        # A conversion under way is stopped, not waited for (the app quits, the record screen closes).
        converting = asyncio.ensure_future(converter.rows(detail, 41))
        await until(lambda: converter._pool._processes, "the conversion's process")  # noqa: SLF001
        workers = list(converter._pool._processes.values())  # noqa: SLF001 - which processes to watch
        assert workers
    finally:
        converter.shutdown()
    for worker in workers:
        worker.join(timeout=10)
        assert not worker.is_alive()
    converting.cancel()


async def test_the_position_title_is_drawn_with_the_email_in_full_not_for_each_row_passed(tmp_path):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = await record_screen(pilot)
        view = screen.detail_view
        emails = screen.email_list.emails
        view.show_position("Email 1 of 250")
        assert view.border_title == "Email 1 of 250"  # the email is shown in full: at once
        view.show_email(emails[3])
        view.show_position("Email 4 of 250")
        assert view.border_title == "Email 1 of 250"  # headers only: the whole pane is not redrawn for it
        view.show_detail(emails[3], None)
        assert view.border_title == "Email 4 of 250"


async def test_rows_passed_never_shrink_the_headers_and_an_email_in_full_fits_them(tmp_path, monkeypatch):
    # A header whose height changes lays out the whole screen again: rows passed keep the tallest one.
    monkeypatch.setattr(email_detail, "PASSING_S", 0.0)  # each move drawn at once, however quick the machine
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = await record_screen(pilot)
        view = screen.detail_view
        header = view.query_one(email_detail.HeaderView)
        emails = screen.email_list.emails
        tall = next(n for n in range(len(emails) - 1) if emails[n].cc and not emails[n + 1].cc)
        screen.email_list.table.move_cursor(row=tall)
        await settle(pilot)
        held = header.styles.height.value
        assert view.state == "detail" and held == len(view._header_lines) + 1

        await pilot.press("j")  # to a row with fewer header lines: drawn at once, the email not read yet
        assert view.state == "loading" and view.message_id == emails[tall + 1].message_id
        assert len(view._header_lines) + 1 < held == header.styles.height.value

        await settle(pilot)  # the email in full: the headers take just their lines
        assert view.state == "detail" and header.styles.height.value == len(view._header_lines) + 1 < held


def _hold_the_pane(monkeypatch) -> Callable[[RecordScreen], None]:
    """Below 120 columns the pane mounts after the first paint: here not until the function returned is called."""
    mount = RecordScreen._mount_detail_view
    held = True

    async def mount_unless_held(self):
        if not held:
            await mount(self)

    def release(screen: RecordScreen) -> None:
        nonlocal held
        held = False
        screen.call_later(screen._mount_detail_view)

    monkeypatch.setattr(RecordScreen, "_mount_detail_view", mount_unless_held)
    return release


async def test_below_120_columns_the_pane_mounts_after_the_first_paint(tmp_path, monkeypatch):
    # Seen from what runs right after the screen's first paint (what mounts the footer): polling from the test
    # could miss the moment between the rows showing and the pane mounting.
    mount_hidden = RecordScreen._mount_hidden
    mounted_at_first_paint: list[bool] = []

    def after_first_paint(self: RecordScreen) -> None:
        mounted_at_first_paint.append(self.detail_view.is_mounted)
        mount_hidden(self)

    monkeypatch.setattr(RecordScreen, "_mount_hidden", after_first_paint)
    app, _ = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        screen = await record_screen(pilot)
        assert screen.detail_view.is_mounted and app.bugs == 0
    assert mounted_at_first_paint == [False]


async def _listed(pilot) -> RecordScreen:
    """The record screen once it lists rows (its pane may not be mounted yet)."""
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, RecordScreen) and app.screen.email_list.count > 1)
    return app.screen


async def test_keys_before_the_pane_mounted_wait_for_it(tmp_path, monkeypatch):
    release = _hold_the_pane(monkeypatch)
    app, _ = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        screen = await _listed(pilot)
        await pilot.press("enter")  # opens the first email: it waits for the pane
        await pilot.pause()
        assert not screen.detail_view.is_mounted and not screen.has_class("-detail-open")
        release(screen)
        await wait_until(pilot, lambda: isinstance(screen.focused, BodyView), "the opened email")
        assert screen.has_class("-detail-open") and screen.detail_view.email == screen.email_list.cursor_email
        assert app.bugs == 0


async def test_widening_and_moving_before_the_pane_mounted_shows_the_email_the_cursor_is_on(tmp_path, monkeypatch):
    release = _hold_the_pane(monkeypatch)
    app, _ = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        screen = await _listed(pilot)
        await pilot.resize_terminal(*WIDE)
        await wait_until(pilot, lambda: not screen.narrow, "the wide layout")
        await pilot.press("j", "tab")  # a move and the switch to the pane, both before it is mounted
        await pilot.pause()
        assert not screen.detail_view.is_mounted
        release(screen)
        await wait_until(pilot, lambda: isinstance(screen.focused, BodyView), "the pane focused")
        assert screen.detail_view.email == screen.email_list.cursor_email == screen._highlighted
        assert screen.email_list.table.cursor_row == 1 and app.bugs == 0
