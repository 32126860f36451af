"""Waiting on a condition outside an app (a thread, a process, a queue): never a fixed time."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

PATIENCE_S = 60.0  # real seconds a wait may take before the test fails: a loaded machine is slow, never stuck


async def until(condition: Callable[[], object], what: str, *, timeout: float = PATIENCE_S) -> None:
    """Until `condition()` holds, letting the loop (and other threads) run between looks."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.001)
