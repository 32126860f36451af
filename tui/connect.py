"""Build a ready ZohoClient: from the person's credentials, or on the in-process sandbox.

Both are async-friendly: credential resolution (which may touch a slow or locked
keyring) runs in a worker thread, bounded by a timeout, never on the event loop.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from tui import credentials
from tui.credentials import Credentials
from tui.session.clock import Clock, SystemClock
from tui.zoho.auth import OnNewToken, TokenGrant, TokenSource, Transport
from tui.zoho.client import OnEvent, ZohoClient
from tui.zoho.errors import CredentialsError, HINTS

if TYPE_CHECKING:
    import httpx

    from tui.sandbox.app import Faults, Sandbox

log = logging.getLogger(__name__)

# The in-process sandbox answers any host; this one can never resolve, so nothing leaves the machine.
SANDBOX_ORIGIN = "https://sandbox.crm-emails.invalid"


def keyring_token_cache(creds: Credentials, timeout: float = credentials.DEFAULT_TIMEOUT):
    """An on_new_token callback that keeps each new access token in the profile's keyring entry."""

    async def keep(grant: TokenGrant) -> None:
        try:
            await asyncio.to_thread(
                credentials.cache_access_token,
                creds.profile,
                refresh_token=creds.refresh_token,
                access_token=grant.access_token,
                expires_at=grant.expires_at,
                api_domain=grant.api_domain,
                timeout=timeout,
            )
        except CredentialsError as exc:
            # The app still works; the next launch just mints one more token.
            log.warning("Could not keep the access token in the keyring: %s", exc.message)

    return keep


def file_token_cache(creds: Credentials):
    """An on_new_token callback that keeps each new access token in the token cache file (credentials
    from the environment: no keyring to keep it in), so relaunching does not mint one each time."""

    async def keep(grant: TokenGrant) -> None:
        try:
            await asyncio.to_thread(
                credentials.write_token_cache,
                creds,
                access_token=grant.access_token,
                expires_at=grant.expires_at,
                api_domain=grant.api_domain,
            )
        except OSError as exc:
            log.warning("Could not keep the access token in the token cache: %s", type(exc).__name__)

    return keep


def token_cache_for(creds: Credentials, keyring_timeout: float = credentials.DEFAULT_TIMEOUT) -> OnNewToken | None:
    """Where these credentials keep new access tokens: the keyring entry they came from, the token cache
    file for the environment's, nowhere for the sandbox's."""
    if creds.source == "keyring":
        return keyring_token_cache(creds, keyring_timeout)
    if creds.source == "env":
        return file_token_cache(creds)
    return None


async def resolve_credentials(
    profile: str = credentials.DEFAULT_PROFILE,
    *,
    dc: str | None = None,
    api_domain: str | None = None,
    accounts_url: str | None = None,
    timeout: float = credentials.DEFAULT_TIMEOUT,
) -> Credentials:
    """credentials.resolve in a worker thread; the keyring calls inside are bounded by `timeout`."""
    call = asyncio.to_thread(
        credentials.resolve, profile, dc=dc, api_domain=api_domain, accounts_url=accounts_url, timeout=timeout
    )
    try:
        # Each keyring call is bounded inside; this bounds the whole, with room for the JSON work.
        return await asyncio.wait_for(call, timeout + 1.0)
    except TimeoutError:
        raise CredentialsError(
            "KEYRING",
            f"The keyring did not answer in {timeout:g} s; it may be locked.",
            hint=HINTS["KEYRING"],
        ) from None


async def open_client(
    profile: str = credentials.DEFAULT_PROFILE,
    *,
    dc: str | None = None,
    api_domain: str | None = None,
    accounts_url: str | None = None,
    api_version: str = "v8",
    on_event: OnEvent | None = None,
    keyring_timeout: float = credentials.DEFAULT_TIMEOUT,
    transport: Transport | None = None,
    clock: Clock | None = None,
    client_options: Mapping[str, Any] | None = None,
) -> ZohoClient:
    """A client on the person's credentials (environment, then keyring). Raises CredentialsError.

    Nothing is sent yet: a cached access token is reused on the first call if still valid.
    `client_options` go to ZohoClient (export's patience: max_retries, max_backoff, max_total_wait).
    """
    creds = await resolve_credentials(
        profile, dc=dc, api_domain=api_domain, accounts_url=accounts_url, timeout=keyring_timeout
    )
    return client_from_credentials(
        creds,
        api_version=api_version,
        on_event=on_event,
        keyring_timeout=keyring_timeout,
        transport=transport,
        clock=clock,
        client_options=client_options,
    )


def token_source(
    creds: Credentials,
    *,
    on_new_token: OnNewToken | None = None,
    transport: Transport | None = None,
    clock: Callable[[], float] = time.time,
) -> TokenSource:
    """The token source of these credentials (a cached access token is reused while it lives)."""
    return TokenSource(
        accounts_url=creds.accounts_url,
        client_id=creds.client_id,
        client_secret=creds.client_secret,
        refresh_token=creds.refresh_token,
        api_domain=creds.api_domain if creds.api_domain_pinned else None,
        default_api_domain=creds.default_api_domain,
        access_token=creds.access_token,
        expires_at=creds.access_token_expires_at,
        on_new_token=on_new_token,
        transport=transport or _accounts_transport,
        clock=clock,
    )


def _accounts_transport() -> httpx.AsyncBaseTransport:
    """Zoho Accounts' transport, with the API client's SSL context, not one more (`tui.zoho.client.ssl_context`)."""
    import httpx

    from tui.zoho.client import ssl_context

    return httpx.AsyncHTTPTransport(verify=ssl_context())


def client_from_credentials(
    creds: Credentials,
    *,
    api_version: str = "v8",
    on_event: OnEvent | None = None,
    keyring_timeout: float = credentials.DEFAULT_TIMEOUT,
    transport: Transport | None = None,
    clock: Clock | None = None,
    client_options: Mapping[str, Any] | None = None,
) -> ZohoClient:
    """A client on these credentials; new access tokens are kept where `token_cache_for` says."""
    clock = clock or SystemClock()
    on_new_token = token_cache_for(creds, keyring_timeout)
    tokens = token_source(creds, on_new_token=on_new_token, transport=transport, clock=clock.time)
    return ZohoClient(
        tokens, api_version=api_version, transport=transport, on_event=on_event, sleep=clock.sleep,
        **dict(client_options or {}),
    )


OFFLINE_ORIGIN = "https://offline.invalid"


def unreachable_client(reason: str, *, clock: Clock | None = None) -> ZohoClient:
    """A client that reaches nothing: every call fails as a connection that never got through (so it
    costs nothing and is not counted), with `reason` as the cause. Stored records open, read and search
    with it when there are no credentials; the record screens say they are offline."""

    @functools.cache
    def transport() -> httpx.AsyncBaseTransport:
        import httpx

        def refuse(request: httpx.Request) -> httpx.Response:
            raise httpx.ConnectError(reason, request=request)

        return httpx.MockTransport(refuse)

    clock = clock or SystemClock()
    nothing = Credentials("", "", "", accounts_url=OFFLINE_ORIGIN, api_domain=OFFLINE_ORIGIN, api_domain_pinned=True)
    tokens = token_source(nothing, transport=transport, clock=clock.time)
    return ZohoClient(tokens, transport=transport, sleep=clock.sleep, max_retries=0)


def sandbox_credentials() -> Credentials:
    """The sandbox's Self Client, on the sandbox's origin."""
    from tui.sandbox import data

    return Credentials(
        data.CLIENT_ID,
        data.CLIENT_SECRET,
        data.REFRESH_TOKEN,
        accounts_url=SANDBOX_ORIGIN,
        api_domain=SANDBOX_ORIGIN,
        source="sandbox",
        profile="demo",
        api_domain_pinned=True,
    )


def demo_client(
    *,
    seed: int | None = None,
    faults: Faults | None = None,
    clock: Clock | None = None,
    on_event: OnEvent | None = None,
    backoff: float = 0.5,
    max_retries: int = 4,
) -> tuple[ZohoClient, Sandbox]:
    """A client on an in-process sandbox (seed: tui.sandbox.data.DEFAULT_SEED): no network, no keyring.

    The sandbox and the client share `clock`: token expiry, the client's backoff and faults' latency
    all run on it (a virtual clock in tests)."""
    from tui.sandbox.app import Sandbox
    from tui.sandbox.data import DEFAULT_SEED

    clock = clock or SystemClock()
    sandbox = Sandbox(DEFAULT_SEED if seed is None else seed, faults=faults, clock=clock.time)
    client = sandbox_client(lambda: sandbox, clock=clock, on_event=on_event, backoff=backoff, max_retries=max_retries)
    return client, sandbox


def demo_client_later() -> ZohoClient:
    """`crm-emails --demo`'s client: its sandbox is made with the first request, as httpx is loaded then (a
    record the store holds paints before either)."""
    clock = SystemClock()

    def sandbox() -> Sandbox:
        from tui.sandbox.app import Sandbox
        from tui.sandbox.data import DEFAULT_SEED

        return Sandbox(DEFAULT_SEED, clock=clock.time)

    return sandbox_client(sandbox, clock=clock)


def sandbox_client(
    sandbox: Callable[[], Sandbox],
    *,
    clock: Clock,
    on_event: OnEvent | None = None,
    backoff: float = 0.5,
    max_retries: int = 4,
) -> ZohoClient:
    """A client on the sandbox `sandbox()` gives, asked for with the first request (httpx loads then)."""

    @functools.cache
    def transport() -> httpx.AsyncBaseTransport:
        from tui.sandbox.transport import SandboxTransport

        return SandboxTransport(sandbox(), sleep=clock.sleep)

    tokens = token_source(sandbox_credentials(), transport=transport, clock=clock.time)
    return ZohoClient(
        tokens, transport=transport, on_event=on_event, backoff=backoff, max_retries=max_retries, sleep=clock.sleep
    )
