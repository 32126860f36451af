"""Snapshots of watching a record (svgs in tests/app/__snapshots__/test_snapshots_watch/): the cost on the
status line, and the notification when the watch finds new emails. Deterministic as the record snapshots are."""

from __future__ import annotations

from tests.app.helpers import settle
from tests.app.record_helpers import demo, list_calls, record_screen, wait_until
from tui.sandbox.data import LEAD_MAIN
from tui.session.watch import Watch

WIDE = (160, 48)
NARROW = (80, 24)
EVERY_S = 120


def _watch_finds_new_emails(sandbox, *, then: tuple[str, ...] = (), keep_notice: bool = True):
    """Open the record, let three emails arrive, wait for the watch's check; press `then`."""

    async def run_before(pilot) -> None:
        await record_screen(pilot)
        before = len(list_calls(sandbox))
        sandbox.deliver(*LEAD_MAIN, count=3)
        await wait_until(pilot, lambda: len(list_calls(sandbox)) > before, "the watch's check", advance=1.0)
        await record_screen(pilot)
        await pilot.press(*then)
        await record_screen(pilot)
        if not keep_notice:
            pilot.app.clear_notifications()
        await settle(pilot)
        pilot.app.api_calls = pilot.app.client.calls

    return run_before


def test_new_emails_found_by_the_watch(snap_compare, tmp_path):
    # Home: the three new emails are above the rows that were in view (the cursor stayed on its email).
    app, sandbox = demo(LEAD_MAIN, tmp_path, watch=Watch(EVERY_S))
    assert snap_compare(app, terminal_size=WIDE, run_before=_watch_finds_new_emails(sandbox, then=("home",)))


def test_the_status_line_says_what_watching_costs(snap_compare, tmp_path):
    app, sandbox = demo(LEAD_MAIN, tmp_path, watch=Watch(EVERY_S))
    assert snap_compare(app, terminal_size=NARROW, run_before=_watch_finds_new_emails(sandbox, keep_notice=False))
