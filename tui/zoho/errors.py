"""One exception family for everything that can go wrong talking to Zoho.

Each error carries Zoho's `code`, the HTTP status, Zoho's `message` and
`details`, and a one-line `hint` that tells the person what to do. Errors are
raised in the client and rendered in one place (the app's error view, the CLI).
Messages never contain a secret.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Zoho's documented resolutions, one line each, in the person's words.
HINTS: dict[str, str] = {
    "CANNOT_PROCESS": "Zoho could not search this mailbox right now (mailbox deleted, IMAP sync running, "
    "Gmail API auth failed...): read the details, fix the mailbox setting, or try again later.",
    "INVALID_DATA": "A value in the request is wrong: check the record id or the parameter named in the details.",
    "NO_PERMISSION": "Your CRM profile may not view this record's emails: ask your CRM administrator for access.",
    "INVALID_TOKEN": "The access token was refused: run `crm-emails auth login` again, "
    "and check the data center (--dc) matches your account.",
    "AUTHENTICATION_FAILURE": "Zoho did not accept the credentials: run `crm-emails auth login` again.",
    "OAUTH_SCOPE_MISMATCH": "The token lacks a scope this call needs: create a new grant code with all the "
    "scopes listed in the README and run `crm-emails auth login`.",
    "INVALID_URL_PATTERN": "This Zoho host does not know that URL: check --api-version and --api-domain.",
    "INVALID_MODULE": "No such module in this org: pick one from the module list.",
    "MANDATORY_NOT_FOUND": "The request lacks a required parameter (see the details).",
    "REQUIRED_PARAM_MISSING": "The request lacks a required parameter (see the details).",
    "API_NOT_SUPPORTED": "This API version is not supported here: use the version in the details with --api-version.",
    "INTERNAL_SERVER_ERROR": "Zoho had an internal error: try again in a minute.",
    "TOO_MANY_REQUESTS": "Zoho's rate limit was hit (daily API credits or too many calls at once): "
    "wait a few minutes, or ask your admin about the org's API credits.",
    # The message already says Zoho could not be reached (and why): the hint only says what to do.
    "NETWORK": "Check the network connection (and a proxy, if you use one), then try again.",
    # Answers that lie or misbehave.
    "INVALID_RESPONSE": "Check --api-domain and --api-version: they must point at Zoho CRM's API. If they do, "
    "Zoho (or a proxy between) is misbehaving: try again later.",
    "RESPONSE_TOO_LARGE": "No answer of Zoho's API is that large: check --api-domain (or a proxy between), "
    "then try again later.",
    "BROKEN_PAGING": "What was read is kept. Try again later; if it happens again, tell Zoho support which record "
    "and email type it was.",
    "ATTACHMENT_TOO_LARGE": "Zoho sent more than the attachment's listed size: nothing was saved. Try again later, "
    "or download it from Zoho CRM's web page.",
    # OAuth token endpoint errors (HTTP 200 with {"error": ...}).
    "invalid_code": "The grant code or refresh token is used, expired or revoked: generate a new grant code "
    "in Zoho's API console and run `crm-emails auth login`.",
    "invalid_client": "Zoho does not know this client id/secret in that data center: check both, "
    "and the --dc you chose.",
    "Access Denied": "Zoho throttled new access tokens (more than 10 in 10 minutes for one refresh token): "
    "wait 10 minutes, then try again. Each launch reuses the last token (kept in the keyring, or in the token "
    "cache for credentials from the environment), so this comes from many hosts or scripts sharing one refresh token.",
    "invalid_redirect_uri": "The client is not a Self Client: create a Self Client in Zoho's API console.",
    # Local problems.
    "USAGE": "Check the command's arguments (`crm-emails --help`).",
    "NO_CREDENTIALS": "Run `crm-emails auth login`, or set ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN.",
    # The one place the ways out of a keyring failure are said (the messages say only what failed).
    "KEYRING": "Set ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN instead (`crm-emails auth login "
    "--print-env` prints them); or install a file keyring (pip install keyrings.cryptfile, or keyrings.alt: "
    "unencrypted) and select it with PYTHON_KEYRING_BACKEND=keyrings.cryptfile.cryptfile.CryptFileKeyring; "
    "or, over SSH, unlock a session keyring: dbus-run-session -- sh -c 'echo pw | gnome-keyring-daemon --unlock; crm-emails'.",
}


def _plain(value: Any) -> str:
    """A detail's value as words, not Python: a list joined by commas, a mapping as "key value"."""
    if isinstance(value, Mapping):
        return ", ".join(f"{k} {_plain(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(_plain(v) for v in value) or "none"
    return str(value)


def hint_for(code: str, status: int | None = None) -> str:
    if code in HINTS:
        return HINTS[code]
    if status == 401:
        return HINTS["AUTHENTICATION_FAILURE"]
    if status is not None and status >= 500:
        return HINTS["INTERNAL_SERVER_ERROR"]
    return "Zoho refused the request; the details below say why."


class ZohoError(Exception):
    """Base of every error the API layer raises."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        status: int | None = None,
        details: Mapping[str, Any] | None = None,
        hint: str | None = None,
    ) -> None:
        self.code = code
        self.message = message
        self.status = status
        self.details: dict[str, Any] = dict(details or {})
        self.hint = hint if hint is not None else hint_for(code, status)
        super().__init__(self.summary)

    @property
    def summary(self) -> str:
        """One line: code, status, message."""
        status = f" (HTTP {self.status})" if self.status else ""
        return f"{self.code}{status}: {self.message}"

    def details_line(self) -> str:
        """Zoho's details in plain words: "permissions: Crm_Implied_View_Emails; param_name: index"."""
        return "; ".join(f"{k}: {_plain(v)}" for k, v in self.details.items())

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, status={self.status!r}, message={self.message!r})"


class ZohoAPIError(ZohoError):
    """Zoho answered with an error body: {code, details, message, status}."""


class RateLimitedError(ZohoAPIError):
    """429 TOO_MANY_REQUESTS after the client's retries were spent."""


class AuthError(ZohoError):
    """OAuth failed: bad grant code or refresh token, wrong client, throttled, token refused."""


class NetworkError(ZohoError):
    """Zoho could not be reached after the client's retries (connection or read errors, timeouts)."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__("NETWORK", message, hint=hint)


class UsageError(ZohoError, ValueError):
    """A local mistake caught before any request was made."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__("USAGE", message, hint=hint)


class CredentialsError(ZohoError):
    """No credentials, or the place they live (the keyring) failed."""
