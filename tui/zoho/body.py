"""Reading Zoho's answers within bounds: what a body may inflate to, and JSON that is an object or a sentence.

A body is read as it came off the wire and decompressed here, chunk by chunk, with
zlib's `max_length`: a gzip bomb (1 MB on the wire, 1 GB inflated) costs at most the
cap, never the inflated whole. httpx's own decoders inflate a whole chunk at once.
Only gzip and deflate are asked for (`Accept-Encoding`), so only they are read.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from tui.zoho.errors import ZohoAPIError

if TYPE_CHECKING:
    import httpx

# The one cap on a JSON answer once decompressed (error bodies and token answers too): a page of
# ten emails or one email with its body is well under it. README's fault table says the same.
MAX_BODY_BYTES = 20 * 1024 * 1024
MAX_BODY_TEXT = "20 MB"
# Zoho's answers nest five or six levels; anything past this is not Zoho talking.
MAX_JSON_DEPTH = 64
ACCEPT_ENCODING = "gzip, deflate"

_ZLIB_WBITS = {"gzip": zlib.MAX_WBITS | 16, "x-gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS}


class NotAnObject(ValueError):
    """A body that is not a JSON object: `reason` says what it is instead, in words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def too_large(status: int | None) -> ZohoAPIError:
    return ZohoAPIError(
        "RESPONSE_TOO_LARGE",
        f"Zoho's answer was larger than {MAX_BODY_TEXT} once decompressed: stopped reading it.",
        status=status,
    )


def undecodable(status: int | None, what: str) -> ZohoAPIError:
    return ZohoAPIError("INVALID_RESPONSE", f"Zoho's answer could not be read: {what}.", status=status)


async def raw_chunks(response: httpx.Response, chunk_size: int | None = None) -> AsyncIterator[bytes]:
    """The body's bytes as sent (a Content-Encoding not undone)."""
    if not response.is_stream_consumed:
        async for chunk in response.aiter_raw(chunk_size):
            yield chunk
        return
    # Built in memory (httpx.MockTransport, `content=`): httpx read it already, and its stream still
    # holds the bytes as they were given.
    async for chunk in response.stream:  # type: ignore[union-attr]
        yield chunk


class _Inflater:
    """One Content-Encoding undone within a budget: `feed(data, room)` never returns more than `room` bytes
    without raising `too_large` (it asks zlib for one byte more than the room to know)."""

    def __init__(self, encoding: str | None, status: int | None) -> None:
        self.status = status
        names = [e.strip().lower() for e in (encoding or "").split(",") if e.strip()]
        names = [n for n in names if n != "identity"]
        if len(names) > 1 or (names and names[0] not in _ZLIB_WBITS):
            raise undecodable(status, f"it is encoded as {', '.join(names)!r}, which this app does not ask for")
        self.name = names[0] if names else None
        self._zlib = zlib.decompressobj(_ZLIB_WBITS[self.name]) if self.name else None
        self._first = True

    def feed(self, data: bytes, room: int) -> bytes:
        if self._zlib is None:
            if len(data) > room:
                raise too_large(self.status)
            return data
        out = bytearray()
        while data:
            try:
                piece = self._zlib.decompress(data, room - len(out) + 1)
            except zlib.error as exc:
                if self._first and self.name == "deflate":  # some servers send raw deflate, no zlib header
                    self._zlib, self._first = zlib.decompressobj(-zlib.MAX_WBITS), False
                    continue
                raise undecodable(self.status, f"its {self.name} data is corrupt ({exc})") from None
            self._first = False
            out += piece
            if len(out) > room:
                raise too_large(self.status)
            data = self._zlib.unconsumed_tail
            if self._zlib.eof:
                break  # bytes after the end of the stream are not part of the body
        return bytes(out)

    def finish(self, room: int) -> bytes:
        if self._zlib is None:
            return b""
        rest = self._zlib.flush()
        if len(rest) > room:
            raise too_large(self.status)
        return rest


async def read_body(response: httpx.Response, limit: int = MAX_BODY_BYTES) -> bytes:
    """The whole body, decompressed, or `too_large` past `limit` bytes (nothing more is read then).

    Transport errors (a cut connection) propagate as httpx raises them.
    """
    inflater = _Inflater(response.headers.get("content-encoding"), response.status_code)
    parts: list[bytes] = []
    size = 0
    async for raw in raw_chunks(response):
        data = inflater.feed(raw, limit - size)
        size += len(data)
        parts.append(data)
    parts.append(inflater.finish(limit - size))
    return b"".join(parts)


def load_object(content: bytes) -> dict[str, Any]:
    """The body as a JSON object, or NotAnObject saying what it is instead. Never RecursionError."""
    try:
        body = json.loads(content)
    except RecursionError:
        raise NotAnObject(f"JSON nested more than {MAX_JSON_DEPTH} levels deep") from None
    except ValueError:  # not JSON, not UTF-8, a number too long to read
        raise NotAnObject("not JSON") from None
    if not isinstance(body, dict):
        raise NotAnObject(f"a JSON {_json_kind(body)}, not an object")
    if _depth_exceeds(body, MAX_JSON_DEPTH):
        raise NotAnObject(f"JSON nested more than {MAX_JSON_DEPTH} levels deep")
    return body


def json_object_or_none(content: bytes) -> dict[str, Any] | None:
    try:
        return load_object(content)
    except NotAnObject:
        return None


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return "string"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    return "number"


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Without recursion: whatever reads the object next (export's json.dumps) would recurse."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False
