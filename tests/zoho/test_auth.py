"""OAuth for the Self Client: each answer shape of Zoho Accounts, and the shared token source."""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest

from zoho_fakes import ACCOUNTS, API, CLIENT_SECRET, REFRESH_TOKEN, ScriptedZoho
from tui.zoho.auth import TokenGrant, TokenSource, exchange_grant_code, refresh_access_token, revoke_refresh_token
from tui.zoho.errors import HINTS, AuthError, NetworkError, UsageError, ZohoAPIError

SECRETS = (CLIENT_SECRET, REFRESH_TOKEN, "grant-code-1234", "1000.access-secret")


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text


def accounts(body, status: int = 200, *, record: list | None = None) -> httpx.AsyncClient:
    def handle(request: httpx.Request) -> httpx.Response:
        if record is not None:
            record.append(request)
        if isinstance(body, (bytes, str)):
            return httpx.Response(status, content=body)
        return httpx.Response(status, json=body)

    return httpx.AsyncClient(transport=httpx.MockTransport(handle))


# --- the token endpoint ------------------------------------------------------------------


async def test_exchange_grant_code_posts_the_form_and_returns_the_grant(clock):
    sent: list[httpx.Request] = []
    body = {"access_token": "1000.access-secret", "refresh_token": "1000.new-refresh", "api_domain": "https://www.zohoapis.eu",
            "token_type": "Bearer", "expires_in": 3600}
    async with accounts(body, record=sent) as http:
        grant = await exchange_grant_code(http, "https://accounts.zoho.eu", "1000.ID", CLIENT_SECRET, "grant-code-1234", clock=clock)
    assert grant == TokenGrant("1000.access-secret", "1000.new-refresh", "https://www.zohoapis.eu", clock() + 3600)
    request = sent[0]
    assert request.method == "POST" and str(request.url) == "https://accounts.zoho.eu/oauth/v2/token"
    form = dict(httpx.QueryParams(request.content.decode()))
    assert form == {"grant_type": "authorization_code", "client_id": "1000.ID", "client_secret": CLIENT_SECRET,
                    "code": "grant-code-1234"}
    assert "code=" not in str(request.url)  # secrets travel in the body, never the URL


async def test_refresh_posts_the_refresh_form(clock):
    sent: list[httpx.Request] = []
    async with accounts({"access_token": "a2", "api_domain": API, "expires_in": "1800"}, record=sent) as http:
        grant = await refresh_access_token(http, ACCOUNTS + "/", "1000.ID", CLIENT_SECRET, REFRESH_TOKEN, clock=clock)
    assert (grant.access_token, grant.refresh_token, grant.api_domain, grant.expires_at) == ("a2", None, API, clock() + 1800)
    form = dict(httpx.QueryParams(sent[0].content.decode()))
    assert form["grant_type"] == "refresh_token" and form["refresh_token"] == REFRESH_TOKEN
    assert str(sent[0].url) == ACCOUNTS + "/oauth/v2/token"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"error": "invalid_code"}, "invalid_code"),
        ({"error": "invalid_client"}, "invalid_client"),
        ({"error": "Access Denied", "error_description": "You have made too many requests continuously. Please try again after some time."}, "Access Denied"),
        ({"error": "invalid_redirect_uri"}, "invalid_redirect_uri"),
    ],
)
async def test_http_200_error_bodies_are_failures(body, code):
    async with accounts(body, 200) as http:
        with pytest.raises(AuthError) as caught:
            await exchange_grant_code(http, ACCOUNTS, "1000.ID", CLIENT_SECRET, "grant-code-1234")
    error = caught.value
    assert error.code == code and error.status == 200
    assert error.hint == HINTS[code]
    assert code in error.message
    assert_no_secret(str(error), repr(error), error.hint)


async def test_throttle_message_keeps_zohos_explanation():
    body = {"error": "Access Denied", "error_description": "You have made too many requests continuously."}
    async with accounts(body) as http:
        with pytest.raises(AuthError, match="too many requests") as caught:
            await refresh_access_token(http, ACCOUNTS, "1000.ID", CLIENT_SECRET, REFRESH_TOKEN)
    assert "wait 10 minutes" in caught.value.hint


async def test_unknown_oauth_error_still_fails_with_a_way_out():
    async with accounts({"error": "something_new"}) as http:
        with pytest.raises(AuthError) as caught:
            await refresh_access_token(http, ACCOUNTS, "1000.ID", CLIENT_SECRET, REFRESH_TOKEN)
    assert caught.value.code == "something_new" and "auth login" in caught.value.hint


@pytest.mark.parametrize(("body", "status"), [(b"<html>Bad gateway</html>", 502), ({"token_type": "Bearer"}, 200), (b"[]", 200)])
async def test_no_access_token_is_a_failure_whatever_the_status(body, status):
    async with accounts(body, status) as http:
        with pytest.raises(AuthError) as caught:
            await refresh_access_token(http, ACCOUNTS, "1000.ID", CLIENT_SECRET, REFRESH_TOKEN)
    assert caught.value.code == "INVALID_RESPONSE"
    assert "--accounts-url" in caught.value.hint


async def test_plain_http_api_domain_from_a_remote_host_is_refused():
    async with accounts({"access_token": "a", "api_domain": "http://www.zohoapis.com"}) as http:
        with pytest.raises(UsageError, match="loopback"):
            await refresh_access_token(http, ACCOUNTS, "1000.ID", CLIENT_SECRET, REFRESH_TOKEN)


async def test_accounts_unreachable_is_a_network_error():
    def refuse(request):
        raise httpx.ConnectError("[Errno 111] Connection refused")

    async with httpx.AsyncClient(transport=httpx.MockTransport(refuse)) as http:
        with pytest.raises(NetworkError) as caught:
            await refresh_access_token(http, ACCOUNTS, "1000.ID", CLIENT_SECRET, REFRESH_TOKEN)
    assert "Connection refused" in caught.value.message
    assert_no_secret(str(caught.value))


async def test_revoke_sends_the_documented_request():
    sent: list[httpx.Request] = []
    async with accounts({"status": "success"}, record=sent) as http:
        await revoke_refresh_token(http, ACCOUNTS, REFRESH_TOKEN)
    assert sent[0].method == "POST" and sent[0].url.path == "/oauth/v2/token/revoke"
    assert sent[0].url.params["token"] == REFRESH_TOKEN
    async with accounts({"error": "invalid_code"}) as http:
        with pytest.raises(AuthError):
            await revoke_refresh_token(http, ACCOUNTS, REFRESH_TOKEN)


async def test_the_revoked_token_never_reaches_a_log(caplog):
    caplog.set_level(logging.DEBUG)
    async with accounts({"status": "success"}) as http:
        await revoke_refresh_token(http, ACCOUNTS, REFRESH_TOKEN)
    assert "/oauth/v2/token/revoke?token=[redacted]" in caplog.text, "httpx logs the request, without the token"
    assert_no_secret(caplog.text)


def test_grant_repr_hides_tokens():
    grant = TokenGrant("1000.access-secret", REFRESH_TOKEN, API, 5.0)
    assert_no_secret(repr(grant), str(grant))
    assert API in repr(grant)


# --- TokenSource ---------------------------------------------------------------------------


def source(zoho: ScriptedZoho, clock, **options) -> TokenSource:
    options.setdefault("default_api_domain", "https://www.zohoapis.com")
    return TokenSource(accounts_url=ACCOUNTS, client_id="1000.ID", client_secret=CLIENT_SECRET,
                       refresh_token=REFRESH_TOKEN, transport=zoho.transport, clock=clock, **options)


async def test_a_valid_cached_token_is_reused_without_a_token_call(clock):
    zoho = ScriptedZoho()
    tokens = source(zoho, clock, access_token="cached", expires_at=clock() + 600)
    assert await tokens.access_token() == "cached"
    assert await tokens.access_token() == "cached"
    assert zoho.token_forms == [] and tokens.refreshes == 0
    assert tokens.api_domain == "https://www.zohoapis.com"  # the cached token's host until a token call names one
    await tokens.aclose()


async def test_refreshes_two_minutes_before_expiry(clock):
    zoho = ScriptedZoho()
    tokens = source(zoho, clock, access_token="cached", expires_at=clock() + 300)
    assert await tokens.access_token() == "cached"
    clock.now += 179  # 121 s left: still fine
    assert await tokens.access_token() == "cached"
    clock.now += 2  # 119 s left: refresh now rather than send a dying token
    assert await tokens.access_token() == "tok-1"
    assert len(zoho.token_forms) == 1 and zoho.token_forms[0]["refresh_token"] == REFRESH_TOKEN
    assert tokens.api_domain == API  # the api_domain the token call returned
    assert tokens.expires_at == clock() + 3600
    clock.now += 3600 - 121
    assert await tokens.access_token() == "tok-1"
    clock.now += 2
    assert await tokens.access_token() == "tok-2"
    await tokens.aclose()


async def test_ten_concurrent_callers_share_one_refresh(clock):
    zoho = ScriptedZoho()
    zoho.token_delay = 0.02
    tokens = source(zoho, clock)
    results = await asyncio.gather(*(tokens.access_token() for _ in range(10)))
    assert results == ["tok-1"] * 10
    assert len(zoho.token_forms) == 1 and tokens.refreshes == 1
    await tokens.aclose()


async def test_a_failed_refresh_is_shared_too(clock):
    zoho = ScriptedZoho(token_body=lambda n: {"error": "Access Denied"})
    zoho.token_delay = 0.01
    tokens = source(zoho, clock)
    results = await asyncio.gather(*(tokens.access_token() for _ in range(10)), return_exceptions=True)
    assert all(isinstance(r, AuthError) and r.code == "Access Denied" for r in results)
    assert len(zoho.token_forms) == 1  # one throttled call, not ten more
    await tokens.aclose()


async def test_a_cancelled_caller_does_not_cancel_the_shared_refresh(clock):
    zoho = ScriptedZoho()
    zoho.token_delay = 0.02
    tokens = source(zoho, clock)
    first = asyncio.ensure_future(tokens.access_token())
    second = asyncio.ensure_future(tokens.access_token())
    await asyncio.sleep(0)
    first.cancel()
    assert await second == "tok-1"
    assert len(zoho.token_forms) == 1
    await tokens.aclose()


async def test_invalidate_refreshes_once_and_ignores_a_stale_token(clock):
    zoho = ScriptedZoho()
    tokens = source(zoho, clock, access_token="cached", expires_at=clock() + 3000)
    await tokens.invalidate("cached")
    # Two callers saw INVALID_TOKEN for "cached": the second must not throw away tok-1.
    assert await tokens.access_token() == "tok-1"
    await tokens.invalidate("cached")
    assert await tokens.access_token() == "tok-1"
    assert len(zoho.token_forms) == 1
    await tokens.invalidate("tok-1")
    assert await tokens.access_token() == "tok-2"
    await tokens.aclose()


async def test_pinned_api_domain_wins_over_the_token_calls(clock):
    zoho = ScriptedZoho()
    tokens = source(zoho, clock, api_domain="http://127.0.0.1:9999")
    await tokens.access_token()
    assert tokens.api_domain == "http://127.0.0.1:9999"
    await tokens.aclose()


@pytest.mark.parametrize("is_async", [False, True])
async def test_on_new_token_gets_every_new_grant(clock, is_async):
    zoho = ScriptedZoho()
    seen: list[TokenGrant] = []

    if is_async:
        async def keep(grant):
            await asyncio.sleep(0)
            seen.append(grant)
    else:
        keep = seen.append

    tokens = source(zoho, clock, on_new_token=keep)
    await tokens.access_token()
    await tokens.invalidate("tok-1")
    await tokens.access_token()
    assert [(g.access_token, g.api_domain, g.expires_at) for g in seen] == [
        ("tok-1", API, clock() + 3600), ("tok-2", API, clock() + 3600)]
    await tokens.aclose()


async def test_a_failing_on_new_token_does_not_fail_the_caller(clock, caplog):
    def broken(grant):
        raise RuntimeError(f"keyring exploded with {grant.access_token}")

    tokens = source(ScriptedZoho(), clock, on_new_token=broken)
    assert await tokens.access_token() == "tok-1"
    assert "tok-1" not in caplog.text and "RuntimeError" in caplog.text
    await tokens.aclose()


def test_token_source_repr_hides_secrets(clock):
    tokens = source(ScriptedZoho(), clock, access_token="1000.access-secret", expires_at=1e12)
    assert_no_secret(repr(tokens), str(tokens))


# --- answers that misbehave, and tokens that live briefly -------------------------------------------


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b'{"access_token":' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested more than 64 levels deep"),
        (b'"tok"', "a JSON string, not an object"),
    ],
)
async def test_a_token_answer_that_is_not_an_object_is_an_invalid_response(body, says):
    async with accounts(body) as http:
        with pytest.raises(AuthError) as caught:
            await refresh_access_token(http, ACCOUNTS, "1000.ID", CLIENT_SECRET, REFRESH_TOKEN)
    assert caught.value.code == "INVALID_RESPONSE" and says in caught.value.message


async def test_a_token_answer_in_the_crms_error_shape_is_that_error():
    body = {"code": "INVALID_TOKEN", "details": {}, "message": "invalid oauth token", "status": "error"}
    async with accounts(body) as http:
        with pytest.raises(AuthError) as caught:
            await refresh_access_token(http, ACCOUNTS, "1000.ID", CLIENT_SECRET, REFRESH_TOKEN)
    assert caught.value.code == "INVALID_TOKEN" and "invalid oauth token" in caught.value.message


async def test_a_huge_token_answer_is_not_read_whole():
    def handle(request):
        chunks = [b'{"access_token":"'] + [b"x" * 1024 * 1024] * 30 + [b'"}']
        return httpx.Response(200, stream=httpx.ByteStream(b"".join(chunks)))

    async with httpx.AsyncClient(transport=httpx.MockTransport(handle)) as http:
        with pytest.raises(ZohoAPIError) as caught:
            await refresh_access_token(http, ACCOUNTS, "1000.ID", CLIENT_SECRET, REFRESH_TOKEN)
    assert caught.value.code == "RESPONSE_TOO_LARGE"


async def test_the_throttle_says_what_happened_and_when_to_try_again():
    body = {"error": "Access Denied", "error_description": "You have made too many requests continuously."}
    async with accounts(body) as http:
        with pytest.raises(AuthError) as caught:
            await refresh_access_token(http, ACCOUNTS, "1000.ID", CLIENT_SECRET, REFRESH_TOKEN)
    error = caught.value
    assert "at most 10 access tokens per refresh token in 10 minutes" in error.message
    assert "try again in 10 minutes" in error.message and error.details == {"retry_after": 600}
    assert "saved" not in error.message + error.hint  # env credentials are saved nowhere


@pytest.mark.parametrize(("expires_in", "most_token_calls"), [(60, 7), (100, 5), (3600, 1)])
async def test_short_lived_tokens_are_used_most_of_their_life(clock, expires_in, most_token_calls):
    """30 calls 10 s apart: with a 120 s margin, a token living 60 or 100 s was minted before every call."""
    zoho = ScriptedZoho(token_body=lambda n: {"access_token": f"tok-{n}", "api_domain": API, "expires_in": expires_in})
    tokens = source(zoho, clock)
    minted_at: list[float] = []
    for _ in range(30):
        before = tokens.refreshes
        await tokens.access_token()
        if tokens.refreshes != before:
            minted_at.append(clock())
        assert clock() < tokens.expires_at  # never a dead token
        clock.now += 10
    assert len(zoho.token_forms) <= most_token_calls
    gaps = [b - a for a, b in zip(minted_at, minted_at[1:])]
    assert all(gap >= expires_in * 0.75 for gap in gaps), gaps  # never more often than the lifetime allows
    assert tokens.margin == min(120, expires_in / 4)
    await tokens.aclose()
