"""The email list against a bare Textual DataTable of the same rows, in the same run (issue 9: figures 4, 5, 6).

Rows: 50,000 `Email` models from the sandbox (LEAD_BULK's 5,000 under ten seeds), built before any clock
starts. Baseline: a bare `DataTable(cursor_type="row")` in an app of its own, given the same six strings
per email that the list draws (time, from, to, subject, status, attachment). Each round opens the list's
app, measures every figure, closes it, then does the same with the DataTable's (interleaved; two apps open
at once in one process do not both paint); the median of the rounds is reported.

  memory  tracemalloc growth for 5,000 emails shown and painted, per 1,000, after a first 100 were shown
          (what is allocated once is not per email). The models exist before (the record model holds them);
          the baseline's strings are counted with it (they exist only for the table), and not, beside.
  move    CPU (`time.process_time`) per cursor move at row 45,000 of 50,000: presses of `down` with the cursor
          on the last line in view (each scrolls a line), then of `up` (inside the view), each less as many
          presses of an unbound key (the pilot's own cost).
  append  CPU to add a page of 10 and paint it, at 50,000 loaded over at 100 loaded (linear loading: ~1),
          less an idle pause; median of 20 pages. The DataTable's own ratio beside.
  bulk    `show_emails` of 50,000 (a refresh, a filter switch) with the cursor on row 45,000, until painted:
          CPU and wall time, target 100 ms. Baseline: DataTable clear + add_rows.

    python tests/benchmarks/bench_list.py            # ~5 min on 2 cores (the DataTable's 50,000 rows)
    python tests/benchmarks/bench_list.py --quick    # 5,000 rows, 3 rounds: ~1 min
    python tests/benchmarks/bench_list.py --json     # {"figures": [{name, value, baseline, ratio, target, met}]}

`measure(rows=..., rounds=...)` returns the figures for `python -m tui.bench` to call.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import statistics
import sys
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from textual.app import App, ComposeResult  # noqa: E402
from textual.pilot import Pilot  # noqa: E402
from textual.widgets import DataTable  # noqa: E402

from tui.render.dates import short_time  # noqa: E402
from tui.render.email_text import status_label  # noqa: E402
from tui.render.rows import ATTACHMENT_MARK, COLUMNS, LABELS  # noqa: E402
from tui.widgets.email_list import EmailList  # noqa: E402
from tui.zoho.models import Email  # noqa: E402

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)
SIZE = (80, 24)
UNBOUND_KEY = "f19"  # no binding anywhere: what a press costs the pilot itself
PAGE = 10
APPENDED_PAGES = 20  # the append figure is the median of this many pages
MEMORY_ROWS = 5_000
WARM_UP = 100  # rows shown before memory is traced


def now() -> datetime:
    return NOW


def make_emails(count: int) -> list[Email]:
    """`count` distinct emails: LEAD_BULK's mailbox under seed 1, 2, … (5,000 each)."""
    from tui.sandbox.data import LEAD_BULK, SandboxData

    emails: list[Email] = []
    seed = 1
    while len(emails) < count:
        data = SandboxData(seed)
        mailbox = data.mailbox(data.record(*LEAD_BULK))
        for n in mailbox.positions(None, None):
            email = Email.parse(mailbox.list_item(n))
            if email is not None:
                emails.append(email)
            if len(emails) == count:
                break
        seed += 1
    return emails


def table_row(email: Email) -> tuple[str, ...]:
    """The six strings the list draws for `email`, as a DataTable is given them."""
    people = email.to
    to = "—" if not people else people[0].display + (f" +{len(people) - 1}" if len(people) > 1 else "")
    return (
        short_time(email.time, now=NOW) if email.time else "—",
        email.sender.display if email.sender else "—",
        to,
        email.subject or "(no subject)",
        status_label(email.status),
        ATTACHMENT_MARK if email.has_attachment else "",
    )


class ListApp(App):
    """The figure: the app's EmailList, alone."""

    def compose(self) -> ComposeResult:
        yield EmailList(now=now, id="list")

    def on_mount(self) -> None:
        self.query_one(EmailList).table.focus()

    @property
    def widget(self) -> EmailList:
        return self.query_one(EmailList)

    def show(self, emails: list[Email], cursor: int = 0) -> None:
        self.widget.show_emails(emails, cursor_id=emails[cursor].message_id if emails else None)

    def add(self, shown: list[Email], page: list[Email]) -> None:
        shown.extend(page)  # as the record model does, then tells the list
        self.widget.add_emails(page)

    def move_cursor(self, row: int) -> None:
        self.widget.table.move_cursor(row=row)

    @property
    def cursor_row(self) -> int:
        return self.widget.table.cursor_row


class TableApp(App):
    """The baseline: a bare DataTable with a row cursor, given the same strings."""

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row", id="list")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*(LABELS[key] for key in COLUMNS))
        table.focus()

    @property
    def widget(self) -> DataTable:
        return self.query_one(DataTable)

    def show(self, emails: list[Email], cursor: int = 0) -> None:
        table = self.widget
        table.clear()
        table.add_rows(table_row(e) for e in emails)
        table.move_cursor(row=cursor)

    def add(self, shown: list[Email], page: list[Email]) -> None:
        shown.extend(page)
        self.widget.add_rows(table_row(e) for e in page)

    def move_cursor(self, row: int) -> None:
        self.widget.move_cursor(row=row)

    @property
    def cursor_row(self) -> int:
        return self.widget.cursor_row


async def settle(pilot: Pilot) -> None:
    await pilot.pause()
    await pilot.pause()


async def cpu(action: Callable[[], Awaitable[None]]) -> float:
    start = time.process_time()
    await action()
    return time.process_time() - start


async def press_cpu(pilot: Pilot, key: str, times: int) -> float:
    """CPU per press of `key` less that of the unbound key (the pilot's fixed cost)."""

    async def press(k: str) -> None:
        for _ in range(times):
            await pilot.press(k)

    moved = await cpu(lambda: press(key))
    idle = await cpu(lambda: press(UNBOUND_KEY))
    return (moved - idle) / times


async def moves(app: ListApp | TableApp, pilot: Pilot, row: int, times: int = 16) -> tuple[float, float]:
    """(CPU of a move that scrolls one line, of a move inside the view), around row `row`."""
    app.move_cursor(row - 1000)
    app.move_cursor(row)  # coming from above: the cursor's row is the last line in view
    await settle(pilot)
    scrolling = await press_cpu(pilot, "down", times)  # each scrolls the view a line
    inside = await press_cpu(pilot, "up", times)  # back inside the view (it shows more than `times` rows)
    assert app.cursor_row == row, (app.cursor_row, row)
    return scrolling, inside


async def append_cpu(app: ListApp | TableApp, pilot: Pilot, shown: list[Email], pages: list[list[Email]]) -> float:
    """CPU to add each page and paint it, less an idle pause; median over the pages."""
    costs = []
    for page in pages:
        await settle(pilot)
        idle = await cpu(lambda: pilot.pause())

        async def add(page: list[Email] = page) -> None:
            app.add(shown, page)
            await pilot.pause()

        costs.append(await cpu(add) - idle)
    return statistics.median(costs)


async def bulk(app: ListApp | TableApp, pilot: Pilot, emails: list[Email], cursor: int) -> tuple[float, float]:
    """(CPU, wall) of showing `emails` anew with the cursor on row `cursor`, until painted."""
    await settle(pilot)
    wall, start = time.perf_counter(), time.process_time()
    app.show(emails, cursor)
    await pilot.pause()
    return time.process_time() - start, time.perf_counter() - wall


async def memory_per_1000(
    app_class: type[ListApp] | type[TableApp], emails: list[Email], strings_first: bool, size: tuple[int, int]
) -> float:
    """KiB traced per 1,000 emails shown and painted (the models made before)."""
    app = app_class()
    async with app.run_test(size=size) as pilot:
        # A first screenful shown and painted before: what any list allocates once (scrollbars, caches of
        # the lines in view) is not counted per email.
        app.show(emails[:WARM_UP])
        await settle(pilot)
        rows = [table_row(e) for e in emails] if strings_first else None
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        if rows is not None:
            table = app.widget
            table.clear()
            table.add_rows(rows)
        else:
            app.show(emails)
        await settle(pilot)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
        tracemalloc.stop()
    return grown / len(emails) * 1000 / 1024


def figure(name: str, value: float, baseline: float, target: float, unit: str, *, ratio: bool = True) -> dict:
    share = value / baseline if baseline else float("inf")
    met = (share if ratio else value) <= target
    return {"name": name, "value": round(value, 4), "baseline": round(baseline, 4), "ratio": round(share, 3),
            "target": target, "met": met, "unit": unit, "target_is": "ratio" if ratio else "value"}


async def run(rows: int, rounds: int, memory_rows: int, size: tuple[int, int]) -> list[dict]:
    everything = make_emails(rows + PAGE * APPENDED_PAGES)
    emails, extra = everything[:rows], everything[rows:]
    cursor = rows * 9 // 10
    small = emails[:100]
    figures: list[dict] = []

    # Memory: each variant in an app of its own, a round each in turn.
    kib = {"list": [], "table": [], "table without its strings": []}
    for _ in range(rounds):
        kib["list"].append(await memory_per_1000(ListApp, emails[:memory_rows], False, size))
        kib["table"].append(await memory_per_1000(TableApp, emails[:memory_rows], False, size))
        kib["table without its strings"].append(await memory_per_1000(TableApp, emails[:memory_rows], True, size))
    memory = {k: statistics.median(v) for k, v in kib.items()}
    figures.append(figure("memory per 1,000 emails in the list (KiB)", memory["list"], memory["table"], 1.5, "KiB"))
    figures.append(figure("  the same, the baseline's strings not counted", memory["list"],
                          memory["table without its strings"], 1.5, "KiB"))

    # The rest: each round opens each app in turn (two apps open at once do not both paint).
    pages = [extra[i : i + PAGE] for i in range(0, len(extra), PAGE)]
    results: dict[str, dict[str, list[float]]] = {"list": {}, "table": {}}
    for _ in range(rounds):
        for variant, app_class in (("list", ListApp), ("table", TableApp)):
            got = results[variant]
            app = app_class()
            async with app.run_test(size=size) as pilot:
                await settle(pilot)
                shown = list(emails)
                cpu_s, wall_s = await bulk(app, pilot, shown, cursor)  # also the other figures' rows
                got.setdefault("bulk_cpu", []).append(cpu_s)
                got.setdefault("bulk_wall", []).append(wall_s)
                scrolling, inside = await moves(app, pilot, cursor)
                got.setdefault("scroll", []).append(scrolling)
                got.setdefault("inside", []).append(inside)
                got.setdefault("append_large", []).append(await append_cpu(app, pilot, shown, pages))
                got.setdefault("bulk250_cpu", []).append((await bulk(app, pilot, emails[:250], 200))[0])
                shown = list(small)
                app.show(shown)
                got.setdefault("append_small", []).append(await append_cpu(app, pilot, shown, pages))
            del app
            gc.collect()

    med = {v: {k: statistics.median(x) for k, x in r.items()} for v, r in results.items()}
    ms = 1000
    at = f"row {cursor:,} of {rows:,}, {size[0]}x{size[1]}"
    figures.append(figure(f"cursor move that scrolls, CPU ms ({at})", med["list"]["scroll"] * ms,
                          med["table"]["scroll"] * ms, 0.5, "ms"))
    figures.append(figure(f"cursor move inside the view, CPU ms ({at})", med["list"]["inside"] * ms,
                          med["table"]["inside"] * ms, 0.5, "ms"))
    list_growth = med["list"]["append_large"] / med["list"]["append_small"]
    table_growth = med["table"]["append_large"] / med["table"]["append_small"]
    figures.append({"name": f"adding a page at {rows:,} loaded over at 100 (list; baseline: DataTable's)",
                    "value": round(list_growth, 3), "baseline": round(table_growth, 3),
                    "ratio": round(list_growth, 3), "target": 1.5, "met": list_growth <= 1.5, "unit": "x",
                    "target_is": "value",
                    "detail": {v: {"at_100_ms": med[v]["append_small"] * ms,
                                   f"at_{rows}_ms": med[v]["append_large"] * ms} for v in med}})
    figures.append(figure(f"show_emails of {rows:,} until painted, CPU ms (baseline: DataTable clear + add_rows)",
                          med["list"]["bulk_cpu"] * ms, med["table"]["bulk_cpu"] * ms, 100, "ms", ratio=False))
    figures.append(figure(f"show_emails of {rows:,} until painted, wall ms", med["list"]["bulk_wall"] * ms,
                          med["table"]["bulk_wall"] * ms, 100, "ms", ratio=False))
    figures.append(figure("show_emails of 250 until painted, CPU ms", med["list"]["bulk250_cpu"] * ms,
                          med["table"]["bulk250_cpu"] * ms, 100, "ms", ratio=False))
    return figures


def measure(
    rows: int = 50_000, rounds: int = 5, memory_rows: int = MEMORY_ROWS, size: tuple[int, int] = SIZE
) -> list[dict]:
    return asyncio.run(run(rows, rounds, memory_rows, size))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="5,000 rows, 3 rounds")
    parser.add_argument("--size", default="80x24", help="terminal size, WIDTHxHEIGHT")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows, rounds = (5_000, 3) if args.quick else (args.rows, args.rounds)
    started = time.perf_counter()
    size = tuple(int(n) for n in args.size.split("x"))
    figures = measure(rows, rounds, min(MEMORY_ROWS, rows), size)
    if args.json:
        print(json.dumps({"figures": figures}, indent=2))
        return 0
    print(f"Email list vs a bare DataTable, {rows:,} emails, {size[0]}x{size[1]}, median of {rounds} interleaved"
          f" rounds ({time.perf_counter() - started:.0f} s)\n")
    print("| figure | list | DataTable | ratio | target | met |")
    print("| --- | ---: | ---: | ---: | --- | --- |")
    for f in figures:
        target = f"{'ratio' if f['target_is'] == 'ratio' else 'value'} ≤ {f['target']}"
        print(f"| {f['name']} | {f['value']:,.2f} | {f['baseline']:,.2f} | {f['ratio']:.3f} | {target} |"
              f" {'met' if f['met'] else 'MISSED'} |")
        if "detail" in f:
            for variant, detail in f["detail"].items():
                print(f"|   {variant}: " + ", ".join(f"{k} {v:.2f}" for k, v in detail.items()) + " | | | | | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
