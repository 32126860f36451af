"""The picker beyond one module: ctrl+s searches every module at once (one call each, said first, the results
grouped by module), and a pasted id that is not in the highlighted module is offered for the others."""

from __future__ import annotations

from textual.widgets import Input, OptionList

from tests.app.helpers import make_demo_app, paste, settle, type_text, wait_for_screen
from tests.app.test_picker import DEBOUNCE, note, plain, result_lines, searches
from tui.sandbox.data import CONTACT_HOSTILE
from tui.screens.picker import PickerScreen, TryIn
from tui.screens.record import RecordScreen
from tui.zoho.models import Record


def record_calls(sandbox, record_id: str) -> list:
    return [c for c in sandbox.calls if c.path.rstrip("/").endswith(record_id)]


async def test_ctrl_s_searches_every_module_grouped_with_the_cost_said(tmp_path):
    app, sandbox = make_demo_app(state_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        picker = await wait_for_screen(pilot, PickerScreen)
        await settle(pilot)
        count = len(picker.modules)
        assert count > 4
        await pilot.press("ctrl+s")
        assert picker.everywhere
        assert f"all {count} modules: {count} API calls" in note(picker)
        assert picker.query_one("#query", Input).placeholder.startswith("Search every module")
        before = len(searches(sandbox))
        await type_text(pilot, "Ada")
        await settle(pilot, DEBOUNCE)
        made = searches(sandbox)[before:]
        # One search per module, each a call of its own.
        assert sorted(c.path.split("/")[-2] for c in made) == sorted(m.api_name for m in picker.modules)
        assert len(made) == count
        assert f"· {count} API calls" in note(picker) and "modules match “Ada”" in note(picker)
        results = picker.query_one("#results", OptionList)
        # Grouped: a heading (not selectable) for each module with a match, its records below it.
        headings = [i for i, c in enumerate(picker.choices) if c is None]
        assert headings and headings[0] == 0
        for i in headings:
            assert results.get_option_at_index(i).disabled
        modules_in_order = []
        for choice in picker.choices:
            if isinstance(choice, Record) and choice.module not in modules_in_order:
                modules_in_order.append(choice.module)
        assert len(modules_in_order) >= 2, result_lines(picker)
        lines = result_lines(picker)
        assert any(line.startswith("Leads") for line in lines) and any(line.startswith("Contacts") for line in lines)
        # Enter opens the highlighted record (the heading is skipped).
        highlighted = picker.choices[results.highlighted]
        assert isinstance(highlighted, Record)
        await pilot.press("enter")
        screen = await wait_for_screen(pilot, RecordScreen)
        assert screen.record.id == highlighted.id


async def test_ctrl_s_again_searches_one_module(tmp_path):
    app, sandbox = make_demo_app(state_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        picker = await wait_for_screen(pilot, PickerScreen)
        await settle(pilot)
        await pilot.press("ctrl+s", "ctrl+s")
        assert not picker.everywhere
        before = len(searches(sandbox))
        await type_text(pilot, "Ada")
        await settle(pilot, DEBOUNCE)
        assert [c.path for c in searches(sandbox)[before:]] == ["/crm/v8/Leads/search"]


async def test_a_pasted_id_of_another_module_is_offered_for_the_others(tmp_path):
    app, sandbox = make_demo_app(state_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        picker = await wait_for_screen(pilot, PickerScreen)
        await settle(pilot)
        assert picker.module.api_name == "Leads"
        # A Contact's id with Leads highlighted: Zoho has no such Lead (HTTP 204), so nothing opens.
        await paste(pilot, CONTACT_HOSTILE[1])
        await settle(pilot, DEBOUNCE)
        assert isinstance(app.screen, PickerScreen)
        assert [c.path for c in record_calls(sandbox, CONTACT_HOSTILE[1])] == [f"/crm/v8/Leads/{CONTACT_HOSTILE[1]}"]
        assert f"Not a Lead: which module is {CONTACT_HOSTILE[1]} in?" in note(picker)
        offers = [c for c in picker.choices if isinstance(c, TryIn)]
        assert [o.module.api_name for o in offers] == [m.api_name for m in picker.modules if m.api_name != "Leads"]
        first = plain(picker.query_one("#results", OptionList).get_option_at_index(0).prompt)
        assert first == "Contacts · look here (1 API call)"
        # The first offer is Contacts: Enter tries it there (one call) and opens it.
        await pilot.press("enter")
        screen = await wait_for_screen(pilot, RecordScreen)
        assert (screen.record.module, screen.record.id) == CONTACT_HOSTILE and screen.record.name == "Grace Hopper"
        assert [c.path for c in record_calls(sandbox, CONTACT_HOSTILE[1])] == [
            f"/crm/v8/Leads/{CONTACT_HOSTILE[1]}",
            f"/crm/v8/Contacts/{CONTACT_HOSTILE[1]}",
        ]
        # Never the INVALID_DATA of the emails of a Lead that does not exist.
        assert not [c for c in sandbox.calls if c.path == f"/crm/v8/Leads/{CONTACT_HOSTILE[1]}/Emails"]


async def test_a_second_miss_offers_only_the_modules_not_tried(tmp_path):
    app, sandbox = make_demo_app(state_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        picker = await wait_for_screen(pilot, PickerScreen)
        await settle(pilot)
        await paste(pilot, CONTACT_HOSTILE[1])
        await settle(pilot, DEBOUNCE)
        accounts = next(i for i, c in enumerate(picker.choices) if isinstance(c, TryIn) and c.module.api_name == "Accounts")
        picker.query_one("#results", OptionList).highlighted = accounts
        picker.query_one("#results", OptionList).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PickerScreen)
        assert "Not in Leads or Accounts either: which module is it in?" in note(picker)
        offered = [c.module.api_name for c in picker.choices if isinstance(c, TryIn)]
        assert "Leads" not in offered and "Accounts" not in offered and "Contacts" in offered

