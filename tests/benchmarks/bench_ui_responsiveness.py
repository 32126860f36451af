"""UI responsiveness while the demo's 2 MB HTML newsletter is converted.

Runs the demo app (App.run_test, 160x48, in-process sandbox) on LEAD_MAIN and,
in the same run, measures the UI thread in three situations:

  idle      the cursor rests on the newsletter (its body already converted)
  worker    the app as written: the cursor lands on the newsletter, its detail is
            fetched and the body is converted in the thread worker of
            EmailDetailView._convert_body
  blocking  the baseline: the same conversion (email_detail.body_strips, i.e.
            html_to_text + wrapping, the work the worker does) called
            synchronously inside the event loop

Two probes run during each window:
  - a 10 ms `set_interval` ticker on the app; the figure is the largest gap
    between two ticks (10 ms when nothing blocks the loop);
  - a "held key" from another thread (as the terminal driver's input thread
    does): an unbound key (F19) posted to the app every 50 ms; the figure is
    the time from posting it to the focused email table having processed it
    (the table's `message_signal`). An unbound key changes nothing, so the probe
    does not change the work the app does (j/k would move the cursor off the
    newsletter and back: measured on its own, see the last line).

Each situation is measured ROUNDS times (cold: the body and detail caches are
emptied before each worker round) and the worst of the rounds is reported.

Run: python tests/benchmarks/bench_ui_responsiveness.py [--rounds N]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from textual import events  # noqa: E402
from textual.worker import WorkerState  # noqa: E402

from tests.app.helpers import make_demo_app, settle  # noqa: E402
from tui.sandbox.data import LARGE_NEWSLETTER_ID, LEAD_MAIN  # noqa: E402
from tui.screens.record import RecordScreen  # noqa: E402
from tui.widgets.email_detail import body_strips  # noqa: E402

SIZE = (160, 48)
TICK_S = 0.010
KEY_EVERY_S = 0.050
IDLE_WINDOW_S = 1.5
PROBE_KEY = "f19"  # bound nowhere in the app
now = time.perf_counter


@dataclass
class Window:
    """What the probes saw between `start` and `end`."""

    start: float
    end: float
    ticks: list[float]
    keys: list[tuple[float, float]]  # (posted, cursor moved)

    @property
    def gaps(self) -> list[tuple[float, float]]:
        """(tick, next tick) pairs that overlap the window."""
        return [(a, b) for a, b in zip(self.ticks, self.ticks[1:]) if b > self.start and a < self.end]

    @property
    def worst_gap(self) -> float:
        return max((b - a for a, b in self.gaps), default=float("nan"))

    @property
    def key_latencies(self) -> list[float]:
        return [seen - sent for sent, seen in self.keys if self.start <= sent <= self.end]


@dataclass
class Probes:
    """The 10 ms ticker and the held key, switched on and off around each window."""

    app: object
    table: object
    ticks: list[float] = field(default_factory=list)
    sent: list[float] = field(default_factory=list)
    seen: list[float] = field(default_factory=list)
    recording: bool = False
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def install(self) -> None:
        self.app.set_interval(TICK_S, self._tick)
        self.table.message_signal.subscribe(self.table, self._processed, immediate=True)

    def _tick(self) -> None:
        if self.recording:
            self.ticks.append(now())

    def _processed(self, message) -> None:
        if self.recording and isinstance(message, events.Key) and message.key == PROBE_KEY:
            self.seen.append(now())

    def start(self, *, keys: bool = True) -> None:
        self.ticks = []
        self.recording = True
        if keys:
            self.start_keys()

    def start_keys(self) -> None:
        self.sent, self.seen = [], []
        self._stop.clear()
        self._thread = threading.Thread(target=self._hold_keys, daemon=True)
        self._thread.start()

    def _hold_keys(self) -> None:
        # Like the driver's input thread: keys arrive whether or not the UI thread is busy.
        while not self._stop.is_set():
            self.sent.append(now())
            self.app.post_message(events.Key(PROBE_KEY, None))
            time.sleep(KEY_EVERY_S)

    async def stop(self) -> None:
        if self._thread is not None:
            self._stop.set()
            await asyncio.to_thread(self._thread.join)
            self._thread = None
            deadline = now() + 30
            while len(self.seen) < len(self.sent) and now() < deadline:
                await asyncio.sleep(0.01)
        self.recording = False

    def window(self, start: float, end: float) -> Window:
        keys = list(zip(self.sent, self.seen))
        return Window(start, end, list(self.ticks), keys)


async def wait_for(condition, timeout: float, what: str) -> None:
    deadline = now() + timeout
    while not condition():
        if now() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        await asyncio.sleep(0.005)


def body_workers(app) -> list:
    return [w for w in app.workers if w.group == "body" and w.state in (WorkerState.PENDING, WorkerState.RUNNING)]


async def measure(rounds: int) -> dict[str, list[Window]]:
    results: dict[str, list[Window]] = {"idle": [], "worker": [], "blocking": [], "fetch": []}
    to_body: dict[str, list[float]] = {"still": [], "away and back": []}
    with tempfile.TemporaryDirectory() as state_dir:
        app, _sandbox = make_demo_app(start=LEAD_MAIN, state_dir=Path(state_dir))
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(lambda: isinstance(app.screen, RecordScreen), 30, "the record screen")
            screen = app.screen
            await settle(pilot, RecordScreen.detail_delay + 0.1)
            view, table = screen.detail_view, screen.email_list.table
            row = [e.message_id for e in screen.email_list.emails].index(LARGE_NEWSLETTER_ID)
            probes = Probes(app, table)
            probes.install()

            def on_newsletter() -> bool:
                return view.message_id == LARGE_NEWSLETTER_ID and view.state == "detail" and not view.rendering

            for _ in range(rounds):
                # --- worker: the app as written, cold (no cached detail or body) ---
                table.move_cursor(row=row + 1)
                await settle(pilot, RecordScreen.detail_delay + 0.1)
                screen.details.clear()
                view._bodies.clear()  # the converted-body cache: a cold conversion each round
                gc.collect()
                probes.start(keys=False)
                opened = now()
                table.move_cursor(row=row)
                await wait_for(lambda: body_workers(app), 30, "the body worker to start")
                (worker,) = body_workers(app)
                started = now()
                probes.start_keys()
                await wait_for(lambda: worker.is_finished, 60, "the conversion")
                finished = now()
                await probes.stop()
                results["fetch"].append(probes.window(opened, started))
                # The window opens at the first tick after the worker started: the gap before it
                # belongs to the detail's fetch and parse (reported on its own line).
                first_tick = next((t for t in probes.ticks if t >= started), started)
                results["worker"].append(probes.window(first_tick, finished))
                await wait_for(on_newsletter, 30, "the converted body on screen")
                to_body["still"].append(now() - opened)
                await settle(pilot)

                # --- idle: the same keys, nothing converting ---
                gc.collect()
                probes.start()
                start = now()
                await asyncio.sleep(IDLE_WINDOW_S)
                end = now()
                await probes.stop()
                results["idle"].append(probes.window(start, end))
                await wait_for(on_newsletter, 30, "the newsletter back on screen")
                await settle(pilot)

                # --- blocking: the same conversion on the UI thread ---
                detail, width = view.detail, view.body.text_width
                span: list[float] = []
                done = asyncio.Event()

                def convert_on_ui_thread() -> None:
                    span.append(now())
                    body_strips(detail, width)
                    span.append(now())
                    done.set()

                gc.collect()
                probes.start()
                await asyncio.sleep(0.2)
                app.call_later(convert_on_ui_thread)
                await done.wait()
                await asyncio.sleep(0.2)
                await probes.stop()
                results["blocking"].append(probes.window(span[0], span[1]))
                await wait_for(on_newsletter, 30, "the newsletter back on screen")
                await settle(pilot)

                # --- away and back: j then k while the body converts (cold, like the worker round) ---
                table.move_cursor(row=row + 1)
                await settle(pilot, RecordScreen.detail_delay + 0.1)
                screen.details.clear()
                view._bodies.clear()
                gc.collect()
                opened = now()
                table.move_cursor(row=row)
                await wait_for(lambda: body_workers(app), 30, "the body worker to start")
                for key in ("j", "k"):
                    app.post_message(events.Key(key, key))
                    await asyncio.sleep(KEY_EVERY_S)
                await wait_for(on_newsletter, 60, "the converted body on screen")
                to_body["away and back"].append(now() - opened)
                await settle(pilot)
    return results, to_body


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def ratio(figure: float, baseline: float) -> str:
    return f"{baseline / figure:6.1f}x better" if figure > 0 else "—"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    results, to_body = asyncio.run(measure(args.rounds))

    def worst_gap(name: str) -> float:
        return max(w.worst_gap for w in results[name])

    def key_worst(name: str) -> float:
        return max(max(w.key_latencies, default=float("nan")) for w in results[name])

    def key_median(name: str) -> float:
        return statistics.median([lat for w in results[name] for lat in w.key_latencies])

    def span(name: str) -> float:
        return statistics.median(w.end - w.start for w in results[name])

    keys = {name: sum(len(w.key_latencies) for w in results[name]) for name in ("idle", "worker", "blocking")}
    print(f"UI thread while the 2 MB newsletter converts ({args.rounds} rounds, worst of rounds; "
          f"ticker every {TICK_S * 1000:.0f} ms, a key every {KEY_EVERY_S * 1000:.0f} ms)")
    print(f"conversion time: worker {span('worker'):.2f} s (median), "
          f"on the UI thread {span('blocking'):.2f} s (median)")
    print(f"keys measured: idle {keys['idle']}, worker {keys['worker']}, blocking {keys['blocking']}")
    print()
    header = f"{'metric':<28}{'idle':>12}{'figure: worker':>17}{'baseline: blocking':>21}   ratio (baseline/figure)"
    print(header)
    print("-" * len(header))
    for label, fn in (("worst tick gap", worst_gap), ("worst key latency", key_worst), ("median key latency", key_median)):
        print(f"{label:<28}{ms(fn('idle')):>12}{ms(fn('worker')):>17}{ms(fn('blocking')):>21}   "
              f"{ratio(fn('worker'), fn('blocking'))}")
    print()
    print(f"opening it before the worker starts (in-process sandbox builds the 2 MB answer, client parses it, pane shows headers; all on the UI thread): "
          f"worst tick gap {ms(worst_gap('fetch')).strip()}, median duration {span('fetch') * 1000:.0f} ms")
    still, back = statistics.median(to_body["still"]), statistics.median(to_body["away and back"])
    print(f"newsletter body on screen after landing on it: {still:.2f} s; after j,k while it converts: "
          f"{back:.2f} s ({back / still:.1f}x; returning attaches to the conversion under way)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
