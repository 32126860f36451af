"""ZohoClient against the real sandbox (in-process transport): the wire format as Zoho speaks it."""

from __future__ import annotations

import asyncio

import pytest

from tui.sandbox import data
from tui.sandbox.app import Faults, Sandbox
from tui.sandbox.transport import SandboxTransport
from tui.connect import sandbox_credentials, token_source
from tui.zoho.auth import TokenSource
from tui.zoho.catalog import SCOPES
from tests.support.events import EventLog
from tui.zoho.client import ZohoClient
from tui.zoho.errors import AuthError, NetworkError, RateLimitedError, UsageError, ZohoAPIError


@pytest.fixture
async def on_sandbox(clock, sleeps):
    """make(faults=..., scopes=..., **client options) -> (client, sandbox); injected sleep and clock."""
    made: list[ZohoClient] = []

    def make(*, faults: Faults | None = None, scopes=SCOPES, **options) -> tuple[ZohoClient, Sandbox]:
        sandbox = Sandbox(data.DEFAULT_SEED, faults=faults, clock=clock, scopes=scopes)
        transport = SandboxTransport(sandbox)
        tokens = token_source(sandbox_credentials(), transport=transport, clock=clock)
        options.setdefault("sleep", sleeps)
        client = ZohoClient(tokens, transport=transport, **options)
        made.append(client)
        return client, sandbox

    yield make
    for client in made:
        await client.aclose()


async def all_emails(client: ZohoClient, record, **filters):
    return [email async for page in client.iter_email_pages(*record, **filters) for email in page.emails]


# --- pagination ----------------------------------------------------------------------------------


async def test_the_250_emails_page_completely_in_order(on_sandbox):
    client, sandbox = on_sandbox()
    pages = [page async for page in client.iter_email_pages(*data.LEAD_MAIN)]
    emails = [e for page in pages for e in page.emails]
    assert len(emails) == 250
    assert len({e.message_id for e in emails}) == 250
    times = [e.time for e in emails]
    assert None not in times and times == sorted(times, reverse=True)  # newest first, as Zoho lists them
    assert [len(p.emails) for p in pages] == [10] * 25
    assert [p.info.more_records for p in pages] == [True] * 24 + [False]
    assert client.calls == 25 == sandbox.count("/Emails")
    assert len(sandbox.token_calls) == 1
    # The same walk twice gives the same list: paging is stable.
    assert [e.message_id for e in await all_emails(client, data.LEAD_MAIN)] == [e.message_id for e in emails]


async def test_the_5000_emails_page_completely_without_duplicates(on_sandbox):
    client, sandbox = on_sandbox()
    seen: set[str] = set()
    previous = None
    count = 0
    async for page in client.iter_email_pages(*data.LEAD_BULK):
        for email in page.emails:
            assert email.message_id not in seen
            seen.add(email.message_id)
            assert previous is None or email.time <= previous
            previous = email.time
            count += 1
    assert count == 5000
    assert client.calls == 500 == len(sandbox.calls)


async def test_bare_pages_carry_the_ids_and_the_answer_as_sent(on_sandbox):
    """What export writes: the same emails as the parsed pages, no model built for them."""
    client, _sandbox = on_sandbox()
    parsed = [page async for page in client.iter_email_pages(*data.LEAD_ELEVEN)]
    bare = [page async for page in client.iter_email_pages(*data.LEAD_ELEVEN, bare=True)]
    assert [e.message_id for p in bare for e in p.emails] == [e.message_id for p in parsed for e in p.emails]
    assert [dict(e.raw) for p in bare for e in p.emails] == [dict(e.raw) for p in parsed for e in p.emails]
    assert [p.info for p in bare] == [p.info for p in parsed]
    assert all(e.subject is None and e.time is None for p in bare for e in p.emails)


@pytest.mark.parametrize(
    ("record", "count", "pages"),
    [(data.LEAD_ONE, 1, 1), (data.LEAD_TEN, 10, 1), (data.LEAD_ELEVEN, 11, 2), (data.DEAL_MAIN, 12, 2),
     (data.CUSTOM_MAIN, 15, 2), (data.CONTACT_HOSTILE, 30, 3)],
)
async def test_small_mailboxes(on_sandbox, record, count, pages):
    client, _ = on_sandbox()
    emails = await all_emails(client, record)
    assert len(emails) == count == len({e.message_id for e in emails})
    assert client.calls == pages


async def test_204_is_an_empty_result(on_sandbox):
    client, sandbox = on_sandbox()
    page = await client.list_emails(*data.LEAD_EMPTY)
    assert page.emails == () and not page.info.more_records
    assert [p.emails async for p in client.iter_email_pages(*data.LEAD_EMPTY)] == [()]
    assert client.calls == 2 == len(sandbox.calls)


async def test_type_filters_and_owner(on_sandbox):
    client, _ = on_sandbox()
    drafts = await all_emails(client, data.LEAD_MAIN, type="drafts")
    scheduled = await all_emails(client, data.LEAD_MAIN, type="scheduled_in_crm")
    assert len(drafts) == 4 and len(scheduled) == 6
    mine = await all_emails(client, data.LEAD_MAIN, type="user_emails", owner_id=data.CURRENT_USER_ID)
    assert mine and all(e.owner.id == data.CURRENT_USER_ID for e in mine)
    contact_sent = await all_emails(client, data.ACCOUNT_MAIN, type="all_contacts_sent_crm_emails")
    assert len(contact_sent) == 9


# --- one email, attachments ------------------------------------------------------------------


async def test_detail_and_attachment_download(on_sandbox):
    client, _ = on_sandbox()
    emails = await all_emails(client, data.LEAD_MAIN)
    email = next(e for e in emails if e.has_attachment)
    detail = await client.get_email(*data.LEAD_MAIN, email.message_id, user_id=email.owner.id)
    assert detail.message_id == email.message_id and detail.content
    attachment = detail.attachments[0]
    async with client.download_attachment(*data.LEAD_MAIN, message_id=email.message_id, user_id=email.owner.id,
                                          attachment_id=attachment.id, name=attachment.name) as download:
        assert download.filename == attachment.name and download.size == attachment.size
        received = 0
        async for chunk in download.aiter_bytes():
            received += len(chunk)
    assert received == attachment.size


async def test_unknown_message_is_none(on_sandbox):
    client, _ = on_sandbox()
    assert await client.get_email(*data.LEAD_MAIN, "00ff00ff00ff") is None


# --- every error code ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("record", "scopes", "kind", "code", "status", "hint_says"),
    [
        (data.LEAD_CANNOT_PROCESS, SCOPES, ZohoAPIError, "CANNOT_PROCESS", 400, "mailbox"),
        (data.LEAD_NO_PERMISSION, SCOPES, ZohoAPIError, "NO_PERMISSION", 403, "administrator"),
        (("Leads", "4150868999999999999"), SCOPES, ZohoAPIError, "INVALID_DATA", 400, "record id"),
        (data.LEAD_MAIN, ("ZohoCRM.modules.READ",), AuthError, "OAUTH_SCOPE_MISMATCH", 401, "scope"),
    ],
)
async def test_refusals_are_raised_with_their_hint_and_never_retried(on_sandbox, sleeps, record, scopes, kind, code,
                                                                      status, hint_says):
    client, sandbox = on_sandbox(scopes=scopes)
    with pytest.raises(kind) as caught:
        await client.list_emails(*record)
    error = caught.value
    assert (error.code, error.status) == (code, status)
    assert hint_says in error.hint
    assert client.calls == 1 == len(sandbox.calls) and sleeps == []


async def test_refusals_carry_zohos_details(on_sandbox):
    client, _ = on_sandbox()
    with pytest.raises(ZohoAPIError) as caught:
        await client.list_emails(*data.LEAD_CANNOT_PROCESS)
    assert "IMAP" in str(caught.value.details) or "IMAP" in caught.value.message
    with pytest.raises(ZohoAPIError) as caught:
        await client.list_emails("Leads", "4150868999999999999")
    assert "resource_path_index" in caught.value.details


async def test_expired_token_is_refreshed_once_and_the_call_retried(on_sandbox, sleeps):
    client, sandbox = on_sandbox(faults=Faults(expire_after=7))
    emails = await all_emails(client, data.LEAD_MAIN)
    assert len(emails) == 250 == len({e.message_id for e in emails})
    # 25 pages, each token good for 7 calls: 3 refreshes after the first token, each costing one refused call.
    assert len(sandbox.token_calls) == 4
    assert client.calls == 25 + 3 == len(sandbox.calls)
    assert sleeps == []


async def test_modules_fall_back_without_the_settings_scope(on_sandbox):
    client, _ = on_sandbox(scopes=("ZohoCRM.modules.READ", "ZohoCRM.modules.emails.READ"))
    modules = await client.modules()
    assert [m.api_name for m in modules] == ["Leads", "Contacts", "Accounts", "Deals", "Quotes", "Invoices",
                                             "Sales_Orders", "Purchase_Orders"]


async def test_429_exhausted(on_sandbox, sleeps):
    events = EventLog()
    client, sandbox = on_sandbox(faults=Faults(always="429"), max_retries=3, on_event=events, jitter=lambda: 1.0)
    with pytest.raises(RateLimitedError) as caught:
        await client.list_emails(*data.LEAD_MAIN)
    assert caught.value.code == "TOO_MANY_REQUESTS"
    assert client.calls == 4 == len(sandbox.calls)
    assert sleeps == [0.5, 1.0, 2.0] == [n.delay_s for n in events.retries]


async def test_429_retry_after_is_honoured(on_sandbox, sleeps):
    faults = Faults(always="429", retry_after=3)
    client, sandbox = on_sandbox(faults=faults, max_retries=2)
    with pytest.raises(RateLimitedError):
        await client.list_emails(*data.LEAD_MAIN)
    assert sleeps == [3.0, 3.0]


async def test_500_exhausted(on_sandbox, sleeps):
    client, sandbox = on_sandbox(faults=Faults(always="500"), max_retries=2)
    with pytest.raises(ZohoAPIError) as caught:
        await client.list_emails(*data.LEAD_MAIN)
    assert (caught.value.code, caught.value.status) == ("INTERNAL_SERVER_ERROR", 500)
    assert client.calls == 3 and len(sleeps) == 2


async def test_dropped_connections_then_back_online(on_sandbox, sleeps):
    faults = Faults(always="drop")
    events = EventLog()
    client, sandbox = on_sandbox(faults=faults, on_event=events)
    with pytest.raises(NetworkError) as caught:
        await client.list_emails(*data.LEAD_MAIN)
    assert caught.value.message.startswith("Zoho could not be reached: ")
    assert client.calls == 5 and len(events.retries) == 4
    assert all(isinstance(n.error, NetworkError) for n in events.retries)
    faults.always = None
    page = await client.list_emails(*data.LEAD_MAIN)
    assert len(page.emails) == 10


async def test_random_faults_still_give_every_email_once(on_sandbox, sleeps):
    faults = Faults(rate_429=0.15, rate_500=0.1, rate_drop=0.1, seed=11)
    client, sandbox = on_sandbox(faults=faults, max_retries=10)
    emails = await all_emails(client, data.LEAD_MAIN)
    assert len(emails) == 250 == len({e.message_id for e in emails})
    assert len(sleeps) > 0  # faults really happened, and were retried
    assert client.calls == len(sandbox.calls) == 25 + len(sleeps)


# --- limits and counting ------------------------------------------------------------------------


async def test_never_more_than_four_in_flight(on_sandbox):
    client, sandbox = on_sandbox(faults=Faults(latency_ms=5))
    first = await client.list_emails(*data.LEAD_MAIN)
    await asyncio.gather(*(client.get_email(*data.LEAD_MAIN, e.message_id) for e in first.emails))
    assert sandbox.most_in_flight == 4


async def test_local_argument_errors_send_nothing(on_sandbox):
    client, sandbox = on_sandbox()
    for call in (
        client.list_emails(*data.LEAD_MAIN, type="sent"),
        client.list_emails(*data.LEAD_MAIN, type="all_contacts_sent_crm_emails"),
        client.list_emails(*data.LEAD_MAIN, owner_id=data.CURRENT_USER_ID),
        client.list_emails(*data.ACCOUNT_MAIN, type="drafts", owner_id=data.CURRENT_USER_ID),
    ):
        with pytest.raises(UsageError):
            await call
    assert client.calls == 0 and sandbox.calls == [] and sandbox.token_calls == []


async def test_calls_count_every_request_sent(on_sandbox):
    client, sandbox = on_sandbox(faults=Faults(rate_500=0.3, seed=2), max_retries=8)
    await client.list_emails(*data.LEAD_TEN)
    await client.modules()
    await client.search_records("Leads", "Ada")
    await client.org()
    await client.users()
    with pytest.raises(ZohoAPIError):
        await client.list_emails(*data.LEAD_NO_PERMISSION)
    assert client.calls == len(sandbox.calls) >= 6


# --- modules, records, users, org --------------------------------------------------------------


async def test_modules_records_users_org(on_sandbox):
    client, _ = on_sandbox()
    modules = await client.modules()
    names = [m.api_name for m in modules]
    assert set(names) == {"Leads", "Contacts", "Accounts", "Deals", "Quotes", "Invoices", "Sales_Orders",
                          "Purchase_Orders", "Projects"}
    projects = next(m for m in modules if m.api_name == "Projects")
    assert projects.is_custom and projects.display_field == "Name"

    found = await client.search_records("Leads", "Ada")
    assert {"Ada Lovelace", "Adam Ashford", "Adaline Brooks"} <= {r.name for r in found}
    by_mail = await client.search_records("Leads", "ada@lovelace-analytics.co.uk")
    assert [(r.id, r.name) for r in by_mail] == [(data.LEAD_MAIN[1], "Ada Lovelace")]
    assert await client.search_records("Leads", "zzzznobody") == []
    custom = await client.search_records("Projects", "Apollo", name_field=projects.display_field)
    assert [r.id for r in custom] == [data.CUSTOM_MAIN[1]]

    record = await client.get_record(*data.ACCOUNT_MAIN)
    assert (record.name, record.detail) == ("Analytical Engines Ltd", "https://analytical-engines.example.co.uk")
    assert await client.get_record("Leads", "4150868999999999999") is None
    listed = await client.list_records("Deals", per_page=5)
    assert 1 <= len(listed) <= 5 and all(r.module == "Deals" and r.name for r in listed)

    me = await client.current_user()
    assert (me.id, me.name) == (data.CURRENT_USER_ID, "Patricia Boyle")
    assert len(await client.users()) == 4
    org = await client.org()
    assert (org.domain_name, org.company_name) == ("org808232144", "Analytical Engines Demo")
