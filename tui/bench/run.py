"""The command: every figure of issue 9 beside its baseline, one Markdown table (or JSON).

    python -m tui.bench            # the full run: 50,000 emails, medians of 5 (under six minutes on 2 cores)
    python -m tui.bench --quick    # for development: 3,000 emails, medians of 2 (under a minute)
    python -m tui.bench --json     # {"figures": [{"name", "value", "baseline", "ratio", "target", "met"}, ...]}

Absolute times depend on the machine and on what else runs on it; the ratios are what
the targets are about. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui.bench import data, procs
from tui.bench.figures import Figure, Target, as_json, median, table


@dataclass(frozen=True)
class Plan:
    emails: int  # the big record's emails in the list and store figures
    rounds: int  # medians of this many (whole processes and in-process rounds)
    reopen_rounds: int  # figure 2's: its ratio sits near its target, and one launch's time varies by ±15 % here
    help_rounds: int
    presses: int  # key presses per CPU sample
    memory_runs: int  # fresh processes of each kind for figure 4 (its RSS: not timed)
    menu_runs: int  # fresh processes per menu (each gives one first opening); 0: the three in one process
    menu_later: int
    reopen_patience: float


FULL = Plan(emails=50_000, rounds=5, reopen_rounds=15, help_rounds=15, presses=20, memory_runs=2, menu_runs=5,
            menu_later=3, reopen_patience=10.0)
QUICK = Plan(emails=3_000, rounds=2, reopen_rounds=2, help_rounds=5, presses=5, memory_runs=1, menu_runs=0,
             menu_later=2, reopen_patience=4.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tui.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3,000 emails, fewer rounds: under a minute")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the Markdown table")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="crm-emails-bench-") as tmp:
        figures = measure(plan, Path(tmp))
    elapsed = time.perf_counter() - started
    if args.json:
        print(as_json(figures))
    else:
        mode = "quick" if args.quick else "full"
        print(f"crm-emails performance ({mode} run, {elapsed:.0f} s, {os.cpu_count()} cores, "
              f"Python {sys.version.split()[0]})\n")
        print(table(figures))
    return 0


_STARTED = time.perf_counter()


def say(step: str) -> None:
    print(f"tui.bench [{time.perf_counter() - _STARTED:5.0f} s] {step}", file=sys.stderr, flush=True)


def measure(plan: Plan, folder: Path) -> list[Figure]:
    from tui.bench import export, start

    pycache = folder / "pycache"
    homes = {name: folder / name.lower() for name in ("XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME",
                                                     "XDG_CONFIG_HOME", "XDG_RUNTIME_DIR")}
    for home in homes.values():
        home.mkdir(mode=0o700)
    env = procs.child_env(pycache, **{name: str(path) for name, path in homes.items()})
    say(f"writing {plan.emails:,} emails of the sandbox")
    emails_file = data.write_emails(folder, plan.emails)
    figures: list[Figure] = []

    # Neither is timed: the memory figure's processes and the store figure's store, side by side.
    say(f"4. memory ({plan.memory_runs} processes each, {plan.emails:,} emails), and a store of them for 2")
    store = folder / "store.sqlite3"
    with ThreadPoolExecutor(max_workers=1) as builder:
        stored_needle = builder.submit(start.build_store, store, emails_file, plan.emails)
        memory = _memory(env, emails_file, plan)
        reopen_needle = stored_needle.result()

    say("1. first paint (whole processes in a pseudo-terminal)")
    paint = start.first_paint_runs(env, plan.rounds)
    figures.append(Figure("1", "first paint: launch to page one painted, 80×24", median(paint["app"]) * 1000,
                          median(paint["bare"]) * 1000, "ms", Target(1.3), "bare DataTable app"))
    imports = start.import_runs(env, plan.rounds)
    figures.append(Figure("1", "imports until that paint (-X importtime)", median(imports["app"]),
                          median(imports["bare"]), "ms", Target(None), "bare DataTable app"))

    say(f"2. reopen from the store ({plan.emails:,} stored emails)")
    start.REOPEN_PATIENCE_S = plan.reopen_patience
    reopen = start.reopen_runs(env, folder, store, reopen_needle, plan.reopen_rounds)
    if "note" in reopen:
        say(f"   the stored list was not painted: {reopen['note'][0][:300]}")
    figures.append(Figure("2", f"reopen: first page of a stored {plan.emails:,}-email record",
                          median(reopen["stored"]) * 1000, median(reopen["ten"]) * 1000, "ms", Target(1.0),
                          "10 emails from the sandbox"))

    say("3. --help")
    helped = start.help_runs(env, plan.help_rounds)
    figures.append(Figure("3", "`crm-emails --help`", median(helped["help"]) * 1000, median(helped["pass"]) * 1000,
                          "ms", Target(1.5), "python -c pass"))

    per_thousand = {k: [(r["after"] - r["before"]) / plan.emails * 1000 for r in runs] for k, runs in memory.items()}
    figures.append(Figure("4", "memory per 1,000 emails in the list", median(per_thousand["app"]),
                          median(per_thousand["bare"]), "MiB", Target(1.5), "DataTable of the same strings"))
    rss_mb = {k: [r["after"] * 1.048576 for r in runs] for k, runs in memory.items()}
    figures.append(Figure("4", f"RSS with {plan.emails:,} emails loaded", median(rss_mb["app"]), median(rss_mb["bare"]),
                          "MB", Target(250, "value", "MB"), "DataTable of the same strings"))

    say(f"5, 6. the list at {plan.emails:,} emails: scroll, append, refresh, filter, search")
    listed = procs.run_child("list", env, str(emails_file), str(plan.emails), str(plan.rounds), str(plan.presses),
                             timeout=1800)
    row = f"{listed['cursor']:,}"
    for size, limit in (("80x24", 0.5), ("160x48", 0.6)):
        shown = "80×24" if size == "80x24" else "160×48, list and email"
        scroll = listed[f"scroll_{size}"]
        figures.append(Figure("5", f"CPU per cursor move at row {row}, {shown}", median(scroll["app"]) * 1000,
                              median(scroll["bare"]) * 1000, "ms", Target(limit), "bare DataTable"))
    figures.append(Figure("6", f"append a page at {plan.emails:,} loaded, 80×24 (CPU)",
                          median(listed["append_at_all"]) * 1000, median(listed["append_at_100"]) * 1000, "ms",
                          Target(1.5), "at 100"))
    for key, what in (("refresh", "refresh (10 new on top)"), ("switch", "filter switch"), ("search", "search filter")):
        figures.append(Figure("6", f"{what} at {plan.emails:,} loaded, 80×24, to its last frame",
                              median(listed[f"{key}_all"]) * 1000, median(listed[f"{key}_250"]) * 1000, "ms",
                              Target(100, "value", "ms"), "at 250"))

    say("7. API calls")
    calls = procs.run_child("economy", env)
    figures.append(Figure("7", "detail calls for 100 `j` at 30/s, 160×48", calls["held_details"], 1, "calls",
                          Target(2, "value"), "ideal"))
    figures.append(Figure("7", "detail calls revisiting an email read before", calls["revisit_details"], 0, "calls",
                          Target(0, "value"), "ideal"))
    figures.append(Figure("7", f"list calls for all {calls['emails']} emails", calls["list_calls"],
                          math.ceil(calls["emails"] / 10), "calls", Target(1.0), "⌈N/10⌉"))
    figures.append(Figure("7", "pages read twice", calls["pages_twice"], 0, "pages", Target(0, "value"), "ideal"))

    say("8. the 2 MB newsletter")
    body = procs.run_child("bodies", env, str(plan.rounds))
    html2text_ms = median(body["html2text"]) * 1000
    figures.append(Figure("8", "2 MB newsletter: first screenful of body", median(body["first"]) * 1000,
                          html2text_ms, "ms", Target(150, "value", "ms"), "html2text alone, whole"))
    figures.append(Figure("8", "2 MB newsletter: full text on screen", median(body["full"]) * 1000, html2text_ms,
                          "ms", Target(1.3), "html2text alone"))
    figures.append(Figure("8", "slowest key while it converts", median(body["keys"]) * 1000, None, "ms",
                          Target(50, "value", "ms")))

    say("9. export (against `crm-emails sandbox` on loopback)")
    exported = export.export_runs(env, folder, plan.rounds)
    figures.append(Figure("9", "export of 5,000 emails: wall time", median(exported["export"]),
                          median(exported["pager"]), "s", Target(1.2), "minimal httpx pager"))
    figures.append(Figure("9", "export: peak memory of the process", median(exported["export_peak"]),
                          median(exported["floor_peak"]), "MiB", Target(1.2), "export of 0 emails"))

    menus = ("t", "?", "ctrl+p")
    if plan.menu_runs:
        say(f"10. menus ({plan.menu_runs} fresh processes each)")
        opened = {which: [procs.run_child("menus", env, which, str(plan.menu_later))[which]
                          for _ in range(plan.menu_runs)] for which in menus}
    else:  # quick: the three in one process, each opened first in it once
        say("10. menus (one process)")
        both = procs.run_child("menus", env, ",".join(menus), str(plan.menu_later))
        opened = {which: [both[which]] for which in menus}
    for which in menus:
        firsts = [r["first"] for r in opened[which]]
        later = [t for r in opened[which] for t in r["later"]]
        figures.append(Figure("10", f"first `{which}` after launch", median(firsts) * 1000, median(later) * 1000,
                              "ms", Target(1.5), "later ones"))
    return sorted(figures, key=lambda figure: int(figure.key))


def _memory(env: dict[str, str], emails_file: Path, plan: Plan) -> dict[str, list[dict[str, float]]]:
    """Each variant in fresh processes, two at a time (memory is not timed)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures: dict[str, list[Any]] = {
            variant: [
                pool.submit(procs.run_child, "memory", env, str(emails_file), str(plan.emails), variant)
                for _ in range(plan.memory_runs)
            ]
            for variant in ("app", "bare")
        }
        return {variant: [future.result() for future in runs] for variant, runs in futures.items()}
