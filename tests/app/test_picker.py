"""The record picker against the sandbox: modules, debounced search, paste, recents, errors, switching."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from textual.widgets import Input, OptionList, Static

from tests.app.helpers import make_app_on, make_demo_app, paste, settle, type_text, wait_for_screen
from tests.app.record_helpers import wait_until
from tui.sandbox.app import Sandbox
from tui.sandbox.data import CONTACT_HOSTILE, CUSTOM_MAIN, DEAL_MAIN, DEFAULT_SEED, LEAD_MAIN, ORG_DOMAIN_NAME
from tui.session.directory import OrgDirectory
from tui.screens.picker import SEARCH_DELAY_S, PickerScreen
from tui.screens.record import RecordScreen
from tui.widgets.error_panel import ErrorPanel
from tui.zoho.catalog import SCOPES, STANDARD_MODULES
from tui.zoho.errors import RateLimitedError, ZohoAPIError
from tui.zoho.models import Record

DEBOUNCE = SEARCH_DELAY_S + 0.2


def searches(sandbox) -> list:
    return [c for c in sandbox.calls if c.path.endswith("/search")]


def plain(renderable, width: int = 90) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    with console.capture() as capture:
        console.print(renderable)
    return capture.get().rstrip()


def result_lines(screen: PickerScreen) -> list[str]:
    """The results as the person reads them, one line each."""
    results = screen.query_one("#results", OptionList)
    return [plain(results.get_option_at_index(i).prompt) for i in range(results.option_count)]


def note(screen: PickerScreen) -> str:
    return str(screen.query_one("#note", Static).render())


async def test_lists_the_modules_that_have_emails(tmp_path):
    app, _ = make_demo_app(state_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        picker = await wait_for_screen(pilot, PickerScreen)
        names = [m.api_name for m in picker.modules]
        assert names == ["Leads", "Contacts", "Accounts", "Deals", "Quotes", "Sales_Orders", "Purchase_Orders",
                         "Invoices", "Projects"]
        labels = picker.query_one("#modules", OptionList)
        assert plain(labels.get_option_at_index(8).prompt) == "Projects  custom"
        # No recent records yet: the first Leads are listed.
        assert "The first Leads" in note(picker)
        assert len(result_lines(picker)) > 3


async def test_typing_searches_once_after_the_pause(tmp_path):
    app, sandbox = make_demo_app(state_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        picker = await wait_for_screen(pilot, PickerScreen)
        await type_text(pilot, "Ada L")
        assert searches(sandbox) == []  # still inside the pause
        await settle(pilot, DEBOUNCE)
        calls = searches(sandbox)
        assert len(calls) == 1
        assert calls[0].params["word"] == "Ada L"
        assert calls[0].path.endswith("/Leads/search")
        assert any(line.startswith("Ada Lovelace") for line in result_lines(picker))
        assert note(picker) == "1 Lead matches “Ada L”"


async def test_ada_finds_ada_lovelace_and_enter_opens_it(tmp_path):
    app, sandbox = make_demo_app(state_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        picker = await wait_for_screen(pilot, PickerScreen)
        await type_text(pilot, "Ada")
        await settle(pilot, DEBOUNCE)
        assert len(searches(sandbox)) == 1
        lines = result_lines(picker)
        assert lines[0].startswith("Ada Lovelace")
        await pilot.press("enter")
        screen = await wait_for_screen(pilot, RecordScreen)
        assert (screen.record.module, screen.record.id) == LEAD_MAIN
        assert screen.record.name == "Ada Lovelace"


async def test_arrow_keys_from_the_search_box_pick_another_result(tmp_path):
    app, _ = make_demo_app(state_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        picker = await wait_for_screen(pilot, PickerScreen)
        await type_text(pilot, "Ada")
        await settle(pilot, DEBOUNCE)
        assert isinstance(app.focused, Input)
        await pilot.press("down")
        second = picker.records[1]
        await pilot.press("enter")
        screen = await wait_for_screen(pilot, RecordScreen)
        assert screen.record == second


async def test_enter_before_the_pause_searches_and_opens_the_best_match(tmp_path):
    app, sandbox = make_demo_app(state_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, PickerScreen)
        await type_text(pilot, "Adam")
        await pilot.press("enter")
        screen = await wait_for_screen(pilot, RecordScreen)
        assert screen.record.name == "Adam Ashford"
        assert len(searches(sandbox)) == 1


async def test_no_match_says_so(tmp_path):
    app, _ = make_demo_app(state_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        picker = await wait_for_screen(pilot, PickerScreen)
        await type_text(pilot, "xyzzy")
        await settle(pilot, DEBOUNCE)
        assert result_lines(picker) == []
        assert note(picker) == "No Leads match “xyzzy” · shift+tab: another module"


async def test_search_in_another_module(tmp_path):
    app, sandbox = make_demo_app(state_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        picker = await wait_for_screen(pilot, PickerScreen)
        await pilot.press("shift+tab")  # the module list
        assert app.focused is picker.query_one("#modules")
        await pilot.press("down", "down", "down")  # Deals
        await settle(pilot, DEBOUNCE)
        assert picker.module.api_name == "Deals"
        assert "The first Deals" in note(picker)
        await pilot.press("tab")
        assert isinstance(app.focused, Input)
        await type_text(pilot, "Difference")
        await settle(pilot, DEBOUNCE)
        assert searches(sandbox)[-1].path.endswith("/Deals/search")
        assert result_lines(picker)[0].startswith("Difference Engine Upgrade")
        await pilot.press("tab")  # the results
        assert app.focused is picker.query_one("#results")
        await pilot.press("enter")
        screen = await wait_for_screen(pilot, RecordScreen)
        assert (screen.record.module, screen.record.id) == DEAL_MAIN


async def test_custom_modules_search_by_their_display_field(tmp_path):
    app, sandbox = make_demo_app(state_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        picker = await wait_for_screen(pilot, PickerScreen)
        modules = picker.query_one("#modules", OptionList)
        modules.highlighted = 8
        await settle(pilot, DEBOUNCE)
        assert picker.module.api_name == "Projects"
        picker.query_one("#query", Input).focus()
        await type_text(pilot, "Apollo")
        await settle(pilot, DEBOUNCE)
        call = searches(sandbox)[-1]
        assert call.path.endswith("/Projects/search")
        assert "Name" in call.params["fields"].split(",")
        assert picker.records[0].id == CUSTOM_MAIN[1]


async def test_pasting_a_record_id_opens_it(tmp_path):
    app, sandbox = make_demo_app(state_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, PickerScreen)
        await paste(pilot, LEAD_MAIN[1])
        screen = await wait_for_screen(pilot, RecordScreen)
        assert (screen.record.module, screen.record.id) == LEAD_MAIN
        assert screen.record.name == "Ada Lovelace"  # fetched by id
        assert searches(sandbox) == []


@pytest.mark.parametrize(
    "tab, target, name",
    [("Contacts", CONTACT_HOSTILE, "Grace Hopper"), ("CustomModule1", CUSTOM_MAIN, "Apollo Guidance")],
    ids=["standard", "custom"],
)
async def test_pasting_a_crm_link_opens_its_module_and_record(tmp_path, tab, target, name):
    app, _ = make_demo_app(state_dir=tmp_path)
    url = f"https://crm.zoho.com/crm/{ORG_DOMAIN_NAME}/tab/{tab}/{target[1]}"
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, PickerScreen)
        await paste(pilot, url)
        screen = await wait_for_screen(pilot, RecordScreen)
        assert (screen.record.module, screen.record.id) == target
        assert screen.record.name == name


async def test_recent_records_survive_a_restart(tmp_path):
    app, _ = make_demo_app(state_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, PickerScreen)
        await paste(pilot, f"https://crm.zoho.com/crm/{ORG_DOMAIN_NAME}/tab/Contacts/{CONTACT_HOSTILE[1]}")
        await wait_for_screen(pilot, RecordScreen)
        app.open_record(Record(*DEAL_MAIN, "Difference Engine Upgrade"))
        await wait_for_screen(pilot, RecordScreen)
        await settle(pilot)
    assert (tmp_path / "store.sqlite3").exists()  # the recent records are kept in the local store

    app, sandbox = make_demo_app(state_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        picker = await wait_for_screen(pilot, PickerScreen)
        assert [r.name for r in app.recent_records] == ["Difference Engine Upgrade", "Grace Hopper"]
        lines = result_lines(picker)
        assert lines[0].startswith("Difference Engine Upgrade") and lines[0].endswith("Deal")
        assert lines[1].startswith("Grace Hopper") and lines[1].endswith("Contact")
        assert note(picker).startswith("Recent records")
        # The recents cost no call; the module list is the only one.
        assert [c.path.rsplit("/", 2)[-2:] for c in sandbox.calls] == [["settings", "modules"]]
        await pilot.press("down", "enter")
        screen = await wait_for_screen(pilot, RecordScreen)
        assert screen.record.name == "Grace Hopper"


async def test_module_list_falls_back_to_the_standard_eight_without_the_scope(tmp_path):
    without = [s for s in SCOPES if s != "ZohoCRM.settings.modules.READ"]
    app = make_app_on(Sandbox(DEFAULT_SEED, scopes=without), state_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        picker = await wait_for_screen(pilot, PickerScreen)
        assert [m.api_name for m in picker.modules] == [m.api_name for m in STANDARD_MODULES]
        assert "Standard modules only" in str(picker.query_one("#modules-note", Static).render())
        assert not picker.query_one(ErrorPanel).has_class("-visible")
        # Searching still works with the search scope.
        await type_text(pilot, "Ada")
        await settle(pilot, DEBOUNCE)
        assert result_lines(picker)[0].startswith("Ada Lovelace")


async def test_module_list_falls_back_when_the_client_raises_the_scope_error(tmp_path):
    app, _ = make_demo_app(state_dir=tmp_path)

    async def no_scope():
        raise ZohoAPIError("OAUTH_SCOPE_MISMATCH", "invalid oauth scope to access this URL", status=401)

    async with app.run_test(size=(100, 30)) as pilot:
        picker = await wait_for_screen(pilot, PickerScreen)
        app.client.modules = no_scope  # type: ignore[method-assign]
        app.directory = OrgDirectory(app.client)  # forget the list read at start
        picker.load_modules()
        await settle(pilot)
        assert [m.api_name for m in picker.modules] == [m.api_name for m in STANDARD_MODULES]
        assert "Standard modules only" in str(picker.query_one("#modules-note", Static).render())


async def test_search_scope_missing_says_which_scope(tmp_path):
    without = [s for s in SCOPES if s != "ZohoSearch.securesearch.READ"]
    app = make_app_on(Sandbox(DEFAULT_SEED, scopes=without), state_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        picker = await wait_for_screen(pilot, PickerScreen)
        await type_text(pilot, "Ada")
        await settle(pilot, DEBOUNCE)
        shown = str(picker.query_one(ErrorPanel).render())
        assert "OAUTH_SCOPE_MISMATCH" in shown and "What to do:" in shown
        assert isinstance(app.screen, PickerScreen)  # a missing scope is not a login problem


async def test_search_errors_show_with_their_hint_and_the_next_search_clears_them(tmp_path):
    app, _ = make_demo_app(state_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        picker = await wait_for_screen(pilot, PickerScreen)
        real_search = app.client.search_records

        async def rate_limited(*args, **kwargs):
            raise RateLimitedError("TOO_MANY_REQUESTS", "API limit exceeded", status=429)

        app.client.search_records = rate_limited  # type: ignore[method-assign]
        await type_text(pilot, "Ada")
        await settle(pilot, DEBOUNCE)
        panel = picker.query_one(ErrorPanel)
        assert panel.has_class("-visible")
        shown = str(panel.render())
        assert "TOO_MANY_REQUESTS" in shown and "rate limit" in shown
        app.client.search_records = real_search  # type: ignore[method-assign]
        await type_text(pilot, "m")
        await settle(pilot, DEBOUNCE)
        assert not panel.has_class("-visible")
        assert result_lines(picker)[0].startswith("Adam Ashford")


async def test_offline_search_says_so_and_recovers(tmp_path):
    app, sandbox = make_demo_app(state_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        picker = await wait_for_screen(pilot, PickerScreen)
        sandbox.faults.always = "drop"
        await type_text(pilot, "Ada")
        await settle(pilot, DEBOUNCE)
        # The error reaches the app as a message after the search gave up: wait for it, not for a fixed time.
        await wait_until(pilot, lambda: "NETWORK" in str(picker.query_one(ErrorPanel).render()), timeout=30)
        # The client gave up and the search does not retry by itself: the status line says since when, not "retrying".
        await wait_until(pilot, lambda: app.connection_note.startswith("offline since "), timeout=30,
                         what="the retry note to end")
        sandbox.faults.always = None
        await type_text(pilot, "m")
        await settle(pilot, DEBOUNCE)
        await wait_until(pilot, lambda: any(r.startswith("Adam Ashford") for r in result_lines(picker)[:1]), timeout=30)
        assert app.connection_note == ""


async def test_o_returns_to_the_picker_and_escape_back_to_the_record(tmp_path):
    app, sandbox = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        record = await wait_for_screen(pilot, RecordScreen)
        await pilot.press("o")
        picker = await wait_for_screen(pilot, PickerScreen)
        assert isinstance(app.focused, Input)
        assert note(picker).startswith("Recent records")
        await pilot.press("escape")
        assert app.screen is record
        await pilot.press("o")
        await wait_for_screen(pilot, PickerScreen)
        # The module list is read once a session, not each time the picker opens.
        assert sandbox.count("/settings/modules") == 1


async def test_a_new_record_replaces_the_old_one_and_cancels_its_work(tmp_path):
    app, sandbox = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        old = await wait_for_screen(pilot, RecordScreen)
        sandbox.faults.latency_ms = 2000  # the old record's next requests hang
        await pilot.press("r")  # refresh: a request in flight
        await pilot.pause(0.05)
        old_workers = [w for w in app.workers if w.node is old]
        sandbox.faults.latency_ms = 0
        await pilot.press("o")
        await wait_for_screen(pilot, PickerScreen)
        await type_text(pilot, "Adam")
        await pilot.press("enter")
        new = await wait_for_screen(pilot, RecordScreen)
        assert new is not old and new.record.name == "Adam Ashford"
        assert app.screen_stack[1:] == [new]
        assert not old.is_attached
        assert all(w.is_cancelled or w.is_finished for w in old_workers)
        assert not [w for w in app.workers if w.node is old]


async def test_a_failed_module_list_falls_back_and_o_tries_again(tmp_path):
    app, sandbox = make_demo_app(state_dir=tmp_path)
    sandbox.faults.always = "500"
    async with app.run_test(size=(100, 30)) as pilot:
        picker = await wait_for_screen(pilot, PickerScreen)
        assert [m.api_name for m in picker.modules] == [m.api_name for m in STANDARD_MODULES]
        panel = picker.query_one(ErrorPanel)
        assert panel.has_class("-visible") and "INTERNAL_SERVER_ERROR" in str(panel.render())
        assert "o tries again" in str(picker.query_one("#modules-note", Static).render())
        sandbox.faults.always = None
        picker.query_one("#results", OptionList).focus()
        await pilot.press("o")
        await settle(pilot)
        assert [m.api_name for m in picker.modules][-1] == "Projects"
        assert not panel.has_class("-visible")
        assert result_lines(picker)[0].startswith("Nora Empty")


async def test_enter_then_escape_at_once_keeps_a_record_on_screen(tmp_path):
    """Keys sent faster than the screens change: Escape reaches the picker the record screen replaced."""
    from textual import events

    app, sandbox = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, RecordScreen)
        await pilot.press("o")
        await wait_for_screen(pilot, PickerScreen)
        app.post_message(events.Key("enter", "\r"))  # opens the recent record, replacing the picker
        app.post_message(events.Key("escape", "\x1b"))
        await settle(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, RecordScreen), "a record on screen")
        assert len(app.screen_stack) == 2
