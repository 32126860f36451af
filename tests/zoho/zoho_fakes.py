"""A scripted Zoho on httpx.MockTransport, for tests that need exact control of every answer."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from urllib.parse import parse_qs

import httpx

ACCOUNTS = "https://accounts.zoho.test"
API = "https://www.zohoapis.test"
CLIENT_SECRET = "client-secret-5e5e"
REFRESH_TOKEN = "1000.refresh-token-7a7a"


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class ScriptedZoho:
    """Accounts mints tok-1, tok-2...; CRM requests go to `crm(request)` (sync or async)."""

    def __init__(self, crm: Callable | None = None, token_body: Callable[[int], dict] | None = None) -> None:
        self.crm = crm or (lambda request: httpx.Response(200, json={}))
        self.token_body = token_body or (
            lambda n: {"access_token": f"tok-{n}", "api_domain": API, "token_type": "Bearer", "expires_in": 3600}
        )
        self.token_forms: list[dict[str, str]] = []
        self.crm_requests: list[httpx.Request] = []
        self.token_delay = 0.0
        self.in_flight = 0
        self.most_in_flight = 0

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    async def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/oauth/v2/token"):
            form = {k: v[0] for k, v in parse_qs(request.content.decode()).items()}
            self.token_forms.append(form)
            if self.token_delay:
                await asyncio.sleep(self.token_delay)
            return httpx.Response(200, json=self.token_body(len(self.token_forms)))
        self.crm_requests.append(request)
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            response = self.crm(request)
            if asyncio.iscoroutine(response):
                response = await response
            return response
        finally:
            self.in_flight -= 1


def error(status: int, code: str, message: str = "msg", details: dict | None = None, **headers: str) -> httpx.Response:
    body = {"code": code, "details": details or {}, "message": message, "status": "error"}
    return httpx.Response(status, content=json.dumps(body).encode(), headers={"content-type": "application/json", **headers})


def emails_page(ids: list[str], next_index: str | None = None) -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "Emails": [{"message_id": i, "subject": f"subject {i}"} for i in ids],
            "info": {"per_page": 10, "count": len(ids), "next_index": next_index, "prev_index": "0",
                     "more_records": next_index is not None},
        },
    )


class Sleeps(list):
    """An injected sleep: records each delay, waits for nothing."""

    async def __call__(self, delay: float) -> None:
        self.append(delay)
