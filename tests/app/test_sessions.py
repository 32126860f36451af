"""Nothing read twice in a launch: reopening a record, the picker's first records, the module list."""

from __future__ import annotations

from tests.app.helpers import make_demo_app, paste, settle, wait_for_screen, wait_until
from tests.app.record_helpers import detail_calls, list_calls, record_screen, row_ids
from tui.sandbox.data import CONTACT_HOSTILE, CUSTOM_MAIN, LEAD_MAIN
from tui.screens.picker import PickerScreen
from tui.screens.record import RecordScreen
from tui.zoho.models import Record


async def _open_by_pasting(pilot, record_id: str) -> RecordScreen:
    """o, paste the id, and wait for its record screen: what a person does to reopen a record."""
    old = pilot.app.screen
    await pilot.press("o")
    await wait_for_screen(pilot, PickerScreen)
    await paste(pilot, record_id)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, RecordScreen) and pilot.app.screen is not old)
    return await record_screen(pilot)


async def test_reopening_the_open_record_costs_no_call(tmp_path):
    app, sandbox = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        first = await record_screen(pilot)
        for _ in range(12):
            await pilot.press("j")
        await settle(pilot)
        rows, cursor = row_ids(first), first.email_list.cursor_email.message_id
        lists, details = len(list_calls(sandbox)), len(detail_calls(sandbox))
        for _ in range(3):
            again = await _open_by_pasting(pilot, LEAD_MAIN[1])
            assert again is not first
            assert row_ids(again) == rows and again.email_list.cursor_email.message_id == cursor
            assert again.detail_view.state == "detail" and again.detail_view.message_id == cursor
        assert len(list_calls(sandbox)) == lists and len(detail_calls(sandbox)) == details
        # The record's own name is known too: pasting its id again asked nothing.
        assert sandbox.count(lambda c: c.path.endswith(f"/Leads/{LEAD_MAIN[1]}")) == 1


async def test_another_record_and_back_costs_no_call_for_the_first(tmp_path):
    app, sandbox = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await record_screen(pilot)
        lead_calls = sandbox.count(lambda c: LEAD_MAIN[1] in c.path)
        app.open_record(Record(*CONTACT_HOSTILE, name="Grace Hopper"))
        await wait_until(pilot, lambda: isinstance(app.screen, RecordScreen) and app.screen.record.id == CONTACT_HOSTILE[1])
        await record_screen(pilot)
        app.open_record(Record(*LEAD_MAIN, name="Ada Lovelace"))
        await wait_until(pilot, lambda: isinstance(app.screen, RecordScreen) and app.screen.record.id == LEAD_MAIN[1])
        await record_screen(pilot)
        assert sandbox.count(lambda c: LEAD_MAIN[1] in c.path) == lead_calls


async def test_the_picker_reads_a_module_once_a_launch(tmp_path):
    app, sandbox = make_demo_app(state_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, PickerScreen)
        firsts = sandbox.count("/Leads")
        assert firsts == 1 and sandbox.count("/settings/modules") == 1
        app.open_record(Record(*LEAD_MAIN, name="Ada Lovelace"))
        await record_screen(pilot)
        for _ in range(3):
            await pilot.press("o")
            await wait_for_screen(pilot, PickerScreen)
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, RecordScreen))
        assert sandbox.count("/Leads") == firsts and sandbox.count("/settings/modules") == 1


async def test_a_custom_module_reads_the_module_list_once(tmp_path):
    app, sandbox = make_demo_app(start=CUSTOM_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot)
        assert screen.record.name == "Apollo Guidance"
        for _ in range(2):
            app.open_record_by_id(*CUSTOM_MAIN)  # as a pasted CRM link of the record does
            await wait_until(pilot, lambda: app.screen is not screen and isinstance(app.screen, RecordScreen))
            screen = await record_screen(pilot)
            assert screen.record.name == "Apollo Guidance"
        assert sandbox.count("/settings/modules") == 1
