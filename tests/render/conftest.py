"""Shared checks for the render tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

# Everything a terminal would act on: no rendered string may contain any of it.
FORBIDDEN = frozenset(
    {chr(c) for c in range(0x20) if chr(c) not in "\n\t"}
    | {chr(c) for c in range(0x7F, 0xA0)}
    | set("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


def _assert_terminal_safe(text: str) -> None:
    found = sorted({f"U+{ord(ch):04X}" for ch in text if ch in FORBIDDEN or 0xD800 <= ord(ch) <= 0xDFFF})
    assert not found, f"unsafe characters left: {found}"


@pytest.fixture
def assert_terminal_safe() -> Callable[[str], None]:
    return _assert_terminal_safe
