"""The Zoho CRM client: emails of a record, attachments, modules, records, users, org.

One `httpx.AsyncClient` (keep-alive, timeouts, certificates verified). Every
call checks its arguments before anything is sent, keeps at most
`max_in_flight` requests open, and retries what is worth retrying (429, 5xx,
connection and read failures) with exponential backoff and full jitter: the
one retry policy of the app. No single wait is longer than `max_wait`, and one
call waits `max_total_wait` at most in all. What it is doing is reported as
typed events (`Retrying`, `GaveUp`, `Answered`) to `on_event`, which the app
shows and the CLI prints. `calls` counts the requests that reached Zoho (each
costs an API credit); `unreached` counts the ones that never connected.

Every request has an overall `deadline` (connect, send and the whole answer),
however slowly its bytes trickle, and an answer may not inflate past
`body.MAX_BODY_BYTES`: a misbehaving server costs bounded time and memory.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import random
import re
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote_to_bytes

import msgspec
import msgspec.structs

from tui.zoho import catalog
from tui.zoho.auth import TokenSource, Transport, describe_transport_error, json_object, made
from tui.zoho.body import ACCEPT_ENCODING, MAX_BODY_TEXT, NotAnObject, json_object_or_none, load_object, raw_chunks, read_body
from tui.zoho.errors import (
    AuthError,
    NetworkError,
    RateLimitedError,
    UsageError,
    ZohoAPIError,
    ZohoError,
)
from tui.zoho.models import Email, EmailDetail, EmailPage, Module, Org, PageInfo, Record, User
from tui.zoho.paging import PageWalk
from tui.zoho.urls import check_url

if TYPE_CHECKING:
    import httpx

USER_AGENT = "crm-emails/0.1"
MAX_BACKOFF_S = 30.0
# No single wait is longer: a Retry-After beyond it is not waited out, the error goes to the person instead.
MAX_WAIT_S = 60.0
MAX_RETRY_AFTER_S = MAX_WAIT_S
# One call waits at most this long in all, its retries together.
MAX_TOTAL_WAIT_S = 300.0
# Connect, send and read of one request, however slowly the bytes trickle in.
DEADLINE_S = 60.0
# An attachment may be this much larger than its listed size (rounding, a gzip wrapper)...
ATTACHMENT_SLACK_BYTES = 64 * 1024
# ... and one whose size is not listed may be this large.
UNLISTED_ATTACHMENT_BYTES = 100 * 1024 * 1024
MAX_PER_PAGE = 200
USERS_PER_PAGE = 200


class Retrying(msgspec.Struct, frozen=True):
    """The client is about to wait `delay_s` and try again (the app shows "offline — retrying in N s")."""

    attempt: int  # the try that failed, from 1
    delay_s: float
    reason: str
    error: ZohoError
    attempts: int = 0  # the most tries this call gets (0: not said)


class GaveUp(msgspec.Struct, frozen=True):
    """The client's tries are spent (or a Retry-After was too long): `error` is raised next."""

    error: ZohoError


class Answered(msgspec.Struct, frozen=True):
    """Zoho answered a request with `status`: the connection works."""

    status: int


ConnectionEvent = Retrying | GaveUp | Answered


class _Answer(msgspec.Struct, frozen=True):
    """A successful answer, read whole within the cap."""

    status: int
    content: bytes
OnEvent = Callable[[ConnectionEvent], Awaitable[None] | None]



def _unreached(exc: httpx.TransportError) -> bool:
    """A transport failure before the request reached Zoho: it cost no API credit."""
    import httpx

    return isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol))


class Download:
    """An attachment being streamed: its file name as the server gave it (untrusted), its size if known, its bytes.

    `aiter_bytes` yields the bytes exactly as Zoho sent them (a Content-Encoding is not
    undone: the file saved is the file sent), and never more than `max_bytes`.
    """

    def __init__(self, response: httpx.Response, filename: str, size: int | None, max_bytes: int) -> None:
        self._response = response
        self.filename = filename
        self.size = size  # Content-Length: the bytes as sent
        self.max_bytes = max_bytes
        self.content_type: str | None = response.headers.get("content-type")
        self.content_encoding: str | None = response.headers.get("content-encoding")

    async def aiter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        import httpx

        received = 0
        try:
            async for chunk in raw_chunks(self._response, chunk_size):
                received += len(chunk)
                if received > self.max_bytes:
                    raise ZohoAPIError(
                        "ATTACHMENT_TOO_LARGE",
                        f"Zoho sent more than {size_text(self.max_bytes)} for this attachment: stopped.",
                        status=self._response.status_code,
                    )
                yield chunk
        except httpx.TransportError as exc:
            raise NetworkError(f"The download was cut off: {describe_transport_error(exc)}") from None

    def __repr__(self) -> str:
        return f"Download(filename={self.filename!r}, size={self.size!r})"


def attachment_limit(listed_size: int | None) -> int:
    """The most bytes to accept for an attachment Zoho lists at `listed_size` (None: not listed)."""
    if listed_size is None or listed_size < 0:
        return UNLISTED_ATTACHMENT_BYTES
    return listed_size + listed_size // 20 + ATTACHMENT_SLACK_BYTES


def size_text(count: int) -> str:
    """1536 -> "1.5 KB" (tui/render/sizes.py is out of the API layer's reach)."""
    value = float(count)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{count} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


# --- helpers -------------------------------------------------------------------------

_SEGMENT = re.compile(r"^[A-Za-z0-9_.\-=]+$")


def _segment(value: Any, what: str) -> str:
    """A path segment the person typed or chose (module, record id): never '/', '?' or '..'."""
    text = str(value).strip() if value is not None else ""
    if not text or text in (".", "..") or not _SEGMENT.match(text):
        raise UsageError(f"Not a valid {what}: {text!r}.")
    return text


def _quoted_segment(value: Any, what: str) -> str:
    """An id Zoho gave (a message id) as a path segment: percent-encoded, whatever its characters.
    Only what would name another path ('', '.', '..') is refused."""
    text = "" if value is None else str(value)
    if text in ("", ".", ".."):
        raise UsageError(f"Not a valid {what}: {text!r}.")
    return quote(text, safe="=")


def _query_id(value: Any, what: str) -> str:
    """An id sent as a query parameter (httpx encodes it): only an empty one is refused."""
    text = "" if value is None else str(value)
    if not text.strip():
        raise UsageError(f"Not a valid {what}: {text!r}.")
    return text


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff
    return seconds if seconds >= 0 else None


def _default_code(status: int) -> str:
    if status == 429:
        return "TOO_MANY_REQUESTS"
    if status >= 500:
        return "INTERNAL_SERVER_ERROR"
    if status == 401:
        return "AUTHENTICATION_FAILURE"
    if status == 404:
        return "INVALID_URL_PATTERN"
    return f"HTTP_{status}"


# The keys of every answer this client reads: a 200 with none of them and a `code` is an error.
_DATA_KEYS = ("Emails", "info", "data", "users", "modules", "org")
_AUTH_CODES = ("INVALID_TOKEN", "AUTHENTICATION_FAILURE", "OAUTH_SCOPE_MISMATCH")


def error_from_response(response: httpx.Response) -> ZohoError:
    """Zoho's error body `{code, details, message, status}` (of a read response) as the matching exception."""
    return error_from_body(response.status_code, json_object(response), response.reason_phrase)


def error_from_body(status: int, body: Mapping[str, Any] | None, reason_phrase: str = "", note: str = "") -> ZohoError:
    """The exception for an error answer: Zoho's code, message and details, else the status's defaults."""
    body = body or {}
    if "code" not in body:
        # Record APIs wrap errors: {"data": [{code, details, message, status}]}.
        for key in ("data", "users", "modules", "org"):
            rows = body.get(key)
            if isinstance(rows, list) and rows and isinstance(rows[0], dict) and "code" in rows[0]:
                body = rows[0]
                break
    code = body.get("code") if isinstance(body.get("code"), str) and body.get("code") else _default_code(status)
    message = body.get("message") if isinstance(body.get("message"), str) else ""
    message = (message or reason_phrase or f"HTTP {status}")[:500] + note
    details = body.get("details") if isinstance(body.get("details"), dict) else {}
    if status == 429 or (status < 300 and code == "TOO_MANY_REQUESTS"):
        return RateLimitedError(code, message, status=status, details=details)
    if status == 401 or (status < 300 and code in _AUTH_CODES):
        return AuthError(code, message, status=status, details=details)
    return ZohoAPIError(code, message, status=status, details=details)


def _error_in_success(status: int, body: Mapping[str, Any]) -> ZohoError | None:
    """A 2xx whose body is an error (`{"code": "INVALID_TOKEN", "status": "error"}`), not data."""
    if any(key in body for key in _DATA_KEYS):
        return None
    code = body.get("code")
    if body.get("status") != "error" and not (isinstance(code, str) and code):
        return None
    if not (isinstance(code, str) and code):
        body = {**body, "code": "INVALID_RESPONSE"}
    return error_from_body(status, body, note=f" (Zoho answered HTTP {status}, with an error for a body)")


def _disposition_params(header: str) -> dict[str, str]:
    """`attachment; filename="a.pdf"; filename*=UTF-8''a.pdf` -> {"filename": ..., "filename*": ...}."""
    params: dict[str, str] = {}
    for match in re.finditer(r';\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)', ";" + header.split(";", 1)[-1]):
        name, value = match.group(1).lower(), match.group(2).strip()
        if value.startswith('"') and value.endswith('"') and len(value) >= 2:
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        params.setdefault(name, value)
    return params


# Charsets a filename* may be decoded with: RFC 8187's two, and ASCII. Anything else (idna,
# punycode, a codec that is not a text encoding, a name Python does not know) is not trusted.
_FILENAME_CHARSETS = frozenset({"utf-8", "utf8", "iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"})
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _extended_filename(value: str) -> str | None:
    """`UTF-8''na%C3%AFve.pdf` decoded, or None when it cannot be (charset, percent-escapes, bytes)."""
    charset, quote1, rest = value.partition("'")
    _language, quote2, encoded = rest.partition("'")
    charset = charset.strip().lower()
    if not quote1 or not quote2 or charset not in _FILENAME_CHARSETS or _BAD_PERCENT.search(encoded):
        return None
    try:
        return unquote_to_bytes(encoded).decode(charset)
    except (UnicodeDecodeError, LookupError):
        return None


def filename_from_disposition(header: str | None) -> str | None:
    """The raw (unsanitised) file name of a Content-Disposition header, filename* first.

    A filename* that cannot be decoded falls back to the plain filename; None when neither
    gives a name (the caller then uses the attachment's listed name). Never raises.
    """
    if not header:
        return None
    params = _disposition_params(header)
    extended = params.get("filename*")
    if extended:
        name = _extended_filename(extended)
        if name:
            return name
    return params.get("filename") or None


def _text(value: Any) -> str | None:
    """A field value as text: strings and numbers as they are, a lookup by its name."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, Mapping):
        return _text(value.get("name"))
    return None


@functools.cache
def ssl_context() -> ssl.SSLContext:
    """The SSL context every client of this process verifies certificates with (httpx's default, the
    environment's SSL_CERT_FILE/SSL_CERT_DIR honoured), made once: each costs 20 ms of a start."""
    import httpx

    return httpx.create_ssl_context(trust_env=True)


def _message_id(row: Any) -> str | None:
    """An email's message_id as Email.parse reads it (numbers as text); None when it has none."""
    value = row.get("message_id") if isinstance(row, Mapping) else None
    if isinstance(value, (int, float, bool)):
        value = str(value)
    return value if isinstance(value, str) and value else None


def check_email_filters(module: str, type: str | None, owner_id: str | None) -> None:
    """The `type` and `owner_id` rules of the Emails list, checked before anything is sent."""
    email_type = catalog.EMAIL_TYPE_BY_VALUE.get(type)
    if email_type is None:
        known = ", ".join(t.value for t in catalog.EMAIL_TYPES if t.value)
        raise UsageError(f"Unknown email type {type!r}: use one of {known}.")
    if email_type.accounts_only and module != "Accounts":
        raise UsageError(f"The email type {type!r} exists only for Accounts, not {module}.")
    if owner_id is not None and type != catalog.USER_EMAILS:
        raise UsageError(f"owner_id works only with type={catalog.USER_EMAILS}.")


def standard_modules() -> list[Module]:
    """The eight standard modules, for when /settings/modules may not be read."""
    return [
        Module(m.api_name, m.label, singular_label=m.singular, module_name=m.api_name, generated_type="default")
        for m in catalog.STANDARD_MODULES
    ]


# --- the client ------------------------------------------------------------------------


class ZohoClient:
    """Read-only Zoho CRM calls. Raises ZohoAPIError, RateLimitedError, AuthError, NetworkError, UsageError."""

    def __init__(
        self,
        tokens: TokenSource,
        *,
        api_domain: str | None = None,
        api_version: str = catalog.DEFAULT_API_VERSION,
        transport: Transport | None = None,
        max_in_flight: int = catalog.DEFAULT_MAX_IN_FLIGHT,
        max_retries: int = 4,
        backoff: float = 0.5,
        timeout: float = 20.0,
        on_event: OnEvent | None = None,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        jitter: Callable[[], float] = random.random,
        max_backoff: float = MAX_BACKOFF_S,
        max_wait: float = MAX_WAIT_S,
        max_total_wait: float = MAX_TOTAL_WAIT_S,
        deadline: float = DEADLINE_S,
    ) -> None:
        """`timeout` bounds each connect, write and read; `deadline` the whole request, answer included."""
        if max_in_flight < 1 or max_retries < 0 or backoff < 0 or max_wait < 0 or max_total_wait < 0 or deadline <= 0:
            raise UsageError(
                "max_in_flight must be at least 1; max_retries, backoff and the waits at least 0; the deadline above 0."
            )
        self.tokens = tokens
        self._api_domain = check_url(api_domain) if api_domain else None
        self.api_version = _segment(api_version, "API version")
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.max_wait = max_wait
        self.max_total_wait = max_total_wait
        self.deadline = deadline
        self.on_event = on_event
        self._sleep = sleep
        self._jitter = jitter
        self._slots = asyncio.Semaphore(max_in_flight)
        self._calls = 0
        self._unreached = 0
        self._transport = transport
        self._timeout = timeout
        self._max_in_flight = max_in_flight
        self._made_http: httpx.AsyncClient | None = None  # made with the first request (`_http`)

    @property
    def _http(self) -> httpx.AsyncClient:
        if self._made_http is None:
            import httpx

            limits = httpx.Limits(max_connections=self._max_in_flight, max_keepalive_connections=self._max_in_flight)
            self._made_http = httpx.AsyncClient(
                # Certificates verified, with the process's one SSL context (making one reads every CA: 20 ms).
                transport=made(self._transport) or httpx.AsyncHTTPTransport(verify=ssl_context(), limits=limits),
                timeout=httpx.Timeout(self._timeout, connect=min(self._timeout, 10.0)),
                verify=True,
                follow_redirects=False,
                limits=limits,
                # Only what body.read_body decompresses within its cap (httpx would add br and zstd when installed).
                headers={"Accept": "application/json", "Accept-Encoding": ACCEPT_ENCODING, "User-Agent": USER_AGENT},
            )
        return self._made_http

    def __repr__(self) -> str:
        return f"ZohoClient(api_domain={self.api_domain!r}, api_version={self.api_version!r}, calls={self._calls})"

    @property
    def calls(self) -> int:
        """CRM requests that reached Zoho so far, retries included: each one costs an API credit."""
        return self._calls

    @property
    def unreached(self) -> int:
        """CRM requests that never connected (offline, DNS, refused): they cost nothing."""
        return self._unreached

    @property
    def api_domain(self) -> str | None:
        return self._api_domain or self.tokens.api_domain

    async def __aenter__(self) -> ZohoClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._made_http is not None:
            await self._made_http.aclose()
        await self.tokens.aclose()

    # --- sending, retrying ---------------------------------------------------------

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return retry_after
        ceiling = min(self.max_backoff, self.backoff * (2 ** (attempt - 1)))
        return self._jitter() * ceiling  # full jitter: uniform in [0, ceiling)

    async def _tell(self, event: ConnectionEvent) -> None:
        if self.on_event is not None:
            told = self.on_event(event)
            if inspect.isawaitable(told):
                await told

    async def _send(
        self,
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        stream: bool = False,
        retries: int | None = None,
    ) -> _Answer | httpx.Response | None:
        """GET a CRM path with retries (`retries` overrides max_retries: 0 is a single try). None for
        HTTP 204. The answer is read whole (within the size cap and the deadline) into an `_Answer`;
        a streamed one (stream=True) is returned open, its in-flight slot still held: release it."""
        import httpx

        query = {k: str(v) for k, v in (params or {}).items() if v is not None}
        retries = self.max_retries if retries is None else retries
        attempt = 0
        waited = 0.0
        token_refreshed = False
        while True:
            try:
                token = await self.tokens.access_token()
            except NetworkError as exc:
                # Zoho Accounts unreachable mid-session (a blip, a laptop waking up): back off as for the CRM.
                attempt += 1
                waited += await self._back_off(attempt, retries, None, "Zoho Accounts unreachable", exc, waited)
                continue
            domain = self.api_domain
            if not domain:
                raise UsageError("No API domain is known: pass --api-domain or --dc.")
            request = self._http.build_request(
                "GET",
                f"{domain}/crm/{self.api_version}/{path}",
                params=query,
                headers={"Authorization": f"Zoho-oauthtoken {token}"},
            )
            attempt += 1
            retry_after: float | None = None
            await self._slots.acquire()
            response: httpx.Response | None = None
            handed_over = False
            try:
                try:
                    async with asyncio.timeout(self.deadline):
                        response = await self._http.send(request, stream=True)
                        status = response.status_code
                        content = await self._read(response) if status >= 300 or not stream else None
                except httpx.TransportError as exc:
                    if _unreached(exc):
                        self._unreached += 1
                    else:
                        self._calls += 1  # sent: Zoho may have answered (and billed) before the connection broke
                    reason = describe_transport_error(exc)
                    error: ZohoError = NetworkError(f"Zoho could not be reached: {reason}")
                except TimeoutError:
                    self._calls += 1  # it may well have reached Zoho
                    reason = f"no complete answer within {self.deadline:g} s"
                    error = NetworkError(
                        f"Zoho did not finish answering within {self.deadline:g} s (connect, send and read): "
                        "stopped waiting."
                    )
                except ZohoAPIError:
                    self._calls += 1  # an answer too large, or in an encoding not asked for: not worth retrying
                    raise
                else:
                    self._calls += 1
                    await self._tell(Answered(status))
                    if status < 300:
                        if status == 204:
                            return None
                        if stream:
                            handed_over = True
                            return response
                        return _Answer(status, content or b"")
                    error = error_from_body(
                        status, json_object_or_none(content) if content is not None else None,
                        response.reason_phrase,
                        "" if content is not None else f" (its body was larger than {MAX_BODY_TEXT}: not read)",
                    )
                    reason = f"{error.code} (HTTP {status})"
                    retry_after = _retry_after(response)
                    if status == 401 and error.code == "INVALID_TOKEN" and not token_refreshed:
                        # Expired early, or revoked: refresh once and try once more.
                        token_refreshed = True
                        attempt -= 1
                        await self.tokens.invalidate(token)
                        continue
                    if status != 429 and status < 500:
                        raise error
            finally:
                if not handed_over:
                    try:
                        if response is not None:
                            await response.aclose()
                    finally:
                        self._slots.release()
            waited += await self._back_off(attempt, retries, retry_after, reason, error, waited)

    async def _read(self, response: httpx.Response) -> bytes | None:
        """The answer's body within the cap. An error body past the cap (or unreadable) is None: its
        status still says what went wrong; a success body past it is an error of its own."""
        if response.status_code < 300:
            return await read_body(response)
        try:
            return await read_body(response)
        except ZohoAPIError:
            return None

    async def _back_off(
        self, attempt: int, retries: int, retry_after: float | None, reason: str, error: ZohoError, waited: float
    ) -> float:
        """Sleep before the next try, telling on_event; raise `error` when the tries or the waits are spent.
        The seconds slept."""
        delay = self._delay(attempt, retry_after)
        too_long = retry_after is not None and retry_after > self.max_wait
        if attempt > retries or too_long or waited + min(delay, self.max_wait) > self.max_total_wait:
            if retry_after is not None:
                error.details.setdefault("retry_after", retry_after)  # whoever tries later waits this long
            await self._tell(GaveUp(error))
            raise error
        delay = min(delay, self.max_wait)
        await self._tell(Retrying(attempt, delay, reason, error, retries + 1))
        await self._sleep(delay)
        return delay

    async def _get_json(
        self, path: str, params: Mapping[str, Any] | None = None, *, retries: int | None = None
    ) -> dict[str, Any] | None:
        answer = await self._send(path, params, retries=retries)
        if answer is None:
            return None
        assert isinstance(answer, _Answer)
        if not answer.content.strip():
            return None
        try:
            body = load_object(answer.content)
        except NotAnObject as exc:
            raise ZohoAPIError(
                "INVALID_RESPONSE",
                f"Zoho answered HTTP {answer.status} with something that is not a JSON object: {exc.reason}.",
                status=answer.status,
            ) from None
        error = _error_in_success(answer.status, body)
        if error is not None:
            raise error
        return body

    # --- emails ----------------------------------------------------------------------

    def _emails_path(self, module: str, record_id: str) -> str:
        return f"{_segment(module, 'module')}/{_segment(record_id, 'record id')}/Emails"

    async def list_emails(
        self,
        module: str,
        record_id: str,
        *,
        type: str | None = None,
        owner_id: str | None = None,
        index: str | None = None,
        retries: int | None = None,
        bare: bool = False,
    ) -> EmailPage:
        """One page (10 at most) of a record's emails; an empty page for HTTP 204.

        `bare`: each email holds only its message_id and `raw`, the object as Zoho sent it (what
        export writes; parsing thousands into models it never reads cost it a tenth of its time).
        """
        path = self._emails_path(module, record_id)
        check_email_filters(module, type, owner_id)
        if owner_id is not None:
            owner_id = _query_id(owner_id, "owner id")
        body = await self._get_json(path, {"type": type, "owner_id": owner_id, "index": index}, retries=retries)
        if body is None:
            return EmailPage()
        if "Emails" not in body:
            raise ZohoAPIError(
                "INVALID_RESPONSE",
                "Zoho answered the list of emails without an Emails list (and without an error code).",
                status=200,
            )
        if bare:
            rows = body["Emails"] if isinstance(body["Emails"], list) else []
            emails = (Email(message_id, raw=row) for row in rows if (message_id := _message_id(row)))
            return EmailPage(tuple(emails), PageInfo.parse(body.get("info")))
        return EmailPage.parse(body)

    async def iter_email_pages(
        self,
        module: str,
        record_id: str,
        *,
        type: str | None = None,
        owner_id: str | None = None,
        index: str | None = None,
        bare: bool = False,
    ) -> AsyncIterator[EmailPage]:
        """Every page in the API's order from `index` (None: the first page), following next_index until
        more_records is false. Each page holds only emails not seen before in this walk; when Zoho's paging
        looks broken (tui/zoho/paging.py), what was read is yielded and BROKEN_PAGING is raised.
        `bare` as for list_emails."""
        walk = PageWalk()
        while True:
            page = await self.list_emails(module, record_id, type=type, owner_id=owner_id, index=index, bare=bare)
            verdict = walk.told(index, page)
            if len(verdict.fresh) != len(page.emails):
                page = msgspec.structs.replace(page, emails=verdict.fresh)
            if page.emails or verdict.stop is None:
                yield page
            if verdict.stop is not None:
                raise ZohoAPIError("BROKEN_PAGING", verdict.stop)
            if not page.info.more_records or not page.info.next_index:
                return
            index = page.info.next_index

    async def get_email(
        self, module: str, record_id: str, message_id: str, *, user_id: str | None = None, retries: int | None = None
    ) -> EmailDetail | None:
        """One email with its body and attachments; None when Zoho has nothing (204)."""
        path = f"{self._emails_path(module, record_id)}/{_quoted_segment(message_id, 'message id')}"
        if user_id is not None:
            user_id = _query_id(user_id, "user id")
        body = await self._get_json(path, {"user_id": user_id}, retries=retries)
        emails = body.get("Emails") if body else None
        if not isinstance(emails, list) or not emails:
            return None
        return EmailDetail.parse(emails[0], message_id)

    @asynccontextmanager
    async def download_attachment(
        self,
        module: str,
        record_id: str,
        *,
        message_id: str,
        user_id: str,
        attachment_id: str,
        name: str,
        max_bytes: int | None = None,
    ) -> AsyncIterator[Download]:
        """Stream one attachment: `async with client.download_attachment(...) as d: async for b in d.aiter_bytes()`.

        `max_bytes` bounds what is accepted (`attachment_limit(listed size)`; default: an unlisted
        attachment's limit); a Content-Length below it bounds it further. The deadline covers the
        request up to the answer's headers: the body streams for as long as it takes.
        """
        path = f"{self._emails_path(module, record_id)}/actions/download_attachments"
        params = {
            "message_id": _query_id(message_id, "message id"),
            "user_id": _query_id(user_id, "user id"),
            "id": _query_id(attachment_id, "attachment id"),
            "name": name,
        }
        if not name:
            raise UsageError("An attachment download needs the attachment's name.")
        limit = UNLISTED_ATTACHMENT_BYTES if max_bytes is None else max_bytes
        response = await self._send(path, params, stream=True)
        if response is None:
            raise ZohoAPIError("NO_CONTENT", "Zoho had no content for this attachment (HTTP 204).", status=204)
        assert not isinstance(response, _Answer)  # streamed: the open response
        try:
            filename = filename_from_disposition(response.headers.get("content-disposition")) or name
            length = response.headers.get("content-length")
            size = int(length) if length and length.strip().isdigit() else None
            if size is not None and size > limit:
                raise ZohoAPIError(
                    "ATTACHMENT_TOO_LARGE",
                    f"Zoho announced {size_text(size)} for an attachment of at most {size_text(limit)}: not saved.",
                    status=response.status_code,
                )
            yield Download(response, filename, size, limit if size is None else size)
        finally:
            try:
                await response.aclose()
            finally:
                self._slots.release()

    # --- modules and records -------------------------------------------------------------

    async def modules(self) -> list[Module]:
        """Modules whose records have emails: the eight standard ones and custom ones, api_supported.

        Without the settings scope (or permission), the eight standard modules.
        """
        try:
            body = await self._get_json("settings/modules")
        except (AuthError, ZohoAPIError) as exc:
            if exc.code in ("OAUTH_SCOPE_MISMATCH", "NO_PERMISSION"):
                return standard_modules()
            raise
        rows = body.get("modules") if body else None
        parsed = (Module.parse(row) for row in (rows if isinstance(rows, list) else []))
        return [m for m in parsed if m is not None and m.api_supported and catalog.module_has_emails(m.api_name, m.generated_type)]

    @staticmethod
    def _fields(module: str, name_field: str | None) -> tuple[str, str | None]:
        standard = catalog.STANDARD_BY_NAME.get(module)
        field = name_field or (standard.name_field if standard else None)
        if not field:
            raise UsageError(f"{module} is not a standard module: pass its display field as name_field.")
        return _segment(field, "field name"), standard.email_field if standard else None

    @staticmethod
    def _records(module: str, body: dict[str, Any] | None, name_field: str, detail_field: str | None) -> list[Record]:
        rows = body.get("data") if body else None
        records = []
        for row in rows if isinstance(rows, list) else []:
            if not isinstance(row, Mapping) or _text(row.get("id")) is None:
                continue
            records.append(
                Record(
                    module=module,
                    id=_text(row.get("id")),  # type: ignore[arg-type]
                    name=_text(row.get(name_field)),
                    detail=_text(row.get(detail_field)) if detail_field else None,
                )
            )
        return records

    @staticmethod
    def _per_page(per_page: int) -> int:
        if not 1 <= per_page <= MAX_PER_PAGE:
            raise UsageError(f"per_page must be between 1 and {MAX_PER_PAGE}.")
        return per_page

    async def search_records(
        self, module: str, text: str, *, name_field: str | None = None, per_page: int = 20
    ) -> list[Record]:
        """Records matching a word (or an email address, when the text has an "@"); [] for no match."""
        module = _segment(module, "module")
        words = (text or "").strip()
        if not words:
            raise UsageError("Type something to search for.")
        field, detail = self._fields(module, name_field)
        params = {
            "email" if "@" in words else "word": words,
            "fields": ",".join(f for f in (field, detail) if f),
            "per_page": self._per_page(per_page),
        }
        return self._records(module, await self._get_json(f"{module}/search", params), field, detail)

    async def list_records(self, module: str, *, name_field: str | None = None, per_page: int = 20) -> list[Record]:
        """The first records of a module (Zoho's default order)."""
        module = _segment(module, "module")
        field, detail = self._fields(module, name_field)
        params = {"fields": ",".join(f for f in (field, detail) if f), "per_page": self._per_page(per_page)}
        return self._records(module, await self._get_json(module, params), field, detail)

    async def get_record(self, module: str, record_id: str, *, name_field: str | None = None) -> Record | None:
        module = _segment(module, "module")
        path = f"{module}/{_segment(record_id, 'record id')}"
        field, detail = self._fields(module, name_field)
        params = {"fields": ",".join(f for f in (field, detail) if f)}
        records = self._records(module, await self._get_json(path, params), field, detail)
        return records[0] if records else None

    # --- org and users -----------------------------------------------------------------

    async def org(self) -> Org | None:
        body = await self._get_json("org")
        return Org.parse(body) if body else None

    async def _users(self, kind: str) -> list[User]:
        users: list[User] = []
        page = 1
        while True:
            body = await self._get_json("users", {"type": kind, "page": page, "per_page": USERS_PER_PAGE})
            rows = body.get("users") if body else None
            users.extend(u for u in (User.parse(r) for r in (rows if isinstance(rows, list) else [])) if u)
            info = body.get("info") if body else None
            if not isinstance(info, dict) or info.get("more_records") is not True or not rows:
                return users
            page += 1

    async def users(self) -> list[User]:
        """Every user of the org (for picking whose mailbox: owner_id)."""
        return await self._users("AllUsers")

    async def current_user(self) -> User | None:
        users = await self._users("CurrentUser")
        return users[0] if users else None
