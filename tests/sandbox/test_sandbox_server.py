"""The sandbox as a real HTTP server on loopback."""

from __future__ import annotations

import http.client
import time
from urllib.parse import urlencode

import httpx
import pytest

from tui.sandbox import data
from tui.sandbox.app import Sandbox
from tui.sandbox.server import SandboxServer, is_loopback
from tui.zoho.errors import UsageError


@pytest.fixture
def served():
    sandbox = Sandbox()
    with SandboxServer(sandbox, port=0) as server:
        yield sandbox, server


def login(http: httpx.Client) -> dict[str, str]:
    answer = http.post("/oauth/v2/token", data={
        "grant_type": "refresh_token", "client_id": data.CLIENT_ID, "client_secret": data.CLIENT_SECRET,
        "refresh_token": data.REFRESH_TOKEN})
    return {"Authorization": f"Zoho-oauthtoken {answer.json()['access_token']}"}


def test_it_serves_accounts_and_crm_on_one_loopback_origin(served):
    sandbox, server = served
    assert server.url == f"http://127.0.0.1:{server.port}" and server.port > 0
    with httpx.Client(base_url=server.url) as http:
        answer = http.post("/oauth/v2/token", data={
            "grant_type": "refresh_token", "client_id": data.CLIENT_ID, "client_secret": data.CLIENT_SECRET,
            "refresh_token": data.REFRESH_TOKEN})
        assert answer.json()["api_domain"] == server.url
        headers = {"Authorization": f"Zoho-oauthtoken {answer.json()['access_token']}"}
        page = http.get(f"/crm/v8/Leads/{data.LEAD_MAIN[1]}/Emails", headers=headers)
        assert page.status_code == 200 and len(page.json()["Emails"]) == 10
        following = http.get(f"/crm/v8/Leads/{data.LEAD_MAIN[1]}/Emails", headers=headers,
                             params={"index": page.json()["info"]["next_index"]})
        assert following.status_code == 200
        empty = http.get(f"/crm/v8/Leads/{data.LEAD_EMPTY[1]}/Emails", headers=headers)
        assert (empty.status_code, empty.content) == (204, b"")
        large = http.get(f"/crm/v8/Leads/{data.LEAD_MAIN[1]}/Emails/{data.LARGE_NEWSLETTER_ID}", headers=headers)
        assert len(large.json()["Emails"][0]["content"]) >= 2 * 1024 * 1024
    assert sandbox.count("/Emails") == 3


def test_connections_are_kept_alive(served):
    sandbox, server = served
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        connection.request("GET", "/crm/v8/org")
        first = connection.getresponse()
        first.read()
        socket = connection.sock
        assert first.status == 401 and not first.will_close
        connection.request("GET", "/crm/v8/users")
        second = connection.getresponse()
        second.read()
        assert second.status == 401 and connection.sock is socket
    finally:
        connection.close()


def test_a_dropped_connection_gets_no_answer(served):
    sandbox, server = served
    with httpx.Client(base_url=server.url) as http:
        headers = login(http)
        sandbox.faults.always = "drop"
        with pytest.raises(httpx.TransportError):
            http.get("/crm/v8/org", headers=headers)
        sandbox.faults.always = None
        assert http.get("/crm/v8/org", headers=headers).status_code == 200


def test_downloads_arrive_whole_over_the_socket(served):
    sandbox, server = served
    with httpx.Client(base_url=server.url) as http:
        headers = login(http)
        page = http.get(f"/crm/v8/Leads/{data.LEAD_MAIN[1]}/Emails", headers=headers).json()["Emails"]
        email = next(e for e in page if e["has_attachment"])
        detail = http.get(f"/crm/v8/Leads/{data.LEAD_MAIN[1]}/Emails/{email['message_id']}",
                          headers=headers).json()["Emails"][0]
        attachment = detail["attachments"][0]
        params = {"message_id": email["message_id"], "user_id": email["owner"]["id"], "id": attachment["id"],
                  "name": attachment["name"]}
        url = f"/crm/v8/Leads/{data.LEAD_MAIN[1]}/Emails/actions/download_attachments"
        with http.stream("GET", url, headers=headers, params=params) as answer:
            body = b"".join(answer.iter_raw())
            assert answer.headers["content-disposition"].startswith("attachment; filename*=UTF-8''")
    in_process = sandbox.handle("GET", url + "?" + urlencode(params), headers)
    assert body == b"".join(in_process.body) and len(body) == int(attachment["size"])


def test_a_sandbox_bug_is_a_500_not_a_dead_server(served, monkeypatch, capsys):
    sandbox, server = served

    def broken(params):
        raise RuntimeError("sandbox bug")

    monkeypatch.setattr(sandbox.crm, "org", broken)
    with httpx.Client(base_url=server.url) as http:
        headers = login(http)
        answer = http.get("/crm/v8/org", headers=headers)
        assert (answer.status_code, answer.json()["code"]) == (500, "INTERNAL_SERVER_ERROR")
        assert http.get("/crm/v8/users", headers=headers).status_code == 200
    assert "sandbox bug" in capsys.readouterr().err


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.com", "::"])
def test_it_refuses_to_listen_beyond_loopback(host):
    with pytest.raises(UsageError, match="loopback"):
        SandboxServer(Sandbox(), host=host)


def test_loopback_names():
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "10.0.0.1", "local", ""))


def test_stop_without_start_and_a_busy_port():
    server = SandboxServer(Sandbox(), host="localhost")
    try:
        with pytest.raises(UsageError, match="cannot listen"):
            SandboxServer(Sandbox(), host="127.0.0.1", port=server.port)
    finally:
        server.stop()


def test_keep_alive_answers_do_not_wait_for_delayed_acks(served):
    """With Nagle's algorithm on, each answer stalls ~40 ms: an export of 5,000 emails would crawl."""
    sandbox, server = served
    with httpx.Client(base_url=server.url) as http:
        headers = login(http)
        started = time.monotonic()
        for _ in range(30):
            assert http.get("/crm/v8/org", headers=headers).status_code == 200
        assert time.monotonic() - started < 1.0
