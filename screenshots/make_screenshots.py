"""Regenerate the README's screenshots from the demo: `python screenshots/make_screenshots.py [NAME ...]`.

Each shot drives the app as the snapshot tests run it (tests/app/helpers.py: the in-process
sandbox at seed DEFAULT_SEED, a virtual clock, no cursor blink, a throwaway store) with the keys
a person would press, and writes an SVG next to this file. Same code, same pictures: run it
after changing anything on screen and commit the SVGs with the change.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

# Fixed before anything formats a local time.
os.environ["TZ"] = "UTC"
time.tzset()

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from textual.pilot import Pilot  # noqa: E402

from tests.app.helpers import make_demo_app, type_text, wait_for_screen  # noqa: E402
from tests.app.record_helpers import (  # noqa: E402
    go_to_position,
    in_conversations,
    mark_three,
    record_screen,
    steady,
)
from tui.sandbox.data import LEAD_CANNOT_PROCESS, LEAD_MAIN  # noqa: E402
from tui.screens.picker import PickerScreen  # noqa: E402

# Positions in the demo record's mailbox (tui/sandbox/showcase.py): newest first.
HTML_NEWSLETTER = 0
WITH_ATTACHMENTS = 2
BOUNCED = 11

Steps = Callable[[Pilot], Awaitable[None]]


@dataclass(frozen=True)
class Shot:
    name: str
    size: tuple[int, int]
    steps: Steps
    start: tuple[str, str] | None = LEAD_MAIN
    caption: str = ""


async def search_ada(pilot: Pilot) -> None:
    await wait_for_screen(pilot, PickerScreen)
    await type_text(pilot, "Ada")
    await steady(pilot)


def open_email(position: int, *, enter: bool = False) -> Steps:
    """Put the cursor on the showcase email at `position` and let the detail pane follow; Enter on narrow screens."""

    async def steps(pilot: Pilot) -> None:
        await record_screen(pilot)
        await go_to_position(pilot, LEAD_MAIN, position)
        if enter:
            await pilot.press("enter")
        await steady(pilot)

    return steps


async def record_list(pilot: Pilot) -> None:
    await record_screen(pilot)
    await steady(pilot)


def search(query: str) -> Steps:
    """`/` over the record's stored emails, typed as a person would."""

    async def steps(pilot: Pilot) -> None:
        await record_screen(pilot)
        await pilot.press("slash")
        await type_text(pilot, query)
        await steady(pilot)

    return steps


SHOTS: tuple[Shot, ...] = (
    Shot("picker", (100, 30), search_ada, start=None),
    Shot("record-160x48", (160, 48), open_email(WITH_ATTACHMENTS)),
    Shot("html-email", (160, 48), open_email(HTML_NEWSLETTER)),
    Shot("bounced-email", (160, 48), open_email(BOUNCED)),
    Shot("list-80x24", (80, 24), record_list),
    Shot("detail-80x24", (80, 24), open_email(HTML_NEWSLETTER, enter=True)),
    Shot("search-80x24", (80, 24), search("status:opened")),
    Shot("conversations-160x48", (160, 48), in_conversations("j", "enter")),
    Shot("marks-80x24", (80, 24), mark_three),
    Shot("error-cannot-process", (100, 30), record_list, start=LEAD_CANNOT_PROCESS),
)


async def take(shot: Shot, state_dir: Path) -> str:
    app, _sandbox = make_demo_app(start=shot.start, state_dir=state_dir)
    async with app.run_test(size=shot.size) as pilot:
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
