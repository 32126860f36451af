"""Attachment sizes as a person reads them."""

from __future__ import annotations

import pytest

from tui.render.sizes import human_size


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (None, "—"),
        (-1, "—"),
        (True, "—"),  # a bool is not a size, whatever Python thinks
        (0, "0 B"),
        (1, "1 B"),
        (512, "512 B"),
        (1023, "1023 B"),
        (1024, "1.0 KB"),
        (1536, "1.5 KB"),
        (10188, "9.9 KB"),
        (10189, "10 KB"),  # 9.95 KB rounds to 10: no decimal from 10 up
        (24_780, "24 KB"),
        (1_048_575, "1.0 MB"),  # not "1024 KB"
        (1_048_576, "1.0 MB"),
        (1_258_291, "1.2 MB"),
        (2 * 1024**2 + 1, "2.0 MB"),
        (10**9, "954 MB"),
        (5 * 1024**3, "5.0 GB"),
        (5 * 1024**4, "5.0 TB"),
        (3 * 1024**5, "3072 TB"),
    ],
)
def test_human_size(size: int | None, expected: str) -> None:
    assert human_size(size) == expected
