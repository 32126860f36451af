"""The email list at scale: 5,000 emails (500 pages of 10) in the app's EmailList vs a ListView.

Both variants get the same rows: the 5,000 emails of the sandbox's LEAD_BULK
record, fetched through the in-process sandbox before the clock starts.

  figure    tui.widgets.email_list.EmailList (a RowTable: draws only the rows in view)
  baseline  a textual ListView with one ListItem(Label(row)) per email, the row being
            the same cells (time, from, to, subject, status, attachment) on one line

Measured for each, in the same run, each variant in its own child process
(so one's memory does not count against the other):
  - time to append 499 pages, one page at a time as fast as the widget takes them
    (one refresh at the end), then the time of the 500th page with the refresh
    that shows it: the cost of a page arriving when 4,990 rows are in;
  - time per cursor move (`down`, through Pilot.press) with the cursor at row 4,000;
  - memory: RSS after the rows minus RSS before them (after gc), and the peak RSS.

Bounded: a variant that has not appended every page after --budget seconds
stops there and says how many rows it reached.

Run: python tests/benchmarks/bench_email_list.py [--budget SECONDS]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

PAGES = 500
CURSOR_ROW = 4000
MOVES = 20
SIZE = (160, 48)
now = time.perf_counter


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def fetch_pages() -> list:
    from tui.sandbox.data import LEAD_BULK
    from tui.connect import demo_client

    client, _sandbox = demo_client()
    pages = []
    async with client:
        async for page in client.iter_email_pages(*LEAD_BULK):
            pages.append(list(page.emails))
    return pages


def row_text(email, widths):
    """The EmailList's cells, joined into one line for the ListView."""
    from rich.text import Text

    from tui.render.dates import short_time
    from tui.render.email_text import status_label
    from tui.render.safe import one_line
    from tui.render.rows import ATTACHMENT_MARK, recipients_cell

    def cell(value: str, width: int) -> Text:
        text = Text(one_line(value), no_wrap=True, overflow="ellipsis", end="")
        text.truncate(width, overflow="ellipsis", pad=True)
        return text

    to = recipients_cell(email.to, widths["to"])
    to.truncate(widths["to"], pad=True)
    parts = [
        cell(short_time(email.time) if email.time else "—", widths["time"]),
        cell(email.sender.display if email.sender else "—", widths["from"]),
        to,
        cell(email.subject or "(no subject)", widths["subject"]),
        cell(status_label(email.status), widths["status"]),
        cell(ATTACHMENT_MARK if email.has_attachment else "", widths["attachment"]),
    ]
    return Text(" ", no_wrap=True, end="").join(parts)


async def run_variant(variant: str, budget: float) -> dict:
    from textual.app import App
    from textual.widgets import Label, ListItem, ListView

    from tui.render.rows import column_widths
    from tui.widgets.email_list import EmailList

    pages = await fetch_pages()
    assert len(pages) == PAGES and sum(map(len, pages)) == PAGES * 10, (len(pages), sum(map(len, pages)))

    class Host(App):
        def compose(self):
            if variant == "datatable":
                yield EmailList(id="list")
            else:
                yield ListView(id="list")

    app = Host()
    result: dict = {"variant": variant}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        widget = app.query_one("#list")
        if variant == "listview":
            widths = column_widths(SIZE[0] - 2, 12)
            rows = [[row_text(e, widths) for e in page] for page in pages]
        widget.focus() if variant == "listview" else widget.table.focus()
        await pilot.pause()
        gc.collect()
        before = rss_mb()

        async def append(page_number: int) -> None:
            if variant == "datatable":
                widget.add_emails(pages[page_number])
            else:
                await widget.extend([ListItem(Label(text, markup=False)) for text in rows[page_number]])

        # Every page but the last, as fast as the widget takes them; one refresh at the end.
        added = 0
        start = now()
        for page_number in range(PAGES - 1):
            await append(page_number)
            added += len(pages[page_number])
            if now() - start > budget:
                break
        await pilot.pause()
        result["append_s"] = now() - start
        # The last page on its own, with the refresh that shows it: the cost of a page at scale.
        if added == (PAGES - 1) * 10:
            start = now()
            await append(PAGES - 1)
            await pilot.pause()
            result["last_page_s"] = now() - start
            added += len(pages[-1])
        result["rows"] = added
        gc.collect()
        result["rss_delta_mb"] = rss_mb() - before
        result["peak_rss_mb"] = peak_rss_mb()

        # Cursor moves at row 4,000 (or as far as the rows reached).
        row = min(CURSOR_ROW, added - MOVES - 1)
        if variant == "datatable":
            widget.table.move_cursor(row=row)
        else:
            widget.index = row
        await pilot.pause()
        await pilot.pause()
        moves = []
        for _ in range(MOVES):
            t = now()
            await pilot.press("down")
            moves.append(now() - t)
        position = widget.table.cursor_row if variant == "datatable" else widget.index
        assert position == row + MOVES, (position, row + MOVES)
        result["cursor_row"] = row
        result["move_median_s"] = statistics.median(moves)
        result["move_max_s"] = max(moves)
    return result


def child(variant: str, budget: float) -> None:
    print(json.dumps(asyncio.run(run_variant(variant, budget))))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=90.0, help="seconds allowed per variant to append the rows")
    parser.add_argument("--variant", choices=("datatable", "listview"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant:
        child(args.variant, args.budget)
        return 0

    results = {}
    for variant in ("datatable", "listview"):
        done = subprocess.run(
            [sys.executable, __file__, "--variant", variant, "--budget", str(args.budget)],
            capture_output=True, text=True, timeout=args.budget * 3 + 120,
        )
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            return 1
        results[variant] = json.loads(done.stdout.strip().splitlines()[-1])
    figure, baseline = results["datatable"], results["listview"]

    print(f"Email list with {PAGES * 10:,} emails ({PAGES} pages), {SIZE[0]}x{SIZE[1]}, each variant in its own process")
    if baseline["rows"] < PAGES * 10:
        print(f"ListView stopped at the {args.budget:.0f} s budget after {baseline['rows']:,} rows")
    print()
    header = f"{'metric':<40}{'figure: EmailList':>19}{'baseline: ListView':>20}   ratio (baseline/figure)"
    print(header)
    print("-" * len(header))
    lines = [
        ("rows appended", "rows", lambda v: f"{v:,}"),
        ("time to append 499 pages (s)", "append_s", lambda v: f"{v:.2f}"),
        ("append per page, average (ms)", None, None),
        ("last page at 4,990 rows + refresh (ms)", "last_page_s", lambda v: f"{v * 1000:.1f}"),
        (f"cursor move at row ~{CURSOR_ROW:,}, median (ms)", "move_median_s", lambda v: f"{v * 1000:.1f}"),
        (f"cursor move at row ~{CURSOR_ROW:,}, worst (ms)", "move_max_s", lambda v: f"{v * 1000:.1f}"),
        ("RSS growth for the rows (MB)", "rss_delta_mb", lambda v: f"{v:.1f}"),
        ("peak RSS of the process (MB)", "peak_rss_mb", lambda v: f"{v:.1f}"),
    ]
    for label, key, fmt in lines:
        if key is None:
            f = figure["append_s"] / (min(figure["rows"], (PAGES - 1) * 10) / 10) * 1000
            b = baseline["append_s"] / (min(baseline["rows"], (PAGES - 1) * 10) / 10) * 1000
            fa, ba = f"{f:.1f}", f"{b:.1f}"
        else:
            f, b = figure.get(key, float("nan")), baseline.get(key, float("nan"))
            fa, ba = fmt(f), fmt(b)
        ratio = f"{b / f:.1f}x" if key != "rows" and f else ""
        print(f"{label:<40}{fa:>19}{ba:>20}   {ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
