"""The local SQLite store: what was read from Zoho, kept across launches, and searched.

    store.py    the Store: scopes, feeds (order + paging), details, records, marks, search
    query.py    the search language, parsed into terms (pure; no SQL)
    search.py   terms as SQL conditions with bound parameters (FTS5, or LIKE without it)
    schema.py   tables, migrations, the full-text index
    columns.py  what is kept beside each raw item: listing and search columns, body text
    files.py    where the file lives, its modes, moving a bad one aside
    commands.py `crm-emails store`, `crm-emails search`, `export --from-store`

No Textual here: it runs in the app's store thread and in the CLI. Importing
this package is cheap (sqlite3 loads with the first name that needs it).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.store.query import Query, QueryError, parse
    from tui.store.store import (
        FeedState,
        Mark,
        MergeResult,
        Scope,
        ScopeStats,
        SearchHit,
        SearchResult,
        Store,
        StoreError,
        StoredFeed,
        StoreStats,
        feed_filter_key,
    )

ENV_NO_STORE = "CRM_EMAILS_NO_STORE"
# The demo's part of the store: its org key and label (its profile is "demo": `scope_profile`).
DEMO_ORG_KEY, DEMO_ORG_LABEL = "sandbox", "Demo data"
_FROM_STORE = ("FeedState", "Mark", "MergeResult", "Scope", "ScopeStats", "SearchHit", "SearchResult", "Store",
               "StoreError", "StoredFeed", "StoreStats", "feed_filter_key")
_FROM_QUERY = ("Query", "QueryError", "parse")
__all__ = [*_FROM_STORE, *_FROM_QUERY, "DEMO_ORG_KEY", "DEMO_ORG_LABEL", "ENV_NO_STORE", "enabled", "scope_profile"]


def scope_profile(profile: str | None, demo: bool) -> str:
    """The profile a launch's scope is under: "demo" for the demo, else the profile ("default" when none)."""
    return "demo" if demo and profile is None else (profile or "default")


def enabled(args_or_env: Any = None) -> bool:
    """Whether to use the store: not with `--no-store` (an argparse namespace) nor CRM_EMAILS_NO_STORE=1.

    Give the parsed arguments (the environment is read too), a mapping to read
    as the environment, or nothing (os.environ).
    """
    if isinstance(args_or_env, Mapping):
        env: Mapping[str, str] = args_or_env
    else:
        if getattr(args_or_env, "no_store", False):
            return False
        env = os.environ
    return env.get(ENV_NO_STORE, "").strip().lower() not in ("1", "true", "yes", "on")


def __getattr__(name: str) -> Any:
    if name in _FROM_STORE:
        from tui.store import store

        return getattr(store, name)
    if name in _FROM_QUERY:
        from tui.store import query

        return getattr(query, name)
    raise AttributeError(f"module 'tui.store' has no attribute {name!r}")
