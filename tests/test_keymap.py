"""A user keymap: keymap.toml's binding ids to keys, over the defaults; a bad file is a notice, never a crash;
the README's list of ids is the code's."""

from __future__ import annotations

import re
from pathlib import Path

from tests.app.helpers import make_demo_app, settle
from tests.app.record_helpers import list_calls, record_screen
from tui.keymap import binding_ids, ids_table, read_keymap
from tui.sandbox.data import LEAD_TEN

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def test_the_readme_lists_every_binding_id():
    found = re.search(r"<!-- keymap ids -->\n(.*?)\n<!-- /keymap ids -->", README, flags=re.DOTALL)
    assert found, "the README's keymap section lost its markers"
    assert found[1] == ids_table(), "the README's ids are stale: paste the output of `python -m tui.keymap`"


def test_ids_come_from_the_code():
    ids = binding_ids()
    assert {"record.refresh", "email_list.down", "app.quit", "picker.all_modules", "scroll.top"} <= set(ids)
    assert len(ids) == len(set(ids))


def test_a_good_file(tmp_path):
    path = tmp_path / "keymap.toml"
    path.write_text('"record.refresh" = "f5"\n"email_list.down" = ["j", "down", "ctrl+n"]\n')
    assert read_keymap(path) == ({"record.refresh": "f5", "email_list.down": "j,down,ctrl+n"}, None)
    assert read_keymap(tmp_path / "none.toml") == ({}, None)


def test_bad_files_say_what_is_wrong(tmp_path):
    path = tmp_path / "keymap.toml"
    path.write_text('"record.refresh" = \n')
    keymap, problem = read_keymap(path)
    assert keymap == {} and problem is not None and "is not valid TOML" in problem
    path.write_text('"record.refresh" = "f5"\n"record.refrsh" = "f6"\n"email_list.down" = 3\n')
    keymap, problem = read_keymap(path)
    assert keymap == {"record.refresh": "f5"}
    assert problem is not None and "no binding has the id record.refrsh" in problem and "email_list.down:" in problem
    path.write_bytes(b"\xff\xfe\x00")
    assert read_keymap(path)[1] is not None


async def test_the_app_uses_the_keymap(tmp_path):
    (tmp_path / "keymap.toml").write_text('"record.refresh" = "f5"\n')
    app, sandbox = make_demo_app(start=LEAD_TEN, state_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await record_screen(pilot)
        before = len(list_calls(sandbox))
        await pilot.press("r")
        await settle(pilot)
        assert len(list_calls(sandbox)) == before  # r is no longer refresh
        await pilot.press("f5")
        await settle(pilot)
        assert len(list_calls(sandbox)) == before + 1
        assert not app._notifications


async def test_a_bad_keymap_is_a_notice_and_the_app_runs(tmp_path):
    (tmp_path / "keymap.toml").write_text("this is not toml = = =\n")
    app, sandbox = make_demo_app(start=LEAD_TEN, state_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await record_screen(pilot)
        notices = list(app._notifications)
        assert len(notices) == 1 and notices[0].title == "Your keymap" and notices[0].severity == "warning"
        assert "the default keys are used" in notices[0].message
        before = len(list_calls(sandbox))
        await pilot.press("r")
        await settle(pilot)
        assert len(list_calls(sandbox)) == before + 1
