"""Figure 7: API calls, counted at the sandbox, while a person moves through the demo record at 160×48.

On the real clock (not the tests' virtual one): the record model's pause before the
detail follows the cursor is 150 ms of real quiet, and the keys come as a held key
repeats them, 30 a second, whether or not the app has caught up (posted from another
thread as the terminal driver posts them, not through `Pilot.press`, which waits for the app).

- 100 `j` from the first email: detail calls from the first key until the app rests.
- Revisiting: `g` back to the first email, read before the keys: detail calls (0).
- Every page: `G` until the list has all 250: list calls, against ⌈250/10⌉.
- Pages read twice: list calls that asked an index (or the first page) already asked.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any

from tui.bench.headless import demo_app, hold_key, rest, until

HELD_KEYS = 100
KEYS_PER_S = 30


def _is_detail(call: Any) -> bool:
    parts = call.path.rstrip("/").split("/")
    return len(parts) >= 2 and parts[-2] == "Emails" and parts[-1] != "actions"


def _is_list(call: Any) -> bool:
    return call.path.endswith("/Emails")


async def api_calls(folder: Path) -> dict[str, Any]:
    from tui.sandbox.data import LEAD_MAIN
    from tui.screens.record import RecordScreen

    async with demo_app(folder, (160, 48), start=LEAD_MAIN) as (app, pilot, sandbox):
        await until(lambda: isinstance(app.screen, RecordScreen), "the record screen")
        screen = app.screen
        await rest(app, pilot)

        def details() -> int:
            return sum(1 for call in sandbox.calls if _is_detail(call))

        before = details()
        await hold_key(app, "j", HELD_KEYS, KEYS_PER_S)
        await rest(app, pilot)
        held = details() - before

        before = details()
        await pilot.press("g")
        await rest(app, pilot)
        revisit = details() - before

        total = 250
        deadline = time.perf_counter() + 120
        while screen.email_list.count < total and time.perf_counter() < deadline:
            await pilot.press("G")
            await rest(app, pilot)
        lists = [call for call in sandbox.calls if _is_list(call)]
        asked = Counter(call.params.get("index") for call in lists)
        return {
            "held_details": held,
            "revisit_details": revisit,
            "list_calls": len(lists),
            "emails": screen.email_list.count,
            "pages_twice": sum(n - 1 for n in asked.values() if n > 1),
        }
