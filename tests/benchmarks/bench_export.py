"""Export throughput and memory: the 5,000-email record against `crm-emails sandbox` on loopback.

In the same run, against one `crm-emails sandbox --port 0` process:

  figure    `crm-emails export Leads <LEAD_BULK> -o FILE` (streams: one page in memory
            at a time, a JSON line per email)
  baseline  the same pages through the same client (tui.connect.open_client,
            iter_email_pages), collected into one list and written with a single
            json.dumps at the end: the whole list in memory

Each runs in its own child process; wall time is measured around it, and its
max RSS comes from os.wait4 (that child's own rusage). A third child that only
imports what export imports gives the floor both share. --repeat N runs each
N times (interleaved) and keeps the median wall time and the largest RSS.

Run: python tests/benchmarks/bench_export.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tui.sandbox.data import LEAD_BULK  # noqa: E402

EMAILS = 5000

BASELINE = """
import asyncio, json, sys
from tui.connect import open_client

async def main(module, record_id, path):
    async with await open_client() as client:
        rows = []
        async for page in client.iter_email_pages(module, record_id):
            rows.extend(page.raw_emails)
    with open(path, "w", encoding="utf-8") as out:
        out.write(json.dumps(rows, ensure_ascii=False, separators=(",", ":")))
    print(len(rows), file=sys.stderr)

asyncio.run(main(*sys.argv[1:4]))
"""

FLOOR = "import asyncio, json, httpx, tui.cli, tui.connect, tui.zoho.client"


def start_sandbox() -> tuple[subprocess.Popen, dict[str, str]]:
    server = subprocess.Popen(
        [sys.executable, "-m", "tui", "sandbox", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )
    exports: dict[str, str] = {}
    deadline = time.monotonic() + 30
    while "ZOHO_ACCOUNTS_URL" not in exports:
        if time.monotonic() > deadline:
            raise RuntimeError("the sandbox printed no banner")
        line = server.stdout.readline()
        if not line:
            raise RuntimeError(f"the sandbox exited: {server.stderr.read()}")
        if match := re.match(r"export (ZOHO_\w+)=(\S+)", line):
            exports[match[1]] = match[2].strip("'")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZOHO_")}
    env.update(exports)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"  # the environment holds the credentials
    env["PYTHONPATH"] = str(ROOT)
    return server, env


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, max RSS (MB) of that child alone, and its stderr."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=ROOT)
        _pid, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode()
    if child.returncode != 0:
        raise RuntimeError(f"{argv[:4]} failed ({child.returncode}): {text}")
    return wall, usage.ru_maxrss / 1024, text


def count_lines(path: Path) -> int:
    with open(path, "rb") as f:
        return sum(1 for _ in f)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    server, env = start_sandbox()
    runs: dict[str, list[tuple[float, float]]] = {"export": [], "baseline": [], "floor": []}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            streamed, collected = Path(tmp, "export.jsonl"), Path(tmp, "collected.json")
            for _ in range(args.repeat):
                wall, rss, _ = timed([sys.executable, "-m", "tui", "export", *LEAD_BULK, "-o", str(streamed)], env)
                assert count_lines(streamed) == EMAILS, count_lines(streamed)
                runs["export"].append((wall, rss))
                wall, rss, err = timed([sys.executable, "-c", BASELINE, *LEAD_BULK, str(collected)], env)
                assert int(err.split()[-1]) == EMAILS, err
                assert len(json.loads(collected.read_text())) == EMAILS
                runs["baseline"].append((wall, rss))
                runs["floor"].append(timed([sys.executable, "-c", FLOOR], env)[:2])
            sizes = (streamed.stat().st_size, collected.stat().st_size)
    finally:
        server.terminate()
        server.wait(timeout=10)

    def wall(name: str) -> float:
        return statistics.median(w for w, _ in runs[name])

    def rss(name: str) -> float:
        return max(r for _, r in runs[name])

    print(f"Export of {EMAILS:,} emails (LEAD_BULK, 500 pages) from `crm-emails sandbox` on loopback, "
          f"{args.repeat} runs each (median wall, largest max-RSS)")
    print(f"output: JSON Lines {sizes[0] / 1e6:.1f} MB; collected JSON {sizes[1] / 1e6:.1f} MB; "
          f"floor (imports only): {wall('floor'):.2f} s, {rss('floor'):.1f} MB")
    print()
    header = f"{'metric':<34}{'figure: export':>16}{'baseline: collect all':>23}   ratio (baseline/figure)"
    print(header)
    print("-" * len(header))
    f, b = wall("export"), wall("baseline")
    print(f"{'wall time (s)':<34}{f:>16.2f}{b:>23.2f}   {b / f:.2f}x")
    print(f"{'throughput (emails/s)':<34}{EMAILS / f:>16,.0f}{EMAILS / b:>23,.0f}   {(EMAILS / f) / (EMAILS / b):.2f}x")
    f, b = rss("export"), rss("baseline")
    print(f"{'max RSS (MB)':<34}{f:>16.1f}{b:>23.1f}   {b / f:.2f}x")
    floor = rss("floor")
    above = "— (export stays at the floor)" if f - floor < 1 else f"{(b - floor) / (f - floor):.1f}x"
    print(f"{'max RSS above the floor (MB)':<34}{f - floor:>16.1f}{b - floor:>23.1f}   {above}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
