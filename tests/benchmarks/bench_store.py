"""The local store at 50,000 emails with bodies: size, search per keystroke, `crm-emails search` as a process.

Builds the store from the sandbox: LEAD_BULK's 5,000 emails under ten seeds
(ten records of different content), each saved page by page as the app
would, and every email's detail saved (its HTML converted to text). Then:

- size per 1,000 emails with bodies (database + WAL, after a checkpoint);
- each keystroke of a few queries typed letter by letter (the last word a
  prefix), limit 200, across the scope and within one record;
- `crm-emails search QUERY` as a whole process (python -m tui), the target
  being 0.3 s;
- opening the store with and without `PRAGMA quick_check`.

    python tests/benchmarks/bench_store.py                    # builds in a temp dir (~3 min), then measures
    python tests/benchmarks/bench_store.py --store S.sqlite3  # reuse (or build once into) S.sqlite3
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tui.sandbox.data import LEAD_BULK, SandboxData  # noqa: E402
from tui.store import Store  # noqa: E402
from tui.store.query import QueryError, parse  # noqa: E402

SEEDS = range(1, 11)
TYPED = ["newsletter", "invoice", "from:zylker", "tables speed", "status:opened digest", "-status:bounced engine"]


def build(path: Path) -> None:
    started = time.perf_counter()
    with Store.open(path) as store:
        scope = store.scope("bench", "org", label="Benchmark")
        for seed in SEEDS:
            data = SandboxData(seed)
            record = data.record(*LEAD_BULK)
            mailbox = data.mailbox(record)
            positions = mailbox.positions(None, None)
            record_id = f"{LEAD_BULK[1]}{seed:02d}"
            store.remember_record(scope, LEAD_BULK[0], record_id, f"{record.name} {seed}")
            for start in range(0, len(positions), 10):
                items = [mailbox.list_item(n) for n in positions[start : start + 10]]
                store.append_page(scope, LEAD_BULK[0], record_id, "", items, next_index=f"{start}",
                                  more=start + 10 < len(positions))
                for n, entry in zip(positions[start : start + 10], items):
                    store.save_detail(scope, entry["message_id"], mailbox.detail(n))
            print(f"  seed {seed}: {len(positions)} emails, {time.perf_counter() - started:.0f} s", flush=True)
        store._checkpoint()


def keystrokes(text: str) -> list[str]:
    return [text[:n] for n in range(1, len(text) + 1) if not text[:n].endswith((" ", ":", "-"))]


def measure_typing(store: Store, scope, **where) -> list[tuple[str, float, int]]:
    rows = []
    for text in TYPED:
        for typed in keystrokes(text):
            try:
                parse(typed)
            except QueryError:
                continue  # a half-typed date: the app keeps the last results
            times = []
            for _ in range(3):
                started = time.perf_counter()
                result = store.search(scope, typed, limit=200, **where)
                times.append(time.perf_counter() - started)
            rows.append((typed, min(times), result.total))
    return rows


def measure_process(path: Path, query: str, runs: int = 7) -> float:
    env = {**os.environ, "CRM_EMAILS_STORE": str(path)}
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "tui", "search", "--profile", "bench", "--limit", "200", query],
                       env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, help="store file to reuse (built there when missing)")
    parser.add_argument("--like", action="store_true", help="also time the LIKE fallback (minutes: ~1 s a keystroke)")
    args = parser.parse_args()
    path = args.store or Path(tempfile.mkdtemp(prefix="bench-store-")) / "store.sqlite3"
    if not path.exists():
        print(f"building {path} ...", flush=True)
        started = time.perf_counter()
        build(path)
        print(f"built in {time.perf_counter() - started:.0f} s")

    started = time.perf_counter()
    store = Store.open(path, check=True)
    opened_checked = time.perf_counter() - started
    store.close()
    started = time.perf_counter()
    store = Store.open(path, check=False)
    opened_unchecked = time.perf_counter() - started
    stats = store.stats()
    scope = store.scope("bench", "org")
    print(f"\n{stats.emails:,} emails, {stats.bodies:,} bodies, {stats.size / 1e6:.1f} MB: "
          f"{stats.size / 1e6 / (stats.emails / 1000):.2f} MB per 1,000 emails with bodies")
    print(f"open with quick_check {opened_checked * 1000:.0f} ms, without {opened_unchecked * 1000:.0f} ms")

    for label, where in (("whole scope", {}), ("one record", {"module": LEAD_BULK[0], "record_id": f"{LEAD_BULK[1]}01",
                                                               "filter_key": ""})):
        rows = measure_typing(store, scope, **where)
        worst = max(rows, key=lambda r: r[1])
        print(f"\nkeystrokes, {label} (limit 200): median {statistics.median(r[1] for r in rows) * 1000:.1f} ms, "
              f"worst {worst[1] * 1000:.1f} ms ({worst[0]!r}, {worst[2]:,} matches)")
        for typed, seconds, total in rows:
            print(f"  {typed!r:28} {seconds * 1000:7.1f} ms {total:7,} matches")
    for mode in (False,) if args.like else ():
        store.full_text = mode
        rows = measure_typing(store, scope)
        print(f"\nLIKE fallback, whole scope: median {statistics.median(r[1] for r in rows) * 1000:.0f} ms, "
              f"worst {max(r[1] for r in rows) * 1000:.0f} ms")
    store.close()

    for query in ("invoice", "newsl", "from:zylker status:opened"):
        print(f"\ncrm-emails search {query!r} (a whole process, median of 7): {measure_process(path, query) * 1000:.0f} ms")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    print(f"(python -c pass: {(time.perf_counter() - started) * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
