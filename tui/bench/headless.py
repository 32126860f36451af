"""The app under `App.run_test`, on the real clock, driven and timed from inside its event loop.

- `demo_app`: the real `CrmEmailsApp` on the in-process sandbox (no virtual clock: the
  figures are real seconds).
- `open_with_emails`: a record opened with its emails already in its session, as reopening
  a record paints from memory (a list of 50,000 loads in one go, not through 5,000 calls).
- `Frames`: when the app painted. `App._display` receives every frame the compositor
  makes, headless too (it only skips writing them to a terminal), so "on screen" means
  a frame was made after the change.
- `cpu_per_press`: CPU seconds of one key press less the same number of presses of a key
  nothing is bound to: `Pilot.press` costs 40–60 ms of its own (it waits for the process to
  go idle), which a person's key press does not.
"""

from __future__ import annotations

import asyncio
import gc
import time
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.pilot import Pilot
from textual.screen import Screen
from textual.worker import WorkerState

if TYPE_CHECKING:
    from tui.app import CrmEmailsApp
    from tui.sandbox.app import Sandbox
    from tui.screens.record import RecordScreen
    from tui.zoho.models import Email, Record

UNBOUND_KEY = "f19"  # nothing in the app or in Textual binds it
PATIENCE_S = 120.0


class Frames:
    """The times the app made a frame, and of which screen."""

    def __init__(self, app: Any) -> None:
        self.made: list[tuple[float, Screen[Any]]] = []
        display = app._display  # noqa: SLF001 - the one place every frame passes, headless included

        def timed(screen: Screen[Any], renderable: Any) -> None:
            display(screen, renderable)
            if renderable is not None:
                self.made.append((time.perf_counter(), screen))

        app._display = timed

    def first_after(self, start: float, screen: Screen[Any] | None = None) -> float | None:
        for made, shown in self.made:
            if made >= start and (screen is None or shown is screen):
                return made
        return None

    async def next_after(self, start: float, screen: Screen[Any] | None = None, *, timeout: float = 10.0) -> float:
        """When the first frame (of `screen`) after `start` was made: waits for it."""
        deadline = time.perf_counter() + timeout
        while (made := self.first_after(start, screen)) is None:
            if time.perf_counter() > deadline:
                raise TimeoutError("no frame was made")
            await asyncio.sleep(0.001)
        return made

    def forget(self) -> None:
        self.made.clear()


@asynccontextmanager
async def demo_app(
    folder: Path, size: tuple[int, int], *, start: tuple[str, str] | None = None
) -> AsyncIterator[tuple[CrmEmailsApp, Pilot[Any], Sandbox]]:
    """The app on the in-process sandbox, at `size`, on the system clock, with a store of its own in `folder`
    (a new file each time: every run reads from the network sandbox, and keeps what it reads as the app does)."""
    from tui.app import CrmEmailsApp
    from tui.connect import demo_client

    client, sandbox = demo_client()

    async def connect() -> Any:
        return client

    app = CrmEmailsApp(connect, start=start, demo=True, store_path=folder / f"store-{uuid.uuid4().hex}.sqlite3")
    async with app.run_test(size=size) as pilot:
        await until(lambda: app.client is not None and len(app.screen_stack) > 1, "the app to connect")
        await rest(app, pilot)
        yield app, pilot, sandbox


async def until(condition: Callable[[], bool], what: str, *, timeout: float = PATIENCE_S) -> float:
    """Wait for `condition`; the time it was last seen false (a frame after that shows the change)."""
    start = time.perf_counter()
    deadline = start + timeout
    last_false = start
    while not condition():
        last_false = time.perf_counter()
        if last_false > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await asyncio.sleep(0.001)
    return last_false


def busy_workers(app: Any) -> list[Any]:
    return [w for w in app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING)]


async def rest(app: Any, pilot: Pilot[Any], *, timeout: float = PATIENCE_S) -> None:
    """Until nothing is under way: no worker running, the email in the pane converted, the loop idle."""
    from tui.screens.record import RecordScreen

    def at_rest() -> bool:
        if busy_workers(app):
            return False
        screen = app.screen
        if isinstance(screen, RecordScreen) and screen.is_mounted:
            view = screen.detail_view
            return not view.rendering
        return True

    deadline = time.perf_counter() + timeout
    while True:
        await pilot.pause()
        if at_rest():
            await pilot.pause()
            if at_rest():
                return
        if time.perf_counter() > deadline:
            raise TimeoutError(f"the app did not come to rest: {[w.name for w in busy_workers(app)]}")
        await asyncio.sleep(0.02)


async def open_with_emails(
    app: Any, pilot: Pilot[Any], record: Record, emails: Sequence[Email], *, cursor: int = 0
) -> RecordScreen:
    """Open `record` with `emails` already read (all of its list), the cursor on `emails[cursor]`."""
    from tui.screens.record import RecordScreen
    from tui.zoho.models import EmailPage, PageInfo

    session = app.record_session(record)
    feed = session.feed()
    feed.add_page(EmailPage(tuple(emails), PageInfo(more_records=False)), None)
    if emails:
        feed.cursor_id = emails[cursor].message_id
        feed.scroll_y = max(cursor - 5, 0)
    app.open_record(record)

    def shown() -> bool:
        screen = app.screen
        return isinstance(screen, RecordScreen) and screen.is_mounted and screen.email_list.count == len(emails)

    await until(shown, f"the record screen with {len(emails)} emails")
    await rest(app, pilot)
    return app.screen


def focus_list(screen: Any) -> None:
    """The list takes the keys (its table, while the list is a DataTable underneath)."""
    email_list = screen.email_list
    target = getattr(email_list, "table", email_list)
    target.focus()


async def cpu_per_press(app: Any, pilot: Pilot[Any], key: str, presses: int) -> float:
    """CPU seconds per press of `key` (all threads of this process), the app at rest before and after."""
    await rest(app, pilot)
    gc.collect()
    start = time.process_time()
    for _ in range(presses):
        await pilot.press(key)
    spent = time.process_time() - start
    await rest(app, pilot)
    return spent / presses


async def key_cost(app: Any, pilot: Pilot[Any], key: str, presses: int) -> float:
    """CPU seconds a press of `key` costs beyond the pilot's own cost (an unbound key, just before)."""
    idle = await cpu_per_press(app, pilot, UNBOUND_KEY, presses)
    pressed = await cpu_per_press(app, pilot, key, presses)
    return max(pressed - idle, 0.0)


def post_key(app: Any, key: str) -> None:
    """A key as the terminal driver delivers it (not `Pilot.press`, which then waits for the app to go idle)."""
    from textual import events

    app.post_message(events.Key(key, key if len(key) == 1 else None))


async def hold_key(app: Any, key: str, times: int, per_second: float) -> None:
    """A held key: posted from another thread at the terminal's repeat rate, whether or not the app keeps up."""
    import threading

    def post() -> None:
        for _ in range(times):
            post_key(app, key)
            time.sleep(1 / per_second)

    thread = threading.Thread(target=post, daemon=True)
    thread.start()
    await asyncio.to_thread(thread.join)


def rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")
