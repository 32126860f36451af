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
from typing import TYPE_CHECKING, Any, TypeAlias

from tui.structs import Partial
from tui.zoho.body import ACCEPT_ENCODING, NotAnObject, json_object_or_none, load_object, read_body
from tui.zoho.errors import HINTS, AuthError, NetworkError
from tui.zoho.urls import check_url

if TYPE_CHECKING:
    import httpx

# httpx (with ssl, urllib.request, email…: a tenth of a start) is imported with the first request, not before:
# a record reopened from the store paints before anything is sent. A transport may be given made, or as a
# function making it then (the demo's sandbox).
Transport: TypeAlias = "httpx.AsyncBaseTransport | Callable[[], httpx.AsyncBaseTransport]"


def made(transport: Transport | None) -> httpx.AsyncBaseTransport | None:
    """The transport itself: made now if it was given as a function making it."""
    return transport() if callable(transport) else transport

log = logging.getLogger(__name__)

_TOKEN_IN_QUERY = re.compile(r"([?&]token=)[^&\s\"]*")


def _redact_token_query(record: logging.LogRecord) -> bool:
    """httpx logs each request URL at INFO, and Zoho's revoke call carries the refresh token in its query."""
    import httpx  # loaded already: the record is httpx's

    if isinstance(record.args, tuple):
        record.args = tuple(
            _TOKEN_IN_QUERY.sub(r"\1[redacted]", str(arg)) if isinstance(arg, httpx.URL) else arg for arg in record.args
        )
    return True


logging.getLogger("httpx").addFilter(_redact_token_query)

# Refresh this long before the access token expires, so no request carries a dying token; a quarter
# of the token's lifetime when that is shorter, so a short-lived token is still used most of its life.
REFRESH_MARGIN_S = 120.0
REFRESH_MARGIN_SHARE = 0.25
DEFAULT_EXPIRES_IN_S = 3600
TOKEN_TIMEOUT_S = 20.0
# Connect, send and read of one token call, however slowly the bytes trickle in.
TOKEN_DEADLINE_S = 60.0
# Zoho mints at most this many access tokens per refresh token in this window.
TOKEN_LIMIT = 10
TOKEN_WINDOW_S = 600
ACCOUNTS_URL_HINT = "Check --accounts-url (or --dc): it must point at Zoho Accounts of your data center."


class TokenGrant(Partial, frozen=True):
    """What a token call returned. `refresh_token` only comes with a grant-code exchange."""

    HIDDEN = frozenset({"access_token", "refresh_token"})

    access_token: str
    refresh_token: str | None
    api_domain: str | None
    expires_at: float  # epoch seconds


OnNewToken = Callable[[TokenGrant], Awaitable[None] | None]


def describe_transport_error(exc: httpx.TransportError) -> str:
    """A short reason for a connection or read failure (httpx's text has no URL or secret)."""
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def json_object(response: httpx.Response) -> dict[str, Any] | None:
    """The (already read) body as a JSON object; None when it is anything else, nested JSON included."""
    return json_object_or_none(response.content)


def refresh_margin(lifetime: float | None) -> float:
    """How long before expiry a token is replaced: 120 s, or a quarter of a shorter token's life."""
    if lifetime is None:
        return REFRESH_MARGIN_S
    return min(REFRESH_MARGIN_S, max(lifetime, 0.0) * REFRESH_MARGIN_SHARE)


def _token_url(accounts_url: str) -> str:
    return f"{accounts_url.rstrip('/')}/oauth/v2/token"


async def _post_token(http: httpx.AsyncClient, url: str, what: str, **kwargs: Any) -> dict[str, Any]:
    """POST to Zoho Accounts; the JSON body, or AuthError / NetworkError. Bounded in size and time."""
    import httpx

    request = http.build_request("POST", url, headers={"Accept-Encoding": ACCEPT_ENCODING}, **kwargs)
    try:
        async with asyncio.timeout(TOKEN_DEADLINE_S):
            response = await http.send(request, stream=True)
            try:
                content = await read_body(response)
            finally:
                await response.aclose()
    except httpx.TransportError as exc:
        raise NetworkError(f"Zoho Accounts could not be reached ({what}): {describe_transport_error(exc)}") from None
    except TimeoutError:
        raise NetworkError(
            f"Zoho Accounts did not finish answering the {what} within {TOKEN_DEADLINE_S:g} s: stopped waiting."
        ) from None
    try:
        body = load_object(content)
    except NotAnObject as exc:
        raise AuthError(
            "INVALID_RESPONSE",
            f"Zoho Accounts answered the {what} with HTTP {response.status_code} and no JSON object ({exc.reason}).",
            status=response.status_code,
            hint=ACCOUNTS_URL_HINT,
        ) from None
    error = body.get("error")
    if error is not None:
        code = str(error)
        description = body.get("error_description")
        explained = f" ({description})" if isinstance(description, str) and description else ""
        if code == "Access Denied":
            raise AuthError(
                code,
                f"Zoho Accounts refused the {what}: {code}{explained}. Zoho mints at most {TOKEN_LIMIT} access "
                f"tokens per refresh token in {TOKEN_WINDOW_S // 60} minutes, and these credentials asked for "
                f"more: try again in {TOKEN_WINDOW_S // 60} minutes.",
                status=response.status_code,
                details={"retry_after": TOKEN_WINDOW_S},
                hint=HINTS[code],
            )
        raise AuthError(
            code,
            f"Zoho Accounts refused the {what}: {code}{explained}.",
            status=response.status_code,
            hint=HINTS.get(code, "Run `crm-emails auth login` with a new grant code."),
        )
    code = body.get("code")
    if body.get("status") == "error" or (isinstance(code, str) and code and "access_token" not in body):
        # The CRM's error shape, from Accounts: still a refusal, with Zoho's code.
        code = code if isinstance(code, str) and code else "INVALID_RESPONSE"
        message = body.get("message") if isinstance(body.get("message"), str) else ""
        raise AuthError(
            code,
            f"Zoho Accounts refused the {what} (HTTP {response.status_code}): {code}"
            + (f" ({message[:300]})" if message else "")
            + ".",
            status=response.status_code,
            hint=HINTS.get(code, ACCOUNTS_URL_HINT),
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

    Reuses a cached access token (from the keyring or the token cache file) until it
    is within its refresh margin of expiring: relaunching the app must not mint a token
    each time. The margin is 120 s, or a quarter of the token's lifetime when that is
    shorter, so a token that lives 60 s is used for 45 s: tokens are never asked for
    more often than their lifetime allows (Zoho allows 10 per 10 minutes).
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
        transport: Transport | None = None,
        clock: Callable[[], float] = time.time,
        margin: float = REFRESH_MARGIN_S,
    ) -> None:
        """`margin` is the most time before expiry a token is replaced (a share of a short life is less)."""
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
        self._lifetime: float | None = None  # of the current token, once a token call has said it
        self.on_new_token = on_new_token
        self._given_http = http
        self._transport = transport
        self._made_http: httpx.AsyncClient | None = None  # made with the first token call (`_http`)
        self._clock = clock
        self._margin = margin
        self._refreshing: asyncio.Future[str] | None = None
        self.refreshes = 0  # token calls made: each one counts against Zoho's 10 per 10 minutes

    @property
    def _http(self) -> httpx.AsyncClient:
        if self._given_http is not None:
            return self._given_http
        if self._made_http is None:
            import httpx

            self._made_http = httpx.AsyncClient(transport=made(self._transport), timeout=TOKEN_TIMEOUT_S, verify=True)
        return self._made_http

    def __repr__(self) -> str:
        return f"TokenSource(accounts_url={self.accounts_url!r}, client_id={self.client_id!r}, api_domain={self.api_domain!r})"

    @property
    def api_domain(self) -> str | None:
        """Where API calls go: the pinned host, else the one the last token call named."""
        return self._pinned_api_domain or self._known_api_domain

    @property
    def fingerprint(self) -> str:
        """Which grant this is, without telling it: 16 hex digits of a SHA-256 of client id and refresh token."""
        import hashlib

        return hashlib.sha256(f"{self.client_id}\0{self._refresh_token}".encode()).hexdigest()[:16]

    @property
    def expires_at(self) -> float | None:
        return self._expires_at

    @property
    def margin(self) -> float:
        """How long before its expiry the current token is replaced."""
        return min(self._margin, refresh_margin(self._lifetime))

    def _usable(self) -> bool:
        return (
            self._token is not None
            and self._expires_at is not None
            and self._clock() < self._expires_at - self.margin
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
        asked_at = self._clock()
        grant = await refresh_access_token(
            self._http, self.accounts_url, self.client_id, self._client_secret, self._refresh_token, clock=self._clock
        )
        self._token, self._expires_at = grant.access_token, grant.expires_at
        self._lifetime = grant.expires_at - asked_at
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
            self._lifetime = None

    async def aclose(self) -> None:
        if self._made_http is not None:  # (one given is its owner's to close)
            await self._made_http.aclose()
