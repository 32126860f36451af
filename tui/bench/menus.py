"""Figure 10: the first `t`, `?` and `ctrl+p` after launch against the later ones.

Each run is a fresh process (a first opening happens once per process): the demo app on
its record at 80×24, at rest; then one menu's key is posted as the terminal driver posts
it, and timed to the first frame of the screen it opens with its choices in it (the
palette lists its commands a moment after it appears); Escape; again, the later openings.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from textual import events
from textual.widgets import OptionList

from tui.bench.headless import Frames, demo_app, rest, until

MENU_KEYS = {"t": ("t", "t"), "?": ("question_mark", "?"), "ctrl+p": ("ctrl+p", "\x10")}


async def menu_openings(folder: Path, menus: list[str], later: int) -> dict[str, Any]:
    """Each of `menus` in turn (its first opening in this process, then `later` more): seconds to its frame."""
    from tui.sandbox.data import LEAD_MAIN
    from tui.screens.record import RecordScreen

    results: dict[str, Any] = {}
    async with demo_app(folder, (80, 24), start=LEAD_MAIN) as (app, pilot, _sandbox):
        await until(lambda: isinstance(app.screen, RecordScreen), "the record screen")
        record = app.screen
        await rest(app, pilot)
        frames = Frames(app)
        for which in menus:
            key, character = MENU_KEYS[which]
            times: list[float] = []
            for _ in range(1 + later):
                start = time.perf_counter()
                app.post_message(events.Key(key, character))
                seen = await until(lambda: _filled(app.screen, record), f"the screen {which} opens")
                times.append(await frames.next_after(max(seen, start), app.screen) - start)
                await rest(app, pilot)
                app.post_message(events.Key("escape", "\x1b"))
                await until(lambda: app.screen is record, f"the screen {which} opened to close")
                await rest(app, pilot)
            results[which] = {"first": times[0], "later": times[1:]}
    return results


def _filled(screen: Any, record: Any) -> bool:
    """Another screen is on top, and its lists of choices (if any) have choices in them."""
    return screen is not record and all(options.option_count > 0 for options in screen.query(OptionList))
