"""OAuth 2.0 for Zoho's Self Client: exchange a grant code, refresh, revoke; a shared token source.

Zoho Accounts answers a failed token call with HTTP 200 and `{"error": ...}`, so
success is "the body has an access_token", never "the status is 200". Secrets
(client secret, refresh and access tokens) never reach a repr, a log line or an
exception message.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from tui.zoho.urls import check_url
from tui.zoho.errors import HINTS, AuthError, NetworkError

log = logging.getLogger(__name__)

_TOKEN_IN_QUERY = re.compile(r"([?&]token=)[^&\s\"]*")


def _redact_token_query(record: logging.LogRecord) -> bool:
    """httpx logs each request URL at INFO, and Zoho's revoke call carries the refresh token in its query."""
    if isinstance(record.args, tuple):
        record.args = tuple(
            _TOKEN_IN_QUERY.sub(r"\1[redacted]", str(arg)) if isinstance(arg, httpx.URL) else arg for arg in record.args
        )
    return True


logging.getLogger("httpx").addFilter(_redact_token_query)

# Refresh this long before the access token expires, so no request carries a dying token.
REFRESH_MARGIN_S = 120.0
DEFAULT_EXPIRES_IN_S = 3600
TOKEN_TIMEOUT_S = 20.0
ACCOUNTS_URL_HINT = "Check --accounts-url (or --dc): it must point at Zoho Accounts of your data center."


@dataclass(frozen=True)
class TokenGrant:
    """What a token call returned. `refresh_token` only comes with a grant-code exchange."""

    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    api_domain: str | None
    expires_at: float  # epoch seconds


OnNewToken = Callable[[TokenGrant], Awaitable[None] | None]


def describe_transport_error(exc: httpx.TransportError) -> str:
    """A short reason for a connection or read failure (httpx's text has no URL or secret)."""
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def json_object(response: httpx.Response) -> dict[str, Any] | None:
    """The body as a JSON object; None when it is anything else."""
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _token_url(accounts_url: str) -> str:
    return f"{accounts_url.rstrip('/')}/oauth/v2/token"


async def _post_token(http: httpx.AsyncClient, url: str, what: str, **kwargs: Any) -> dict[str, Any]:
    """POST to Zoho Accounts; the JSON body, or AuthError / NetworkError."""
    try:
        response = await http.post(url, **kwargs)
    except httpx.TransportError as exc:
        raise NetworkError(f"Zoho Accounts could not be reached ({what}): {describe_transport_error(exc)}") from None
    body = json_object(response)
    if body is None:
        raise AuthError(
            "INVALID_RESPONSE",
            f"Zoho Accounts answered the {what} with HTTP {response.status_code} and no JSON.",
            status=response.status_code,
            hint=ACCOUNTS_URL_HINT,
        )
    error = body.get("error")
    if error is not None:
        code = str(error)
        description = body.get("error_description")
        explained = f" ({description})" if isinstance(description, str) and description else ""
        raise AuthError(
            code,
            f"Zoho Accounts refused the {what}: {code}{explained}.",
            status=response.status_code,
            hint=HINTS.get(code, "Run `crm-emails auth login` with a new grant code."),
        )
    return body


def _grant(body: dict[str, Any], what: str, clock: Callable[[], float], status: int | None = None) -> TokenGrant:
    access_token = body.get("access_token")
    if not isinstance(access_token, str) or not access_token:
        raise AuthError(
            "INVALID_RESPONSE",
            f"Zoho Accounts answered the {what} without an access token.",
            status=status,
            hint=ACCOUNTS_URL_HINT,
        )
    expires_in = body.get("expires_in")
    if isinstance(expires_in, str) and expires_in.strip().isdigit():
        expires_in = int(expires_in)
    if not isinstance(expires_in, (int, float)) or isinstance(expires_in, bool) or expires_in <= 0:
        expires_in = DEFAULT_EXPIRES_IN_S
    api_domain = body.get("api_domain")
    refresh_token = body.get("refresh_token")
    return TokenGrant(
        access_token=access_token,
        refresh_token=refresh_token if isinstance(refresh_token, str) and refresh_token else None,
        # An api_domain that is not https (outside loopback) would carry the token in clear.
        api_domain=check_url(api_domain) if isinstance(api_domain, str) and api_domain else None,
        expires_at=clock() + float(expires_in),
    )


async def _token_call(
    http: httpx.AsyncClient, accounts_url: str, what: str, data: dict[str, str], clock: Callable[[], float]
) -> TokenGrant:
    return _grant(await _post_token(http, _token_url(accounts_url), what, data=data), what, clock)


async def exchange_grant_code(
    http: httpx.AsyncClient,
    accounts_url: str,
    client_id: str,
    client_secret: str,
    code: str,
    *,
    clock: Callable[[], float] = time.time,
) -> TokenGrant:
    """Trade a Self Client's grant code (single use, 3-10 minutes) for a refresh and an access token."""
    what = "grant code"
    data = {"grant_type": "authorization_code", "client_id": client_id, "client_secret": client_secret, "code": code}
    return await _token_call(http, accounts_url, what, data, clock)


async def refresh_access_token(
    http: httpx.AsyncClient,
    accounts_url: str,
    client_id: str,
    client_secret: str,
    refresh_token: str,
    *,
    clock: Callable[[], float] = time.time,
) -> TokenGrant:
    """A new access token (1 hour) for a refresh token. Zoho allows 10 of these per 10 minutes."""
    what = "token refresh"
    data = {
        "grant_type": "refresh_token",
        "client_id": client_id,
        "client_secret": client_secret,
        "refresh_token": refresh_token,
    }
    return await _token_call(http, accounts_url, what, data, clock)


async def revoke_refresh_token(http: httpx.AsyncClient, accounts_url: str, refresh_token: str) -> None:
    """Revoke a refresh token (and so its access tokens), as Zoho documents: the token in the query."""
    url = f"{_token_url(accounts_url)}/revoke"
    await _post_token(http, url, "revocation", params={"token": refresh_token})


class TokenSource:
    """Hands out a valid access token; one refresh at a time, shared by every caller.

    Reuses a cached access token (from the keyring) while it has more than
    REFRESH_MARGIN_S left: relaunching the app must not mint a token each time.
    """

    def __init__(
        self,
        *,
        accounts_url: str,
        client_id: str,
        client_secret: str,
        refresh_token: str,
        api_domain: str | None = None,
        default_api_domain: str | None = None,
        access_token: str | None = None,
        expires_at: float | None = None,
        on_new_token: OnNewToken | None = None,
        http: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.time,
        margin: float = REFRESH_MARGIN_S,
    ) -> None:
        """`api_domain` pins the API host (it wins over the token call's); `default_api_domain`
        is used until a token call names one (the host a cached token belongs to)."""
        self.accounts_url = check_url(accounts_url)
        self.client_id = client_id
        self._client_secret = client_secret
        self._refresh_token = refresh_token
        self._pinned_api_domain = check_url(api_domain) if api_domain else None
        self._known_api_domain = check_url(default_api_domain) if default_api_domain else None
        self._token = access_token or None
        self._expires_at = expires_at if access_token else None
        self.on_new_token = on_new_token
        self._owns_http = http is None
        self._http = http or httpx.AsyncClient(transport=transport, timeout=TOKEN_TIMEOUT_S, verify=True)
        self._clock = clock
        self._margin = margin
        self._refreshing: asyncio.Future[str] | None = None
        self.refreshes = 0  # token calls made: each one counts against Zoho's 10 per 10 minutes

    def __repr__(self) -> str:
        return f"TokenSource(accounts_url={self.accounts_url!r}, client_id={self.client_id!r}, api_domain={self.api_domain!r})"

    @property
    def api_domain(self) -> str | None:
        """Where API calls go: the pinned host, else the one the last token call named."""
        return self._pinned_api_domain or self._known_api_domain

    @property
    def expires_at(self) -> float | None:
        return self._expires_at

    def _usable(self) -> bool:
        return (
            self._token is not None
            and self._expires_at is not None
            and self._clock() < self._expires_at - self._margin
        )

    async def access_token(self) -> str:
        """A token with at least `margin` seconds left; concurrent callers share one refresh."""
        if self._usable():
            return self._token  # type: ignore[return-value]
        if self._refreshing is None:
            self._refreshing = asyncio.ensure_future(self._refresh())
            self._refreshing.add_done_callback(self._refresh_done)
        # Shielded: one caller giving up must not cancel the refresh the others wait for.
        return await asyncio.shield(self._refreshing)

    async def refresh(self) -> str:
        """A new access token now, whatever the cached one (`auth status` proves the refresh token works)."""
        if self._refreshing is None:
            self._token = self._expires_at = None
        return await self.access_token()

    def _refresh_done(self, task: asyncio.Future[str]) -> None:
        if self._refreshing is task:
            self._refreshing = None
        if not task.cancelled():
            task.exception()  # retrieved here too, in case every waiter has gone

    async def _refresh(self) -> str:
        self.refreshes += 1
        grant = await refresh_access_token(
            self._http, self.accounts_url, self.client_id, self._client_secret, self._refresh_token, clock=self._clock
        )
        self._token, self._expires_at = grant.access_token, grant.expires_at
        if grant.api_domain:
            self._known_api_domain = grant.api_domain
        if self.on_new_token is not None:
            try:
                result = self.on_new_token(grant)
                if inspect.isawaitable(result):
                    await result
            except Exception as exc:  # noqa: BLE001 - caching the token is an optimisation
                log.warning("Could not keep the new access token: %s", type(exc).__name__)
        return grant.access_token

    async def invalidate(self, token: str) -> None:
        """Zoho refused `token` (401 INVALID_TOKEN): the next access_token() refreshes.

        A token other than the current one is ignored: another caller already replaced it.
        """
        if token == self._token:
            self._token = None
            self._expires_at = None

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()
