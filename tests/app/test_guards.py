"""The crash class, not the line: every handler, action and watcher of ours is guarded, and a
guarded handler that raises leaves the app running with the bug said on screen."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from textual.message_pump import MessagePump

import tui.screens
import tui.widgets
from tests.app.helpers import make_demo_app
from tests.app.record_helpers import record_screen
from tui.sandbox.data import LEAD_MAIN
from tui.widgets.email_list import EmailList

_HANDLER_PREFIXES = ("on_", "_on_", "action_", "watch_", "_watch_")


def _our_classes():
    for package in (tui.screens, tui.widgets):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if cls.__module__ == module.__name__ and issubclass(cls, MessagePump):
                    yield cls


def _handlers(cls):
    for name, value in vars(cls).items():
        if not callable(value):
            continue
        if name.startswith(_HANDLER_PREFIXES) or hasattr(value, "_textual_on") or name == "check_action":
            yield name, value


def test_every_handler_of_ours_is_guarded():
    unguarded = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in _our_classes()
        for name, value in _handlers(cls)
        if not getattr(value, "__guarded__", False)
    ]
    assert unguarded == []


async def test_a_handler_that_raises_is_a_bug_on_screen_and_the_app_goes_on(tmp_path, monkeypatch):
    app, _ = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot)

        def broken(self, *args):
            raise RuntimeError("a bug in a row")

        monkeypatch.setattr(EmailList, "_email_of", broken)
        await pilot.press("j")
        await pilot.pause()
        assert app.is_running and app.bugs == 1
        assert any("This is a bug" in (n.title or "") for n in app._notifications)
        monkeypatch.undo()
        # The list still takes keys: its message loop was not ended by the exception.
        row = screen.email_list.table.cursor_row
        await pilot.press("j")
        await pilot.pause()
        assert screen.email_list.table.cursor_row == row + 1


@pytest.mark.parametrize("key", ["j", "G", "enter", "escape", "t"])
async def test_keys_on_a_cleared_table_do_nothing_bad(tmp_path, key):
    """A table emptied under the list (the old DataTable then posted RowHighlighted(-1, None)): tolerated."""
    app, _ = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot)
        screen.email_list.table.clear()
        await pilot.press(key)
        await pilot.pause()
        assert app.is_running and app.bugs == 0
