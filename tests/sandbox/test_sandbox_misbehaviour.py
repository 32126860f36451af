"""The sandbox's misbehaviours, each met by the client: it ends, within bounds, with a sentence."""

from __future__ import annotations

import gzip
import time

import pytest
from msgspec.structs import replace

from tests.support.clock import VirtualClock
from tui.connect import demo_client, sandbox_credentials, token_source
from tui.render.dates import full_time, short_time
from tui.render.email_text import status_lines
from tui.sandbox import data
from tui.sandbox.app import Sandbox
from tui.sandbox.attachments import chunks
from tui.sandbox.faults import Faults
from tui.sandbox.misbehaviour import BAD_DISPOSITIONS, MISBEHAVIOURS
from tui.sandbox.server import SandboxServer
from tui.zoho.client import ZohoClient, attachment_limit
from tui.zoho.errors import AuthError, NetworkError, UsageError, ZohoAPIError


def on(spec: str, **options):
    """A client on an in-process sandbox misbehaving as `spec` says, its waits on a virtual clock."""
    clock = VirtualClock()
    client, sandbox = demo_client(faults=Faults.parse(spec), clock=clock, **options)
    return client, sandbox, clock


async def walk(client: ZohoClient, record=data.LEAD_MAIN) -> list[str]:
    return [e.message_id async for page in client.iter_email_pages(*record) for e in page.emails]


def first_message_id(sandbox: Sandbox, record=data.LEAD_MAIN) -> str:
    mailbox = sandbox.data.mailbox(sandbox.data.record(*record))
    return mailbox.message_id(mailbox.positions(None, None)[0])


def test_every_misbehaviour_parses_alone_and_with_a_value():
    for name, misbehaviour in MISBEHAVIOURS.items():
        assert Faults.parse(name).misbehaviours == {name: misbehaviour.default}
    assert Faults.parse("trickle=5,429=0.1").misbehaviours == {"trickle": 5}
    for bad in ("trickle=fast", "huge=-1"):
        with pytest.raises(UsageError):
            Faults.parse(bad)
    with pytest.raises(UsageError, match="unknown misbehaviour"):
        Faults(misbehaviours={"teapot": 1})


async def test_empty_pages_forever_end_after_one_call():
    client, sandbox, _ = on("empty-pages")
    async with client:
        with pytest.raises(ZohoAPIError) as caught:
            await walk(client)
    assert caught.value.code == "BROKEN_PAGING" and "was empty but said more emails follow" in caught.value.message
    assert sandbox.count("/Emails") == 1


async def test_repeating_pages_under_new_indexes_end_after_two_calls():
    client, sandbox, _ = on("repeat-pages")
    seen: list[str] = []
    async with client:
        with pytest.raises(ZohoAPIError, match="held only emails it had already sent"):
            async for page in client.iter_email_pages(*data.LEAD_MAIN):
                seen += [e.message_id for e in page.emails]
    assert len(seen) == len(set(seen)) == 10
    assert sandbox.count("/Emails") == 2


@pytest.mark.parametrize(("spec", "code"), [("gzip-bomb", "RESPONSE_TOO_LARGE"), ("huge", "RESPONSE_TOO_LARGE"),
                                            ("deep-json", "INVALID_RESPONSE")])
async def test_bodies_past_the_caps_are_errors_with_a_sentence(spec, code):
    client, sandbox, _ = on(spec)
    async with client:
        message_id = first_message_id(sandbox)
        for call in (lambda: walk(client), lambda: client.get_email(*data.LEAD_MAIN, message_id), client.org):
            with pytest.raises(ZohoAPIError) as caught:
                await call()
            assert caught.value.code == code
    assert client.calls == 3 == len(sandbox.calls)  # none retried: the same answer would come back


async def test_an_error_in_a_200_is_that_error():
    client, _, _ = on("error-200")
    async with client:
        with pytest.raises(AuthError) as caught:
            await walk(client)
    assert caught.value.code == "INVALID_TOKEN" and caught.value.status == 200


async def test_impossible_dates_are_read_and_shown_as_sent():
    client, _, _ = on("bad-dates")
    async with client:
        page = await client.list_emails(*data.LEAD_MAIN)
        detail = await client.get_email(*data.LEAD_MAIN, page.emails[0].message_id)
    first, second = page.emails[:2]
    assert first.time.year == 1 and second.time.year == 9999
    assert short_time(first.time) == "Jan 01     1" and short_time(second.time) == "Dec 31  9999"
    assert full_time(detail.sent_time) == "Mon 0001-01-01 00:00 +14:00"
    assert all(short_time(e.time) for e in page.emails)  # the neighbours still show
    status_lines(first.status + second.status + detail.status)  # never raises


async def test_undecodable_attachment_names_fall_back():
    client, _, _ = on("bad-disposition")
    async with client:
        page = await client.list_emails(*data.LEAD_MAIN)
        email = next(e for e in page.emails if e.has_attachment)
        attachment = (await client.get_email(*data.LEAD_MAIN, email.message_id)).attachments[0]
        names = []
        for _ in BAD_DISPOSITIONS:
            async with client.download_attachment(*data.LEAD_MAIN, message_id=email.message_id,
                                                  user_id=email.owner.id, attachment_id=attachment.id,
                                                  name=attachment.name) as download:
                names.append(download.filename)
    assert set(names) == {attachment.name, "plain.pdf"}


async def test_a_gzip_encoded_attachment_is_received_as_sent():
    client, sandbox, _ = on("gzip-attachment")
    async with client:
        page = await client.list_emails(*data.LEAD_MAIN)
        email = next(e for e in page.emails if e.has_attachment)
        detail = await client.get_email(*data.LEAD_MAIN, email.message_id)
        attachment = detail.attachments[0]
        async with client.download_attachment(*data.LEAD_MAIN, message_id=email.message_id, user_id=email.owner.id,
                                              attachment_id=attachment.id, name=attachment.name,
                                              max_bytes=attachment_limit(attachment.size)) as download:
            received = b"".join([chunk async for chunk in download.aiter_bytes()])
    mailbox = sandbox.data.mailbox(sandbox.data.record(*data.LEAD_MAIN))
    spec = mailbox.attachment(mailbox.position_of(email.message_id), attachment.id)
    original = b"".join(chunks(spec))
    assert received == gzip.compress(original, mtime=0)  # the bytes as sent, byte for byte
    assert gzip.decompress(received) == original


async def test_a_trickle_is_cut_at_the_deadline_in_process():
    """The trickle waits on the transport's (real) sleep here: one byte every 20 ms, a 0.3 s deadline."""
    from tui.sandbox.transport import SandboxTransport

    sandbox = Sandbox(faults=Faults.parse("trickle=20"))
    transport = SandboxTransport(sandbox)
    client = ZohoClient(token_source(sandbox_credentials(), transport=transport), transport=transport,
                        deadline=0.3, max_retries=0)
    started = time.monotonic()
    async with client:
        with pytest.raises(NetworkError, match="within 0.3 s"):
            await client.list_emails(*data.LEAD_MAIN)
    assert time.monotonic() - started < 1.5


async def test_a_trickle_over_a_real_socket_is_cut_at_the_deadline():
    sandbox = Sandbox(faults=Faults.parse("trickle=20"))
    with SandboxServer(sandbox) as server:
        tokens = token_source(replace(sandbox_credentials(), accounts_url=server.url, api_domain=server.url))
        client = ZohoClient(tokens, deadline=0.3, max_retries=0)
        sandbox.faults.misbehaviours = {}
        await tokens.access_token()  # the token call is quick
        sandbox.faults.misbehaviours = {"trickle": 20}
        started = time.monotonic()
        async with client:
            with pytest.raises(NetworkError, match="within 0.3 s"):
                await client.list_emails(*data.LEAD_MAIN)
        assert time.monotonic() - started < 1.5


@pytest.mark.parametrize("spec", ["gzip-bomb", "huge"])
async def test_a_body_past_the_cap_over_a_real_socket(spec):
    sandbox = Sandbox(faults=Faults.parse(spec))
    with SandboxServer(sandbox) as server:
        tokens = token_source(replace(sandbox_credentials(), accounts_url=server.url, api_domain=server.url))
        async with ZohoClient(tokens, max_retries=0) as client:
            with pytest.raises(ZohoAPIError) as caught:
                await client.list_emails(*data.LEAD_MAIN)
    assert caught.value.code == "RESPONSE_TOO_LARGE"
