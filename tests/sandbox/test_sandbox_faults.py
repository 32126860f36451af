"""Fault injection, and the in-process httpx transport that carries it to the client."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from tui.sandbox import data
from tui.sandbox.app import Sandbox
from tui.sandbox.faults import Faults
from tui.sandbox.transport import SandboxTransport
from tui.zoho.errors import UsageError


def statuses(sandbox: Sandbox, calls: int = 60) -> list[int]:
    headers = {"Authorization": f"Zoho-oauthtoken {sandbox.mint_access_token()}"}
    return [sandbox.handle("GET", "/crm/v8/org", headers).status for _ in range(calls)]


def test_parse_reads_every_key():
    faults = Faults.parse("429=0.1, 500=0.05,drop=0.02,expire=100,latency=250,seed=3,retry-after=2")
    assert (faults.rate_429, faults.rate_500, faults.rate_drop) == (0.1, 0.05, 0.02)
    assert (faults.expire_after, faults.latency_ms, faults.seed, faults.retry_after) == (100, 250, 3, 2)
    assert Faults.parse("always=drop").always == "drop"
    assert Faults.parse("") == Faults()


@pytest.mark.parametrize("spec", ["429", "429=lots", "teapot=0.1", "429=1.5", "429=0.6,500=0.6", "expire=0",
                                  "always=flood", "latency=-5"])
def test_parse_refuses_nonsense_with_a_usage_error(spec):
    with pytest.raises(UsageError):
        Faults.parse(spec)


def test_no_faults_by_default():
    assert set(statuses(Sandbox())) == {200}


def test_random_faults_are_the_same_for_the_same_seed():
    spec = dict(rate_429=0.3, rate_500=0.2, rate_drop=0.1)
    first = statuses(Sandbox(faults=Faults(**spec, seed=5)))
    assert first == statuses(Sandbox(faults=Faults(**spec, seed=5)))
    assert first != statuses(Sandbox(faults=Faults(**spec, seed=6)))
    assert {200, 429, 500, 0} <= set(first)  # 0: a dropped connection has no status


def test_reseeding_replays_the_same_faults():
    sandbox = Sandbox(faults=Faults(rate_500=0.5, seed=9))
    first = statuses(sandbox, 20)
    sandbox.faults.reseed()
    assert statuses(sandbox, 20) == first


def test_always_fails_every_call_until_it_is_lifted():
    sandbox = Sandbox()
    headers = {"Authorization": f"Zoho-oauthtoken {sandbox.mint_access_token()}"}
    sandbox.faults.always = "drop"
    assert all(sandbox.handle("GET", "/crm/v8/org", headers).drop for _ in range(5))
    sandbox.faults.always = "429"
    answer = sandbox.handle("GET", "/crm/v8/org", headers)
    assert answer.status == 429 and answer.json()["code"] == "TOO_MANY_REQUESTS"
    assert "Retry-After" not in answer.headers  # Zoho documents none
    sandbox.faults.always = "500"
    assert sandbox.handle("GET", "/crm/v8/org", headers).json()["code"] == "INTERNAL_SERVER_ERROR"
    sandbox.faults.always = None
    assert sandbox.handle("GET", "/crm/v8/org", headers).status == 200
    assert sandbox.count("/org") == 8  # every call reached the sandbox and costs a credit


def test_a_retry_after_header_when_asked_for():
    sandbox = Sandbox(faults=Faults(always="429", retry_after=3))
    answer = sandbox.handle("GET", "/crm/v8/org", {})
    assert answer.headers["Retry-After"] == "3"


def test_faults_spare_the_token_endpoint():
    sandbox = Sandbox(faults=Faults(always="drop"))
    assert sandbox.mint_access_token().startswith("1000.")
    assert sandbox.calls == []


def test_count_takes_a_suffix_or_a_predicate():
    sandbox = Sandbox()
    headers = {"Authorization": f"Zoho-oauthtoken {sandbox.mint_access_token()}"}
    sandbox.handle("GET", f"/crm/v8/Leads/{data.LEAD_MAIN[1]}/Emails?type=drafts", headers)
    sandbox.handle("GET", "/crm/v8/org", headers)
    assert sandbox.count("/Emails") == 1 and sandbox.count() == 2
    assert sandbox.count(lambda call: call.params.get("type") == "drafts") == 1


# --- through httpx, in-process -------------------------------------------------------------------


def client(sandbox: Sandbox) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=SandboxTransport(sandbox), base_url="https://sandbox.zohoapis.test")


async def token(http: httpx.AsyncClient) -> str:
    answer = await http.post("/oauth/v2/token", data={
        "grant_type": "refresh_token", "client_id": data.CLIENT_ID, "client_secret": data.CLIENT_SECRET,
        "refresh_token": data.REFRESH_TOKEN})
    assert answer.json()["api_domain"] == "https://sandbox.zohoapis.test"
    return answer.json()["access_token"]


async def test_the_transport_speaks_http():
    sandbox = Sandbox()
    async with client(sandbox) as http:
        headers = {"Authorization": f"Zoho-oauthtoken {await token(http)}"}
        answer = await http.get(f"/crm/v8/Leads/{data.LEAD_MAIN[1]}/Emails", headers=headers, params={"type": "drafts"})
        assert answer.status_code == 200 and answer.headers["content-type"] == "application/json;charset=UTF-8"
        assert sandbox.calls[-1].params == {"type": "drafts"}
        empty = await http.get(f"/crm/v8/Leads/{data.LEAD_EMPTY[1]}/Emails", headers=headers)
        assert (empty.status_code, empty.content) == (204, b"")


async def test_the_transport_streams_downloads():
    sandbox = Sandbox()
    async with client(sandbox) as http:
        headers = {"Authorization": f"Zoho-oauthtoken {await token(http)}"}
        page = (await http.get(f"/crm/v8/Leads/{data.LEAD_MAIN[1]}/Emails", headers=headers)).json()["Emails"]
        email = next(e for e in page if e["has_attachment"])
        detail = (await http.get(f"/crm/v8/Leads/{data.LEAD_MAIN[1]}/Emails/{email['message_id']}",
                                 headers=headers)).json()["Emails"][0]
        attachment = max(detail["attachments"], key=lambda a: int(a["size"]))
        params = {"message_id": email["message_id"], "user_id": email["owner"]["id"], "id": attachment["id"],
                  "name": attachment["name"]}
        received = 0
        async with http.stream("GET", f"/crm/v8/Leads/{data.LEAD_MAIN[1]}/Emails/actions/download_attachments",
                               headers=headers, params=params) as answer:
            async for chunk in answer.aiter_raw():
                received += len(chunk)
        assert received == int(attachment["size"]) > 1_000_000


async def test_the_transport_drops_and_delays():
    sandbox = Sandbox(faults=Faults(always="drop"))
    async with client(sandbox) as http:
        headers = {"Authorization": f"Zoho-oauthtoken {await token(http)}"}
        # The request arrived and no answer came back, as over a socket.
        with pytest.raises(httpx.RemoteProtocolError):
            await http.get("/crm/v8/org", headers=headers)
        sandbox.faults.always, sandbox.faults.latency_ms = None, 150
        started = time.monotonic()
        answers = await asyncio.gather(*(http.get("/crm/v8/org", headers=headers) for _ in range(3)))
        assert time.monotonic() - started >= 0.15
        assert [a.status_code for a in answers] == [200] * 3
        assert sandbox.most_in_flight == 3 and sandbox.requests_in_flight == 0
