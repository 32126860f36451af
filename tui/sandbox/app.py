"""The sandbox: one handler for Zoho Accounts and Zoho CRM on one origin.

`Sandbox.handle(method, target, headers, body)` answers one HTTP request. The
in-process transport (transport.py, for `--demo` and tests) and the loopback
HTTP server (server.py, for `crm-emails sandbox`) both call it, so both speak
exactly the same wire format. A call goes: record it, inject a fault, check
the URL and the token, check the token's scopes, then the endpoint answers.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from urllib.parse import parse_qsl, unquote, urlsplit

import msgspec

from tui.sandbox.accounts import Accounts, scope_covers
from tui.sandbox.crm import Crm
from tui.sandbox.data import CLIENT_ID, CLIENT_SECRET, DEFAULT_SEED, REFRESH_TOKEN, SandboxData
from tui.sandbox.faults import Faults
from tui.sandbox.misbehaviour import Misbehaving
from tui.sandbox.wire import MESSAGES, Refusal, SandboxResponse, json_answer, zoho_error
from tui.zoho.catalog import SCOPES

__all__ = ["Call", "Faults", "Sandbox", "SandboxResponse"]

_EMAILS_SCOPES = ("ZohoCRM.modules.READ", "ZohoCRM.modules.emails.READ")
_RECORD_SCOPES = ("ZohoCRM.modules.READ",)
# Versions that answer like v8; Emails' `type` was numeric before v4, which the sandbox does not model.
_VERSIONS = ("v2", "v2.1", "v3", "v4", "v5", "v6", "v7", "v8")
_EMAIL_VERSIONS = ("v4", "v5", "v6", "v7", "v8")
_NEWEST_VERSION = 8


class Call(msgspec.Struct, frozen=True):
    """A request the sandbox was sent (tests count them)."""

    method: str
    path: str
    params: dict[str, str] = msgspec.field(default_factory=dict)


class _Route(msgspec.Struct, frozen=True):
    """What answers a path, with the scopes it needs."""

    answer: Callable[[dict[str, str]], SandboxResponse]
    scopes: tuple[str, ...]
    module: str | None = None  # for module-specific scopes
    emails: bool = False
    kind: str = ""  # "emails" (the list), "email" (one), "download": where misbehaviours apply


class Sandbox:
    def __init__(
        self,
        seed: int = DEFAULT_SEED,
        *,
        faults: Faults | None = None,
        clock: Callable[[], float] = time.time,
        scopes: Iterable[str] = SCOPES,
    ) -> None:
        self.seed = seed
        self.faults = faults if faults is not None else Faults()
        self.clock = clock
        self.data = SandboxData(seed)
        self.accounts = Accounts(self.data.ids, clock, scopes)
        self.crm = Crm(self.data)
        self.calls: list[Call] = []  # every CRM API request, in order
        self.faults_injected: Counter[str] = Counter()  # "429", "500", "drop", "token refused": how many were answered so
        self.token_calls: list[Call] = []  # every Zoho Accounts request
        self.requests_in_flight = 0
        self.most_in_flight = 0  # the most requests seen at once (the client promises at most 4)
        self.misbehaving = Misbehaving()
        self._lock = threading.Lock()  # the server answers from several threads

    # --- what tests look at ---------------------------------------------------------------

    def count(self, what: str | Callable[[Call], bool] = "") -> int:
        """CRM calls whose path ends with `what` (or that satisfy a predicate)."""
        test = what if callable(what) else (lambda call: call.path.endswith(what))
        with self._lock:
            return sum(1 for call in self.calls if test(call))

    # --- the handler --------------------------------------------------------------------------

    def handle(self, method: str, target: str, headers: Mapping[str, str], body: bytes = b"", *,
               scheme: str = "http") -> SandboxResponse:
        """Answer one request. `target` is path + "?" + query; `scheme` builds the api_domain tokens carry."""
        parts = urlsplit(target)
        path = unquote(parts.path)
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        headers = {k.lower(): v for k, v in headers.items()}
        method = method.upper()
        if path.rstrip("/") in ("/oauth/v2/token", "/oauth/v2/token/revoke"):
            return self._accounts(method, path.rstrip("/"), params, headers, body, scheme)
        if path.startswith("/crm/"):
            return self._crm(method, path, params, headers, raw_path=parts.path)
        return zoho_error(404, "INVALID_URL_PATTERN", MESSAGES["INVALID_URL_PATTERN"])

    def _accounts(self, method: str, path: str, params: dict[str, str], headers: dict[str, str], body: bytes,
                  scheme: str) -> SandboxResponse:
        form = params | dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        with self._lock:
            self.token_calls.append(Call(method, path, {k: v for k, v in form.items()}))
            if method != "POST":
                return json_answer({"error": "invalid_request"}, 405)
            if path.endswith("/revoke"):
                return self.accounts.revoke(form.get("token", ""))
            host = headers.get("host") or "127.0.0.1"
            return self.accounts.token(form, f"{scheme}://{host}")

    def _crm(self, method: str, path: str, params: dict[str, str], headers: dict[str, str], *,
             raw_path: str | None = None) -> SandboxResponse:
        with self._lock:
            self.calls.append(Call(method, path, params))
            fault = self.faults.draw()
            if fault is not None:
                self.faults_injected[fault] += 1
                return self._fault(fault)
            # Split before decoding: a message id may hold an encoded "/".
            segments = [unquote(s) for s in (raw_path or path).split("/") if s][1:]  # after "crm"
            try:
                version = self._version(segments[0] if segments else "")
                route = self._route(segments[1:], params, method)
                if route.emails and version not in _EMAIL_VERSIONS:
                    raise self._unsupported()
                self._authorize(headers, route)
                return self.misbehaving.answer(self.faults.misbehaviours, route.kind, params, route.answer)
            except Refusal as refusal:
                return refusal.response

    def _fault(self, kind: str) -> SandboxResponse:
        if kind == "drop":
            return SandboxResponse(0, {}, b"", drop=True)
        if kind == "429":
            retry = {"Retry-After": str(self.faults.retry_after)} if self.faults.retry_after is not None else {}
            return zoho_error(429, "TOO_MANY_REQUESTS", MESSAGES["TOO_MANY_REQUESTS"], headers=retry)
        return zoho_error(500, "INTERNAL_SERVER_ERROR", MESSAGES["INTERNAL_SERVER_ERROR"])

    def _version(self, text: str) -> str:
        if text in _VERSIONS:
            return text
        number = text[1:].split(".")[0] if text.startswith("v") else ""
        if number.isdigit() and int(number) > _NEWEST_VERSION:
            raise self._unsupported()
        raise _not_found()

    @staticmethod
    def _unsupported() -> Refusal:
        return Refusal(zoho_error(400, "API_NOT_SUPPORTED", MESSAGES["API_NOT_SUPPORTED"],
                                  {"supported_version": _NEWEST_VERSION}))

    def _route(self, segments: list[str], params: dict[str, str], method: str) -> _Route:
        """Which endpoint the path names; INVALID_URL_PATTERN for none."""
        crm = self.crm
        route: _Route | None = None
        match segments:
            case ["settings", "modules"]:
                route = _Route(lambda p: crm.modules(p), ("ZohoCRM.settings.modules.READ",))
            case ["org"]:
                route = _Route(lambda p: crm.org(p), ("ZohoCRM.org.READ",))
            case ["users"]:
                route = _Route(lambda p: crm.users(p), ("ZohoCRM.users.READ",))
            case [module, "search"]:
                route = _Route(lambda p: crm.search(module, p), (*_RECORD_SCOPES, "ZohoSearch.securesearch.READ"),
                               module)
            case [module]:
                route = _Route(lambda p: crm.records(module, p), _RECORD_SCOPES, module)
            case [module, record_id]:
                route = _Route(lambda p: crm.record(module, record_id, p), _RECORD_SCOPES, module)
            case [module, record_id, "Emails"]:
                route = _Route(lambda p: crm.emails(module, record_id, p), _EMAILS_SCOPES, module, emails=True,
                               kind="emails")
            case [module, record_id, "Emails", "actions", "download_attachments"]:
                route = _Route(lambda p: crm.download(module, record_id, p), _EMAILS_SCOPES, module, emails=True,
                               kind="download")
            case [module, record_id, "Emails", message_id]:
                route = _Route(lambda p: crm.email(module, record_id, message_id, p), _EMAILS_SCOPES, module,
                               emails=True, kind="email")
        if route is None:
            raise _not_found()
        if method != "GET":
            raise Refusal(zoho_error(400, "INVALID_REQUEST_METHOD", MESSAGES["INVALID_REQUEST_METHOD"]))
        return route

    def _authorize(self, headers: dict[str, str], route: _Route) -> None:
        """`Authorization: Zoho-oauthtoken <token>`, a live token, and the scopes the call needs."""
        header = headers.get("authorization")
        if not header:
            raise Refusal(zoho_error(401, "AUTHENTICATION_FAILURE", MESSAGES["AUTHENTICATION_FAILURE"]))
        scheme, _, value = header.strip().partition(" ")
        if scheme != "Zoho-oauthtoken" or not value.strip():
            raise Refusal(zoho_error(401, "AUTHENTICATION_FAILURE", MESSAGES["AUTHENTICATION_FAILURE"]))
        token = self.accounts.access_token(value.strip(), self.faults.expire_after)
        if token is None:
            self.faults_injected["token refused"] += 1
            raise Refusal(zoho_error(401, "INVALID_TOKEN", MESSAGES["INVALID_TOKEN"]))
        for needed in route.scopes:
            if not any(scope_covers(granted, needed, route.module) for granted in token.scopes):
                raise Refusal(zoho_error(401, "OAUTH_SCOPE_MISMATCH", MESSAGES["OAUTH_SCOPE_MISMATCH"]))

    # --- conveniences for tests and the demo --------------------------------------------------

    def mint_access_token(self) -> str:
        """A fresh access token for REFRESH_TOKEN, as a refresh would give (counts toward the throttle)."""
        form = {"grant_type": "refresh_token", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                "refresh_token": REFRESH_TOKEN}
        with self._lock:
            answer = self.accounts.token(form, "http://127.0.0.1")
        return str(answer.json()["access_token"])

    def deliver(self, module: str, record_id: str, count: int = 1) -> list[str]:
        """`count` new emails arrive on top of a record's list; returns their message ids, newest first.

        next_index values already handed out keep pointing at the same emails (an index counts from the oldest).
        """
        with self._lock:
            return self.crm.data.mailbox(self._record(module, record_id)).deliver(count)

    def expire_indexes(self) -> None:
        """Every next_index handed out so far stops working (INVALID_DATA on `index`), as an old one may at Zoho."""
        with self._lock:
            self.crm.index_epoch += 1

    def open_again(self, module: str, record_id: str, message_id: str) -> None:
        """The recipient opens a sent email once more: its opened count rises (a sent one becomes opened)."""
        with self._lock:
            mailbox = self.crm.data.mailbox(self._record(module, record_id))
            position = mailbox.position_of(message_id)
            if position is None:
                raise KeyError(f"no email {message_id} on {module} {record_id}")
            mailbox.open_again(position)

    def _record(self, module: str, record_id: str):
        record = self.data.record(module, record_id)
        if record is None:
            raise KeyError(f"no record {module} {record_id} in the sandbox")
        return record

    @contextmanager
    def in_flight(self) -> Iterator[None]:
        """Wraps one request in the transport and the server: tests read `most_in_flight` afterwards."""
        with self._lock:
            self.requests_in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.requests_in_flight)
        try:
            yield
        finally:
            with self._lock:
                self.requests_in_flight -= 1


def _not_found() -> Refusal:
    return Refusal(zoho_error(404, "INVALID_URL_PATTERN", MESSAGES["INVALID_URL_PATTERN"]))
