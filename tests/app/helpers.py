"""Shared by the app's behaviour and snapshot tests: a demo app pinned for determinism, and waits.

The demo app runs on the in-process sandbox (seed DEFAULT_SEED), retries without waiting,
keeps its cursor still and its recent records in the test's own state dir.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.screen import Screen

from tests.support.clock import VirtualClock
from tui.app import CrmEmailsApp
from tui.sandbox.app import Faults, Sandbox
from tui.sandbox.data import DEFAULT_SEED
from tui.credentials import Credentials
from tui.sandbox.transport import SandboxTransport
from tui.connect import demo_client, sandbox_credentials, token_source
from tui.zoho.auth import TokenSource
from tui.zoho.client import ZohoClient


def make_demo_app(
    start: tuple[str, str] | None = None,
    faults: Faults | None = None,
    *,
    state_dir: Path | None = None,
    **kw: Any,
) -> tuple[CrmEmailsApp, Sandbox]:
    """The demo app and its sandbox (count calls with `sandbox.calls`, break it with `sandbox.faults`)."""
    client, sandbox = demo_client(seed=DEFAULT_SEED, faults=faults, backoff=0.0)

    async def connect() -> ZohoClient:
        return client

    kw.setdefault("cursor_blink", False)
    kw.setdefault("clock", VirtualClock())
    app = CrmEmailsApp(connect, start=start, demo=True, state_dir=state_dir, sandbox=sandbox, **kw)
    return app, sandbox


def make_app_on(
    sandbox: Sandbox,
    *,
    credentials: Credentials | None = None,
    start: tuple[str, str] | None = None,
    state_dir: Path | None = None,
    **kw: Any,
) -> CrmEmailsApp:
    """The app on a sandbox built by the test (other scopes, revoked tokens...), as a real profile would run."""
    transport = SandboxTransport(sandbox)
    tokens = token_source(credentials or sandbox_credentials(), transport=transport)
    client = ZohoClient(tokens, transport=transport, backoff=0.0)

    async def connect() -> ZohoClient:
        return client

    kw.setdefault("cursor_blink", False)
    return CrmEmailsApp(connect, start=start, state_dir=state_dir, sandbox=sandbox, **kw)


def failing_connect(error: Exception) -> Callable[[], Awaitable[ZohoClient]]:
    """A `connect` that fails the way `connect.open_client` does without credentials."""

    async def connect() -> ZohoClient:
        raise error

    return connect


async def settle(pilot: Pilot, delay: float = 0.0) -> None:
    """Let timers of `delay` seconds fire (the search debounce), then every worker finish."""
    if delay:
        await pilot.pause(delay)
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def wait_for_screen(pilot: Pilot, screen_type: type[Screen], timeout: float = 5.0) -> Screen:
    """Wait until the top screen is a `screen_type`, and its workers are done."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not isinstance(pilot.app.screen, screen_type):
        if loop.time() > deadline:
            raise AssertionError(f"expected {screen_type.__name__}, the screen is {type(pilot.app.screen).__name__}")
        await pilot.pause(0.02)
    await settle(pilot)
    return pilot.app.screen


async def type_text(pilot: Pilot, text: str) -> None:
    """Type `text` key by key, as fast as the pilot can (faster than the debounce)."""
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
