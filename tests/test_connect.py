"""Opening a client: credentials resolved off the event loop, tokens cached across launches, the demo."""

from __future__ import annotations

import json
import threading
import time

import httpx
import pytest

from keyring_backends import blocking_keyring, fail_keyring, memory_keyring  # noqa: F401
from tests.support.clock import VirtualClock
from tests.support.events import EventLog
from tui import connect
from tui.credentials import SERVICE
from tui.zoho.errors import CredentialsError

LEAD = ("Leads", "4150868000000250001")
SECRET = "secret-0f0f"
REFRESH = "1000.refresh-0e0e"


class TinyZoho:
    """Accounts and CRM on one origin: mints tok-1, tok-2...; CRM accepts only the newest token."""

    def __init__(self) -> None:
        self.token_calls = 0
        self.crm_tokens: list[str] = []
        self.transport = httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/v2/token":
            self.token_calls += 1
            return httpx.Response(200, json={"access_token": f"tok-{self.token_calls}", "expires_in": 3600,
                                             "api_domain": "https://www.zohoapis.eu", "token_type": "Bearer"})
        self.crm_tokens.append(request.headers["authorization"].removeprefix("Zoho-oauthtoken "))
        assert request.url.host == "www.zohoapis.eu"
        return httpx.Response(204)


def keep_in(backend, **fields):
    blob = {"client_id": "1000.ID", "client_secret": SECRET, "refresh_token": REFRESH, "dc": "eu"}
    blob.update(fields)
    backend.entries[(SERVICE, "default")] = json.dumps(blob)


async def launch(zoho: TinyZoho, clock: VirtualClock) -> None:
    """One run of the app: open, read a page, close."""
    client = await connect.open_client(transport=zoho.transport, clock=clock)
    try:
        await client.list_emails(*LEAD)
    finally:
        await client.aclose()


async def test_ten_launches_mint_one_token(memory_keyring):
    zoho, clock = TinyZoho(), VirtualClock()
    start = clock.time()
    keep_in(memory_keyring)
    for _ in range(10):
        await launch(zoho, clock)
        await clock.advance(30)
    assert zoho.token_calls == 1  # Zoho allows 10 per 10 minutes: relaunching must not spend them
    assert zoho.crm_tokens == ["tok-1"] * 10
    blob = json.loads(memory_keyring.entries[(SERVICE, "default")])
    assert blob["access_token"] == "tok-1" and blob["access_token_expires_at"] == start + 3600
    assert blob["api_domain"] == "https://www.zohoapis.eu" and blob["client_secret"] == SECRET
    # An hour later the cached token is too old: the next launch mints exactly one more.
    await clock.advance(3600)
    await launch(zoho, clock)
    await launch(zoho, clock)
    assert zoho.token_calls == 2 and zoho.crm_tokens[-2:] == ["tok-2", "tok-2"]


async def test_keyring_io_never_runs_on_the_event_loop(memory_keyring):
    loop_thread = threading.get_ident()
    threads: list[int] = []
    original_get, original_set = memory_keyring.get_password, memory_keyring.set_password
    memory_keyring.get_password = lambda *a: (threads.append(threading.get_ident()), original_get(*a))[1]
    memory_keyring.set_password = lambda *a: (threads.append(threading.get_ident()), original_set(*a))[1]
    keep_in(memory_keyring)
    await launch(TinyZoho(), VirtualClock())
    assert len(threads) == 3  # resolve; then read + write to cache the new token
    assert loop_thread not in threads


def set_environment(monkeypatch) -> None:
    monkeypatch.setenv("ZOHO_CLIENT_ID", "1000.ENV")
    monkeypatch.setenv("ZOHO_CLIENT_SECRET", SECRET)
    monkeypatch.setenv("ZOHO_REFRESH_TOKEN", REFRESH)
    monkeypatch.setenv("ZOHO_DC", "eu")


async def test_twelve_launches_on_environment_credentials_mint_one_token(fail_keyring, monkeypatch, tmp_path):
    """Over SSH without a keyring: the token cache file, not the keyring, keeps the token between launches."""
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    set_environment(monkeypatch)
    zoho, clock = TinyZoho(), VirtualClock()
    for _ in range(12):
        await launch(zoho, clock)
        await clock.advance(30)
    assert zoho.token_calls == 1  # Zoho allows 10 per 10 minutes
    assert zoho.crm_tokens == ["tok-1"] * 12
    (cache,) = (runtime / "crm-emails").iterdir()
    assert json.loads(cache.read_text())["access_token"] == "tok-1"
    assert SECRET not in cache.read_text() and REFRESH not in cache.read_text()
    await clock.advance(3600)
    await launch(zoho, clock)
    assert zoho.token_calls == 2 and zoho.crm_tokens[-1] == "tok-2"


async def test_environment_credentials_never_touch_the_keyring(memory_keyring, monkeypatch):
    set_environment(monkeypatch)
    zoho = TinyZoho()
    await launch(zoho, VirtualClock())
    await launch(zoho, VirtualClock())
    assert zoho.token_calls == 1  # the second launch found the token in the cache file
    assert memory_keyring.entries == {} and memory_keyring.reads == 0


async def test_a_cache_that_cannot_be_written_costs_only_a_token(fail_keyring, monkeypatch, tmp_path, caplog):
    (tmp_path / "cache").write_text("a file where the cache folder would go")
    set_environment(monkeypatch)
    zoho = TinyZoho()
    await launch(zoho, VirtualClock())
    await launch(zoho, VirtualClock())
    assert zoho.token_calls == 2 and "Could not keep the access token" in caplog.text


async def test_api_domain_override_wins_over_the_token_call(memory_keyring):
    keep_in(memory_keyring)
    seen: list[str] = []

    def handle(request):
        if request.url.path == "/oauth/v2/token":
            return httpx.Response(200, json={"access_token": "t", "expires_in": 3600, "api_domain": "https://www.zohoapis.com"})
        seen.append(f"{request.url.scheme}://{request.url.host}:{request.url.port}")
        return httpx.Response(204)

    client = await connect.open_client(api_domain="http://127.0.0.1:8765", transport=httpx.MockTransport(handle))
    async with client:
        await client.list_emails(*LEAD)
    assert seen == ["http://127.0.0.1:8765"]


async def test_a_blocking_keyring_fails_fast_with_the_ways_out(blocking_keyring):
    started = time.monotonic()
    with pytest.raises(CredentialsError) as caught:
        await connect.open_client(keyring_timeout=0.1)
    assert time.monotonic() - started < 1.0
    assert caught.value.code == "KEYRING" and "did not answer in 0.1 s" in caught.value.message
    assert "PYTHON_KEYRING_BACKEND" in caught.value.hint and "PYTHON_KEYRING_BACKEND" not in caught.value.message


async def test_no_credentials(memory_keyring):
    with pytest.raises(CredentialsError) as caught:
        await connect.open_client()
    assert caught.value.code == "NO_CREDENTIALS"


# --- the demo -------------------------------------------------------------------------------


async def test_demo_client_needs_no_network_and_no_keyring(blocking_keyring):
    from tui.sandbox import data

    client, sandbox = connect.demo_client()
    async with client:
        page = await client.list_emails(*data.LEAD_MAIN)
        assert len(page.emails) == 10
    assert blocking_keyring.calls == 0
    assert sandbox.seed == data.DEFAULT_SEED and len(sandbox.calls) == 1 == client.calls
    assert client.api_domain == connect.SANDBOX_ORIGIN


async def test_demo_is_the_same_every_run_for_a_seed():
    from tui.sandbox import data

    async def first_page(seed):
        client, _ = connect.demo_client(seed=seed)
        async with client:
            return [e.message_id for e in (await client.list_emails(*data.LEAD_MAIN)).emails]

    assert await first_page(None) == await first_page(data.DEFAULT_SEED)
    assert await first_page(3) != await first_page(4)


async def test_demo_passes_faults_clock_and_retry_settings():
    from tui.sandbox import data
    from tui.sandbox.app import Faults
    from tui.zoho.errors import NetworkError

    events = EventLog()
    clock = VirtualClock()
    client, sandbox = connect.demo_client(faults=Faults(always="drop"), clock=clock, on_event=events,
                                          backoff=0.001, max_retries=2)
    async with client:
        with pytest.raises(NetworkError):
            await clock.drive(client.list_emails(*data.LEAD_MAIN))
        assert len(events.retries) == 2 and all(n.delay_s <= 0.002 for n in events.retries)
        assert sandbox.faults.always == "drop" and sandbox.clock == clock.time
        sandbox.faults.always = None
        await client.list_emails(*data.LEAD_MAIN)
    assert client.calls == 4


# --- over real HTTP on loopback -------------------------------------------------------------


async def test_environment_pointing_at_the_sandbox_server(monkeypatch, blocking_keyring):
    """What `crm-emails sandbox` prints, used as printed: plain http is fine on loopback."""
    from tui.sandbox import data
    from tui.sandbox.app import Faults, Sandbox
    from tui.sandbox.server import SandboxServer
    from tui.zoho.errors import NetworkError

    sandbox = Sandbox(faults=Faults())
    with SandboxServer(sandbox) as server:
        for name, value in (("ZOHO_CLIENT_ID", data.CLIENT_ID), ("ZOHO_CLIENT_SECRET", data.CLIENT_SECRET),
                            ("ZOHO_REFRESH_TOKEN", data.REFRESH_TOKEN), ("ZOHO_API_DOMAIN", server.url),
                            ("ZOHO_ACCOUNTS_URL", server.url)):
            monkeypatch.setenv(name, value)
        client = await connect.open_client()
        async with client:
            emails = [e async for page in client.iter_email_pages(*data.LEAD_ELEVEN) for e in page.emails]
            assert len(emails) == 11
            detail = await client.get_email(*data.LEAD_ELEVEN, emails[0].message_id)
            assert detail is not None and detail.content
            sandbox.faults.always = "drop"
            client.max_retries = 0  # a real cut connection, reported at once
            with pytest.raises(NetworkError, match="Zoho could not be reached"):
                await client.list_emails(*data.LEAD_ELEVEN)
    assert client.api_domain == server.url
    assert len(sandbox.token_calls) == 1 and blocking_keyring.calls == 0
