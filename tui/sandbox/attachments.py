"""Attachment files: deterministic bytes of the advertised size, produced in chunks.

A download streams: no file is ever held whole, so an 8 MB attachment costs one
chunk of memory. Binary files start with their format's magic bytes, text
files are text, and the same seed gives the same bytes.
"""

from __future__ import annotations

import mimetypes
import random
from collections.abc import Iterator

import msgspec

CHUNK_SIZE = 64 * 1024

_MAGIC = {
    ".pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
    ".png": b"\x89PNG\r\n\x1a\n",
    ".jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
    ".zip": b"PK\x03\x04",
    ".xlsx": b"PK\x03\x04",
    ".docx": b"PK\x03\x04",
    ".exe": b"MZ\x90\x00",
}
_TEXT_SUFFIXES = (".txt", ".csv", ".ics", ".bashrc", ".doc")


class AttachmentSpec(msgspec.Struct, frozen=True):
    """An attachment of a sandbox email, its bytes made from a seed."""

    id: str
    name: str
    size: int
    seed: str  # what the bytes are generated from

    @property
    def content_type(self) -> str:
        guessed, _ = mimetypes.guess_type(self.name.replace("\n", "").replace("\r", ""), strict=False)
        return guessed or "application/octet-stream"

    def json(self) -> dict[str, str]:
        """As Zoho lists it: the size is a string of bytes."""
        return {"size": str(self.size), "name": self.name, "id": self.id}


def _suffix(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower().strip() if dot >= 0 else ""


def _text_lines(rng: random.Random) -> Iterator[bytes]:
    line = 0
    while True:
        line += 1
        yield f"{line:06d},card,{rng.randrange(10**9):09d},{rng.random():.6f},ok\n".encode()


def _binary(rng: random.Random) -> Iterator[bytes]:
    while True:
        yield rng.randbytes(CHUNK_SIZE)


def chunks(attachment: AttachmentSpec) -> Iterator[bytes]:
    """The file's bytes, exactly `size` of them, in chunks of at most CHUNK_SIZE."""
    rng = random.Random(attachment.seed)
    suffix = _suffix(attachment.name)
    source = _text_lines(rng) if suffix in _TEXT_SUFFIXES else _binary(rng)
    buffer = bytearray(_MAGIC.get(suffix, b""))
    remaining = attachment.size
    while remaining > 0:
        take = min(CHUNK_SIZE, remaining)
        while len(buffer) < take:
            buffer += next(source)
        yield bytes(buffer[:take])
        del buffer[:take]
        remaining -= take
