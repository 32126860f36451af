"""The store's tables, the migrations that build them, and the full-text index.

`PRAGMA user_version` is the number of migrations applied. Each migration is
a tuple of statements run in one transaction; a file whose version is newer
than `len(MIGRATIONS)` was written by a newer crm-emails and is moved aside.
Never edit a released migration: append a new one.

The full-text index (`email_fts`) is not a migration: a Python whose SQLite
lacks FTS5 must still open the file. It is an external-content FTS5 table over
the view `email_search_source`, one row per stored list item (its rowid is
`emails.id`); the store deletes an item's index row before it changes the
item's searchable text or its body, and inserts it again afterwards, so the
index always matches the view (a DELETE reads the old text from the view).
"""

from __future__ import annotations

from collections.abc import Sequence

Migration = Sequence[str]

V1: Migration = (
    # Meta facts about the file itself (the state of the search index).
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID",
    # A profile + org (or the demo): nothing of one scope is ever shown in another.
    """CREATE TABLE scopes (
        id INTEGER PRIMARY KEY,
        profile TEXT NOT NULL,
        org_key TEXT NOT NULL,
        demo INTEGER NOT NULL DEFAULT 0,
        label TEXT NOT NULL DEFAULT '',
        UNIQUE (profile, org_key, demo)
    )""",
    # One list item of one record, exactly as Zoho returned it (raw), plus what listing and search read.
    """CREATE TABLE emails (
        id INTEGER PRIMARY KEY,
        scope_id INTEGER NOT NULL REFERENCES scopes (id) ON DELETE CASCADE,
        module TEXT NOT NULL,
        record_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        raw TEXT NOT NULL,
        time_text TEXT,
        time_epoch INTEGER,
        subject TEXT,
        from_name TEXT,
        from_address TEXT,
        to_text TEXT,
        cc_text TEXT,
        summary TEXT,
        status_kinds TEXT NOT NULL DEFAULT ' ',
        has_attachment INTEGER NOT NULL DEFAULT 0,
        owner_id TEXT,
        thread_id TEXT,
        UNIQUE (scope_id, module, record_id, message_id)
    )""",
    "CREATE INDEX emails_by_message ON emails (scope_id, message_id)",
    # Newest first, and covering what the filters read: a search walks it and stops at its limit.
    "CREATE INDEX emails_by_time ON emails (scope_id, time_epoch, status_kinds, has_attachment, module, record_id, "
    "message_id)",
    # One email's detail (the single-email answer), with its body as plain text for search.
    """CREATE TABLE details (
        id INTEGER PRIMARY KEY,
        scope_id INTEGER NOT NULL REFERENCES scopes (id) ON DELETE CASCADE,
        message_id TEXT NOT NULL,
        raw BLOB NOT NULL,  -- zlib-compressed JSON: bodies are most of a store's size
        body_text TEXT NOT NULL DEFAULT '',
        UNIQUE (scope_id, message_id)
    )""",
    # A record's list under one filter: its paging state; the order lives in feed_entries.
    """CREATE TABLE feeds (
        id INTEGER PRIMARY KEY,
        scope_id INTEGER NOT NULL REFERENCES scopes (id) ON DELETE CASCADE,
        module TEXT NOT NULL,
        record_id TEXT NOT NULL,
        filter_key TEXT NOT NULL,
        next_index TEXT,
        more INTEGER NOT NULL DEFAULT 1,
        complete INTEGER NOT NULL DEFAULT 0,
        pages INTEGER NOT NULL DEFAULT 0,
        synced_at REAL,
        walked_at REAL,
        sync_next INTEGER,
        sync_floor INTEGER,
        UNIQUE (scope_id, module, record_id, filter_key)
    )""",
    # Smallest position first: new emails get positions below the minimum, pages above the maximum.
    """CREATE TABLE feed_entries (
        feed_id INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
        email_id INTEGER NOT NULL REFERENCES emails (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        PRIMARY KEY (feed_id, email_id)
    ) WITHOUT ROWID""",
    "CREATE UNIQUE INDEX feed_order ON feed_entries (feed_id, position)",
    "CREATE INDEX feed_entries_by_email ON feed_entries (email_id)",
    # Names of records, and the recent records (opened_at is set only when the person opened it).
    """CREATE TABLE records (
        scope_id INTEGER NOT NULL REFERENCES scopes (id) ON DELETE CASCADE,
        module TEXT NOT NULL,
        record_id TEXT NOT NULL,
        name TEXT,
        detail TEXT,
        opened_at REAL,
        opened_order INTEGER,  -- rises with each opening: the clock may stand still or step back
        PRIMARY KEY (scope_id, module, record_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX records_by_opened ON records (scope_id, opened_order)",
    # The person's own marks on an email.
    """CREATE TABLE marks (
        scope_id INTEGER NOT NULL REFERENCES scopes (id) ON DELETE CASCADE,
        message_id TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('done', 'flagged', 'todo')),
        note TEXT,
        at REAL NOT NULL,
        PRIMARY KEY (scope_id, message_id)
    ) WITHOUT ROWID""",
    # What the full-text index holds for each list item (also what the LIKE fallback reads).
    """CREATE VIEW email_search_source AS
        SELECT e.id AS id,
               coalesce(e.subject, '') AS subject,
               coalesce(e.from_name, '') || ' ' || coalesce(e.from_address, '') AS sender,
               coalesce(e.to_text, '') || ' ' || coalesce(e.cc_text, '') AS recipients,
               coalesce(e.summary, '') AS summary,
               coalesce(d.body_text, '') AS body
        FROM emails AS e
        LEFT JOIN details AS d ON d.scope_id = e.scope_id AND d.message_id = e.message_id""",
)

MIGRATIONS: tuple[Migration, ...] = (V1,)

# Bump when the index's definition changes: a store built with another version is rebuilt on open.
SEARCH_INDEX_VERSION = "2"
FTS_COLUMNS = ("subject", "sender", "recipients", "summary", "body")
CREATE_FTS = (
    "CREATE VIRTUAL TABLE email_fts USING fts5("
    + ", ".join(FTS_COLUMNS)
    + ", content='email_search_source', content_rowid='id',"
    " tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')"
)
FTS_INSERT = (
    "INSERT INTO email_fts (rowid, " + ", ".join(FTS_COLUMNS) + ") "
    "SELECT id, " + ", ".join(FTS_COLUMNS) + " FROM email_search_source WHERE id IN ({ids})"
)
