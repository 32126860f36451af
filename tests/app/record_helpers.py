"""What the record screen's tests share: a pinned "now", call counting by kind, waits on conditions."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timezone

import pytest
from textual import events
from textual.pilot import Pilot

from tests.app.helpers import make_demo_app, settle
from tui.sandbox.app import Call, Sandbox
from tui.screens.record import RecordScreen
from tui.widgets import email_list

# After every sandbox email (2026-01-05 .. 2026-11-20): rows show "Nov 20 06:44", never a year.
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def pinned_now(monkeypatch):
    """Rows show the year only for other years: pin the year so snapshots do not age."""
    monkeypatch.setattr(email_list, "reference_now", lambda: NOW)


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    """Offline retries wait 20 ms instead of 2, 4, 8… s."""
    monkeypatch.setattr(RecordScreen, "offline_delays", (0.02,))


def is_list_call(call: Call) -> bool:
    return call.path.endswith("/Emails")


def is_detail_call(call: Call) -> bool:
    parts = call.path.rstrip("/").split("/")
    return len(parts) >= 2 and parts[-2] == "Emails" and parts[-1] != "actions"


def list_calls(sandbox: Sandbox) -> list[Call]:
    return [c for c in sandbox.calls if is_list_call(c)]


def detail_calls(sandbox: Sandbox) -> list[Call]:
    return [c for c in sandbox.calls if is_detail_call(c)]


async def wait_until(pilot: Pilot, condition: Callable[[], bool], timeout: float = 5.0, what: str = "") -> None:
    """Pause until `condition()` holds (without waiting for workers: some never finish on purpose)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await asyncio.sleep(0.01)  # not pilot.pause: that waits for the app to go idle


async def record_screen(pilot: Pilot, *, idle: bool = True) -> RecordScreen:
    """The record screen once it is up (and, with `idle`, once its first pages and detail are in)."""
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, RecordScreen), timeout=30, what="the record screen")
    screen = pilot.app.screen
    assert isinstance(screen, RecordScreen)
    if idle:
        await settle(pilot, RecordScreen.detail_delay + 0.1)
        # Each page asks for the next after a refresh while the view is not full, and the detail follows the
        # cursor after a pause: on a loaded machine those come after any fixed wait. Wait for the state itself.
        await wait_until(pilot, lambda: at_rest(screen), timeout=30, what="the record screen to come to rest")
        await settle(pilot)
    return screen


def at_rest(screen: RecordScreen) -> bool:
    """No page out nor wanted, and the email under the cursor (when the pane shows) in full."""
    feed, email_list, view = screen.feed, screen.email_list, screen.detail_view
    if feed.loading or (feed.more and feed.error is None and email_list.near_end):
        return False
    if screen.detail_visible and email_list.cursor_email is not None:
        return view.state in ("detail", "error") and not view.rendering
    return True


async def hold_key(pilot: Pilot, key: str, times: int, interval: float) -> None:
    """A held key: the terminal repeats it every `interval` s, whether or not the app is busy.

    (`pilot.press` waits for the app to go idle after each key, which a terminal never does.)
    """
    for _ in range(times):
        pilot.app.post_message(events.Key(key, key if len(key) == 1 else None))
        await asyncio.sleep(interval)


async def open_type_filter(pilot: Pilot) -> None:
    """Press t and wait for the menu, with its list of owners loaded."""
    from tui.widgets.type_filter import TypeFilterScreen

    await pilot.press("t")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, TypeFilterScreen), what="the type filter menu")
    await settle(pilot)


def demo(start: tuple[str, str], tmp_path, **kw):
    return make_demo_app(start=start, state_dir=tmp_path, **kw)


def row_ids(screen: RecordScreen) -> list[str]:
    return [e.message_id for e in screen.email_list.emails]


def message_id_at(sandbox: Sandbox, record: tuple[str, str], position: int) -> str:
    """The id of the sandbox's email at `position` of the record's mailbox (showcase positions)."""
    data = sandbox.data
    spec = data.record(*record)
    assert spec is not None, record
    return data.mailbox(spec).message_id(position)


async def go_to_position(pilot: Pilot, record: tuple[str, str], position: int) -> int:
    """Put the cursor on the showcase email at `position` in one move (as a click would); returns its row."""
    screen = pilot.app.screen
    assert isinstance(screen, RecordScreen)
    row = row_ids(screen).index(message_id_at(pilot.app.sandbox, record, position))
    table = screen.email_list.table
    table.move_cursor(row=row)
    await wait_until(pilot, lambda: table.cursor_row == row, what=f"the cursor on row {row}")
    return row
