"""Snapshots of the picker, the start-up screens and help (svgs in tests/app/__snapshots__/).

Deterministic: sandbox seed DEFAULT_SEED, TZ=UTC (tests/conftest.py), no cursor blink,
recent records in the test's own state dir. Update with `pytest --snapshot-update`,
then look at every changed svg before committing it.
"""

from __future__ import annotations

import asyncio

import pytest

from tests.app.helpers import TestApp, failing_connect, make_demo_app, settle, type_text, wait_for_screen, wait_until
from tests.app.record_helpers import record_screen
from tui.app import CrmEmailsApp
from tui.sandbox.data import LEAD_MAIN
from tui.screens.auth_problem import AuthProblemScreen
from tui.screens.help import HelpScreen
from tui.screens.picker import SEARCH_DELAY_S, PickerScreen
from tui.screens.record import RecordScreen
from tui.zoho.errors import CredentialsError

DEBOUNCE = SEARCH_DELAY_S + 0.2


async def _picker_ready(pilot) -> None:
    await wait_for_screen(pilot, PickerScreen)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_picker_with_modules(snap_compare, tmp_path, size):
    app, _ = make_demo_app(state_dir=tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=_picker_ready)


@pytest.mark.parametrize("query", ["Ada", "xyzzy"], ids=["results", "no_match"])
def test_picker_search(snap_compare, tmp_path, query):
    app, _ = make_demo_app(state_dir=tmp_path)

    async def search(pilot) -> None:
        await _picker_ready(pilot)
        await type_text(pilot, query)
        await settle(pilot, DEBOUNCE)

    assert snap_compare(app, terminal_size=(80, 24), run_before=search)


def test_auth_problem(snap_compare, tmp_path):
    error = CredentialsError(
        "NO_CREDENTIALS",
        "No Zoho credentials for profile 'default': none in the environment and no keyring entry.",
    )
    app = TestApp(failing_connect(error), state_dir=tmp_path)

    async def shown(pilot) -> None:
        await wait_for_screen(pilot, AuthProblemScreen)

    assert snap_compare(app, terminal_size=(80, 24), run_before=shown)


def test_help_on_the_record_screen(snap_compare, tmp_path):
    app, _ = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)

    async def help_open(pilot) -> None:
        # Its pages load one after another (each after a refresh): wait for the list to come to rest.
        await record_screen(pilot)
        await pilot.press("question_mark")
        await wait_for_screen(pilot, HelpScreen)
        pilot.app.api_calls = pilot.app.client.calls
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 36), run_before=help_open)


def test_demo_start_connecting(snap_compare, tmp_path):
    never = asyncio.Event

    async def connect():
        await never().wait()

    app = TestApp(connect, demo=True, state_dir=tmp_path)

    async def starting(pilot) -> None:
        # Drawn once connecting takes a moment (QUIET_S on the app's clock).
        await wait_until(pilot, lambda: pilot.app.screen.drawn and pilot.app.screen.query("#message"), "the line")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=starting)


def test_demo_start_opens_the_record(snap_compare, tmp_path):
    app, _ = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)

    async def opened(pilot) -> None:
        await wait_for_screen(pilot, RecordScreen)
        await settle(pilot, 0.3)

    assert snap_compare(app, terminal_size=(80, 24), run_before=opened)
