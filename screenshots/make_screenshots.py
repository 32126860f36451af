"""Regenerate the README's screenshots from the demo: `python screenshots/make_screenshots.py`.

Each shot drives the real app on the in-process sandbox (seed DEFAULT_SEED, TZ=UTC,
no cursor blink, a throwaway state dir) with the keys a person would press, and
writes an SVG next to this file. Same code, same pictures: run it after changing
anything on screen and commit the SVGs with the change.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

# Fixed before anything formats a local time.
os.environ["TZ"] = "UTC"
time.tzset()

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from textual.pilot import Pilot  # noqa: E402

from tui.app import CrmEmailsApp  # noqa: E402
from tui.sandbox.data import DEFAULT_SEED, LEAD_CANNOT_PROCESS, LEAD_MAIN  # noqa: E402
from tui.screens.picker import SEARCH_DELAY_S, PickerScreen  # noqa: E402
from tui.screens.record import RecordScreen  # noqa: E402
from tui.connect import demo_client  # noqa: E402
from tui.zoho.client import ZohoClient  # noqa: E402

# Longer than a burst of key presses takes, so moving the cursor down fetches one detail, always
# the same number of calls (the status line shows the count).
DETAIL_DELAY_S = 0.6
RecordScreen.detail_delay = DETAIL_DELAY_S

# Positions in the demo record's mailbox (tui/sandbox/showcase.py): newest first.
HTML_NEWSLETTER = 0
WITH_ATTACHMENTS = 2
BOUNCED = 11


@dataclass(frozen=True)
class Shot:
    name: str
    size: tuple[int, int]
    start: tuple[str, str] | None = LEAD_MAIN
    steps: Callable[[Pilot], Awaitable[None]] | None = None
    keys: tuple[str, ...] = field(default=())


async def settle(pilot: Pilot, delay: float = 0.0) -> None:
    if delay:
        await pilot.pause(delay)
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def until(pilot: Pilot, screen_type: type, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not isinstance(pilot.app.screen, screen_type):
        if time.monotonic() > deadline:
            raise RuntimeError(f"no {screen_type.__name__} after {timeout} s (on {type(pilot.app.screen).__name__})")
        await pilot.pause(0.05)
    await settle(pilot)


async def search_ada(pilot: Pilot) -> None:
    await until(pilot, PickerScreen)
    await pilot.press("A", "d", "a")
    await settle(pilot, SEARCH_DELAY_S + 0.2)


def open_email(position: int, *, enter: bool = False) -> Callable[[Pilot], Awaitable[None]]:
    """Move the list cursor down to `position` (j) and let the detail pane follow; Enter on narrow screens."""

    async def steps(pilot: Pilot) -> None:
        await until(pilot, RecordScreen)
        await settle(pilot, DETAIL_DELAY_S + 0.3)  # the first email's detail, before moving
        await pilot.press(*(["j"] * position))
        if enter:
            await pilot.press("enter")
        await settle(pilot, DETAIL_DELAY_S + 0.3)

    return steps


async def record_list(pilot: Pilot) -> None:
    await until(pilot, RecordScreen)
    await settle(pilot, DETAIL_DELAY_S + 0.3)


SHOTS: tuple[Shot, ...] = (
    Shot("picker", (100, 30), start=None, steps=search_ada),
    Shot("record-160x48", (160, 48), steps=open_email(WITH_ATTACHMENTS)),
    Shot("html-email", (160, 48), steps=open_email(HTML_NEWSLETTER)),
    Shot("bounced-email", (160, 48), steps=open_email(BOUNCED)),
    Shot("list-80x24", (80, 24), steps=record_list),
    Shot("detail-80x24", (80, 24), steps=open_email(HTML_NEWSLETTER, enter=True)),
    Shot("error-cannot-process", (100, 30), start=LEAD_CANNOT_PROCESS, steps=record_list),
)


async def take(shot: Shot, state_dir: Path) -> str:
    client, _sandbox = demo_client(seed=DEFAULT_SEED)

    async def connect() -> ZohoClient:
        return client

    app = CrmEmailsApp(connect, start=shot.start, demo=True, state_dir=state_dir, cursor_blink=False)
    async with app.run_test(size=shot.size) as pilot:
        if shot.steps is not None:
            await shot.steps(pilot)
        return app.export_screenshot(title=f"crm-emails — {shot.name}")


async def main(names: list[str]) -> None:
    chosen = [s for s in SHOTS if not names or s.name in names]
    for shot in chosen:
        with tempfile.TemporaryDirectory() as state_dir:
            svg = await take(shot, Path(state_dir))
        path = HERE / f"{shot.name}.svg"
        path.write_text(svg, encoding="utf-8")
        print(f"wrote {path.relative_to(HERE.parent)}  ({shot.size[0]}×{shot.size[1]})")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
