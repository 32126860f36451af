"""The project's reference files in shared/ beside the repo: Zoho's OpenAPI files, the API's doc page.

CI lays shared/ beside its clone, so there a missing file is a broken setup and fails.
Elsewhere (a clone on its own, as the README's test command runs it) the tests that
read them are skipped, saying why, and everything else still runs.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def shared_path(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        reason = f"{path} is missing: these tests read the project's shared/ folder, beside the repo"
        if os.environ.get("CI"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return path
