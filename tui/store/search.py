"""A parsed query as SQL conditions on `emails AS e`, with every value a bound parameter.

Person's text never reaches the SQL string. In an FTS5 MATCH expression each
word or phrase is one double-quoted string (inner quotes doubled), so `"`,
`*`, `-`, `(`, `NEAR`, `AND` typed by a person are searched as text; a term
with no letter or digit would match nothing in FTS5 and is left out (it adds
no condition) in both modes. Without FTS5, the same terms become `LIKE`
patterns (escaped) over folded text: case and diacritics ignored, a word
matches inside longer words.
"""

from __future__ import annotations

from datetime import date, datetime, timezone, tzinfo
from typing import Any

from tui.store.fold import FOLD_FUNCTION, fold
from tui.store.query import (
    AttachmentTerm,
    DateTerm,
    Field,
    MarkTerm,
    Query,
    StatusTerm,
    TextTerm,
)

_FTS_COLUMNS = {Field.FROM: "{sender}", Field.TO: "{recipients}", Field.SUBJECT: "{subject}"}
_LIKE_TEXT = {
    Field.ANY: "coalesce(e.subject, '') || char(10) || coalesce(e.from_name, '') || char(10) || "
    "coalesce(e.from_address, '') || char(10) || coalesce(e.to_text, '') || char(10) || "
    "coalesce(e.cc_text, '') || char(10) || coalesce(e.summary, '')",
    Field.FROM: "coalesce(e.from_name, '') || char(10) || coalesce(e.from_address, '')",
    Field.TO: "coalesce(e.to_text, '') || char(10) || coalesce(e.cc_text, '')",
    Field.SUBJECT: "coalesce(e.subject, '')",
}
_LIKE_BODY = (
    "EXISTS (SELECT 1 FROM details AS d WHERE d.scope_id = e.scope_id AND d.message_id = e.message_id "
    "AND crm_fold(d.body_text) LIKE ? ESCAPE '\\')"
)
def searchable(term: TextTerm) -> bool:
    """Whether a term holds a letter or digit: FTS5 finds nothing for one that does not."""
    return any(c.isalnum() for c in term.text)


def conditions(query: Query, *, full_text: bool, tz: tzinfo | None = None) -> tuple[list[str], list[Any]]:
    """SQL conditions (to AND together) and their parameters for `query` over `emails AS e`."""
    sql: list[str] = []
    params: list[Any] = []
    texts = [t for t in query.text_terms if searchable(t)]
    if full_text:
        _fts(texts, sql, params)
    else:
        for term in texts:
            _like(term, sql, params)
    for term in query.terms:
        if isinstance(term, StatusTerm):
            either = " OR ".join("instr(e.status_kinds, ?) > 0" for _ in term.kinds)
            _add(sql, f"({either})", term.negated)
            params.extend(f" {kind} " for kind in term.kinds)
        elif isinstance(term, AttachmentTerm):
            _add(sql, "e.has_attachment = 1", term.negated)
        elif isinstance(term, MarkTerm):
            _add(sql, "EXISTS (SELECT 1 FROM marks AS m WHERE m.scope_id = e.scope_id "
                      "AND m.message_id = e.message_id AND m.state = ?)", term.negated)
            params.append(term.state)
        elif isinstance(term, DateTerm):
            # An email whose time is unknown matches no date condition, negated or not (NOT NULL is NULL).
            comparison = "<" if term.bound == "before" else ">="
            _add(sql, f"e.time_epoch {comparison} ?", term.negated)
            params.append(day_start(term.day, tz))
    return sql, params


def _add(sql: list[str], condition: str, negated: bool) -> None:
    sql.append(f"NOT ({condition})" if negated else condition)


def fts_string(term: TextTerm) -> str:
    """One term as an FTS5 expression: a quoted string, a column filter, a prefix star."""
    quoted = '"' + " ".join(term.text.split()).replace('"', '""') + '"'
    if term.prefix:
        quoted += " *"
    column = _FTS_COLUMNS.get(term.field)
    return f"{column} : {quoted}" if column else quoted


def _fts(terms: list[TextTerm], sql: list[str], params: list[Any]) -> None:
    wanted = [fts_string(t) for t in terms if not t.negated]
    unwanted = [fts_string(t) for t in terms if t.negated]
    if wanted:
        expression = " AND ".join(f"({w})" for w in wanted)
        if unwanted:
            expression = f"({expression}) NOT ({' OR '.join(f'({u})' for u in unwanted)})"
        sql.append("e.id IN (SELECT rowid FROM email_fts WHERE email_fts MATCH ?)")
        params.append(expression)
    elif unwanted:
        sql.append("e.id NOT IN (SELECT rowid FROM email_fts WHERE email_fts MATCH ?)")
        params.append(" OR ".join(f"({u})" for u in unwanted))


def like_pattern(text: str) -> str:
    escaped = " ".join(fold(text).split()).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _like(term: TextTerm, sql: list[str], params: list[Any]) -> None:
    pattern = like_pattern(term.text)
    condition = f"{FOLD_FUNCTION}({_LIKE_TEXT[term.field]}) LIKE ? ESCAPE '\\'"
    params.append(pattern)
    if term.field is Field.ANY:
        condition = f"({condition} OR {_LIKE_BODY})"
        params.append(pattern)
    _add(sql, condition, term.negated)


def day_start(day: date, tz: tzinfo | None) -> int:
    """Epoch seconds when `day` starts in `tz` (None: the system's local zone)."""
    try:
        if tz is None:
            return int(datetime(day.year, day.month, day.day).astimezone().timestamp())
        return int(datetime(day.year, day.month, day.day, tzinfo=tz).timestamp())
    except (OverflowError, OSError, ValueError):
        return int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp())
