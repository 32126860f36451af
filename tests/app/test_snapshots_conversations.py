"""Snapshots of the conversation view (svgs in tests/app/__snapshots__/test_snapshots_conversations/).

Deterministic as the record's snapshots are (tests/app/test_snapshots_record.py). Update with
`pytest --snapshot-update`, then look at every changed svg before committing it.
"""

from __future__ import annotations

from tests.app.record_helpers import demo, in_conversations
from tui.sandbox.data import LEAD_MAIN

WIDE = (160, 48)
NARROW = (80, 24)


def test_conversations_80x24(snap_compare, tmp_path):
    app, _ = demo(LEAD_MAIN, tmp_path)
    assert snap_compare(app, terminal_size=NARROW, run_before=in_conversations())


def test_conversation_expanded_and_read_160x48(snap_compare, tmp_path):
    app, _ = demo(LEAD_MAIN, tmp_path)
    assert snap_compare(app, terminal_size=WIDE, run_before=in_conversations("j", "enter"))
