"""Where Zoho credentials come from (the environment, then the OS keyring), and the access-token cache.

First found wins: `ZOHO_CLIENT_ID`, `ZOHO_CLIENT_SECRET` and `ZOHO_REFRESH_TOKEN` in
the environment, then the keyring entry of the profile (service `crm-emails`,
username = profile, password = a JSON blob). `--dc`, `--api-domain` and
`--accounts-url` (or `ZOHO_DC`, `ZOHO_API_DOMAIN`, `ZOHO_ACCOUNTS_URL`) override
what either source says.

Zoho mints at most 10 access tokens per refresh token in 10 minutes, so the last
one is kept for the next launch: in the keyring entry for keyring credentials, and
for credentials from the environment (over SSH, no keyring) in a token cache file:
`$XDG_RUNTIME_DIR/crm-emails/` (a per-user tmpfs) when it is usable, else the
platform's cache folder; the folder 0700, the file 0600, named by a SHA-256 of the
client id, refresh token and Accounts URL, holding only the access token, its
expiry and its API domain (never the refresh token or the client secret).

Every function here BLOCKS: callers on an event loop run them with
`asyncio.to_thread`. Keyring calls run in a daemon thread bounded by a timeout,
because a locked keyring (common over SSH) can block forever and a daemon
thread never holds up the process's exit. Client secrets and refresh tokens
are written only through the keyring, never to a file of the app's own.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal, TypeVar

import msgspec
import platformdirs

from tui.structs import Partial
from tui.zoho.catalog import DATA_CENTERS, DEFAULT_DC
from tui.zoho.errors import HINTS, CredentialsError, UsageError
from tui.zoho.urls import check_url

SERVICE = "crm-emails"
DEFAULT_PROFILE = "default"
DEFAULT_TIMEOUT = 5.0

ENV_CLIENT_ID = "ZOHO_CLIENT_ID"
ENV_CLIENT_SECRET = "ZOHO_CLIENT_SECRET"
ENV_REFRESH_TOKEN = "ZOHO_REFRESH_TOKEN"
ENV_DC = "ZOHO_DC"
ENV_API_DOMAIN = "ZOHO_API_DOMAIN"
ENV_ACCOUNTS_URL = "ZOHO_ACCOUNTS_URL"
SECRET_ENV = (ENV_CLIENT_ID, ENV_CLIENT_SECRET, ENV_REFRESH_TOKEN)


Source = Literal["env", "keyring", "sandbox"]


class Credentials(Partial, frozen=True):
    """A Self Client's credentials and where to use them. Secrets stay out of repr()."""

    HIDDEN = frozenset({"client_secret", "refresh_token", "access_token"})

    client_id: str
    client_secret: str
    refresh_token: str
    dc: str = DEFAULT_DC
    accounts_url: str = ""  # "" = the data center's
    api_domain: str | None = None  # None = the one the token call returns
    access_token: str | None = None
    access_token_expires_at: float | None = None
    source: Source = "env"
    profile: str = DEFAULT_PROFILE
    # True when api_domain came from --api-domain / ZOHO_API_DOMAIN: it then wins over the
    # api_domain a token call returns (a keyring's api_domain is only the last one Zoho gave).
    api_domain_pinned: bool = False

    def __post_init__(self) -> None:
        if self.dc not in DATA_CENTERS:
            raise UsageError(f"Unknown data center {self.dc!r}: use one of {', '.join(DATA_CENTERS)}.")
        if not self.accounts_url:
            msgspec.structs.force_setattr(self, "accounts_url", DATA_CENTERS[self.dc].accounts_url)

    @property
    def default_api_domain(self) -> str:
        """The API host to use before any token call has named one."""
        return self.api_domain or DATA_CENTERS[self.dc].api_domain

    def to_blob(self) -> str:
        """The keyring entry: JSON, only ever handed to the keyring."""
        return json.dumps(
            {
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "refresh_token": self.refresh_token,
                "dc": self.dc,
                "accounts_url": self.accounts_url,
                "api_domain": self.api_domain,
                "access_token": self.access_token,
                "access_token_expires_at": self.access_token_expires_at,
            }
        )


# --- the keyring, bounded by a timeout ---------------------------------------------

T = TypeVar("T")


def _keyring() -> Any:
    """The keyring package, imported when first asked (in the thread of a bounded call): credentials
    from the environment never need it, and importing it costs a start 35 ms."""
    import keyring
    import keyring.errors

    return keyring


def _keyring_failure(reason: str) -> CredentialsError:
    return CredentialsError("KEYRING", f"The keyring failed: {reason}.", hint=HINTS["KEYRING"])


def _call_keyring(what: str, call: Callable[[], T], timeout: float) -> T:
    """Run one keyring call in a daemon thread; a keyring that does not answer in time is a failure."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=run, name=f"crm-emails keyring: {what}", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise CredentialsError(
            "KEYRING",
            f"The keyring did not answer in {timeout:g} s ({what}); it may be locked.",
            hint=HINTS["KEYRING"],
        )
    if "error" in box:
        exc = box["error"]
        errors = _keyring().errors
        if isinstance(exc, errors.NoKeyringError):
            reason = "no keyring backend is available on this machine"
        elif isinstance(exc, errors.KeyringLocked):
            reason = "the keyring is locked"
        elif isinstance(exc, errors.InitError):
            reason = "the keyring backend could not start"
        elif isinstance(exc, Exception):
            reason = f"{what} raised {type(exc).__name__}"
        else:  # KeyboardInterrupt, SystemExit: not ours to swallow
            raise exc
        raise _keyring_failure(reason) from None
    return box["value"]


def _read_blob(profile: str, timeout: float) -> dict[str, Any] | None:
    text = _call_keyring("reading", lambda: _keyring().get_password(SERVICE, profile), timeout)
    if text is None:
        return None
    try:
        blob = json.loads(text)
    except (TypeError, ValueError):
        blob = None
    if not isinstance(blob, dict) or not all(
        isinstance(blob.get(k), str) and blob[k] for k in ("client_id", "client_secret", "refresh_token")
    ):
        raise CredentialsError(
            "KEYRING",
            f"The keyring entry of profile {profile!r} (service {SERVICE}) is not valid credentials: "
            "run `crm-emails auth login` again to replace it.",
            hint=HINTS["KEYRING"],
        )
    return blob


# Keyring backends by class name, in the person's words (the OS's own store, or a file that is one).
_BACKEND_WORDS = {
    "SecretService": "the desktop keyring (Secret Service)",
    "libsecret": "the desktop keyring (libsecret)",
    "DBusKeyring": "KWallet",
    "Keyring": "the macOS Keychain",
    "WinVaultKeyring": "the Windows Credential Manager",
    "PlaintextKeyring": "a plaintext file keyring, unencrypted",
    "CryptFileKeyring": "an encrypted file keyring",
    "EncryptedKeyring": "an encrypted file keyring",
}


def describe_backend(backend: Any) -> str:
    """Which keyring holds the credentials, honestly: "a plaintext file keyring, unencrypted (~/…/keyring_pass.cfg)",
    "the desktop keyring (Secret Service)", else the backend's own class path."""
    chained = getattr(backend, "backends", None)
    if chained:  # a ChainerBackend writes to the first of its backends
        backend = chained[0]
    cls = type(backend)
    words = _BACKEND_WORDS.get(cls.__name__)
    if words is None or (cls.__name__ == "Keyring" and "macOS" not in cls.__module__):
        words = f"the keyring backend {cls.__module__}.{cls.__qualname__}"
    where = getattr(backend, "file_path", None)
    return f"{words} ({where})" if isinstance(where, str) and where else words


def keyring_backend(timeout: float = DEFAULT_TIMEOUT) -> str:
    """The keyring in use, described (`describe_backend`)."""
    return describe_backend(_call_keyring("opening", lambda: _keyring().get_keyring(), timeout))


def unlock(timeout: float = DEFAULT_TIMEOUT) -> None:
    """Let a file keyring that asks for its own password (keyrings.cryptfile, keyrings.alt's
    EncryptedKeyring) ask it now, on the terminal, with no time limit: a person typing is not a
    locked keyring, and five seconds is too short to type a password. Call it on the main thread
    of a command run in a terminal, before a full-screen app owns the terminal. BLOCKING.
    """
    backend = _call_keyring("opening", lambda: _keyring().get_keyring(), timeout)
    for candidate in getattr(backend, "backends", None) or [backend]:  # a ChainerBackend holds several
        if not isinstance(getattr(type(candidate), "keyring_key", None), property):
            continue
        try:
            candidate.keyring_key  # noqa: B018 - asks once; the backend keeps the key for this process
        except ValueError:
            raise _keyring_failure(f"{type(candidate).__name__} did not accept the password") from None
        except Exception as exc:  # noqa: BLE001 - any backend failure is a keyring failure
            raise _keyring_failure(f"unlocking {type(candidate).__name__} raised {type(exc).__name__}") from None


def check_keyring(profile: str = DEFAULT_PROFILE, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Raise the keyring's failure now: `auth login` checks before spending a single-use grant code."""
    _call_keyring("reading", lambda: _keyring().get_password(SERVICE, profile), timeout)


def store(creds: Credentials, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Save credentials (and any cached access token) in the keyring entry of creds.profile."""
    blob = creds.to_blob()
    _call_keyring("saving", lambda: _keyring().set_password(SERVICE, creds.profile, blob), timeout)


def forget(profile: str = DEFAULT_PROFILE, timeout: float = DEFAULT_TIMEOUT) -> bool:
    """Delete the profile's keyring entry. False when there was none."""

    def delete() -> bool:
        keyring = _keyring()
        try:
            keyring.delete_password(SERVICE, profile)
        except keyring.errors.PasswordDeleteError:
            return False
        return True

    return _call_keyring("deleting", delete, timeout)


def cache_access_token(
    profile: str,
    *,
    refresh_token: str,
    access_token: str,
    expires_at: float,
    api_domain: str | None,
    timeout: float = DEFAULT_TIMEOUT,
) -> bool:
    """Keep a fresh access token in the profile's keyring entry, so the next launch reuses it.

    Zoho mints at most 10 access tokens per refresh token in 10 minutes. Only updates an
    entry that still holds the refresh token the access token came from; False otherwise.
    """
    blob = _read_blob(profile, timeout)
    if blob is None or blob.get("refresh_token") != refresh_token:
        return False
    blob.update(access_token=access_token, access_token_expires_at=expires_at)
    if api_domain:
        blob["api_domain"] = api_domain
    text = json.dumps(blob)
    _call_keyring("saving", lambda: _keyring().set_password(SERVICE, profile, text), timeout)
    return True


# --- the access-token cache file (credentials from the environment) -----------------------

TOKEN_CACHE_FOLDER = "crm-emails"
_TOKEN_FILE_MAX_BYTES = 16 * 1024


class CachedToken(Partial, frozen=True):
    """An access token kept between launches, and when it stops working."""

    HIDDEN = frozenset({"access_token"})

    access_token: str
    expires_at: float
    api_domain: str | None


def _getuid() -> int | None:
    return os.getuid() if hasattr(os, "getuid") else None


def _private(info: os.stat_result) -> bool:
    """Ours, and nobody else may read or write it."""
    uid = _getuid()
    return (uid is None or info.st_uid == uid) and not info.st_mode & 0o077


def token_cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """`$XDG_RUNTIME_DIR/crm-emails` when XDG_RUNTIME_DIR is a private folder of ours, else the platform's
    cache folder (`~/.cache/crm-emails` on Linux)."""
    env = os.environ if env is None else env
    runtime = env.get("XDG_RUNTIME_DIR", "").strip()
    if runtime and os.path.isabs(runtime):
        try:
            info = os.stat(runtime)
        except OSError:
            info = None
        if info is not None and stat.S_ISDIR(info.st_mode) and _private(info):
            return Path(runtime) / TOKEN_CACHE_FOLDER
    return Path(platformdirs.user_cache_dir(TOKEN_CACHE_FOLDER, appauthor=False))


def token_cache_path(creds: Credentials, env: Mapping[str, str] | None = None) -> Path:
    """The cache file of these credentials: its name is a hash, never a secret."""
    key = "\0".join((creds.client_id, creds.refresh_token, creds.accounts_url)).encode()
    return token_cache_dir(env) / f"token-{hashlib.sha256(key).hexdigest()[:32]}.json"


def _private_dir(folder: Path) -> None:
    """Create `folder` 0700 (or make it so); OSError when it is not a folder of ours."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = os.lstat(folder)
    uid = _getuid()
    if not stat.S_ISDIR(info.st_mode) or (uid is not None and info.st_uid != uid):
        raise PermissionError(f"{folder} is not a folder of this user's")
    if info.st_mode & 0o077:
        os.chmod(folder, 0o700)


def read_token_cache(creds: Credentials, env: Mapping[str, str] | None = None) -> CachedToken | None:
    """The access token cached for these credentials; None when there is none worth trusting. Never raises."""
    try:
        path = token_cache_path(creds, env)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except (OSError, ValueError):
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or not _private(info) or info.st_size > _TOKEN_FILE_MAX_BYTES:
            return None
        blob = json.loads(os.read(fd, _TOKEN_FILE_MAX_BYTES))
    except (OSError, ValueError, RecursionError):
        return None
    finally:
        os.close(fd)
    if not isinstance(blob, dict):
        return None
    token, expires_at, api_domain = blob.get("access_token"), _float(blob.get("expires_at")), blob.get("api_domain")
    if not isinstance(token, str) or not token or expires_at is None:
        return None
    try:
        api_domain = check_url(api_domain) if isinstance(api_domain, str) and api_domain else None
    except UsageError:
        return None
    return CachedToken(token, expires_at, api_domain)


def write_token_cache(
    creds: Credentials,
    *,
    access_token: str,
    expires_at: float,
    api_domain: str | None,
    env: Mapping[str, str] | None = None,
) -> Path:
    """Keep an access token for the next launch: written to a temporary file, then renamed. Raises OSError."""
    path = token_cache_path(creds, env)
    _private_dir(path.parent)
    text = json.dumps({"access_token": access_token, "expires_at": expires_at, "api_domain": api_domain})
    import tempfile  # here: it imports shutil (bz2, lzma), which a launch with a cached token never needs

    fd, temporary = tempfile.mkstemp(prefix=".token-", suffix=".tmp", dir=path.parent)  # 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def forget_token_cache(creds: Credentials, env: Mapping[str, str] | None = None) -> bool:
    """Delete the cached access token of these credentials. False when there was none."""
    try:
        token_cache_path(creds, env).unlink()
    except FileNotFoundError:
        return False
    return True


# --- resolution ---------------------------------------------------------------------


def environment_has_credentials(env: Mapping[str, str] | None = None) -> bool:
    """True when the environment holds all three secrets: then the keyring is never read."""
    env = os.environ if env is None else env
    return all(env.get(name, "").strip() for name in SECRET_ENV)


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def resolve(
    profile: str = DEFAULT_PROFILE,
    *,
    dc: str | None = None,
    api_domain: str | None = None,
    accounts_url: str | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Credentials:
    """The credentials to use, first found wins: environment, then keyring. BLOCKING.

    Raises CredentialsError (code NO_CREDENTIALS or KEYRING) or UsageError (a bad
    --dc or URL). Overrides: the arguments, then ZOHO_DC / ZOHO_API_DOMAIN / ZOHO_ACCOUNTS_URL.
    """
    env = os.environ if env is None else env
    dc = dc or env.get(ENV_DC) or None
    api_domain = api_domain or env.get(ENV_API_DOMAIN) or None
    accounts_url = accounts_url or env.get(ENV_ACCOUNTS_URL) or None
    if dc is not None and dc not in DATA_CENTERS:
        raise UsageError(f"Unknown data center {dc!r}: use one of {', '.join(DATA_CENTERS)}.")
    api_domain = check_url(api_domain) if api_domain else None
    accounts_url = check_url(accounts_url) if accounts_url else None

    if environment_has_credentials(env):
        client_id, client_secret, refresh_token = (env[name].strip() for name in SECRET_ENV)
        creds = Credentials(
            client_id,
            client_secret,
            refresh_token,
            dc=dc or DEFAULT_DC,
            accounts_url=accounts_url or "",
            api_domain=api_domain,
            source="env",
            profile=profile,
            api_domain_pinned=api_domain is not None,
        )
        cached = read_token_cache(creds, env)
        if cached is None:
            return creds
        return msgspec.structs.replace(
            creds,
            access_token=cached.access_token,
            access_token_expires_at=cached.expires_at,
            api_domain=api_domain or cached.api_domain,
        )

    blob = _read_blob(profile, timeout)
    if blob is None:
        missing = [name for name in SECRET_ENV if not env.get(name, "").strip()]
        partly = f" ({', '.join(missing)} missing)" if len(missing) < len(SECRET_ENV) else ""
        raise CredentialsError(
            "NO_CREDENTIALS",
            f"No Zoho credentials for profile {profile!r}: none in the environment{partly} and no "
            f"keyring entry (service {SERVICE}).",
        )
    stored_dc = blob.get("dc") if blob.get("dc") in DATA_CENTERS else DEFAULT_DC
    # Hosts and a cached token belong to the data center they came from.
    same_dc = dc is None or dc == stored_dc
    stored_api = blob.get("api_domain") if same_dc and isinstance(blob.get("api_domain"), str) else None
    stored_accounts = blob.get("accounts_url") if same_dc and isinstance(blob.get("accounts_url"), str) else None
    cached_token = blob.get("access_token") if same_dc and isinstance(blob.get("access_token"), str) else None
    return Credentials(
        blob["client_id"],
        blob["client_secret"],
        blob["refresh_token"],
        dc=dc or stored_dc,
        accounts_url=accounts_url or (check_url(stored_accounts) if stored_accounts else ""),
        api_domain=api_domain or (check_url(stored_api) if stored_api else None),
        access_token=cached_token or None,
        access_token_expires_at=_float(blob.get("access_token_expires_at")) if cached_token else None,
        source="keyring",
        profile=profile,
        api_domain_pinned=api_domain is not None,
    )
