"""Snapshots of the record screen with the local store: searching as you type, a query it cannot
read, the search over every record, the progress line of "load every email", and a stored record
read offline (svgs in tests/app/__snapshots__/test_snapshots_store/).

Each test first reads the record in a launch of its own (as a person did yesterday), then
pictures the next launch. Deterministic as the other snapshots: seeded sandbox, virtual clock.
"""

from __future__ import annotations

import asyncio

from tests.app.helpers import make_demo_app, settle, type_text, wait_for_screen, wait_until
from tests.app.record_helpers import read_and_quit, record_screen
from tui.sandbox.data import LEAD_BULK, LEAD_MAIN
from tui.screens.search import SearchScreen

WIDE = (160, 48)
NARROW = (80, 24)


def _read_before(tmp_path, record=LEAD_MAIN, pages: int = 3) -> None:
    """A launch before the pictured one (the store keeps what it read)."""
    asyncio.run(read_and_quit(tmp_path, record, pages))


def _searching(query: str):
    async def run_before(pilot) -> None:
        await record_screen(pilot)
        await pilot.press("slash")
        await type_text(pilot, query)
        await settle(pilot)

    return run_before


def test_search_as_you_type_with_more_on_the_server(snap_compare, tmp_path):
    _read_before(tmp_path)
    app, _ = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    assert snap_compare(app, terminal_size=NARROW, run_before=_searching("status:opened"))


def test_search_of_every_stored_email_wide(snap_compare, tmp_path):
    _read_before(tmp_path, pages=25)
    app, _ = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    assert snap_compare(app, terminal_size=WIDE, run_before=_searching('has:attachment -status:bounced'))


def test_a_query_it_cannot_read(snap_compare, tmp_path):
    _read_before(tmp_path)
    app, _ = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    assert snap_compare(app, terminal_size=NARROW, run_before=_searching("is:urgent"))


def test_search_every_record(snap_compare, tmp_path):
    _read_before(tmp_path)

    async def run_before(pilot) -> None:
        await record_screen(pilot)
        await pilot.press("ctrl+f")
        await wait_for_screen(pilot, SearchScreen)
        await type_text(pilot, "invoice")
        await settle(pilot)

    app, _ = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    assert snap_compare(app, terminal_size=NARROW, run_before=run_before)


def test_load_every_email_progress(snap_compare, tmp_path):
    app, sandbox = make_demo_app(start=LEAD_BULK, state_dir=tmp_path)

    async def run_before(pilot) -> None:
        screen = await record_screen(pilot)
        sandbox.faults.latency_ms = 1000  # a page a virtual second: the walk stops where the clock stops
        await pilot.press("G")
        await wait_until(pilot, lambda: screen.feed.walk_pages >= 4, "four pages of the walk", advance=0.25)
        # The clock stands still from here: the fifth page waits; the line says the four.
        await wait_until(pilot, lambda: "4 pages" in screen.email_list.border_subtitle, "the progress line", advance=0)
        await pilot.pause()

    assert snap_compare(app, terminal_size=NARROW, run_before=run_before)


def test_offline_a_stored_record(snap_compare, tmp_path):
    _read_before(tmp_path)
    app, sandbox = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    sandbox.faults.always = "drop"

    async def run_before(pilot) -> None:
        screen = await record_screen(pilot)
        await wait_until(pilot, lambda: screen.feed.waiting, "the sync to wait for Zoho", advance=0)
        await settle(pilot)

    assert snap_compare(app, terminal_size=NARROW, run_before=run_before)
