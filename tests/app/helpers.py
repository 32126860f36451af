"""Shared by the app's behaviour and snapshot tests: a demo app pinned for determinism, and waits.

`TestApp` is the app on the in-process sandbox (seed DEFAULT_SEED) and a virtual clock
(`tests.support.clock.VirtualClock`): the detail pause, the search debounce, the record
model's backoff and every countdown run in virtual time, so no test waits real seconds
for them and none depends on how loaded the machine is. Text boxes do not blink. The
waits below wait for conditions, never for a fixed time.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input
from textual.worker import WorkerState

from tests.support.clock import VirtualClock
from tui.app import CrmEmailsApp
from tui.connect import demo_client, sandbox_credentials, token_source
from tui.credentials import Credentials
from tui.sandbox.app import Faults, Sandbox
from tui.sandbox.data import DEFAULT_SEED
from tui.sandbox.transport import SandboxTransport
from tui.zoho.client import ZohoClient

# Real seconds a wait may take before the test fails (a loaded machine is slow, never stuck).
PATIENCE_S = 60.0


class TestApp(CrmEmailsApp):
    """The app as tests run it: a virtual clock, its sandbox at hand, no blinking cursor."""

    __test__ = False  # not a pytest class

    def __init__(
        self, *args: Any, sandbox: Sandbox | None = None, state_dir: Path | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("clock", VirtualClock())
        if state_dir is not None:  # the test's own folder holds its store
            kwargs.setdefault("store_path", state_dir / "store.sqlite3")
        # Never the developer's own keymap.toml: the test's folder (or a path with no file).
        kwargs.setdefault("keymap_path", (state_dir or Path("/nonexistent")) / "keymap.toml")
        super().__init__(*args, **kwargs)
        self.sandbox = sandbox
        self._watched_screens: weakref.WeakSet[Screen] = weakref.WeakSet()

    @property
    def virtual_clock(self) -> VirtualClock:
        assert isinstance(self.clock, VirtualClock)
        return self.clock

    def on_mount(self) -> None:
        # Textual calls CrmEmailsApp.on_mount too (handlers run for each class of the MRO): not super() again.
        self.screen_change_signal.subscribe(self, self._screen_changed)

    def _screen_changed(self, screen: Screen) -> None:
        self.call_after_refresh(self._stop_blinking, screen)
        # Text boxes mounted later (the record screen's search line comes after its first paint) lay the screen
        # out as they come: each layout is looked at too.
        if self.is_running and screen not in self._watched_screens:  # (not while the app closes)
            self._watched_screens.add(screen)
            screen.screen_layout_refresh_signal.subscribe(self, self._stop_blinking)

    def _stop_blinking(self, screen: Screen) -> None:
        # Snapshots need a cursor that stays put: every text box on the screen, the palette's too. (Its blink
        # runs on real time: a box left blinking is drawn with or without its cursor as the machine is loaded.)
        for box in screen.query(Input):
            if box.cursor_blink:
                box.cursor_blink = False


def make_demo_app(
    start: tuple[str, str] | None = None,
    faults: Faults | None = None,
    *,
    state_dir: Path | None = None,
    backoff: float = 0.0,
    **kw: Any,
) -> tuple[TestApp, Sandbox]:
    """The demo app and its sandbox (count calls with `sandbox.calls`, break it with `sandbox.faults`)."""
    clock = kw.pop("clock", None) or VirtualClock()
    client, sandbox = demo_client(seed=DEFAULT_SEED, faults=faults, backoff=backoff, clock=clock)

    async def connect() -> ZohoClient:
        return client

    app = TestApp(connect, start=start, demo=True, state_dir=state_dir, sandbox=sandbox, clock=clock, **kw)
    return app, sandbox


def make_app_on(
    sandbox: Sandbox,
    *,
    credentials: Credentials | None = None,
    start: tuple[str, str] | None = None,
    state_dir: Path | None = None,
    **kw: Any,
) -> TestApp:
    """The app on a sandbox built by the test (other scopes, revoked tokens...), as a real profile would run."""
    clock = kw.pop("clock", None) or VirtualClock()
    transport = SandboxTransport(sandbox, sleep=clock.sleep)
    tokens = token_source(credentials or sandbox_credentials(), transport=transport, clock=clock.time)
    client = ZohoClient(tokens, transport=transport, backoff=0.0, sleep=clock.sleep)

    async def connect() -> ZohoClient:
        return client

    return TestApp(connect, start=start, state_dir=state_dir, sandbox=sandbox, clock=clock, **kw)


def failing_connect(error: Exception) -> Callable[[], Awaitable[ZohoClient]]:
    """A `connect` that fails the way `connect.open_client` does without credentials."""

    async def connect() -> ZohoClient:
        raise error

    return connect


def _clock(pilot: Pilot) -> VirtualClock:
    clock = pilot.app.clock
    assert isinstance(clock, VirtualClock), "the test app runs on a VirtualClock"
    return clock


async def settle(pilot: Pilot, horizon: float = 1.0) -> None:
    """Let the app come to rest: messages handled, workers done, and sleeps due within `horizon`
    virtual seconds woken (the detail pause, a search debounce). A worker asleep past the horizon
    (a retry five minutes away) is left asleep."""
    clock = _clock(pilot)
    limit = clock.monotonic() + horizon
    loop = asyncio.get_running_loop()
    deadline = loop.time() + PATIENCE_S
    while loop.time() < deadline:
        await pilot.pause()
        running = [w for w in pilot.app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
        if not running:
            await pilot.pause()
            return
        if clock.sleepers >= len(running):
            wake = clock.next_wake()
            if wake is None or clock.monotonic() + wake > limit:
                await pilot.pause()
                return
            await clock.advance(wake)
            continue
        await asyncio.sleep(0.005)  # a thread or a request is under way
    raise AssertionError(f"the app did not come to rest: {[w.name for w in pilot.app.workers]}")


async def wait_until(
    pilot: Pilot, condition: Callable[[], bool], what: str = "", *, advance: float = 0.05, timeout: float = PATIENCE_S
) -> None:
    """Until `condition()` holds: let the app run, moving virtual time `advance` s a step (0: frozen)."""
    clock = _clock(pilot)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await asyncio.sleep(0.005)  # not pilot.pause: that waits for the app to go idle
        if advance:
            await clock.advance(advance)


async def wait_for_screen(pilot: Pilot, screen_type: type[Screen]) -> Screen:
    """Wait until the top screen is a `screen_type`, and it has come to rest."""
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, screen_type), f"a {screen_type.__name__}")
    await settle(pilot)
    return pilot.app.screen


async def type_text(pilot: Pilot, text: str) -> None:
    """Type `text` key by key with no time passing between keys (faster than any debounce)."""
    await pilot.press(*[_key_name(ch) for ch in text])


def _key_name(ch: str) -> str:
    return {" ": "space", "?": "question_mark", "/": "slash", ":": "colon", ".": "full_stop", "@": "at"}.get(ch, ch)


async def paste(pilot: Pilot, text: str) -> None:
    """Paste `text` into the focused widget, as a terminal's bracketed paste does."""
    from textual import events

    focused = pilot.app.focused
    assert focused is not None, "nothing has focus to paste into"
    focused.post_message(events.Paste(text))
    await pilot.pause()
