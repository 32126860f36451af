"""Answers that lie or misbehave, on purpose: what a broken Zoho (or a proxy in front of it) could send.

Each misbehaviour is named in `--faults` (`crm-emails sandbox --faults empty-pages`,
`trickle=50`, `gzip-bomb=1024`) and applies to every CRM call it fits until it is
turned off. The README's fault table says what the app and `export` do with each.
They change what an endpoint answers, never the sandbox's data: turn one off and
the same call answers as Zoho would.
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import msgspec

from tui.sandbox.wire import JSON_TYPE, MESSAGES, SandboxResponse, json_answer

CHUNK = 64 * 1024
YEAR_ONE = "0001-01-01T00:00:00+14:00"
YEAR_9999 = "9999-12-31T23:59:59-14:00"
_TIME_FIELDS = ("time", "sent_time")
_STATUS_TIME_FIELDS = ("first_open", "last_open", "first_click", "last_click", "bounced_time")


class Misbehaviour(msgspec.Struct, frozen=True):
    """A way the sandbox can misbehave on purpose, and its value's meaning."""

    name: str
    does: str
    default: int = 0  # the value when none is given (a size, a delay, a depth)
    unit: str = ""


MISBEHAVIOURS = {
    m.name: m
    for m in (
        Misbehaviour("empty-pages", "every list page is empty and says more emails follow, under a new next_index"),
        Misbehaviour("repeat-pages", "every list page holds the first page's emails again, under a new next_index"),
        Misbehaviour("gzip-bomb", "JSON answers gzip-compressed, inflating to N MB", 1024, "MB"),
        Misbehaviour("huge", "JSON answers padded to N MB (not compressed)", 50, "MB"),
        Misbehaviour("trickle", "every answer's body sent one byte at a time, N ms apart", 1000, "ms"),
        Misbehaviour("deep-json", "JSON answers nested N levels deep", 100_000, "levels"),
        Misbehaviour("error-200", 'HTTP 200 with {"code": "INVALID_TOKEN", "status": "error"} for a body'),
        Misbehaviour("bad-dates", "the first two emails of a list or detail dated 0001-01-01+14:00 and 9999-12-31-14:00"),
        Misbehaviour("bad-disposition", "attachments named with filename* charsets that cannot decode (idna, punycode...)"),
        Misbehaviour("gzip-attachment", "attachments sent with Content-Encoding: gzip (the bytes as sent are gzip)"),
    )
}

# What bad-disposition sends, in turn: none of these filename* values can be decoded.
BAD_DISPOSITIONS = (
    "attachment; filename*=idna''%E2%9C%93.pdf",
    "attachment; filename=\"plain.pdf\"; filename*=punycode''%E2%9C%93.pdf",
    "attachment; filename*=x-no-such-charset''report.pdf",
    "attachment; filename=\"plain.pdf\"; filename*=UTF-8''%FF%FE.pdf",
    "attachment; filename*=UTF-8''%ZZbroken.pdf",
    "attachment; filename*=rot13''abc.pdf",
)


class Misbehaving:
    """Applies the misbehaviours turned on to one CRM answer. `kind` is the route's ("emails" for the
    list, "email" for one email, "download", or "" for the others)."""

    def __init__(self) -> None:
        self._fresh = itertools.count(1)
        self._dispositions = itertools.cycle(BAD_DISPOSITIONS)

    def answer(
        self,
        lies: Mapping[str, int],
        kind: str,
        params: dict[str, str],
        answer: Callable[[dict[str, str]], SandboxResponse],
    ) -> SandboxResponse:
        if not lies:
            return answer(params)
        if kind == "emails" and "empty-pages" in lies:
            response = json_answer({"Emails": [], "info": self._info(0)})
        elif kind == "emails" and "repeat-pages" in lies:
            response = answer({k: v for k, v in params.items() if k != "index"})
            response = _rewrite(response, lambda body: body | {"info": self._info(len(body.get("Emails", [])))})
        else:
            response = answer(params)
        if kind in ("emails", "email") and "bad-dates" in lies:
            response = _rewrite(response, _impossible_dates)
        if kind == "download" and response.status == 200:
            if "bad-disposition" in lies:
                response.headers["Content-Disposition"] = next(self._dispositions)
            if "gzip-attachment" in lies:
                response = _gzip_attachment(response)
        if _is_json(response):
            response = _json_lies(lies, response)
        if "trickle" in lies:
            response = _trickle(response, lies["trickle"])
        return response

    def _info(self, count: int) -> dict[str, Any]:
        return {"per_page": 10, "count": count, "next_index": f"{next(self._fresh):016x}", "prev_index": "0",
                "more_records": True}


def _is_json(response: SandboxResponse) -> bool:
    return isinstance(response.body, bytes) and response.headers.get("Content-Type", "").startswith("application/json")


def _rewrite(response: SandboxResponse, change: Callable[[dict[str, Any]], dict[str, Any]]) -> SandboxResponse:
    """A JSON answer with its body changed (other answers as they are: a 204, an error)."""
    if response.status != 200 or not _is_json(response):
        return response
    return json_answer(change(response.json()), response.status, {k: v for k, v in response.headers.items()
                                                                  if k != "Content-Type"})


def _impossible_dates(body: dict[str, Any]) -> dict[str, Any]:
    emails = body.get("Emails")
    if not isinstance(emails, list):
        return body
    for email, when in zip(emails, (YEAR_ONE, YEAR_9999)):
        for name in _TIME_FIELDS:
            if name in email or name == "time":
                email[name] = when
        for status in email.get("status") or []:
            for name in _STATUS_TIME_FIELDS:
                if name in status:
                    status[name] = when
    return body


def _json_lies(lies: Mapping[str, int], response: SandboxResponse) -> SandboxResponse:
    if "error-200" in lies:
        response = json_answer({"code": "INVALID_TOKEN", "details": {}, "message": MESSAGES["INVALID_TOKEN"],
                                "status": "error"})
    if "deep-json" in lies:
        depth = max(lies["deep-json"], 1)
        response = SandboxResponse(200, {"Content-Type": JSON_TYPE}, b'{"Emails":' + b"[" * depth + b"]" * depth + b"}")
    body = response.body
    assert isinstance(body, bytes)
    if "huge" in lies:
        response = SandboxResponse(response.status, dict(response.headers), _padded(body, lies["huge"] * 1024 * 1024))
    if "gzip-bomb" in lies:
        inflated = _padded(body, lies["gzip-bomb"] * 1024 * 1024)
        response = SandboxResponse(response.status, {**response.headers, "Content-Encoding": "gzip"},
                                   _gzip_stream(inflated))
    return response


def _padded(body: bytes, size: int) -> Iterator[bytes]:
    """The JSON object `body` with a "padding" string that makes it `size` bytes, produced as it is read."""
    stripped = body.strip()
    head = b'{"padding":"' if stripped == b"{}" else stripped[:-1] + b',"padding":"'
    left = max(size - len(head) - 2, 0)
    yield head
    while left > 0:
        take = min(CHUNK, left)
        yield b"x" * take
        left -= take
    yield b'"}'


def _gzip_stream(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """gzip of `chunks`, compressed as it is read: a reader that stops early costs only what it read."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    for chunk in chunks:
        if out := compressor.compress(chunk):
            yield out
    yield compressor.flush()


def _gzip_attachment(response: SandboxResponse) -> SandboxResponse:
    chunks = [response.body] if isinstance(response.body, bytes) else response.body
    sent = zlib.compress(b"".join(chunks), 9, wbits=zlib.MAX_WBITS | 16)  # gzip.compress(..., mtime=0), less an import
    headers = {**response.headers, "Content-Encoding": "gzip", "Content-Length": str(len(sent))}
    return SandboxResponse(200, headers, iter([sent[i : i + CHUNK] for i in range(0, len(sent), CHUNK)]))


def _trickle(response: SandboxResponse, milliseconds: int) -> SandboxResponse:
    body = response.body
    headers = dict(response.headers)
    if isinstance(body, bytes):
        headers["Content-Length"] = str(len(body))
        body = iter([body])
    trickled = (bytes([byte]) for chunk in body for byte in chunk)
    return SandboxResponse(response.status, headers, trickled, response.drop, chunk_delay=milliseconds / 1000)


def names_and_effects() -> list[tuple[str, str]]:
    """For --help and the README: `name[=N]` and what it does."""
    return [(m.name + (f"[={m.unit.upper()}]" if m.unit else ""), m.does) for m in MISBEHAVIOURS.values()]
