"""A fault soak of the app: seeded keys against a Zoho that fails often, then a check of what is on screen.

The sandbox answers 429 on about one call in five (half of them with a Retry-After),
500 on one in seven, drops one connection in thirteen, and refuses each access token
after 20 uses. A seeded random person presses moves, End, Home, PgDn, Enter, Escape,
t and a filter, r, R, o and back, and resizes between 80x24 and 160x48, with virtual
time passing between keys. At the end the faults stop, the person goes back to All
and to the end: every email of the record must be there exactly once, in Zoho's order,
the app must still run, and every error on screen must be a sentence.

    python -m tests.app.soak --keys 2000 --seed 1      # the long run (README: Development)

The test suite runs a short one (tests/app/test_soak.py). Deterministic: the same seed
gives the same keys, the same faults and the same counts.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from textual import events

from tests.app.helpers import make_demo_app, settle, wait_until
from tests.app.record_helpers import at_rest, row_ids
from tests.support.events import EventLog
from tui.connect import demo_client
from tui.sandbox.app import Faults
from tui.sandbox.data import LEAD_MAIN
from tui.screens.picker import PickerScreen
from tui.screens.record import RecordScreen
from tui.screens.type_filter import TypeFilterScreen
from tui.widgets.error_panel import ErrorPanel
from tui.zoho.client import ConnectionEvent

# The rates the crash was first seen at: 429 every 5th call, 500 every 7th, a drop every 13th, tokens die after 20.
SOAK_FAULTS = "429=0.2,500=0.14,drop=0.077,expire=20"
# A record big enough to scroll for a while, small enough to reach its end (137 in the report; this has 250).
RECORD = LEAD_MAIN
SIZES = ((80, 24), (160, 48))
MOVES = ("j", "k", "down", "up", "pagedown", "pageup", "ctrl+d", "ctrl+u")
_CHARACTERS = {"enter": "\r", "escape": "\x1b", "tab": "\t"}


@dataclass
class SoakResult:
    keys: int = 0
    calls: int = 0
    faults: Counter[str] = field(default_factory=Counter)
    retries: int = 0
    gave_up: int = 0
    crashes: int = 0
    crash: str = ""  # what the crash was, to see it in a failed test's output
    bugs: int = 0
    lost: int = 0  # times nothing but the bottom screen was left (what the person looked at, gone)
    emails: int = 0
    expected: int = 0
    in_order: bool = False
    errors_shown: int = 0
    errors_not_sentences: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.crashes and not self.bugs and not self.lost and self.in_order and not self.errors_not_sentences

    def lines(self) -> list[str]:
        faults = ", ".join(f"{kind} {n}" for kind, n in sorted(self.faults.items())) or "none"
        return [
            f"keys: {self.keys}",
            f"API calls: {self.calls}",
            f"faults injected: {sum(self.faults.values())} ({faults})",
            f"client retries: {self.retries}, gave up: {self.gave_up}",
            f"errors shown: {self.errors_shown}, not a sentence: {len(self.errors_not_sentences)}",
            f"emails at the end: {self.emails} of {self.expected}, in order once each: {self.in_order}",
            f"bugs caught: {self.bugs}",
            f"screens lost: {self.lost}",
            f"crashes: {self.crashes}" + (f"\n{self.crash}" if self.crash else ""),
            f"took {self.seconds:.1f} s",
        ]


async def expected_ids() -> list[str]:
    client, _ = demo_client()
    async with client:
        return [e.message_id async for page in client.iter_email_pages(*RECORD) for e in page.emails]


def _is_sentence(panel: ErrorPanel) -> bool:
    """An error box says a code, a message and what to do."""
    error = panel.error
    text = str(panel.render())
    return error is not None and bool(error.code) and bool(error.message.strip()) and "What to do:" in text


# What the person presses on the record screen, and how often (weights out of 100); "resize" resizes.
RECORD_KEYS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (45, MOVES),
    (10, ("end", "G")),
    (5, ("home", "g")),
    (10, ("enter",)),
    (8, ("escape",)),
    (4, ("t",)),
    (4, ("r",)),
    (4, ("R",)),
    (4, ("o",)),
    (3, ("tab",)),
    (3, ("resize",)),
)


async def _press(pilot, rng: random.Random, result: SoakResult) -> None:
    app = pilot.app
    screen = app.screen
    if isinstance(screen, TypeFilterScreen):
        keys = ["down"] * rng.randint(0, 5) + [rng.choice(["enter", "escape"])]
    elif isinstance(screen, PickerScreen):
        keys = ["escape"]
    else:
        choices = rng.choices([c for _, c in RECORD_KEYS], weights=[w for w, _ in RECORD_KEYS])[0]
        keys = [rng.choice(choices)]
    if keys == ["resize"]:
        width, height = rng.choice(SIZES)
        await pilot.resize_terminal(width, height)
        result.keys += 1
        return
    for key in keys:
        await _send(app, key)
    result.keys += len(keys)


async def _send(app, key: str) -> None:
    """A key as a terminal sends it: not waiting for the app to go idle, nor for a scroll to end."""
    app.post_message(events.Key(key, _CHARACTERS.get(key, key if len(key) == 1 else None)))
    await asyncio.sleep(0)


async def run_soak(keys: int = 2000, seed: int = 1, *, state_dir: Path | None = None) -> SoakResult:
    started = time.monotonic()
    result = SoakResult()
    rng = random.Random(seed)
    faults = Faults.parse(f"{SOAK_FAULTS},seed={seed}")
    events = EventLog()
    with tempfile.TemporaryDirectory() as spare:
        app, sandbox = make_demo_app(start=RECORD, faults=faults, state_dir=state_dir or Path(spare), backoff=0.5)
        try:
            async with app.run_test(size=SIZES[0]) as pilot:
                await wait_until(pilot, lambda: isinstance(app.screen, RecordScreen), "the record screen")
                assert app.client is not None
                earlier = app.client.on_event

                def listen(event: ConnectionEvent) -> object:
                    events(event)
                    return earlier(event) if earlier is not None else None

                app.client.on_event = listen
                clock = app.virtual_clock
                while result.keys < keys:
                    # Half the 429s carry a Retry-After, half do not.
                    faults.retry_after = rng.choice([None, 1, 3])
                    await _press(pilot, rng, result)
                    await clock.advance(rng.choice([0.0, 0.03, 0.1, 0.2, 0.5, 2.0]))
                    if result.keys % 8 == 0:
                        await pilot.pause()
                    if len(app.screen_stack) == 1:
                        result.lost += 1
                        await wait_until(pilot, lambda: len(app.screen_stack) > 1, "the picker back")
                    for panel in app.screen.query(ErrorPanel):
                        if panel.error is not None and panel.display:
                            result.errors_shown += 1
                            if not _is_sentence(panel):
                                result.errors_not_sentences.append(str(panel.render())[:200])
                # The end: Zoho behaves again; back to All, and to the end of the list.
                faults.rate_429 = faults.rate_500 = faults.rate_drop = 0.0
                faults.expire_after = None
                for _ in range(5):
                    if isinstance(app.screen, RecordScreen):
                        break
                    await _send(app, "escape")
                    await settle(pilot)
                else:
                    raise AssertionError(f"escape does not lead back to the record: {app.screen_stack}")
                screen = app.screen
                if screen.filter.type is not None:
                    from tui.session.filters import EmailFilter

                    screen.switch_filter(EmailFilter())
                await pilot.resize_terminal(*SIZES[0])
                await _send(app, "R")
                for _ in range(60):
                    await _send(app, "G")
                    await wait_until(pilot, lambda: at_rest(screen), "the list to rest")
                    if not screen.feed.more and not screen.feed.waiting and screen.feed.error is None:
                        break
                    if screen.feed.error is not None:
                        await _send(app, "R")
                expected = await expected_ids()
                found = row_ids(screen)
                result.emails, result.expected = len(found), len(expected)
                result.in_order = found == expected
                result.bugs = app.bugs
                result.calls = len(sandbox.calls)
                result.faults = sandbox.faults_injected
        except Exception as error:  # noqa: BLE001 - a crash is what this counts
            import traceback

            result.crashes += 1
            result.crash = "".join(traceback.format_exception(error)[-6:])
            print(f"crash: {result.crash}", file=sys.stderr)
    result.retries = len(events.retries)
    result.gave_up = len(events.gave_up)
    result.seconds = time.monotonic() - started
    return result


def _dump_tasks() -> None:
    """Where every task waits (SIGUSR1, or a soak that outlives its time): to find a hang."""
    for task in asyncio.all_tasks():
        print(f"task {task.get_name()}:", file=sys.stderr)
        task.print_stack(limit=12, file=sys.stderr)


async def _watched(keys: int, seed: int, limit: float) -> SoakResult:
    """The soak, with the stacks of every task printed if it outlives `limit` real seconds (a hang)."""
    import signal

    asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, _dump_tasks)
    try:
        return await asyncio.wait_for(run_soak(keys, seed), limit)
    except TimeoutError:
        _dump_tasks()
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.app.soak", description=__doc__.split("\n\n")[0])
    parser.add_argument("--keys", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    result = asyncio.run(_watched(args.keys, args.seed, limit=60 + args.keys * 0.5))
    print("\n".join(result.lines()))
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
