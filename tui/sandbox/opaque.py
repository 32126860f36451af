"""Opaque ids that look like Zoho's (96 hex chars) and cannot be guessed.

A sealed id carries a number (an email's position, a page's start) encrypted
with a keyed stream and bound by an HMAC tag to its context (which record,
which type filter...). The sandbox opens it again without keeping a table, so a
5,000-email record needs no lookup memory; a client cannot forge one, nor reuse
one from another record or another filter.
"""

from __future__ import annotations

import hashlib
import hmac

_NUMBER_BYTES = 16  # 8 for the number, 8 of zero padding (the tag covers all 16)
_TAG_BYTES = 32
SEALED_LENGTH = 2 * (_NUMBER_BYTES + _TAG_BYTES)  # 96 hex chars, like Zoho's next_index


class OpaqueIds:
    def __init__(self, key: bytes) -> None:
        self._key = key

    def _mac(self, *parts: bytes) -> bytes:
        return hmac.new(self._key, b"\x1f".join(parts), hashlib.sha256).digest()

    def _keystream(self, context: str, tag: bytes) -> bytes:
        # Keyed by the tag too, so neighbouring numbers share no visible prefix.
        return self._mac(b"stream", context.encode(), tag)[:_NUMBER_BYTES]

    def seal(self, context: str, number: int) -> str:
        plain = number.to_bytes(8, "big") + bytes(8)
        tag = self._mac(b"tag", context.encode(), plain)
        cipher = bytes(a ^ b for a, b in zip(plain, self._keystream(context, tag)))
        return (cipher + tag).hex()

    def open(self, context: str, sealed: str) -> int | None:
        """The number sealed for this context, or None for anything else."""
        if len(sealed) != SEALED_LENGTH:
            return None
        try:
            raw = bytes.fromhex(sealed)
        except ValueError:
            return None
        cipher, tag = raw[:_NUMBER_BYTES], raw[_NUMBER_BYTES:]
        plain = bytes(a ^ b for a, b in zip(cipher, self._keystream(context, tag)))
        if not hmac.compare_digest(tag, self._mac(b"tag", context.encode(), plain)):
            return None
        return int.from_bytes(plain[:8], "big")

    def digest(self, *parts: str, length: int) -> str:
        """A short keyed hex id (attachment ids, tokens): deterministic, not reversible."""
        return self._mac(b"digest", *(p.encode() for p in parts)).hex()[:length]

    def digits(self, *parts: str, length: int) -> str:
        """A keyed decimal id (thread ids are long numbers in Zoho's samples)."""
        value = int.from_bytes(self._mac(b"digits", *(p.encode() for p in parts)), "big")
        return str(value)[:length]


def key_for_seed(seed: int) -> bytes:
    return hashlib.sha256(f"crm-emails sandbox key {seed}".encode()).digest()
