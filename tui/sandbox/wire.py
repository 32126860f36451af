"""The sandbox's answers on the wire: one response type and the shapes Zoho answers in."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import msgspec

JSON_TYPE = "application/json;charset=UTF-8"  # Zoho's exact Content-Type


class SandboxResponse(msgspec.Struct):
    """What the sandbox answers a request with (or how it misbehaves doing so)."""

    status: int
    headers: dict[str, str] = msgspec.field(default_factory=dict)
    body: bytes | Iterator[bytes] = b""
    drop: bool = False  # cut the connection instead of answering
    chunk_delay: float = 0.0  # seconds before each chunk of a streamed body (the trickle misbehaviour)

    def json(self) -> Any:
        """The body parsed (tests and the in-process transport's callers): only for bytes bodies."""
        assert isinstance(self.body, bytes), "a streamed body has no JSON"
        return json.loads(self.body) if self.body else None


class Refusal(Exception):
    """Raised inside a handler to answer with an error and stop there."""

    def __init__(self, response: SandboxResponse) -> None:
        super().__init__(response.status)
        self.response = response


def json_answer(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> SandboxResponse:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return SandboxResponse(status, {"Content-Type": JSON_TYPE, **(headers or {})}, body)


def no_content() -> SandboxResponse:
    """HTTP 204: Zoho's "nothing here", with an empty body."""
    return SandboxResponse(204, {}, b"")


def zoho_error(status: int, code: str, message: str, details: dict[str, Any] | None = None,
               headers: dict[str, str] | None = None) -> SandboxResponse:
    """The CRM's error body: `{"code", "details", "message", "status": "error"}`."""
    return json_answer({"code": code, "details": details or {}, "message": message, "status": "error"}, status,
                       headers)


def refuse(status: int, code: str, message: str, details: dict[str, Any] | None = None) -> Refusal:
    return Refusal(zoho_error(status, code, message, details))


# Zoho's messages, word for word where its docs or OpenAPI files give them.
MESSAGES = {
    "INVALID_URL_PATTERN": "Please check if the URL trying to access is a correct one",
    "INVALID_MODULE": "The module name given seems to be invalid",
    "INVALID_REQUEST_METHOD": "The http request method type is not a valid one",
    "INVALID_TOKEN": "invalid oauth token",
    "AUTHENTICATION_FAILURE": "Authentication failed",
    "OAUTH_SCOPE_MISMATCH": "invalid oauth scope to access this URL",
    "REQUIRED_PARAM_MISSING": "One of the expected parameter is missing",
    "INVALID_QUERY": "invalid query formed",
    "INVALID_ID": "the id given seems to be invalid",
    "INVALID_DATA": "invalid data",
    "NO_PERMISSION": "permission denied",
    "NO_FILE": "the request does not contain any file",
    "API_NOT_SUPPORTED": "API is not supported in this version",
    "TOO_MANY_REQUESTS": "You have reached the maximum number of API calls or concurrent requests allowed. "
    "Try again later.",
    "INTERNAL_SERVER_ERROR": "Internal Server Error",
}
