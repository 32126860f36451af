"""`python -m tui.bench` runs, and its JSON has every figure of issue 9. No timing is asserted here:
the figures are for people to read (README, Performance), not for a loaded machine to fail."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter

# Issue 9's figures, by number: how many rows each is measured as.
ROWS = {"1": 2, "2": 1, "3": 1, "4": 2, "5": 2, "6": 4, "7": 4, "8": 3, "9": 2, "10": 3}
KEYS = {"name", "value", "baseline", "ratio", "target", "met"}


def test_the_quick_run_reports_every_figure(tmp_path):
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "tui.bench", "--quick", "--json"],
        capture_output=True, text=True, timeout=600, env=env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout)["figures"]
    assert Counter(figure["name"].split(".", 1)[0] for figure in figures) == ROWS
    for figure in figures:
        assert KEYS <= set(figure), figure
        assert isinstance(figure["name"], str) and isinstance(figure["target"], str)
        for key in ("value", "baseline", "ratio"):
            assert figure[key] is None or isinstance(figure[key], (int, float)), figure
        assert figure["met"] in (True, False, None), figure
