"""Pins every source of nondeterminism for the whole suite: time zone, keyring, environment."""

from __future__ import annotations

import os
import time

from collections.abc import Callable

import pytest

# Fixed before anything formats a local time: snapshots and date tests assume UTC.
os.environ["TZ"] = "UTC"
time.tzset()


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch, tmp_path):
    """No test sees the developer's real credentials, keyring or state dir."""
    for name in (
        "ZOHO_CLIENT_ID",
        "ZOHO_CLIENT_SECRET",
        "ZOHO_REFRESH_TOKEN",
        "ZOHO_API_DOMAIN",
        "ZOHO_ACCOUNTS_URL",
        "ZOHO_DC",
        "PYTHON_KEYRING_BACKEND",
        "XDG_RUNTIME_DIR",  # the access-token cache: under XDG_CACHE_HOME below instead
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("TZ", "UTC")

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
