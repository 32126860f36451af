"""The record screen's email list, driven by keys, with every call counted at the sandbox."""

from __future__ import annotations

from tests.app.helpers import settle
from tests.app.record_helpers import (  # noqa: F401 (fixtures)
    demo,
    open_type_filter,
    list_calls,
    record_screen,
    row_ids,
    wait_until,
)
from tui.sandbox.data import ACCOUNT_MAIN, CONTACT_HOSTILE, LEAD_EMPTY, LEAD_MAIN
from tui.render.rows import COLUMNS
from tui.screens.record import RecordScreen
from tui.connect import demo_client
from tui.session.filters import EmailFilter
from tui.widgets.email_list import EmailTable


async def expected_ids(record: tuple[str, str], email_type: str | None = None, owner_id: str | None = None) -> list[str]:
    """The record's emails as Zoho lists them, read through a client of our own (same seed)."""
    client, _ = demo_client(backoff=0.0)
    ids: list[str] = []
    async with client:
        async for page in client.iter_email_pages(*record, type=email_type, owner_id=owner_id):
            ids.extend(e.message_id for e in page.emails)
    return ids


async def test_scrolling_through_30_emails_fetches_each_page_once(tmp_path):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot)
        # 17 rows fit: page one does not fill the view with a page to spare, so pages two and three follow.
        assert len(row_ids(screen)) == 30
        for _ in range(29):
            await pilot.press("j")
        await settle(pilot)
        assert screen.email_list.cursor_email.message_id == row_ids(screen)[29]
        indexes = [c.params.get("index") for c in list_calls(sandbox)]
        assert len(indexes) == len(set(indexes)), f"a page was fetched twice: {indexes}"
        assert indexes[0] is None and len(indexes) >= 3
        first_three = indexes[:3]
        assert all(indexes.count(i) == 1 for i in first_three)
        # Past row 20 the next page loaded ahead of the cursor: rows never repeat.
        assert len(row_ids(screen)) == 10 * len(indexes) == len(set(row_ids(screen)))
        assert row_ids(screen) == (await expected_ids(LEAD_MAIN))[: len(row_ids(screen))]


async def test_first_pages_fill_a_tall_viewport(tmp_path):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await record_screen(pilot)
        table = screen.email_list.table
        rows = len(row_ids(screen))
        assert rows >= table.visible_rows + 10
        assert len(list_calls(sandbox)) == rows // 10
        assert "loaded" in screen.email_list.border_subtitle


async def test_end_key_loads_to_the_end_once(tmp_path):
    app, sandbox = demo(CONTACT_HOSTILE, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot)
        for _ in range(3):
            await pilot.press("G")
            await settle(pilot)
        assert len(row_ids(screen)) == 30
        assert len(list_calls(sandbox)) == 3
        assert screen.email_list.border_subtitle == "end — 30 emails"
        await pilot.press("g")
        assert screen.email_list.table.cursor_row == 0


async def test_switching_filter_and_back_costs_no_call(tmp_path):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot)
        for _ in range(5):
            await pilot.press("j")
        all_rows = row_ids(screen)
        chosen = screen.email_list.cursor_email.message_id
        await open_type_filter(pilot)
        await pilot.press("down", "enter")  # Sent from CRM
        await record_screen(pilot)
        assert screen.filter == EmailFilter("sent_from_crm")
        assert screen.email_list.border_title == "Emails · Sent from CRM"
        sent_calls = [c for c in list_calls(sandbox) if c.params.get("type") == "sent_from_crm"]
        assert sent_calls and all("owner_id" not in c.params for c in sent_calls)
        sent_rows = row_ids(screen)
        assert sent_rows == (await expected_ids(LEAD_MAIN, "sent_from_crm"))[: len(sent_rows)]

        before = len(sandbox.calls)
        await open_type_filter(pilot)
        await pilot.press("up", "enter")  # back to All
        await record_screen(pilot)
        assert len(sandbox.calls) == before, "going back to a loaded filter made a call"
        assert row_ids(screen) == all_rows
        assert screen.email_list.cursor_email.message_id == chosen


async def test_user_emails_default_to_my_mailbox(tmp_path):
    from tui.sandbox.data import CURRENT_USER_ID

    app, sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot)
        await open_type_filter(pilot)
        # All, Sent, Scheduled, Drafts, then the first owner: me.
        await pilot.press("down", "down", "down", "down", "enter")
        await record_screen(pilot)
        assert screen.filter.type == "user_emails" and screen.filter.owner_id == CURRENT_USER_ID
        assert "(you)" not in screen.filter.label and "Patricia Boyle" in screen.filter.label
        mine = [c for c in list_calls(sandbox) if c.params.get("type") == "user_emails"]
        assert mine and all(c.params.get("owner_id") == CURRENT_USER_ID for c in mine)
        assert row_ids(screen) == (await expected_ids(LEAD_MAIN, "user_emails", CURRENT_USER_ID))[: len(row_ids(screen))]
        users_calls = sandbox.count("/users")
        # A second look at the menu does not ask for the users again.
        await open_type_filter(pilot)
        await pilot.press("escape")
        assert sandbox.count("/users") == users_calls


async def test_accounts_offer_their_contacts_emails(tmp_path):
    app, sandbox = demo(ACCOUNT_MAIN, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot)
        screen.switch_filter(EmailFilter("all_contacts_sent_crm_emails"))
        await record_screen(pilot)
        assert screen.email_list.border_title == "Emails · Contacts: sent from CRM"
        expected = await expected_ids(ACCOUNT_MAIN, "all_contacts_sent_crm_emails")
        assert row_ids(screen) == expected[: len(row_ids(screen))]


async def test_refresh_puts_new_emails_on_top_and_keeps_the_cursor(tmp_path):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot)
        everything = row_ids(screen)
        # Pretend the two newest emails arrived after the list was read.
        feed = screen.feed
        feed.emails.remove(everything[:2])
        screen.email_list.show_emails(feed.emails)
        await settle(pilot)
        for _ in range(4):
            await pilot.press("j")
        chosen = screen.email_list.cursor_email.message_id
        assert chosen == everything[6]
        calls = len(list_calls(sandbox))
        await pilot.press("r")
        await settle(pilot)
        assert row_ids(screen)[:3] == everything[:3]
        assert len(row_ids(screen)) == len(set(row_ids(screen)))
        assert screen.email_list.cursor_email.message_id == chosen
        assert [c.params.get("index") for c in list_calls(sandbox)[calls:]] == [None]


async def test_a_page_of_the_old_filter_lands_in_its_own_list(tmp_path):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    sandbox.faults.latency_ms = 400
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot, idle=False)
        await wait_until(pilot, lambda: screen.feed.paging, "page one on its way", advance=0)
        screen.switch_filter(EmailFilter("drafts"))  # while All's page one is still in flight
        await record_screen(pilot)
        drafts = await expected_ids(LEAD_MAIN, "drafts")
        assert row_ids(screen) == drafts[: len(row_ids(screen))]
        assert set(row_ids(screen)) <= set(drafts)
        # All's page was not thrown away: it is in All's list, and going back to it costs no call for it.
        all_feed = screen.session.feeds[EmailFilter()]
        assert not all_feed.paging and all_feed.pages == 1
        first_pages = [c for c in list_calls(sandbox) if "type" not in c.params and "index" not in c.params]
        screen.switch_filter(EmailFilter())
        await record_screen(pilot)
        assert row_ids(screen) == (await expected_ids(LEAD_MAIN))[: len(row_ids(screen))]
        assert [c for c in list_calls(sandbox) if "type" not in c.params and "index" not in c.params] == first_pages


async def _next_page_fails(pilot, sandbox, fault: str) -> tuple[RecordScreen, list[str]]:
    """Page one (and what fills the view) loads; then every call fails with `fault` and G asks for more."""
    screen = await record_screen(pilot)
    loaded = row_ids(screen)
    sandbox.faults.always = fault
    await pilot.press("G")
    return screen, loaded


async def test_a_failed_page_keeps_the_rows_and_retry_works(tmp_path):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen, loaded = await _next_page_fails(pilot, sandbox, "500")
        await settle(pilot)
        assert row_ids(screen) == loaded
        panel = screen.email_list.error_panel
        assert panel.display and panel.error is not None and panel.error.code == "INTERNAL_SERVER_ERROR"
        assert "R retries" in screen.email_list.border_subtitle
        assert screen.check_action("retry", ()) is True
        sandbox.faults.always = None
        await pilot.press("R")
        await settle(pilot)
        assert len(row_ids(screen)) > len(loaded) and row_ids(screen)[: len(loaded)] == loaded
        assert len(row_ids(screen)) == len(set(row_ids(screen)))
        assert not panel.display
        indexes = [c.params.get("index") for c in list_calls(sandbox) if c.params.get("index")]
        assert len(set(indexes)) == len(row_ids(screen)) // 10 - 1


async def test_offline_then_back_recovers_by_itself(tmp_path):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen, loaded = await _next_page_fails(pilot, sandbox, "drop")
        await wait_until(pilot, lambda: "offline — retrying in" in screen.email_list.border_subtitle)
        assert row_ids(screen) == loaded
        attempts = len(sandbox.calls)
        # Once the client gave up, the list tries once at 1, 2, 5, 10, 30 s… intervals: a second each step.
        await wait_until(pilot, lambda: len(sandbox.calls) > attempts + 5, "retries by itself", advance=1.0)
        sandbox.faults.always = None
        await wait_until(pilot, lambda: len(row_ids(screen)) > len(loaded), what="recovery")
        await settle(pilot)
        assert "offline" not in screen.email_list.border_subtitle
        assert not screen.email_list.error_panel.display
        assert len(row_ids(screen)) == len(set(row_ids(screen)))


async def test_rate_limit_exhausted_is_explained_in_the_list(tmp_path):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    sandbox.faults.always = "429"
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot)
        panel = screen.email_list.error_panel
        assert panel.error is not None and panel.error.code == "TOO_MANY_REQUESTS"
        assert "rate limit" in str(panel.render()).lower()
        sandbox.faults.always = None
        await pilot.press("R")
        await record_screen(pilot)
        assert len(row_ids(screen)) == 30 and panel.error is None


async def test_empty_record_says_so(tmp_path):
    app, sandbox = demo(LEAD_EMPTY, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot)
        assert row_ids(screen) == []
        assert "No emails on this record." in str(screen.email_list.query_one("#email-list-note").render())
        assert screen.email_list.border_subtitle == "end — 0 emails"
        assert len(list_calls(sandbox)) == 1


async def test_hostile_subject_is_text_and_clicking_it_does_nothing(tmp_path):
    app, sandbox = demo(CONTACT_HOSTILE, tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await record_screen(pilot)
        table = screen.email_list.table
        subject = table.cells_at(0)[COLUMNS.index("subject")]
        assert subject.plain == "[@click=app.quit]x[/]"
        assert not subject.spans or all("click" not in str(s.style) for s in subject.spans)
        for row in range(table.row_count):
            for cell in table.cells_at(row):
                assert "\x1b" not in cell.plain and "\u202e" not in cell.plain
        # Click the subject twice (the second click "selects" the row): the app keeps running.
        region = table.region
        x = region.x + sum(width + 2 * table.cell_padding for width in table.widths[:COLUMNS.index("subject")]) + 3
        await pilot.click(EmailTable, offset=(x - region.x, table.header_height))
        await pilot.click(EmailTable, offset=(x - region.x, table.header_height))
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, RecordScreen)
        assert app.return_code is None


async def test_no_traceback_on_unknown_record(tmp_path):
    app, sandbox = demo(("Leads", "4150868000000999999"), tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot)
        error = screen.email_list.error_panel.error
        assert error is not None and error.code == "INVALID_DATA"
        assert "resource_path_index" in error.details_line()


async def test_opening_another_record_cancels_the_old_requests(tmp_path):
    from tui.zoho.models import Record

    app, sandbox = demo(LEAD_MAIN, tmp_path)
    sandbox.faults.latency_ms = 300
    async with app.run_test(size=(80, 24)) as pilot:
        old = await record_screen(pilot, idle=False)
        await wait_until(pilot, lambda: old.feed.paging, "page one on its way", advance=0)
        in_flight = [w for w in old.workers if w.group == "page"]
        assert in_flight
        app.open_record(Record(*CONTACT_HOSTILE, name="Grace Hopper"))
        await wait_until(pilot, lambda: isinstance(app.screen, RecordScreen) and app.screen is not old)
        new = await record_screen(pilot)
        assert all(w.is_cancelled or w.is_finished for w in in_flight)
        assert not old.is_attached
        # Only the new record's pages were answered and shown.
        assert row_ids(new) == (await expected_ids(CONTACT_HOSTILE))[: len(row_ids(new))]
        old_calls = [c for c in list_calls(sandbox) if LEAD_MAIN[1] in c.path]
        assert len(old_calls) <= 1


async def test_the_list_keeps_the_focus_across_a_filter_whose_first_page_is_slow(tmp_path, monkeypatch):
    """The table is hidden while the new filter's list is empty, and Textual takes the focus from a hidden widget:
    once the page lands, the list has it again (Enter opens, the footer says so)."""
    import asyncio

    from tui.zoho.client import ZohoClient

    released = asyncio.Event()
    list_emails = ZohoClient.list_emails

    async def slow_filtered_page(self, *args, **kwargs):
        if kwargs.get("type") is not None:
            await released.wait()
        return await list_emails(self, *args, **kwargs)

    monkeypatch.setattr(ZohoClient, "list_emails", slow_filtered_page)
    app, _ = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot)
        await open_type_filter(pilot)
        await pilot.press("down", "enter")  # Sent from CRM: its page one is held
        await wait_until(pilot, lambda: app.screen is screen and screen.email_list.count == 0, "the empty list")
        await pilot.pause()
        await pilot.pause()  # a frame with the table hidden: it lost the focus
        released.set()
        await record_screen(pilot)
        assert screen.email_list.count and screen.focused is screen.email_list.table
        assert screen.active_bindings["enter"].binding.action == "open_email"
