"""Snapshots of the record screen (svgs in tests/app/__snapshots__/test_snapshots_record/).

Deterministic: sandbox seed DEFAULT_SEED, TZ=UTC, "now" pinned (rows never show a year),
no cursor blink, retries without waiting, every worker finished before the picture
(except where the picture is of a wait). Update with `pytest --snapshot-update`, then
look at every changed svg before committing it.
"""

from __future__ import annotations

import pytest

from tests.app.helpers import settle
from tests.app.record_helpers import (  # noqa: F401 (fixtures)
    demo,
    open_type_filter,
    go_to_position,
    record_screen,
    wait_until,
)
from tui.sandbox.data import (
    ACCOUNT_MAIN,
    CONTACT_HOSTILE,
    LEAD_CANNOT_PROCESS,
    LEAD_EMPTY,
    LEAD_MAIN,
    LEAD_NO_PERMISSION,
)
from tui.screens.record import RecordScreen

WIDE = (160, 48)
NARROW = (80, 24)
UNKNOWN_RECORD = ("Leads", "4150868000000999999")
# Showcase positions in LEAD_MAIN's mailbox (tui/sandbox/showcase.py).
BOUNCED = 11
ATTACHMENTS = 16


async def _steady(pilot) -> None:
    """Everything loaded and drawn; the status line's call counter caught up."""
    await settle(pilot)
    await settle(pilot)
    app = pilot.app
    app.api_calls = app.client.calls


def _at_record(*keys: str, filter_keys: tuple[str, ...] = (), position: tuple[tuple[str, str], int] | None = None):
    """Open the record, wait until it is idle, go to a showcase email, press `keys`, choose a type filter."""

    async def run_before(pilot) -> None:
        await record_screen(pilot)
        if position is not None:
            await go_to_position(pilot, *position)
        for key in keys:
            await pilot.press(key)
        if filter_keys:
            await open_type_filter(pilot)
            await pilot.press(*filter_keys)
        await _steady(pilot)

    return run_before


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["160x48", "80x24"])
def test_page_one(snap_compare, tmp_path, size):
    app, _ = demo(LEAD_MAIN, tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=_at_record())


def test_scrolled_past_page_three(snap_compare, tmp_path):
    app, _ = demo(LEAD_MAIN, tmp_path)

    async def run_before(pilot) -> None:
        await record_screen(pilot)
        for _ in range(3):
            await pilot.press("pagedown")
            await settle(pilot)
        await pilot.press("k", "k")
        await _steady(pilot)

    assert snap_compare(app, terminal_size=NARROW, run_before=run_before)


def test_detail_of_html_newsletter_full_screen(snap_compare, tmp_path):
    app, _ = demo(LEAD_MAIN, tmp_path)
    assert snap_compare(app, terminal_size=NARROW, run_before=_at_record("enter"))


def test_detail_of_bounced_email(snap_compare, tmp_path):
    app, _ = demo(LEAD_MAIN, tmp_path)
    assert snap_compare(app, terminal_size=WIDE, run_before=_at_record(position=(LEAD_MAIN, BOUNCED)))


def test_detail_of_email_with_attachments(snap_compare, tmp_path):
    app, _ = demo(LEAD_MAIN, tmp_path)
    assert snap_compare(app, terminal_size=WIDE, run_before=_at_record(position=(LEAD_MAIN, ATTACHMENTS)))


@pytest.mark.parametrize(
    "filter_keys",
    [("down", "enter"), ("down", "down", "enter"), ("down", "down", "down", "enter"), ("down",) * 4 + ("enter",)],
    ids=["sent_from_crm", "scheduled", "drafts", "user_emails_mine"],
)
def test_type_filter(snap_compare, tmp_path, filter_keys):
    app, _ = demo(LEAD_MAIN, tmp_path)
    assert snap_compare(app, terminal_size=NARROW, run_before=_at_record(filter_keys=filter_keys))


def test_type_filter_menu_of_an_account(snap_compare, tmp_path):
    app, _ = demo(ACCOUNT_MAIN, tmp_path)
    assert snap_compare(app, terminal_size=NARROW, run_before=_at_record("t"))


def test_type_filter_account_contacts_sent(snap_compare, tmp_path):
    app, _ = demo(ACCOUNT_MAIN, tmp_path)
    # Below the users (me and three others): the account's contacts' emails.
    keys = ("end", "up", "up", "enter")
    assert snap_compare(app, terminal_size=NARROW, run_before=_at_record(filter_keys=keys))


@pytest.mark.parametrize(
    "record",
    [LEAD_CANNOT_PROCESS, LEAD_NO_PERMISSION, UNKNOWN_RECORD],
    ids=["cannot_process", "no_permission", "invalid_data"],
)
def test_error(snap_compare, tmp_path, record):
    app, _ = demo(record, tmp_path)
    assert snap_compare(app, terminal_size=NARROW, run_before=_at_record())


def _until_the_list_waits_to_retry():
    """Run until the client gave up and the list waits for its own retry; then the clock stands still."""

    async def run_before(pilot) -> None:
        screen = await record_screen(pilot, idle=False)
        await wait_until(pilot, lambda: screen.feed.waiting, "the list to wait for its retry", advance=0)
        await settle(pilot, horizon=0)
        pilot.app.api_calls = pilot.app.client.calls

    return run_before


def test_rate_limit_exhausted(snap_compare, tmp_path):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    sandbox.faults.always = "429"
    assert snap_compare(app, terminal_size=NARROW, run_before=_until_the_list_waits_to_retry())


def test_offline(snap_compare, tmp_path):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    sandbox.faults.always = "drop"
    assert snap_compare(app, terminal_size=NARROW, run_before=_until_the_list_waits_to_retry())


def test_empty_record(snap_compare, tmp_path):
    app, _ = demo(LEAD_EMPTY, tmp_path)
    assert snap_compare(app, terminal_size=NARROW, run_before=_at_record())


def test_hostile_subjects(snap_compare, tmp_path):
    app, _ = demo(CONTACT_HOSTILE, tmp_path)
    assert snap_compare(app, terminal_size=WIDE, run_before=_at_record())
