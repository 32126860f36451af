"""Zoho Accounts, sandboxed: the token endpoint, revocation, and who an access token is.

Failures come back as HTTP 200 with `{"error": ...}`, as Zoho's do. Limits are
Zoho's: an access token lives an hour, at most 10 new access tokens per refresh
token in 10 minutes, at most 15 live access tokens per refresh token (the 16th
evicts the oldest). Time is the sandbox's clock, so tests can move it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable

import msgspec

from tui.sandbox.data import CLIENT_ID, CLIENT_SECRET, GRANT_CODE, REFRESH_TOKEN
from tui.sandbox.opaque import OpaqueIds
from tui.sandbox.wire import SandboxResponse, json_answer

ACCESS_TOKEN_SECONDS = 3600
THROTTLE_WINDOW_SECONDS = 600
THROTTLE_LIMIT = 10
LIVE_TOKENS_PER_REFRESH_TOKEN = 15
THROTTLED = {
    "error": "Access Denied",
    "error_description": "You have made too many requests continuously. Please try again after some time.",
}


class AccessToken(msgspec.Struct):
    """An access token the sandbox's accounts server minted."""

    value: str
    refresh_token: str
    expires_at: float
    scopes: frozenset[str]
    calls: int = 0  # CRM calls made with it (Faults.expire_after counts these)
    revoked: bool = False


class RefreshGrant(msgspec.Struct):
    """A refresh token, the access tokens minted from it, and whether it was revoked."""

    token: str
    scopes: frozenset[str]
    minted_at: deque[float] = msgspec.field(default_factory=deque)  # when its recent access tokens were made
    live: deque[str] = msgspec.field(default_factory=deque)  # its access tokens, oldest first
    revoked: bool = False


class Accounts:
    def __init__(self, ids: OpaqueIds, clock: Callable[[], float], scopes: Iterable[str]) -> None:
        self._ids = ids
        self._clock = clock
        self.scopes = frozenset(scopes)
        self.grant_code_used = False
        self._minted = 0
        self.refresh_grants: dict[str, RefreshGrant] = {REFRESH_TOKEN: RefreshGrant(REFRESH_TOKEN, self.scopes)}
        self.access_tokens: dict[str, AccessToken] = {}

    # --- POST /oauth/v2/token -------------------------------------------------------

    def token(self, form: dict[str, str], api_domain: str) -> SandboxResponse:
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return json_answer({"error": "invalid_client"})
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            return self._exchange(form.get("code", ""), api_domain)
        if grant_type == "refresh_token":
            return self._refresh(form.get("refresh_token", ""), api_domain)
        return json_answer({"error": "unsupported_grant_type"})

    def _exchange(self, code: str, api_domain: str) -> SandboxResponse:
        if code != GRANT_CODE or self.grant_code_used:
            return json_answer({"error": "invalid_code"})
        self.grant_code_used = True
        grant = RefreshGrant(self._new_value("refresh"), self.scopes)
        self.refresh_grants[grant.token] = grant
        access = self._mint(grant)
        return json_answer(self._success(access, api_domain) | {"refresh_token": grant.token})

    def _refresh(self, refresh_token: str, api_domain: str) -> SandboxResponse:
        grant = self.refresh_grants.get(refresh_token)
        if grant is None or grant.revoked:
            return json_answer({"error": "invalid_code"})
        now = self._clock()
        while grant.minted_at and grant.minted_at[0] <= now - THROTTLE_WINDOW_SECONDS:
            grant.minted_at.popleft()
        if len(grant.minted_at) >= THROTTLE_LIMIT:
            return json_answer(THROTTLED)
        return json_answer(self._success(self._mint(grant), api_domain))

    def _mint(self, grant: RefreshGrant) -> AccessToken:
        now = self._clock()
        access = AccessToken(self._new_value("access"), grant.token, now + ACCESS_TOKEN_SECONDS, grant.scopes)
        self.access_tokens[access.value] = access
        grant.minted_at.append(now)
        grant.live.append(access.value)
        if len(grant.live) > LIVE_TOKENS_PER_REFRESH_TOKEN:
            self.access_tokens[grant.live.popleft()].revoked = True
        return access

    def _new_value(self, kind: str) -> str:
        self._minted += 1
        number = str(self._minted)
        return f"1000.{self._ids.digest(kind, number, length=32)}.{self._ids.digest(kind + '2', number, length=32)}"

    @staticmethod
    def _success(access: AccessToken, api_domain: str) -> dict[str, object]:
        return {
            "access_token": access.value,
            "scope": " ".join(sorted(access.scopes)),
            "api_domain": api_domain,
            "token_type": "Bearer",
            "expires_in": ACCESS_TOKEN_SECONDS,
        }

    # --- POST /oauth/v2/token/revoke --------------------------------------------------

    def revoke(self, token: str) -> SandboxResponse:
        """Revoking a refresh token kills it and its access tokens. Unknown tokens: success too (RFC 7009)."""
        grant = self.refresh_grants.get(token)
        if grant is not None:
            grant.revoked = True
            for value in grant.live:
                self.access_tokens[value].revoked = True
        return json_answer({"status": "success"})

    # --- who is calling -----------------------------------------------------------------

    def access_token(self, value: str, expire_after: int | None) -> AccessToken | None:
        """The live token with this value, counting this call; None when unknown, expired or used up."""
        access = self.access_tokens.get(value)
        if access is None or access.revoked or self._clock() >= access.expires_at:
            return None
        if expire_after is not None and access.calls >= expire_after:
            return None
        access.calls += 1
        return access


def scope_covers(granted: str, needed: str, module: str | None = None) -> bool:
    """Whether a granted scope allows what a call needs: itself, a parent's ALL, or the module's own scope."""
    g, n = granted.lower().split("."), needed.lower().split(".")
    if g == n:
        return True
    parent, operation = g[:-1], g[-1]
    if operation == "all" and len(n) > len(parent) and n[: len(parent)] == parent:
        return True
    # ZohoCRM.modules.leads.READ stands in for ZohoCRM.modules.READ on Leads.
    if module and n == ["zohocrm", "modules", "read"]:
        return parent == ["zohocrm", "modules", module.lower()] and operation in ("all", "read")
    return False
