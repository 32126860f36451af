"""Watching a record: page one synced on the app's clock, one call an interval, new emails told, the
backoff obeyed while offline, and nothing more once the record screen is gone."""

from __future__ import annotations

import pytest

from tests.app.helpers import make_demo_app, settle, wait_until
from tests.app.record_helpers import list_calls, record_screen, row_ids
from tui.sandbox.data import LEAD_MAIN, LEAD_TEN
from tui.session.watch import MIN_WATCH_S, Watch, WatchError, every, watch_interval
from tui.widgets.status_line import StatusLine
from tui.zoho.models import Record

EVERY_S = 120


def _calls_for(sandbox, record) -> list:
    return [c for c in list_calls(sandbox) if f"/{record[0]}/{record[1]}/" in c.path]


def _status(screen) -> str:
    return str(screen.query_one(StatusLine).render())


def test_a_watch_is_never_more_often_than_once_a_minute():
    assert watch_interval(60) == 60 and watch_interval(90.0) == 90
    with pytest.raises(WatchError, match="at most once a minute"):
        watch_interval(59)
    with pytest.raises(WatchError):
        Watch(30)
    assert Watch(120).describe() == "watching every 2 min · ~30 calls/h"
    assert Watch(MIN_WATCH_S).describe() == "watching every minute · ~60 calls/h"
    assert every(90) == "every 90 s" and every(3600) == "every hour"


async def test_watch_makes_one_call_per_interval_and_shows_new_emails_on_top(tmp_path):
    app, sandbox = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path, watch=Watch(EVERY_S))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot)
        assert "watching every 2 min · ~30 calls/h" in _status(screen)
        before = len(list_calls(sandbox))
        # The first check is an interval after the screen opened (some virtual time went on opening it).
        await wait_until(pilot, lambda: len(list_calls(sandbox)) == before + 1, "the first check", advance=1.0)
        await settle(pilot)
        before += 1
        # The check came within the last virtual second: the next one is 119 to 120 s from now.
        for tick in range(1, 4):
            await app.virtual_clock.advance(EVERY_S - 3)
            await settle(pilot)
            assert len(list_calls(sandbox)) == before + tick - 1  # not yet
            await app.virtual_clock.advance(3)
            await wait_until(pilot, lambda: len(list_calls(sandbox)) == before + tick, "the watch's sync", advance=0)
            await settle(pilot)
            assert len(list_calls(sandbox)) == before + tick
            assert list_calls(sandbox)[-1].params.get("index") is None  # page one
        shown = row_ids(screen)
        arrived = sandbox.deliver(*LEAD_MAIN, count=2)
        await app.virtual_clock.advance(EVERY_S)
        await wait_until(pilot, lambda: row_ids(screen)[:2] == arrived, "the new emails on top", advance=0)
        await settle(pilot)
        assert row_ids(screen)[2 : 2 + len(shown)] == shown
        told = [n for n in app._notifications if n.title.startswith("Watching")]
        assert told and told[-1].message == "2 new emails on top of the list."


async def test_the_bell_rings_only_when_asked_for(tmp_path):
    rung: list[bool] = []
    for bell in (False, True):
        app, sandbox = make_demo_app(start=LEAD_TEN, state_dir=tmp_path / str(bell), watch=Watch(EVERY_S, bell=bell))
        app.bell = lambda: rung.append(bell)  # type: ignore[method-assign]
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await record_screen(pilot)
            sandbox.deliver(*LEAD_TEN, count=1)
            await app.virtual_clock.advance(EVERY_S)
            await wait_until(pilot, lambda: screen.feed.count == 11, "the new email", advance=0)
            await settle(pilot)
    assert rung == [True]


async def test_the_watch_is_off_by_default_and_toggles_from_the_palette(tmp_path):
    app, sandbox = make_demo_app(start=LEAD_TEN, state_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot)
        assert "watching" not in _status(screen)
        before = len(list_calls(sandbox))
        await app.virtual_clock.advance(3600)
        await settle(pilot)
        assert len(list_calls(sandbox)) == before
        names = [name for name, _run, _help in screen.palette_commands()]
        assert "Watch this record" in names and "Stop watching" not in names
        screen.action_toggle_watch()
        await settle(pilot)
        assert "watching every 2 min · ~30 calls/h" in _status(screen)
        await app.virtual_clock.advance(EVERY_S)
        await wait_until(pilot, lambda: len(list_calls(sandbox)) == before + 1, "the first check", advance=0)
        assert "Stop watching" in [name for name, _run, _help in screen.palette_commands()]
        screen.action_toggle_watch()
        await settle(pilot)
        assert "watching" not in _status(screen)
        await app.virtual_clock.advance(3600)
        await settle(pilot)
        assert len(list_calls(sandbox)) == before + 1


async def test_the_watch_stops_when_the_record_screen_closes(tmp_path):
    app, sandbox = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path, watch=Watch(EVERY_S))
    async with app.run_test(size=(80, 24)) as pilot:
        first = await record_screen(pilot)
        await app.virtual_clock.advance(EVERY_S)
        await wait_until(pilot, lambda: len(_calls_for(sandbox, LEAD_MAIN)) >= 2, "a check", advance=0)
        await settle(pilot)
        app.open_record(Record(*LEAD_TEN))
        await wait_until(pilot, lambda: app.screen is not first, "the other record")
        second = await record_screen(pilot)
        assert not first.is_attached
        watched_main = len(_calls_for(sandbox, LEAD_MAIN))
        ten_before = len(_calls_for(sandbox, LEAD_TEN))
        for _ in range(3):
            await app.virtual_clock.advance(EVERY_S)
            await settle(pilot)
        assert len(_calls_for(sandbox, LEAD_MAIN)) == watched_main  # the closed screen's watch went with it
        assert len(_calls_for(sandbox, LEAD_TEN)) == ten_before + 3  # the open record is watched instead
        assert second.is_attached


async def test_offline_the_watch_waits_on_the_backoff(tmp_path):
    app, sandbox = make_demo_app(start=LEAD_TEN, state_dir=tmp_path, watch=Watch(MIN_WATCH_S))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await record_screen(pilot)
        sandbox.faults.always = "drop"
        before = len(list_calls(sandbox))
        # An hour offline: the backoff grows to 5 minutes, and the minute's checks add no call to it
        # (each check alone would be 60 calls an hour, each with the client's quick retries).
        await app.virtual_clock.advance(3600)
        await settle(pilot)
        assert screen.feed.error is not None and screen.feed.retry_at is not None
        assert len(list_calls(sandbox)) - before < 30
        before = len(list_calls(sandbox))
        await app.virtual_clock.advance(300 - 1)
        await settle(pilot)
        assert len(list_calls(sandbox)) - before <= 1  # one try in five minutes, not one a minute
        sandbox.faults.always = None
        await wait_until(pilot, lambda: screen.feed.error is None, "back online", advance=30)
        await settle(pilot)
        assert "offline" not in _status(screen)
