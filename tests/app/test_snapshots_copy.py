"""Snapshots of the copy menu (`y`), the link picker (`l`) and an email's headers in a 60×15 terminal
(svgs in tests/app/__snapshots__/test_snapshots_copy/).

Deterministic like the record snapshots: seed DEFAULT_SEED, TZ=UTC, "now" pinned, no cursor
blink, every worker finished. The link picker is pinned to a terminal with no browser in
front of the person (over SSH): Enter copies and shows.
"""

from __future__ import annotations

from tests.app.helpers import settle
from tests.app.record_helpers import (  # noqa: F401 (fixtures)
    demo,
    go_to_position,
    record_screen,
    wait_until,
)
from tui import opener
from tui.sandbox.data import LEAD_MAIN
from tui.screens.copy_menu import CopyMenu
from tui.screens.link_picker import LinkPicker

NARROW = (80, 24)
SMALL = (60, 15)


def _after(*keys: str, screen_type: type | None = None):
    async def run_before(pilot) -> None:
        await record_screen(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        if screen_type is not None:
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, screen_type), what=screen_type.__name__)
        await settle(pilot)
        await settle(pilot)
        pilot.app.api_calls = pilot.app.client.calls

    return run_before


def test_copy_menu(snap_compare, tmp_path):
    app, _ = demo(LEAD_MAIN, tmp_path)
    assert snap_compare(app, terminal_size=NARROW, run_before=_after("enter", "y", screen_type=CopyMenu))


def test_link_picker(snap_compare, tmp_path, monkeypatch):
    monkeypatch.setattr(opener, "can_open_here", lambda *a, **k: False)
    app, _ = demo(LEAD_MAIN, tmp_path)
    assert snap_compare(app, terminal_size=NARROW, run_before=_after("l", "1", "0", screen_type=LinkPicker))


def test_headers_in_a_60x15_terminal(snap_compare, tmp_path):
    """The newsletter's headers (Reply-To, Date and Status among them) scroll with the body: none is cut off."""
    app, _ = demo(LEAD_MAIN, tmp_path)
    opened = _after("enter")

    async def run_before(pilot) -> None:
        await opened(pilot)
        await wait_until(pilot, lambda: pilot.app.screen.detail_view.header_inline, what="the headers in the body")
        await record_screen(pilot)

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)
