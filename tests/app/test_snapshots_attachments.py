"""Snapshot of the attachment menu (svg in tests/app/__snapshots__/test_snapshots_attachments/).

Deterministic like the record snapshots: seed DEFAULT_SEED, TZ=UTC, "now" pinned, no cursor
blink, every worker finished. The email is the showcase one with five attachments, among
them hostile names: they read as one safe line each.
"""

from __future__ import annotations

from tests.app.helpers import settle
from tests.app.record_helpers import (  # noqa: F401 (fixtures)
    demo,
    go_to_position,
    record_screen,
    wait_until,
)
from tui.sandbox.data import LEAD_MAIN
from tui.screens.attachment_menu import AttachmentMenu

WIDE = (160, 48)
ATTACHMENTS = 16  # showcase position in LEAD_MAIN's mailbox (tui/sandbox/showcase.py)


def test_attachment_menu(snap_compare, tmp_path):
    app, _ = demo(LEAD_MAIN, tmp_path)

    async def run_before(pilot) -> None:
        await record_screen(pilot)
        await go_to_position(pilot, LEAD_MAIN, ATTACHMENTS)
        await record_screen(pilot)
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, AttachmentMenu), what="the attachment menu")
        await settle(pilot)
        pilot.app.api_calls = pilot.app.client.calls

    assert snap_compare(app, terminal_size=WIDE, run_before=run_before)
