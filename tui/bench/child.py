"""`python -m tui.bench.child NAME ARGS...`: one group of in-process figures in a fresh interpreter.

Prints one JSON object (the samples) as its last line. Run by `tui.bench.run`; each group
gets its own process so that its memory, and what it pays the first time, are its own.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any


def main(argv: list[str]) -> int:
    os.environ.setdefault("CRM_EMAILS_NO_STORE", "1")  # the in-process figures read the sandbox
    name, args = argv[0], argv[1:]
    with tempfile.TemporaryDirectory(prefix="crm-emails-bench-") as folder:
        result = asyncio.run(_run(name, args, Path(folder)))
    print(json.dumps(result))
    return 0


async def _run(name: str, args: list[str], folder: Path) -> Any:
    if name == "memory":
        from tui.bench import listing

        path, count, variant = Path(args[0]), int(args[1]), args[2]
        if variant == "app":
            return await listing.memory_of_app(path, count, folder)
        return await listing.memory_of_datatable(path, count, folder)
    if name == "list":
        from tui.bench.listing import list_figures

        return await list_figures(Path(args[0]), int(args[1]), int(args[2]), int(args[3]), folder)
    if name == "economy":
        from tui.bench.economy import api_calls

        return await api_calls(folder)
    if name == "bodies":
        from tui.bench.bodies import big_body

        return await big_body(folder, int(args[0]))
    if name == "menus":
        from tui.bench.menus import menu_openings

        return await menu_openings(folder, args[0].split(","), int(args[1]))
    raise SystemExit(f"no bench child named {name!r}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
