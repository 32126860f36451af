"""A store in tmp_path, on a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from store_helpers import Clock
from tui.store import Store


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store_path(tmp_path):
    return tmp_path / "data" / "store.sqlite3"


@pytest.fixture(params=[True, False], ids=["fts5", "like"])
def full_text(request) -> bool:
    return request.param


@pytest.fixture
def store(store_path, clock) -> Iterator[Store]:
    with Store.open(store_path, clock=clock) as opened:
        yield opened


@pytest.fixture
def scope(store):
    return store.scope("default", "org-1", label="Analytical Engines")
