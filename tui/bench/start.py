"""Start-up, as whole processes: 1 first paint, imports at start, 2 reopen from the store, 3 `--help`.

- First paint: `crm-emails --demo Leads <LEAD_MAIN>` in a pseudo-terminal at 80×24, from
  spawning it to its first row's subject in what it draws (no store: the record comes from
  the sandbox); the baseline is `tui.bench.bare`, a bare Textual app painting a 10-row
  DataTable of the same subjects, timed the same way.
- Imports at start: the same two launches under `-X importtime`, the top-level imports'
  cumulative time up to that first paint.
- Reopen from the store: a store holding CONTACT_HUGE's 50,000 emails (built with
  `tui.store.Store`, page by page, then complete); `crm-emails --demo Contacts
  <CONTACT_HUGE>` with CRM_EMAILS_STORE on a fresh copy of it, to the count "50,000 emails"
  on screen: only a list painted from the store knows it (page one from Zoho says "10
  loaded"), and the status line showing it is drawn in the same frame as the list. The
  subject cannot tell: the sync of page one, in-process at zero latency, can land before
  the first frame and replace it. Baseline: the 10-email record from the sandbox, no store.
- `--help`: `crm-emails --help` against `python -c pass`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from tui.bench import data, procs
from tui.bench.figures import interleaved

REOPEN_PATIENCE_S = 20.0


def _needle(subject: str) -> bytes:
    # The list cuts a subject to its column: its first characters are on screen whatever the width.
    return subject[:12].encode()


def _launches(env: Mapping[str, str]) -> tuple[list[str], list[str], bytes, dict[str, str]]:
    """(the app on the demo record, the bare DataTable app, what both paint first, their environment)."""
    from tui.sandbox.data import LEAD_MAIN

    subjects = data.demo_subjects()
    app = [*procs.crm_emails(), "--demo", *LEAD_MAIN]
    bare = [procs.PYTHON, "-m", "tui.bench.bare", *subjects]
    return app, bare, _needle(subjects[0]), {**env, "CRM_EMAILS_NO_STORE": "1"}


def first_paint_runs(env: Mapping[str, str], rounds: int) -> dict[str, list[float]]:
    app, bare, needle, env = _launches(env)
    for argv in (app, bare):  # unmeasured: fills the bytecode cache
        procs.first_paint(argv, needle, env)
    return interleaved(
        {"app": lambda: procs.first_paint(app, needle, env), "bare": lambda: procs.first_paint(bare, needle, env)},
        rounds,
    )


def import_runs(env: Mapping[str, str], rounds: int) -> dict[str, list[float]]:
    app, bare, needle, env = _launches(env)
    return interleaved(
        {"app": lambda: procs.import_ms(app, needle, env), "bare": lambda: procs.import_ms(bare, needle, env)},
        rounds,
    )


def help_runs(env: Mapping[str, str], rounds: int) -> dict[str, list[float]]:
    app = [*procs.crm_emails(), "--help"]
    bare = [procs.PYTHON, "-c", "pass"]
    procs.wall(app, env)
    procs.wall(bare, env)
    return interleaved({"help": lambda: procs.wall(app, env), "pass": lambda: procs.wall(bare, env)}, rounds)


def build_store(path: Path, emails_file: Path, count: int) -> bytes:
    """CONTACT_HUGE's first `count` emails stored as the app stores pages, the record remembered as opened (a
    record reopened is one opened before: its name is known without asking Zoho); what only a list painted
    from them shows."""
    from tui.sandbox.data import CONTACT_HUGE, SandboxData
    from tui.store import Store, feed_filter_key

    record = SandboxData().record(*CONTACT_HUGE)
    assert record is not None
    with Store.open(path, check=False) as store:
        scope = store.scope("demo", "sandbox", label="Demo data", demo=True)
        store.remember_record(scope, *CONTACT_HUGE, record.name, opened=True)
        for _index, answer in data.pages(emails_file, count):
            items = answer["Emails"]
            info = answer["info"]
            store.append_page(
                scope, *CONTACT_HUGE, feed_filter_key(), items,
                next_index=info["next_index"], more=bool(info["more_records"]),
            )
    return f"{count:,} emails".encode()


def reopen_runs(env: Mapping[str, str], folder: Path, store: Path, needle: bytes, rounds: int) -> dict[str, list[float]]:
    """Seconds to the first page painted: from the stored record, and of the 10-email record from the sandbox."""
    from tui.sandbox.data import CONTACT_HUGE, LEAD_TEN, SandboxData

    sandbox = SandboxData()
    ten_subject = sandbox.mailbox(sandbox.record(*LEAD_TEN)).list_item(0)["subject"]
    stored = [*procs.crm_emails(), "--demo", *CONTACT_HUGE]
    ten = [*procs.crm_emails(), "--demo", *LEAD_TEN]
    no_store = {**env, "CRM_EMAILS_NO_STORE": "1"}
    failed: list[str] = []

    def from_store() -> float:
        if failed:
            return float("nan")
        copy = folder / "reopen.sqlite3"
        for leftover in folder.glob("reopen.sqlite3*"):
            leftover.unlink()
        shutil.copyfile(store, copy)
        os.sync()  # the copy's 100 MB on disk now, not written back by the kernel while the launch is timed
        try:
            return procs.first_paint(stored, needle, {**env, "CRM_EMAILS_STORE": str(copy)},
                                     timeout=REOPEN_PATIENCE_S)
        except RuntimeError as error:  # the list was not painted from the store: missed, and said
            failed.append(str(error))
            return float("nan")

    def from_sandbox() -> float:
        os.sync()  # what the launch before wrote (a stored launch writes to its copy as it ends) is on disk too
        return procs.first_paint(ten, _needle(ten_subject), no_store)

    # Unmeasured, as every launch here: the stored one's first run compiles what only it imports (the store's
    # modules, sqlite3) into the bench's empty bytecode folder, and a start-up figure must not time the compiler.
    from_store()
    from_sandbox()
    samples = interleaved({"stored": from_store, "ten": from_sandbox}, rounds)
    if failed:
        samples["note"] = failed[:1]  # type: ignore[assignment]
    return samples
