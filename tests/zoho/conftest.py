"""Fixtures of the API-layer tests: a fake clock, a recording sleep, clients on a scripted Zoho."""

from __future__ import annotations

import pytest

from tui.zoho.auth import TokenSource
from tui.zoho.client import ZohoClient
from zoho_fakes import ACCOUNTS, API, CLIENT_SECRET, REFRESH_TOKEN, Clock, ScriptedZoho, Sleeps


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
async def make_client(clock, sleeps):
    made: list[ZohoClient] = []

    def make(zoho: ScriptedZoho, *, token: str | None = "tok-0", **options) -> ZohoClient:
        tokens = TokenSource(
            accounts_url=ACCOUNTS,
            client_id="1000.CLIENT",
            client_secret=CLIENT_SECRET,
            refresh_token=REFRESH_TOKEN,
            default_api_domain=API,
            access_token=token,
            expires_at=clock() + 3600 if token else None,
            transport=zoho.transport,
            clock=clock,
        )
        options.setdefault("sleep", sleeps)
        client = ZohoClient(tokens, transport=zoho.transport, **options)
        made.append(client)
        return client

    yield make
    for client in made:
        await client.aclose()
