"""The sandbox's data: the well-known records, determinism from the seed, and laziness for 5,000 emails."""

from __future__ import annotations

import itertools
import tracemalloc
from collections import Counter
from datetime import datetime, timezone

from tui.sandbox import data
from tui.sandbox.app import Sandbox
from tui.sandbox.data import SandboxData

WELL_KNOWN = {
    data.LEAD_MAIN: ("Ada Lovelace", 250),
    data.LEAD_EMPTY: ("Nora Empty", 0),
    data.LEAD_ONE: ("Omar Single", 1),
    data.LEAD_TEN: ("Tess Tenney", 10),
    data.LEAD_ELEVEN: ("Eli Eleven", 11),
    data.LEAD_BULK: ("Bulk Newsletter Lead", 5000),
    data.CONTACT_HUGE: ("Hugh Archive", 50000),
    data.CONTACT_HOSTILE: ("Grace Hopper", 30),
    data.ACCOUNT_MAIN: ("Analytical Engines Ltd", 40),
    data.DEAL_MAIN: ("Difference Engine Upgrade", 12),
    data.CUSTOM_MAIN: ("Apollo Guidance", 15),
    data.LEAD_CANNOT_PROCESS: ("Cass Mailbox", 0),
    data.LEAD_NO_PERMISSION: ("Nico Private", 0),
}


def test_the_well_known_records_are_as_the_contract_says():
    sandbox_data = SandboxData()
    for (module, record_id), (name, count) in WELL_KNOWN.items():
        record = sandbox_data.record(module, record_id)
        assert (record.name, record.shape.count) == (name, count)
    assert sandbox_data.record(*data.LEAD_CANNOT_PROCESS).access == "cannot_process"
    assert sandbox_data.record(*data.LEAD_NO_PERMISSION).access == "no_permission"
    assert data.CURRENT_USER.full_name == "Patricia Boyle" and len(data.USERS) == 4


def test_about_forty_more_records_across_every_module():
    records = SandboxData().records.values()
    ordinary = [r for r in records if r.key not in WELL_KNOWN]
    assert 35 <= len(ordinary) <= 45
    assert set(Counter(r.module for r in ordinary)) == set(data.NAME_FIELD)
    assert all(0 <= r.shape.count <= 20 for r in ordinary)
    names = [r.name for r in records]
    for prefix in ("Ada ", "Adam ", "Adaline "):
        assert any(n.startswith(prefix) for n in names)


def answers(sandbox: Sandbox) -> list[object]:
    token = sandbox.mint_access_token()
    headers = {"Authorization": f"Zoho-oauthtoken {token}"}
    out = []
    for module, record_id in (data.LEAD_MAIN, data.ACCOUNT_MAIN, data.LEAD_BULK):
        page = sandbox.handle("GET", f"/crm/v8/{module}/{record_id}/Emails", headers).json()
        out.append(page)
        for email in page["Emails"][:3]:
            out.append(sandbox.handle("GET", f"/crm/v8/{module}/{record_id}/Emails/{email['message_id']}",
                                      headers).json())
    return out


def test_the_same_seed_gives_the_same_answers_and_another_seed_other_emails():
    first = answers(Sandbox())
    assert first == answers(Sandbox())
    other = answers(Sandbox(seed=8))
    assert first != other
    assert first[0]["Emails"][0]["message_id"] != other[0]["Emails"][0]["message_id"]
    # The records themselves do not move with the seed: tests and the CLI name them.
    assert SandboxData(8).record(*data.LEAD_MAIN).name == "Ada Lovelace"


def test_every_email_time_is_a_fixed_2026_date():
    sandbox_data = SandboxData()
    earliest, latest = datetime(2026, 1, 5, tzinfo=timezone.utc), datetime(2026, 11, 21, tzinfo=timezone.utc)
    for record in sandbox_data.records.values():
        mailbox = sandbox_data.mailbox(record)
        for position in range(0, mailbox.total, 37 if mailbox.total > 500 else 1):
            moment = datetime.fromisoformat(mailbox.list_item(position)["time"])
            assert earliest <= moment <= latest


def test_paging_5000_emails_builds_no_body_and_holds_little(api, sandbox):
    tracemalloc.start()
    try:
        seen = set()
        for answer in api.pages(data.LEAD_BULK):
            seen.update(e["message_id"] for e in answer.json()["Emails"])
            del answer
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(seen) == 5000
    assert sandbox.data.bodies_built == 0
    assert peak < 8 * 1024 * 1024, f"paging 5,000 emails peaked at {peak / 1e6:.1f} MB"
    api.email(data.LEAD_BULK, next(iter(seen)))
    assert sandbox.data.bodies_built == 1


def test_a_bulk_email_far_down_is_computed_without_the_ones_before(sandbox):
    mailbox = sandbox.data.mailbox(sandbox.data.record(*data.LEAD_BULK))
    tracemalloc.start()
    try:
        item = mailbox.list_item(4321)
        detail = mailbox.detail(4321)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert mailbox.position_of(item["message_id"]) == 4321 and detail["content"]
    assert peak < 1024 * 1024


def test_the_50000_email_record_is_computed_on_demand(api, sandbox):
    """CONTACT_HUGE (python -m tui.bench) costs nothing until read: its first page and its last email alone."""
    tracemalloc.start()
    try:
        (answer,) = list(itertools.islice(api.pages(data.CONTACT_HUGE), 1))
        mailbox = sandbox.data.mailbox(sandbox.data.record(*data.CONTACT_HUGE))
        last = mailbox.list_item(data.HUGE_EMAILS - 1)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(answer.json()["Emails"]) == 10 and answer.json()["info"]["more_records"]
    assert mailbox.position_of(last["message_id"]) == data.HUGE_EMAILS - 1
    assert sandbox.data.bodies_built == 0
    assert peak < 8 * 1024 * 1024
