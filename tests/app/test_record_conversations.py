"""The conversation view (`c`): toggling, expanding, reading a conversation, the cursor kept, paging."""

from __future__ import annotations

from tests.app.helpers import settle, type_text
from tests.app.record_helpers import (  # noqa: F401 (fixtures)
    demo,
    detail_calls,
    record_screen,
    row_ids,
    wait_until,
)
from tui.sandbox.data import LEAD_MAIN
from tui.screens.record import RecordScreen
from tui.screens.record_conversations import AUTO_READ
from tui.session.conversations import base_subject, group_conversations

WIDE = (160, 48)
NARROW = (80, 24)


async def conversations(pilot) -> RecordScreen:
    """The record screen at rest, then `c`, and the grouping done."""
    screen = await record_screen(pilot)
    await pilot.press("c")
    await wait_until(pilot, lambda: screen.conversation_table.row_count > 0, "the conversations")
    await settle(pilot)
    return screen


def detail_ids(sandbox) -> list[str]:
    return [c.path.rsplit("/", 1)[-1] for c in detail_calls(sandbox)]


def line_index(screen: RecordScreen, predicate) -> int:
    return next(n for n, line in enumerate(screen.conversation_table.lines) if predicate(line))


async def move_to(pilot, screen: RecordScreen, row: int) -> None:
    table = screen.conversation_table
    table.move_cursor(row=row)
    await wait_until(pilot, lambda: table.cursor_row == row, f"the cursor on line {row}")
    await settle(pilot)


async def test_c_toggles_the_view_and_the_cursor_comes_back_on_its_email(tmp_path):
    app, _sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = await record_screen(pilot)
        # Start on a reply: its conversation holds more than one email.
        ids = row_ids(screen)
        start = next(i for i, e in enumerate(screen.email_list.emails) if (e.subject or "").startswith("Re:"))
        screen.email_list.table.move_cursor(row=start)
        await settle(pilot)
        await pilot.press("c")
        await wait_until(pilot, lambda: screen.conversation_table.row_count > 0, "the conversations")
        await settle(pilot)
        table = screen.conversation_table
        assert screen.email_list.conversations_on and table.display and not screen.email_list.table.display
        assert table.has_focus
        grouped = group_conversations(screen.feed.emails, screen.session.threads)
        assert screen.email_list.border_title == f"Conversations · {len(grouped)}"
        assert table.row_count == len(grouped) < len(ids)
        line = table.cursor_line
        assert line is not None and line.email is None and ids[start] in line.conversation.ids
        assert screen.detail_view.state == "conversation"
        assert screen.detail_view.border_title.startswith("Conversation ")
        # Down a line, and back to the flat list: on that conversation's newest email.
        await pilot.press("j")
        await settle(pilot)
        newest = table.cursor_line.conversation.emails[0].message_id
        await pilot.press("c")
        await settle(pilot)
        assert not screen.email_list.conversations_on and screen.email_list.table.has_focus
        assert screen.email_list.cursor_email.message_id == newest
        assert screen.email_list.border_title.startswith("Emails · ")
        assert screen.detail_view.message_id == newest


async def test_enter_and_arrows_expand_and_collapse_in_place(tmp_path):
    app, _sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        screen = await conversations(pilot)
        table = screen.conversation_table
        row = line_index(screen, lambda line: line.conversation.count > 2)
        await move_to(pilot, screen, row)
        conversation = table.cursor_line.conversation
        before = table.row_count
        await pilot.press("enter")
        await settle(pilot)
        assert table.row_count == before + conversation.count
        under = table.lines[row + 1 : row + 1 + conversation.count]
        assert [line.email for line in under] == list(conversation.emails)
        assert table.cells_at(row)[0].plain.strip().startswith("▾")
        assert table.cells_at(row + 1)[2].plain.startswith("  ")  # its emails are indented
        # ← on one of its emails collapses it, the cursor back on the conversation's line (a page may have
        # come in meanwhile: moving near the end asks for one).
        await pilot.press("down", "down", "left")
        await settle(pilot)
        line = table.cursor_line
        assert line.email is None and not line.expanded and line.conversation.ids >= conversation.ids
        assert all(line.email is None for line in table.lines)
        assert table.cells_at(table.cursor_row)[0].plain.strip().startswith("▸")
        await pilot.press("right")
        await settle(pilot)
        line = table.cursor_line
        assert line.expanded and sum(other.email is not None for other in table.lines) == line.conversation.count
        await pilot.press("enter")
        await settle(pilot)
        assert not table.cursor_line.expanded and all(line.email is None for line in table.lines)


async def test_the_pane_reads_a_conversation_oldest_first_with_quotes_folded(tmp_path):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = await conversations(pilot)
        session = screen.session

        def replies_to_read(line) -> bool:
            unread = session.unread(line.conversation.emails)
            return any((e.subject or "").startswith("Re:") for e in line.conversation.emails) and 1 < len(unread) <= AUTO_READ

        row = line_index(screen, replies_to_read)
        conversation = screen.conversation_table.lines[row].conversation
        before = detail_ids(sandbox)
        await move_to(pilot, screen, row)
        view = screen.detail_view
        await wait_until(pilot, lambda: view.state == "conversation" and not view.rendering, "the conversation read")
        await settle(pilot)
        shown = screen.conversation_table.cursor_line.conversation  # read threads may regroup it
        read = detail_ids(sandbox)[len(before):]
        # Every body of the conversation, each once (a page may come in as the cursor moves and add an older
        # email of the subject; the threads read may then split the subject into its threads).
        subject = base_subject(conversation.subject)
        by_id = {e.message_id: e for e in screen.feed.emails}
        assert read and all(base_subject(by_id[m].subject) == subject for m in read)
        assert all(session.cached_detail(e.message_id)[0] for e in conversation.emails)
        assert shown.ids <= set(by_id) and all(session.cached_detail(m)[0] for m in shown.ids)
        assert len(read) == len(set(read)), "a body was read twice"
        text = view.body.lines_text
        headings = [line for line in text if line.startswith("── ")]
        assert [h.split(" · ")[0][3:] for h in headings] == [e.sender.display for e in shown.oldest_first]
        assert any(" quoted line" in line for line in text)
        assert not any(line.lstrip().startswith(">") for line in text)
        assert "(not read yet)" not in text
        # Away (the next conversation is read when the cursor rests there) and back: no body is read twice.
        await pilot.press("j")
        await settle(pilot)
        await pilot.press("k")
        await settle(pilot)
        calls = detail_ids(sandbox)
        assert len(calls) == len(set(calls))
        assert screen.detail_view.state == "conversation" and "(not read yet)" not in screen.detail_view.body.lines_text


async def test_a_long_conversation_says_what_it_costs_and_v_reads_it(tmp_path):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = await conversations(pilot)
        await pilot.press("G")  # every email: the long newsletter conversations come in
        await wait_until(pilot, lambda: not screen.feed.more and not screen.feed.walking, "every email")
        await settle(pilot)
        session = screen.session
        row = line_index(screen, lambda line: len(session.unread(line.conversation.emails)) > AUTO_READ)
        before = len(detail_calls(sandbox))
        await move_to(pilot, screen, row)
        unread = len(session.unread(screen.conversation_table.cursor_line.conversation.emails))
        text = " ".join(" ".join(screen.detail_view.body.lines_text).split())
        assert f"costs up to {unread} API calls" in text and "Press v" in text
        assert len(detail_calls(sandbox)) == before, "a long conversation was read without asking"
        await pilot.press("v")
        await wait_until(pilot, lambda: not session.unread(screen.conversation_table.cursor_line.conversation.emails),
                         "the conversation read")
        await settle(pilot)
        assert len(detail_calls(sandbox)) == before + unread
        assert "(not read yet)" not in screen.detail_view.body.lines_text


async def test_an_email_of_an_expanded_conversation_shows_as_in_the_list(tmp_path):
    app, _sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = await conversations(pilot)
        row = line_index(screen, lambda line: line.conversation.count > 1)
        await move_to(pilot, screen, row)
        await pilot.press("enter", "down")
        await settle(pilot)
        line = screen.conversation_table.cursor_line
        assert line.email is not None
        view = screen.detail_view
        await wait_until(pilot, lambda: view.state == "detail" and view.message_id == line.email.message_id, "the email")
        assert view.border_title.startswith(f"Email 1 of {line.conversation.count} · Conversation ")


async def test_pages_loading_in_the_view_keep_the_cursor(tmp_path):
    app, _sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = await conversations(pilot)
        table = screen.conversation_table
        loaded = screen.feed.count
        # The whole view fits on screen: a move asks for the next page (NearEnd).
        await pilot.press("j")
        anchor = table.cursor_line.anchor
        await wait_until(pilot, lambda: screen.feed.count > loaded, "the next page")
        await wait_until(pilot, lambda: screen._grouped_for is not None and screen._grouped_for[2] == screen.feed.count,
                         "the conversations grouped again")
        await settle(pilot)
        assert anchor in table.cursor_line.conversation.ids
        # Every email, and the cursor still on its conversation.
        screen.action_load_all()
        await wait_until(pilot, lambda: not screen.feed.more and not screen.feed.walking, "every email")
        await settle(pilot)
        assert screen._grouped_for[2] == screen.feed.count
        assert sum(c.count for c in table.conversations) == screen.feed.count
        assert anchor in table.cursor_line.conversation.ids
        assert screen.email_list.border_title == f"Conversations · {len(table.conversations)}"


async def test_search_goes_back_to_the_flat_list(tmp_path):
    app, _sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = await conversations(pilot)
        await pilot.press("j")
        await settle(pilot)
        newest = screen.conversation_table.cursor_line.conversation.emails[0].message_id
        await pilot.press("slash")
        await settle(pilot)
        assert not screen.email_list.conversations_on and screen.search_bar.is_open
        assert screen.email_list.cursor_email.message_id == newest
        await type_text(pilot, "quote")
        await settle(pilot)
        assert screen._found is not None


async def test_v_reads_a_conversation_full_screen_when_narrow(tmp_path):
    app, _sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        screen = await conversations(pilot)
        assert not screen.detail_visible
        await pilot.press("v")
        await settle(pilot)
        assert screen.detail_visible and screen.detail_view.state == "conversation"
        await pilot.press("escape")
        await settle(pilot)
        assert not screen.detail_visible and screen.conversation_table.has_focus
