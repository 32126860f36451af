"""Figure 9: `crm-emails export` of the 5,000-email record from `crm-emails sandbox` on loopback.

- Wall time, against the minimal httpx pager (`tui.bench.pager`) paging the same server,
  runs taking turns.
- Peak memory of the export process on its own (a small interpreter runs it and reads its
  children's peak RSS), against its floor: the same export of a record with no emails,
  which imports and sets up everything and holds no email.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from tui.bench import procs
from tui.bench.figures import interleaved


def export_runs(env: Mapping[str, str], folder: Path, rounds: int) -> dict[str, list[float]]:
    from tui.sandbox.data import LEAD_BULK, LEAD_EMPTY

    out = folder / "export.jsonl"
    paged = folder / "paged.jsonl"
    with procs.SandboxServer(env) as server:
        export = [*procs.crm_emails(), "export", *LEAD_BULK, "-o", str(out)]
        pager = [procs.PYTHON, "-m", "tui.bench.pager", *LEAD_BULK, str(paged)]
        pager_env = {**server.env, "ZOHO_ACCESS_TOKEN": server.access_token()}
        empty = [*procs.crm_emails(), "export", *LEAD_EMPTY, "-o", str(folder / "empty.jsonl")]
        procs.wall(export, server.env)  # unmeasured: the bytecode cache, the token cache
        procs.wall(pager, pager_env)
        samples = interleaved(
            {"export": lambda: procs.wall(export, server.env), "pager": lambda: procs.wall(pager, pager_env)},
            rounds,
        )
        if sum(1 for _ in open(out, "rb")) != 5000 or sum(1 for _ in open(paged, "rb")) != 5000:
            raise RuntimeError("the export or the pager did not write 5,000 emails")
        memory = interleaved(  # a process's peak varies by under 1 %: three of each are plenty
            {
                "export_peak": lambda: procs.peak_rss_mib(export, server.env),
                "floor_peak": lambda: procs.peak_rss_mib(empty, server.env),
            },
            min(rounds, 3),
        )
    return {**samples, **memory}
