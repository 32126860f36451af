"""What the record screen's tests share: call counting by kind, waits on conditions, held keys.

"Now" is the virtual clock's (tests.support.clock.FIXED_NOW, after every sandbox email:
rows show "Nov 20 06:44", never a year), so snapshots do not age.
"""

from __future__ import annotations

import asyncio
from textual import events
from textual.pilot import Pilot

from tests.app.helpers import make_demo_app, settle, type_text, wait_for_screen, wait_until
from tui.sandbox.app import Call, Sandbox
from tui.sandbox.data import LEAD_MAIN
from tui.screens.record import RecordScreen
from tui.widgets.email_list import EmailList


def is_list_call(call: Call) -> bool:
    return call.path.endswith("/Emails")


def is_detail_call(call: Call) -> bool:
    parts = call.path.rstrip("/").split("/")
    return len(parts) >= 2 and parts[-2] == "Emails" and parts[-1] != "actions"


def list_calls(sandbox: Sandbox) -> list[Call]:
    return [c for c in sandbox.calls if is_list_call(c)]


def detail_calls(sandbox: Sandbox) -> list[Call]:
    return [c for c in sandbox.calls if is_detail_call(c)]


async def record_screen(pilot: Pilot, *, idle: bool = True) -> RecordScreen:
    """The record screen once it is up (and, with `idle`, once its first pages and detail are in)."""
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, RecordScreen), "the record screen")
    screen = pilot.app.screen
    assert isinstance(screen, RecordScreen)
    if idle:
        # Each page asks for the next after a refresh while the view is not full, and the detail follows the
        # cursor after a pause: wait for the state itself.
        await wait_until(pilot, lambda: at_rest(screen), "the record screen to come to rest")
        await settle(pilot)
    return screen


def at_rest(screen: RecordScreen) -> bool:
    """No page out nor wanted, and the email under the cursor (when the pane shows) in full."""
    if not screen.is_mounted or not screen.query(EmailList):
        return False  # not composed yet
    feed, email_list, view = screen.feed, screen.email_list, screen.detail_view
    # A list waiting to retry a failure is at rest: its next try is on the clock.
    busy = (feed.paging or feed.refreshing) and not feed.waiting
    if busy or (feed.can_load_more and email_list.near_end):
        return False
    if screen.detail_visible and email_list.cursor_email is not None:
        return view.state in ("detail", "error") and not view.rendering
    return True


async def hold_key(pilot: Pilot, key: str, times: int, interval: float) -> None:
    """A held key: the terminal repeats it every `interval` (virtual) s, whether or not the app is busy.

    (`pilot.press` waits for the app to go idle after each key, which a terminal never does.)
    """
    clock = pilot.app.clock
    for _ in range(times):
        pilot.app.post_message(events.Key(key, key if len(key) == 1 else None))
        await clock.advance(interval)


async def open_type_filter(pilot: Pilot) -> None:
    """Press t and wait for the menu, with its list of owners loaded."""
    from tui.screens.type_filter import TypeFilterScreen

    await pilot.press("t")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, TypeFilterScreen), "the type filter menu")
    await settle(pilot)


def demo(start: tuple[str, str], tmp_path, **kw):
    return make_demo_app(start=start, state_dir=tmp_path, **kw)


def hold_page_one(monkeypatch, record_id: str | None = None) -> asyncio.Event:
    """Page one (of `record_id`, or of any record) is answered only once the event returned is set."""
    from tui.zoho.client import ZohoClient

    released = asyncio.Event()
    list_emails = ZohoClient.list_emails

    async def held(self, module, record, **kwargs):
        if kwargs.get("index") is None and record_id in (None, record):
            await released.wait()
        return await list_emails(self, module, record, **kwargs)

    monkeypatch.setattr(ZohoClient, "list_emails", held)
    return released


def hold_store_top(monkeypatch) -> asyncio.Event:
    """The store's top of a list is read only once the event returned is set; the start does not wait for it."""
    from tui.session.keeper import RecordKeeper

    released = asyncio.Event()
    load = RecordKeeper.load

    async def held(self, *args, **kwargs):
        await released.wait()
        return await load(self, *args, **kwargs)

    monkeypatch.setattr(RecordKeeper, "load", held)
    monkeypatch.setattr("tui.app.STORE_TOP_PATIENCE_S", 0.0)
    return released


def listed_at_mount(monkeypatch) -> list[int]:
    """How many emails each record screen's list held when it mounted (what its first frame can draw)."""
    counts: list[int] = []
    on_mount = RecordScreen.on_mount

    def counting_mount(self: RecordScreen) -> None:
        counts.append(self.feed.known)
        return on_mount(self)

    monkeypatch.setattr(RecordScreen, "on_mount", counting_mount)
    return counts


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
    await wait_until(pilot, lambda: table.cursor_row == row, f"the cursor on row {row}")
    return row


async def read_and_quit(tmp_path, record: tuple[str, str] = LEAD_MAIN, pages: int = 3, size=(80, 24)) -> list[str]:
    """One launch before the one a test looks at: open `record`, read about `pages` pages, quit (the store
    in `tmp_path` keeps them); what was listed."""
    app, _ = make_demo_app(start=record, state_dir=tmp_path)
    async with app.run_test(size=size) as pilot:
        screen = await record_screen(pilot)
        while screen.feed.count < pages * 10 and screen.feed.more:
            await pilot.press("pagedown")
            screen = await record_screen(pilot)
        return row_ids(screen)


async def steady(pilot: Pilot) -> None:
    """Everything loaded and drawn; the status line's call counter caught up (for pictures)."""
    await settle(pilot)
    await settle(pilot)
    pilot.app.api_calls = pilot.app.client.calls  # type: ignore[attr-defined]


async def mark_three(pilot: Pilot) -> None:
    """Row 1 flagged with a note, row 2 done, row 4 to do; the cursor back on row 1."""
    from tui.screens.mark_menu import MarkMenu
    from tui.screens.mark_note import MarkNoteScreen

    await record_screen(pilot)
    for keys in (("m", "f"), ("j", "m", "d"), ("j", "j", "m", "t")):
        for key in keys:
            await pilot.press(key)
            if key == "m":
                await wait_for_screen(pilot, MarkMenu)
        await wait_for_screen(pilot, RecordScreen)
    await pilot.press("g", "M")
    await wait_for_screen(pilot, MarkNoteScreen)
    await type_text(pilot, "call back Monday")
    await pilot.press("enter")
    await wait_for_screen(pilot, RecordScreen)
    await steady(pilot)


def in_conversations(*keys: str):
    """`c`, the conversations drawn, then `keys` (each let settle): a `run_before` for pictures."""

    async def run_before(pilot: Pilot) -> None:
        screen = await record_screen(pilot)
        await pilot.press("c")
        await wait_until(pilot, lambda: screen.conversation_table.row_count > 0, "the conversations")
        await steady(pilot)
        for key in keys:
            await pilot.press(key)
            await steady(pilot)

    return run_before
