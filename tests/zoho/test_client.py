"""ZohoClient against a scripted Zoho: request shapes, retries and backoff, limits, errors, parsing."""

from __future__ import annotations

import asyncio
import random

import httpx
import pytest

from tests.support.events import EventLog
from tui.zoho.client import filename_from_disposition
from tui.zoho.errors import AuthError, NetworkError, RateLimitedError, UsageError, ZohoAPIError
from zoho_fakes import API, ScriptedZoho, emails_page, error

LEAD = ("Leads", "4150868000000250001")


# --- request shape ---------------------------------------------------------------------


async def test_list_emails_request_shape(make_client):
    zoho = ScriptedZoho(lambda r: emails_page(["m1", "m2"], next_index="abc"))
    client = make_client(zoho)
    page = await client.list_emails(*LEAD, type="user_emails", owner_id="4150868000000470001", index="00ff")
    request = zoho.crm_requests[0]
    assert request.method == "GET"
    assert str(request.url).split("?")[0] == f"{API}/crm/v8/Leads/4150868000000250001/Emails"
    assert dict(request.url.params) == {"type": "user_emails", "owner_id": "4150868000000470001", "index": "00ff"}
    assert request.headers["authorization"] == "Zoho-oauthtoken tok-0"
    assert [e.message_id for e in page.emails] == ["m1", "m2"]
    assert page.info.next_index == "abc" and page.info.more_records
    assert client.calls == 1


async def test_no_optional_parameters_are_sent_when_absent(make_client):
    zoho = ScriptedZoho(lambda r: emails_page([]))
    client = make_client(zoho, api_version="v6")
    await client.list_emails(*LEAD)
    assert zoho.crm_requests[0].url.params == httpx.QueryParams()
    assert zoho.crm_requests[0].url.path == "/crm/v6/Leads/4150868000000250001/Emails"


async def test_http_204_is_an_empty_page_and_no_detail(make_client):
    zoho = ScriptedZoho(lambda r: httpx.Response(204))
    client = make_client(zoho)
    page = await client.list_emails(*LEAD)
    assert page.emails == () and not page.info.more_records
    assert await client.get_email(*LEAD, "abc") is None
    assert [p async for p in client.iter_email_pages(*LEAD)] == [page]
    assert client.calls == 3


async def test_get_email_parses_the_one_element_list(make_client):
    body = {"Emails": [{"subject": "Hi", "content": "<p>x</p>", "mail_format": "html",
                        "attachments": [{"id": "a1", "name": "q.pdf", "size": "2048"}]}]}
    zoho = ScriptedZoho(lambda r: httpx.Response(200, json=body))
    client = make_client(zoho)
    detail = await client.get_email(*LEAD, "f160598", user_id="4150868000000470001")
    assert detail.message_id == "f160598" and detail.content == "<p>x</p>"
    assert detail.attachments[0].size == 2048
    assert zoho.crm_requests[0].url.path.endswith("/Emails/f160598")
    assert zoho.crm_requests[0].url.params["user_id"] == "4150868000000470001"


# --- arguments checked locally -------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda c: c.list_emails(*LEAD, type="everything"), "Unknown email type"),
        (lambda c: c.list_emails(*LEAD, type="all_contacts_sent_crm_emails"), "only for Accounts"),
        (lambda c: c.list_emails(*LEAD, owner_id="1"), "owner_id works only with type=user_emails"),
        (lambda c: c.list_emails(*LEAD, type="drafts", owner_id="1"), "owner_id"),
        (lambda c: c.list_emails("Leads", "../../settings"), "record id"),
        (lambda c: c.list_emails("Leads/x", "1"), "module"),
        (lambda c: c.list_emails("", "1"), "module"),
        (lambda c: c.get_email(*LEAD, ".."), "message id"),
        (lambda c: c.get_email(*LEAD, ""), "message id"),
        (lambda c: c.search_records("Leads", "   "), "search"),
        (lambda c: c.search_records("Projects", "apollo"), "name_field"),
        (lambda c: c.list_records("Leads", per_page=500), "per_page"),
    ],
)
async def test_argument_errors_make_no_request(make_client, call, match):
    zoho = ScriptedZoho()
    client = make_client(zoho)
    with pytest.raises(UsageError, match=match):
        await call(client)
    assert zoho.crm_requests == [] and client.calls == 0


async def test_accounts_only_types_work_on_accounts(make_client):
    zoho = ScriptedZoho(lambda r: emails_page(["m"]))
    client = make_client(zoho)
    await client.list_emails("Accounts", "4150868000000400001", type="all_contacts_draft_crm_emails")
    assert zoho.crm_requests[0].url.params["type"] == "all_contacts_draft_crm_emails"


async def test_download_arguments_are_checked_before_any_request(make_client):
    zoho = ScriptedZoho()
    client = make_client(zoho)
    with pytest.raises(UsageError):
        async with client.download_attachment(*LEAD, message_id="m", user_id="", attachment_id="a", name="x"):
            pass
    assert client.calls == 0


# --- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "code", "kind"),
    [
        (400, "CANNOT_PROCESS", ZohoAPIError),
        (400, "INVALID_DATA", ZohoAPIError),
        (403, "NO_PERMISSION", ZohoAPIError),
        (401, "OAUTH_SCOPE_MISMATCH", AuthError),
        (401, "AUTHENTICATION_FAILURE", AuthError),
        (404, "INVALID_URL_PATTERN", ZohoAPIError),
        (400, "API_NOT_SUPPORTED", ZohoAPIError),
    ],
)
async def test_4xx_errors_are_raised_with_hints_and_never_retried(make_client, sleeps, status, code, kind):
    details = {"resource_path_index": 1}
    zoho = ScriptedZoho(lambda r: error(status, code, "the message", details))
    client = make_client(zoho)
    with pytest.raises(kind) as caught:
        await client.list_emails(*LEAD)
    err = caught.value
    assert (err.code, err.status, err.message, err.details) == (code, status, "the message", details)
    assert err.hint and "Zoho refused" not in err.hint  # a documented resolution, not the generic line
    assert len(zoho.crm_requests) == 1 and client.calls == 1 and sleeps == []


async def test_error_wrapped_in_a_data_list_is_understood(make_client):
    body = {"data": [{"code": "INVALID_DATA", "details": {"id": "9"}, "message": "the id given seems to be invalid", "status": "error"}]}
    zoho = ScriptedZoho(lambda r: httpx.Response(400, json=body))
    client = make_client(zoho)
    with pytest.raises(ZohoAPIError) as caught:
        await client.get_record("Leads", "9")
    assert caught.value.code == "INVALID_DATA" and caught.value.details == {"id": "9"}


async def test_non_json_200_is_a_clear_error(make_client):
    zoho = ScriptedZoho(lambda r: httpx.Response(200, content=b"<html>login</html>"))
    client = make_client(zoho)
    with pytest.raises(ZohoAPIError, match="not a JSON object") as caught:
        await client.list_emails(*LEAD)
    assert "--api-domain" in caught.value.hint


# --- INVALID_TOKEN: refresh once, retry once ----------------------------------------------------


async def test_invalid_token_refreshes_and_retries_once(make_client, sleeps):
    def crm(request):
        if request.headers["authorization"] == "Zoho-oauthtoken tok-0":
            return error(401, "INVALID_TOKEN", "invalid oauth token")
        return emails_page(["m1"])

    zoho = ScriptedZoho(crm)
    client = make_client(zoho)
    page = await client.list_emails(*LEAD)
    assert [e.message_id for e in page.emails] == ["m1"]
    assert len(zoho.token_forms) == 1
    assert [r.headers["authorization"] for r in zoho.crm_requests] == ["Zoho-oauthtoken tok-0", "Zoho-oauthtoken tok-1"]
    assert client.calls == 2 and sleeps == []


async def test_invalid_token_twice_is_an_auth_error(make_client):
    zoho = ScriptedZoho(lambda r: error(401, "INVALID_TOKEN", "invalid oauth token"))
    client = make_client(zoho)
    with pytest.raises(AuthError) as caught:
        await client.list_emails(*LEAD)
    assert caught.value.code == "INVALID_TOKEN" and "--dc" in caught.value.hint
    assert len(zoho.token_forms) == 1 and client.calls == 2


async def test_concurrent_invalid_tokens_share_one_refresh(make_client):
    async def crm(request):
        await asyncio.sleep(0.005)
        if request.headers["authorization"] == "Zoho-oauthtoken tok-0":
            return error(401, "INVALID_TOKEN")
        return emails_page(["m"])

    zoho = ScriptedZoho(crm)
    client = make_client(zoho)
    await asyncio.gather(*(client.list_emails(*LEAD) for _ in range(6)))
    assert len(zoho.token_forms) == 1


async def test_a_dead_token_is_refreshed_before_sending(make_client, clock):
    zoho = ScriptedZoho(lambda r: emails_page([]))
    client = make_client(zoho, token=None)
    await client.list_emails(*LEAD)
    assert zoho.crm_requests[0].headers["authorization"] == "Zoho-oauthtoken tok-1"
    assert client.calls == 1  # token calls are not CRM calls


# --- retries and backoff ------------------------------------------------------------------------


def scripted_failures(*responses):
    """Answer with each given response (or raise each exception) in turn, then a page."""
    queue = list(responses)

    def crm(request):
        if queue:
            item = queue.pop(0)
            if isinstance(item, Exception):
                raise item
            return item
        return emails_page(["ok"])

    return crm


async def test_429_exhausted_after_bounded_exponential_backoff(make_client, sleeps):
    events = EventLog()
    zoho = ScriptedZoho(lambda r: error(429, "TOO_MANY_REQUESTS", "too many"))
    client = make_client(zoho, max_retries=4, backoff=0.5, jitter=lambda: 1.0, on_event=events)
    with pytest.raises(RateLimitedError) as caught:
        await client.list_emails(*LEAD)
    assert caught.value.code == "TOO_MANY_REQUESTS" and caught.value.status == 429
    assert sleeps == [0.5, 1.0, 2.0, 4.0]
    assert [n.attempt for n in events.retries] == [1, 2, 3, 4]
    assert [n.delay_s for n in events.retries] == sleeps
    assert all(isinstance(n.error, RateLimitedError) and "TOO_MANY_REQUESTS" in n.reason for n in events.retries)
    assert client.calls == 5 == len(zoho.crm_requests)


async def test_full_jitter_stays_within_the_exponential_bounds(make_client, sleeps):
    zoho = ScriptedZoho(lambda r: error(503, "INTERNAL_SERVER_ERROR"))
    rng = random.Random(4)
    client = make_client(zoho, max_retries=6, backoff=0.25, max_backoff=4.0, jitter=rng.random)
    with pytest.raises(ZohoAPIError):
        await client.list_emails(*LEAD)
    ceilings = [0.25, 0.5, 1.0, 2.0, 4.0, 4.0]
    assert len(sleeps) == 6
    assert all(0 <= delay <= ceiling for delay, ceiling in zip(sleeps, ceilings))
    assert len(set(sleeps)) == 6  # jittered, not a fixed schedule


async def test_retry_after_is_honoured(make_client, sleeps):
    zoho = ScriptedZoho(scripted_failures(error(429, "TOO_MANY_REQUESTS", **{"Retry-After": "7"}),
                                          error(503, "INTERNAL_SERVER_ERROR", **{"Retry-After": "1.5"})))
    client = make_client(zoho, jitter=lambda: 1.0)
    page = await client.list_emails(*LEAD)
    assert page.emails[0].message_id == "ok"
    assert sleeps == [7.0, 1.5] and client.calls == 3


async def test_a_retry_after_beyond_reason_is_not_waited_out(make_client, sleeps):
    zoho = ScriptedZoho(lambda r: error(429, "TOO_MANY_REQUESTS", **{"Retry-After": "86400"}))
    client = make_client(zoho)
    with pytest.raises(RateLimitedError) as caught:
        await client.list_emails(*LEAD)
    assert caught.value.details["retry_after"] == 86400.0
    assert sleeps == [] and client.calls == 1


async def test_500_then_success(make_client, sleeps):
    zoho = ScriptedZoho(scripted_failures(error(500, "INTERNAL_SERVER_ERROR"), httpx.Response(502, content=b"<html>")))
    client = make_client(zoho)
    assert (await client.list_emails(*LEAD)).emails[0].message_id == "ok"
    assert client.calls == 3 and len(sleeps) == 2


async def test_500_exhausted_keeps_the_error(make_client, sleeps):
    zoho = ScriptedZoho(lambda r: httpx.Response(502, content=b"<html>bad gateway</html>"))
    client = make_client(zoho, max_retries=2)
    with pytest.raises(ZohoAPIError) as caught:
        await client.list_emails(*LEAD)
    assert caught.value.code == "INTERNAL_SERVER_ERROR" and caught.value.status == 502
    assert client.calls == 3 and len(sleeps) == 2


@pytest.mark.parametrize(
    "failure",
    [httpx.ConnectError("[Errno 111] Connection refused"), httpx.ReadTimeout("timed out"),
     httpx.RemoteProtocolError("Server disconnected without sending a response.")],
)
async def test_connection_failures_are_retried_then_a_network_error(make_client, sleeps, failure):
    def crm(request):
        raise failure

    events = EventLog()
    zoho = ScriptedZoho(crm)
    client = make_client(zoho, max_retries=3, on_event=events)
    with pytest.raises(NetworkError) as caught:
        await client.list_emails(*LEAD)
    assert caught.value.message.startswith("Zoho could not be reached: ")
    assert str(failure) in caught.value.message
    # A connection never made costs no credit; one that broke after the request was sent may have.
    assert client.calls + client.unreached == 4 and len(sleeps) == 3
    assert client.unreached == (4 if isinstance(failure, httpx.ConnectError) else 0)
    assert all(isinstance(n.error, NetworkError) for n in events.retries)


async def test_connection_failure_then_success(make_client, sleeps):
    zoho = ScriptedZoho(scripted_failures(httpx.ConnectError("down"), httpx.ReadError("reset")))
    client = make_client(zoho)
    assert (await client.list_emails(*LEAD)).emails[0].message_id == "ok"
    assert client.calls == 2 and client.unreached == 1 and len(sleeps) == 2


async def test_an_unreachable_token_endpoint_is_retried_like_the_crm(make_client, sleeps):
    def token_body(n):
        if n < 3:
            raise httpx.ConnectError("[Errno 101] Network is unreachable")
        return {"access_token": f"tok-{n}", "api_domain": API, "expires_in": 3600}

    events = EventLog()
    zoho = ScriptedZoho(lambda r: emails_page(["ok"]), token_body=token_body)
    client = make_client(zoho, token=None, on_event=events)
    assert (await client.list_emails(*LEAD)).emails[0].message_id == "ok"
    assert len(zoho.token_forms) == 3 and len(sleeps) == 2
    assert [n.reason for n in events.retries] == ["Zoho Accounts unreachable"] * 2
    assert client.calls == 1, "token calls cost no API credits"

    zoho = ScriptedZoho(token_body=lambda n: token_body(1))
    client = make_client(zoho, token=None, max_retries=2)
    with pytest.raises(NetworkError, match="Zoho Accounts could not be reached"):
        await client.list_emails(*LEAD)
    assert len(zoho.token_forms) == 3 and client.calls == 0


async def test_async_on_event_is_awaited(make_client, sleeps):
    told: list[str] = []

    async def on_event(event):
        await asyncio.sleep(0)
        told.append(type(event).__name__)

    zoho = ScriptedZoho(scripted_failures(error(500, "INTERNAL_SERVER_ERROR")))
    client = make_client(zoho, on_event=on_event)
    await client.list_emails(*LEAD)
    assert told == ["Answered", "Retrying", "Answered"]


async def test_giving_up_is_told_and_only_calls_that_reached_zoho_count(make_client, sleeps):
    def refused(request):
        raise httpx.ConnectError("[Errno 111] Connection refused")

    events = EventLog()
    zoho = ScriptedZoho(refused)
    client = make_client(zoho, max_retries=2, on_event=events)
    with pytest.raises(NetworkError):
        await client.list_emails(*LEAD)
    assert [type(e).__name__ for e in events] == ["Retrying", "Retrying", "GaveUp"]
    # Never connected: no API credit spent.
    assert client.calls == 0 and client.unreached == 3

    def reset(request):
        raise httpx.ReadError("connection reset")

    zoho.crm = reset
    with pytest.raises(NetworkError):
        await client.list_emails(*LEAD)
    # Sent: Zoho may have answered (and billed) before the connection broke.
    assert client.calls == 3 and client.unreached == 3


async def test_zero_retries_for_one_call_is_a_single_try(make_client, sleeps):
    zoho = ScriptedZoho(lambda r: error(500, "INTERNAL_SERVER_ERROR"))
    client = make_client(zoho, max_retries=4)
    with pytest.raises(ZohoAPIError):
        await client.list_emails(*LEAD, retries=0)
    assert client.calls == 1 and sleeps == []


async def test_zero_retries_fails_at_once(make_client, sleeps):
    zoho = ScriptedZoho(lambda r: error(429, "TOO_MANY_REQUESTS"))
    client = make_client(zoho, max_retries=0)
    with pytest.raises(RateLimitedError):
        await client.list_emails(*LEAD)
    assert client.calls == 1 and sleeps == []


# --- concurrency ---------------------------------------------------------------------------------


@pytest.mark.parametrize("limit", [1, 3, 4])
async def test_never_more_than_max_in_flight(make_client, limit):
    async def crm(request):
        await asyncio.sleep(0.005)
        return emails_page(["m"])

    zoho = ScriptedZoho(crm)
    client = make_client(zoho, max_in_flight=limit)
    await asyncio.gather(*(client.list_emails(*LEAD) for _ in range(12)))
    assert zoho.most_in_flight == limit
    assert client.calls == 12


async def test_backoff_sleeps_do_not_hold_a_slot(make_client):
    """One request waiting out a backoff must not stop the others."""
    gate = asyncio.Event()

    async def slow_sleep(delay):
        await gate.wait()

    def crm(request):
        if request.url.params.get("index") == "retry-me" and not gate.is_set():
            return error(500, "INTERNAL_SERVER_ERROR")
        return emails_page(["m"])

    zoho = ScriptedZoho(crm)
    client = make_client(zoho, max_in_flight=1, sleep=slow_sleep)
    waiting = asyncio.ensure_future(client.list_emails(*LEAD, index="retry-me"))
    await asyncio.sleep(0.01)
    await asyncio.wait_for(client.list_emails(*LEAD), 1.0)
    gate.set()
    await waiting


# --- paging -------------------------------------------------------------------------------------------


async def test_iter_email_pages_follows_next_index(make_client):
    pages = {None: (["a", "b"], "i1"), "i1": (["c"], "i2"), "i2": (["d"], None)}

    def crm(request):
        ids, next_index = pages[request.url.params.get("index")]
        return emails_page(ids, next_index)

    zoho = ScriptedZoho(crm)
    client = make_client(zoho)
    seen = [e.message_id async for page in client.iter_email_pages(*LEAD, type="sent_from_crm") for e in page.emails]
    assert seen == ["a", "b", "c", "d"]
    assert [r.url.params.get("index") for r in zoho.crm_requests] == [None, "i1", "i2"]
    assert all(r.url.params["type"] == "sent_from_crm" for r in zoho.crm_requests)


async def test_a_looping_next_index_stops(make_client):
    zoho = ScriptedZoho(lambda r: emails_page(["a"], next_index="same"))
    client = make_client(zoho)
    with pytest.raises(ZohoAPIError, match="next_index"):
        async for _ in client.iter_email_pages(*LEAD):
            pass
    assert client.calls == 2  # the repeat is caught on its first return


# --- attachments ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("attachment; filename=\"report.pdf\"", "report.pdf"),
        ("attachment; filename*=UTF-8''na%C3%AFve%20r%C3%A9sum%C3%A9.pdf", "naïve résumé.pdf"),
        ("attachment; filename=\"fallback.pdf\"; filename*=UTF-8''%E2%9C%93.pdf", "✓.pdf"),
        ('attachment; filename="quo\\"ted;name.txt"', 'quo"ted;name.txt'),
        ("attachment; filename=plain.txt", "plain.txt"),
        ("inline", None),
        (None, None),
    ],
)
def test_filename_from_disposition(header, expected):
    assert filename_from_disposition(header) == expected


async def test_download_streams_with_the_name_the_server_gave(make_client):
    payload = b"%PDF" + bytes(range(256)) * 100

    def crm(request):
        return httpx.Response(
            200,
            headers={"content-disposition": "attachment; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd",
                     "content-length": str(len(payload)), "content-type": "application/pdf"},
            stream=httpx.ByteStream(payload),
        )

    zoho = ScriptedZoho(crm)
    client = make_client(zoho, max_in_flight=1)
    async with client.download_attachment(*LEAD, message_id="m1", user_id="u1", attachment_id="a1",
                                          name="report.pdf") as download:
        # Untrusted: tui.downloads makes a file name of it (tests/test_downloads.py).
        assert download.filename == "../../etc/passwd"
        assert download.size == len(payload) and download.content_type == "application/pdf"
        received = b"".join([chunk async for chunk in download.aiter_bytes()])
    assert received == payload
    request = zoho.crm_requests[0]
    assert request.url.path == "/crm/v8/Leads/4150868000000250001/Emails/actions/download_attachments"
    assert dict(request.url.params) == {"message_id": "m1", "user_id": "u1", "id": "a1", "name": "report.pdf"}
    # The slot was given back: with max_in_flight=1 another call still goes through.
    zoho.crm = lambda r: emails_page([])
    await asyncio.wait_for(client.list_emails(*LEAD), 1.0)


async def test_download_without_disposition_uses_the_given_name(make_client):
    zoho = ScriptedZoho(lambda r: httpx.Response(200, content=b"abc"))
    client = make_client(zoho)
    async with client.download_attachment(*LEAD, message_id="m", user_id="u", attachment_id="a",
                                          name="\x1b[31mevil\u202e.txt") as download:
        assert download.filename == "\x1b[31mevil\u202e.txt"
        assert download.size == 3


async def test_download_error_is_raised_and_the_slot_released(make_client):
    zoho = ScriptedZoho(lambda r: error(400, "INVALID_DATA", "bad attachment id"))
    client = make_client(zoho, max_in_flight=1)
    with pytest.raises(ZohoAPIError):
        async with client.download_attachment(*LEAD, message_id="m", user_id="u", attachment_id="a", name="n"):
            pass
    zoho.crm = lambda r: emails_page([])
    await asyncio.wait_for(client.list_emails(*LEAD), 1.0)


# --- modules, records, users, org -------------------------------------------------------------------------


def module_row(api_name, generated_type="default", api_supported=True, **extra):
    return {"api_name": api_name, "module_name": api_name, "plural_label": api_name.replace("_", " "),
            "generated_type": generated_type, "api_supported": api_supported, **extra}


async def test_modules_are_those_with_emails(make_client):
    rows = [module_row(n) for n in ("Leads", "Contacts", "Accounts", "Deals", "Tasks", "Events", "Calls", "Notes",
                                    "Quotes", "Invoices", "Sales_Orders", "Purchase_Orders", "Attachments", "Products")]
    rows += [module_row("Projects", "custom", display_field={"api_name": "Name"}),
             module_row("Hidden_Custom", "custom", api_supported=False),
             module_row("Web_Forms", "web"), module_row("Projects_X_Contacts", "linking")]
    zoho = ScriptedZoho(lambda r: httpx.Response(200, json={"modules": rows}))
    client = make_client(zoho)
    modules = await client.modules()
    assert [m.api_name for m in modules] == ["Leads", "Contacts", "Accounts", "Deals", "Quotes", "Invoices",
                                             "Sales_Orders", "Purchase_Orders", "Projects"]
    assert modules[-1].display_field == "Name" and modules[-1].is_custom
    assert zoho.crm_requests[0].url.path == "/crm/v8/settings/modules"


async def test_modules_without_the_settings_scope_are_the_standard_eight(make_client):
    zoho = ScriptedZoho(lambda r: error(401, "OAUTH_SCOPE_MISMATCH"))
    client = make_client(zoho)
    modules = await client.modules()
    assert [m.api_name for m in modules][:2] == ["Leads", "Contacts"] and len(modules) == 8
    assert modules[6].label == "Sales Orders"


async def test_search_by_word_and_by_email(make_client):
    rows = [{"id": "1", "Full_Name": "Ada Lovelace", "Email": "ada@example.com"},
            {"id": "2", "Full_Name": None, "Email": None}, {"Full_Name": "no id"}]
    zoho = ScriptedZoho(lambda r: httpx.Response(200, json={"data": rows, "info": {"more_records": False}}))
    client = make_client(zoho)
    records = await client.search_records("Leads", " Ada ")
    assert [(r.id, r.name, r.detail, r.display) for r in records] == [
        ("1", "Ada Lovelace", "ada@example.com", "Ada Lovelace"), ("2", None, None, "2")]
    await client.search_records("Leads", "ada@example.com", per_page=5)
    word, email = (dict(r.url.params) for r in zoho.crm_requests)
    assert word == {"word": "Ada", "fields": "Full_Name,Email", "per_page": "20"}
    assert email == {"email": "ada@example.com", "fields": "Full_Name,Email", "per_page": "5"}
    assert zoho.crm_requests[0].url.path == "/crm/v8/Leads/search"


async def test_search_custom_module_uses_its_display_field_and_204_is_empty(make_client):
    zoho = ScriptedZoho(lambda r: httpx.Response(204))
    client = make_client(zoho)
    assert await client.search_records("Projects", "apollo", name_field="Name") == []
    assert dict(zoho.crm_requests[0].url.params) == {"word": "apollo", "fields": "Name", "per_page": "20"}


async def test_list_and_get_records(make_client):
    def crm(request):
        if request.url.path.endswith("/Deals"):
            return httpx.Response(200, json={"data": [{"id": "5", "Deal_Name": "Upgrade", "Stage": "Won"}]})
        return httpx.Response(200, json={"data": [{"id": "6", "Account_Name": "AE Ltd", "Website": "ae.example"}]})

    zoho = ScriptedZoho(crm)
    client = make_client(zoho)
    assert [(r.module, r.id, r.name, r.detail) for r in await client.list_records("Deals")] == [("Deals", "5", "Upgrade", "Won")]
    record = await client.get_record("Accounts", "6")
    assert (record.module, record.name, record.detail) == ("Accounts", "AE Ltd", "ae.example")
    assert dict(zoho.crm_requests[0].url.params) == {"fields": "Deal_Name,Stage", "per_page": "20"}
    assert zoho.crm_requests[1].url.path == "/crm/v8/Accounts/6"
    zoho.crm = lambda r: httpx.Response(204)
    assert await client.get_record("Accounts", "7") is None


async def test_users_follow_pages_and_current_user(make_client):
    def crm(request):
        kind, page = request.url.params["type"], request.url.params["page"]
        if kind == "CurrentUser":
            return httpx.Response(200, json={"users": [{"id": "9", "full_name": "Patricia Boyle"}]})
        more = page == "1"
        return httpx.Response(200, json={"users": [{"id": f"u{page}", "first_name": "A", "last_name": page}],
                                         "info": {"more_records": more}})

    zoho = ScriptedZoho(crm)
    client = make_client(zoho)
    users = await client.users()
    assert [(u.id, u.name) for u in users] == [("u1", "A 1"), ("u2", "A 2")]
    me = await client.current_user()
    assert (me.id, me.name) == ("9", "Patricia Boyle")
    assert [r.url.params["type"] for r in zoho.crm_requests] == ["AllUsers", "AllUsers", "CurrentUser"]


async def test_org(make_client):
    zoho = ScriptedZoho(lambda r: httpx.Response(200, json={"org": [{"id": "1", "company_name": "AE", "domain_name": "org808232144"}]}))
    client = make_client(zoho)
    org = await client.org()
    assert org.domain_name == "org808232144"
    assert zoho.crm_requests[0].url.path == "/crm/v8/org"


async def test_context_manager_closes_and_repr_has_no_token(make_client):
    zoho = ScriptedZoho(lambda r: emails_page([]))
    async with make_client(zoho, token="tok-secret-0") as client:
        await client.list_emails(*LEAD)
        assert "tok-secret-0" not in repr(client)
    with pytest.raises(RuntimeError):
        await client.list_emails(*LEAD)


async def test_every_answer_is_told_with_its_status(make_client, sleeps):
    events = EventLog()
    zoho = ScriptedZoho(scripted_failures(httpx.ConnectError("down"), error(503, "INTERNAL_SERVER_ERROR")))
    client = make_client(zoho, on_event=events)
    await client.list_emails(*LEAD)
    assert [a.status for a in events.answers] == [503, 200]  # the connection failure got no answer
    zoho.crm = lambda r: error(403, "NO_PERMISSION")
    with pytest.raises(ZohoAPIError):
        await client.list_emails(*LEAD)
    assert [a.status for a in events.answers] == [503, 200, 403]  # a refusal is still an answer
