"""The URL rules for Zoho hosts: https everywhere, plain http only on loopback (the sandbox).

Used by the client and the token source (tui/zoho), the credentials, the CLI and the
sandbox server, so the rule that lets a token travel in clear is written once.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from tui.zoho.errors import UsageError


def is_loopback(host: str | None) -> bool:
    """127.0.0.0/8, ::1 (bracketed or not) or localhost."""
    host = (host or "").strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str) -> str:
    """An Accounts or API origin, trailing slash removed: https, or plain http on a loopback host only."""
    text = (url or "").strip()
    try:
        parts = urlsplit(text)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise UsageError(f"Not a valid URL: {text!r}.") from None
    if parts.scheme not in ("http", "https") or not host:
        raise UsageError(f"Not an http(s) URL: {text!r}.", hint="Give a URL like https://www.zohoapis.eu.")
    if parts.username or parts.password or parts.query or parts.fragment:
        raise UsageError("A Zoho URL takes no user, password, query or fragment.", hint="Give only scheme and host.")
    if parts.scheme == "http" and not is_loopback(host):
        raise UsageError(
            f"Plain http is allowed only for a loopback host (127.0.0.1, ::1, localhost), not {host!r}.",
            hint="Use https:// for any other host; certificates are always verified.",
        )
    return text.rstrip("/")
