"""Watching what is read of the store."""

from __future__ import annotations

from tui.store.store import Store


def stored_list_reads(monkeypatch) -> list[int | None]:
    """The `first` of every stored list read from now on (on whichever thread): 200 for a top, None for all
    or for the rest below a top."""
    reads: list[int | None] = []
    load = Store.load_feed_rows

    def counted(self, *args, first=None, after=None):
        reads.append(first)
        return load(self, *args, first=first, after=after)

    monkeypatch.setattr(Store, "load_feed_rows", counted)
    return reads
