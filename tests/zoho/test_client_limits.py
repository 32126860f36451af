"""ZohoClient against answers that misbehave, at the transport: bounded memory, time, waits and paging."""

from __future__ import annotations

import asyncio
import gzip
import json
import time
import tracemalloc
import zlib

import httpx
import pytest

from tests.support.events import EventLog
from tui.zoho.body import MAX_BODY_BYTES
from tui.zoho.client import attachment_limit, filename_from_disposition
from tui.zoho.errors import AuthError, NetworkError, RateLimitedError, UsageError, ZohoAPIError
from zoho_fakes import ScriptedZoho, emails_page, error

LEAD = ("Leads", "4150868000000250001")
MB = 1024 * 1024


class Stream(httpx.AsyncByteStream):
    """A body produced as it is read, with an optional real pause before each chunk."""

    def __init__(self, chunks, pause: float = 0.0) -> None:
        self.chunks, self.pause = chunks, pause

    async def __aiter__(self):
        for chunk in self.chunks:
            if self.pause:
                await asyncio.sleep(self.pause)
            yield chunk


def gzip_bomb(inflated_mb: int):
    """1 GB of JSON padding in about 1 MB of gzip, compressed only as far as it is read."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    yield compressor.compress(b'{"Emails":[],"padding":"')
    block = b"x" * MB
    for _ in range(inflated_mb):
        if out := compressor.compress(block):
            yield out
    yield compressor.compress(b'"}') + compressor.flush()


# --- bounded memory -----------------------------------------------------------------------------


async def test_a_gzip_bomb_stops_at_the_cap_without_holding_the_inflated_whole(make_client):
    zoho = ScriptedZoho(lambda r: httpx.Response(200, headers={"content-encoding": "gzip"},
                                                 stream=Stream(gzip_bomb(1024))))
    client = make_client(zoho, max_retries=0)
    tracemalloc.start()
    try:
        with pytest.raises(ZohoAPIError) as caught:
            await client.list_emails(*LEAD)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.code == "RESPONSE_TOO_LARGE"
    assert caught.value.message == "Zoho's answer was larger than 20 MB once decompressed: stopped reading it."
    assert peak < MAX_BODY_BYTES * 2.5, f"peaked at {peak / MB:.0f} MB"
    assert client.calls == 1 and len(zoho.crm_requests) == 1  # not retried: the same answer would come back


async def test_a_huge_plain_body_is_refused_past_the_cap(make_client):
    chunks = [b'{"Emails":[],"padding":"'] + [b"x" * MB] * 50 + [b'"}']
    zoho = ScriptedZoho(lambda r: httpx.Response(200, stream=Stream(iter(chunks))))
    client = make_client(zoho)
    with pytest.raises(ZohoAPIError, match="larger than 20 MB"):
        await client.list_emails(*LEAD)


async def test_a_huge_error_body_is_not_read_and_the_status_still_speaks(make_client, sleeps):
    zoho = ScriptedZoho(lambda r: httpx.Response(503, stream=Stream(iter([b"<html>"] + [b"x" * MB] * 30))))
    client = make_client(zoho, max_retries=1)
    with pytest.raises(ZohoAPIError) as caught:
        await client.list_emails(*LEAD)
    assert caught.value.code == "INTERNAL_SERVER_ERROR" and caught.value.status == 503
    assert "larger than 20 MB" in caught.value.message
    assert client.calls == 2  # a 5xx is still retried


async def test_gzip_and_deflate_answers_are_read(make_client):
    body = json.dumps({"Emails": [{"message_id": "m1"}], "info": {"more_records": False}}).encode()

    def crm(request):
        if request.url.params.get("index") == "deflate":
            return httpx.Response(200, headers={"content-encoding": "deflate"}, stream=Stream([zlib.compress(body)]))
        return httpx.Response(200, headers={"content-encoding": "gzip"}, stream=Stream([gzip.compress(body)]))

    zoho = ScriptedZoho(crm)
    client = make_client(zoho)
    assert (await client.list_emails(*LEAD)).emails[0].message_id == "m1"
    assert (await client.list_emails(*LEAD, index="deflate")).emails[0].message_id == "m1"
    assert zoho.crm_requests[0].headers["accept-encoding"] == "gzip, deflate"


async def test_an_encoding_not_asked_for_is_an_invalid_response(make_client):
    zoho = ScriptedZoho(lambda r: httpx.Response(200, headers={"content-encoding": "br"}, stream=Stream([b"\x0b"])))
    client = make_client(zoho)
    with pytest.raises(ZohoAPIError, match="'br'") as caught:
        await client.list_emails(*LEAD)
    assert caught.value.code == "INVALID_RESPONSE"


# --- answers that are not what they claim --------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b'{"Emails":' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested more than 64 levels deep"),
        (b'{"Emails":' + b"[" * 100 + b"]" * 100 + b"}", "nested more than 64 levels deep"),
        (b"[]", "a JSON list, not an object"),
        (b'"Emails"', "a JSON string, not an object"),
        (b"null", "a JSON null, not an object"),
        (b"\xff\xfe{}", "not JSON"),
    ],
)
async def test_json_that_is_not_an_object_is_an_invalid_response(make_client, content, says):
    zoho = ScriptedZoho(lambda r: httpx.Response(200, content=content))
    client = make_client(zoho)
    with pytest.raises(ZohoAPIError) as caught:
        await client.list_emails(*LEAD)
    assert caught.value.code == "INVALID_RESPONSE" and says in caught.value.message
    assert "--api-domain" in caught.value.hint


@pytest.mark.parametrize(
    ("body", "kind", "code"),
    [
        ({"code": "INVALID_TOKEN", "details": {}, "message": "invalid oauth token", "status": "error"}, AuthError,
         "INVALID_TOKEN"),
        ({"code": "CANNOT_PROCESS", "message": "IMAP sync"}, ZohoAPIError, "CANNOT_PROCESS"),
        ({"code": "TOO_MANY_REQUESTS", "status": "error"}, RateLimitedError, "TOO_MANY_REQUESTS"),
        ({"status": "error"}, ZohoAPIError, "INVALID_RESPONSE"),
    ],
)
async def test_http_200_with_an_error_for_a_body_is_that_error(make_client, sleeps, body, kind, code):
    zoho = ScriptedZoho(lambda r: httpx.Response(200, json=body))
    client = make_client(zoho)
    for call in (lambda: client.list_emails(*LEAD), lambda: client.get_email(*LEAD, "m1"), client.org,
                 lambda: client.list_records("Leads")):
        with pytest.raises(kind) as caught:
            await call()
        assert caught.value.code == code and caught.value.status == 200
        assert "Zoho answered HTTP 200, with an error for a body" in caught.value.message
    assert sleeps == []  # not retried


async def test_a_list_answer_without_emails_is_not_an_empty_record(make_client):
    zoho = ScriptedZoho(lambda r: httpx.Response(200, json={"something": "else"}))
    client = make_client(zoho)
    with pytest.raises(ZohoAPIError) as caught:
        await client.list_emails(*LEAD)
    assert caught.value.code == "INVALID_RESPONSE"


# --- bounded time ---------------------------------------------------------------------------------


async def test_a_trickling_answer_is_cut_at_the_deadline(make_client):
    """One byte every 20 ms: the read timeout never fires, the overall deadline (0.3 s here) does."""
    body = json.dumps({"Emails": [{"message_id": "m1"}], "info": {}}).encode()
    zoho = ScriptedZoho(lambda r: httpx.Response(200, stream=Stream([bytes([b]) for b in body], pause=0.02)))
    events = EventLog()
    client = make_client(zoho, deadline=0.3, max_retries=1, on_event=events)
    started = time.monotonic()
    with pytest.raises(NetworkError) as caught:
        await client.list_emails(*LEAD)
    assert time.monotonic() - started < 1.5
    assert "did not finish answering within 0.3 s" in caught.value.message
    assert [r.reason for r in events.retries] == ["no complete answer within 0.3 s"]
    assert client.calls == 2


async def test_a_retry_after_beyond_a_minute_is_not_waited(make_client, sleeps):
    events = EventLog()
    zoho = ScriptedZoho(lambda r: error(429, "TOO_MANY_REQUESTS", **{"Retry-After": "100"}))
    client = make_client(zoho, on_event=events)
    with pytest.raises(RateLimitedError) as caught:
        await client.list_emails(*LEAD)
    assert caught.value.details["retry_after"] == 100.0
    assert sleeps == [] and client.calls == 1 and len(events.gave_up) == 1


async def test_the_waits_of_one_call_are_capped_in_all(make_client, sleeps):
    events = EventLog()
    zoho = ScriptedZoho(lambda r: error(429, "TOO_MANY_REQUESTS", **{"Retry-After": "60"}))
    client = make_client(zoho, max_retries=10, max_total_wait=150, on_event=events)
    with pytest.raises(RateLimitedError):
        await client.list_emails(*LEAD)
    assert sleeps == [60.0, 60.0]  # a third minute would pass 150 s
    assert [(r.attempt, r.attempts, r.delay_s) for r in events.retries] == [(1, 11, 60.0), (2, 11, 60.0)]
    assert client.calls == 3


async def test_no_backoff_is_longer_than_the_longest_wait(make_client, sleeps):
    zoho = ScriptedZoho(lambda r: error(500, "INTERNAL_SERVER_ERROR"))
    client = make_client(zoho, max_retries=8, backoff=10, max_backoff=600, max_wait=45, max_total_wait=10_000,
                         jitter=lambda: 1.0)
    with pytest.raises(ZohoAPIError):
        await client.list_emails(*LEAD)
    assert sleeps == [10, 20, 40, 45, 45, 45, 45, 45]


# --- ids in paths ----------------------------------------------------------------------------------


async def test_message_ids_are_percent_encoded_not_refused(make_client):
    zoho = ScriptedZoho(lambda r: httpx.Response(200, json={"Emails": [{"subject": "x"}]}))
    client = make_client(zoho)
    detail = await client.get_email(*LEAD, "a/b?c#d é..=", user_id="4150 868/0")
    assert detail.message_id == "a/b?c#d é..="
    request = zoho.crm_requests[0]
    assert request.url.raw_path.decode().startswith("/crm/v8/Leads/4150868000000250001/Emails/a%2Fb%3Fc%23d%20%C3%A9..=?")
    assert request.url.params["user_id"] == "4150 868/0"
    for unnamable in ("", ".", ".."):
        with pytest.raises(UsageError):
            await client.get_email(*LEAD, unnamable)
    assert len(zoho.crm_requests) == 1


# --- paging that never ends ------------------------------------------------------------------------


async def test_empty_pages_that_claim_more_end_the_walk_at_once(make_client):
    counter = iter(range(10**6))
    zoho = ScriptedZoho(lambda r: emails_page([], next_index=f"{next(counter):08x}"))
    client = make_client(zoho)
    with pytest.raises(ZohoAPIError) as caught:
        async for _ in client.iter_email_pages(*LEAD):
            pass
    assert caught.value.code == "BROKEN_PAGING" and "page 1 was empty but said more emails follow" in caught.value.message
    assert "what was read is kept" in caught.value.hint.lower()
    assert client.calls == 1


async def test_repeated_emails_under_new_indexes_end_the_walk(make_client):
    counter = iter(range(10**6))
    zoho = ScriptedZoho(lambda r: emails_page(["a", "b"], next_index=f"{next(counter):08x}"))
    client = make_client(zoho)
    seen = []
    with pytest.raises(ZohoAPIError, match="held only emails it had already sent"):
        async for page in client.iter_email_pages(*LEAD):
            seen += [e.message_id for e in page.emails]
    assert seen == ["a", "b"] and client.calls == 2


async def test_a_walk_can_start_from_an_index(make_client):
    pages = {"i1": (["c"], "i2"), "i2": (["d"], None)}
    zoho = ScriptedZoho(lambda r: emails_page(*pages[r.url.params["index"]]))
    client = make_client(zoho)
    seen = [e.message_id async for page in client.iter_email_pages(*LEAD, index="i1") for e in page.emails]
    assert seen == ["c", "d"]


# --- attachments ---------------------------------------------------------------------------------------


def download(client, **options):
    return client.download_attachment(*LEAD, message_id="m1", user_id="u1", attachment_id="a1", name="listed.pdf",
                                      **options)


@pytest.mark.parametrize("in_memory", [True, False])
async def test_a_gzip_encoded_attachment_is_saved_as_sent(make_client, in_memory):
    original = b"%PDF-1.7 " + b"0" * 2 * MB
    sent = gzip.compress(original, mtime=0)
    headers = {"content-encoding": "gzip", "content-length": str(len(sent)), "content-type": "application/pdf"}
    zoho = ScriptedZoho(lambda r: httpx.Response(200, headers=headers, content=sent) if in_memory
                        else httpx.Response(200, headers=headers, stream=Stream([sent[:1000], sent[1000:]])))
    client = make_client(zoho)
    async with download(client, max_bytes=attachment_limit(len(original))) as received:
        assert received.size == len(sent) and received.content_encoding == "gzip"
        data = b"".join([chunk async for chunk in received.aiter_bytes()])
    assert data == sent  # byte for byte what Zoho sent: never inflated to 2 MB of something else


async def test_an_attachment_larger_than_announced_is_refused_before_a_byte(make_client):
    zoho = ScriptedZoho(lambda r: httpx.Response(200, headers={"content-length": str(100 * MB)},
                                                 stream=Stream([b"x"])))
    client = make_client(zoho, max_in_flight=1)
    with pytest.raises(ZohoAPIError) as caught:
        async with download(client, max_bytes=attachment_limit(100 * 1024)):
            pass
    assert caught.value.code == "ATTACHMENT_TOO_LARGE"
    assert caught.value.message == "Zoho announced 100.0 MB for an attachment of at most 169.0 KB: not saved."
    zoho.crm = lambda r: emails_page([])
    await asyncio.wait_for(client.list_emails(*LEAD), 1.0)  # the slot was given back


async def test_an_attachment_that_streams_past_its_limit_is_cut(make_client):
    zoho = ScriptedZoho(lambda r: httpx.Response(200, stream=Stream([b"x" * 64 * 1024] * 100)))
    client = make_client(zoho)
    received = 0
    with pytest.raises(ZohoAPIError, match="Zoho sent more than 200.0 KB for this attachment: stopped."):
        async with download(client, max_bytes=200 * 1024) as d:
            async for chunk in d.aiter_bytes():
                received += len(chunk)
    assert received <= 200 * 1024


def test_attachment_limits():
    assert attachment_limit(100 * 1024) == 100 * 1024 + 5 * 1024 + 64 * 1024
    assert attachment_limit(None) == attachment_limit(-1) == 100 * MB


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("attachment; filename*=idna''%E2%9C%93.pdf", None),
        ("attachment; filename=\"plain.pdf\"; filename*=punycode''%E2%9C%93.pdf", "plain.pdf"),
        ("attachment; filename=\"plain.pdf\"; filename*=x-no-such-charset''r.pdf", "plain.pdf"),
        ("attachment; filename*=rot13''abc.pdf", None),
        ("attachment; filename*=base64''YWJj", None),
        ("attachment; filename=\"plain.pdf\"; filename*=UTF-8''%FF%FE.pdf", "plain.pdf"),
        ("attachment; filename*=UTF-8''%ZZbroken.pdf", None),
        ("attachment; filename*=UTF-8''%E2%9C", None),
        ("attachment; filename*=UTF-8''", None),
        ("attachment; filename*=nothing-quoted", None),
        ("attachment; filename*=ISO-8859-1''caf%E9.txt", "café.txt"),
        ("attachment; filename*=utf-8'en'%E2%9C%93.pdf", "✓.pdf"),
    ],
)
def test_a_filename_star_that_cannot_decode_falls_back(header, expected):
    assert filename_from_disposition(header) == expected


async def test_an_undecodable_disposition_falls_back_to_the_listed_name(make_client):
    zoho = ScriptedZoho(lambda r: httpx.Response(200, headers={"content-disposition": "attachment; filename*=idna''%E2%9C%93"},
                                                 content=b"abc"))
    client = make_client(zoho)
    async with download(client) as d:
        assert d.filename == "listed.pdf"
