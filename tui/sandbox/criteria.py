"""Search criteria as Zoho writes them: `((Last_Name:equals:Lovelace)and(Email:starts_with:ada))`.

Conditions are `(field:operator:value)`, joined by `and`/`or` inside
parentheses; `\\(`, `\\)`, `\\,` and `\\:` escape those characters in values.
Operators: equals, not_equal, starts_with, in (comma-separated values).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

OPERATORS = ("equals", "not_equal", "starts_with", "in")

Predicate = Callable[[Mapping[str, Any]], bool]


class CriteriaError(ValueError):
    def __init__(self, reason: str, **details: str) -> None:
        super().__init__(reason)
        self.details = {"reason": reason, **details}


def _tokens(text: str) -> list[tuple[str, str]]:
    """Parentheses and the text between them; escapes stay in the text (as backslash pairs) for later splits."""
    tokens: list[tuple[str, str]] = []
    buffer: list[str] = []
    escaped = False
    for ch in text:
        if escaped:
            buffer.append("\\" + ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in "()":
            if buffer:
                tokens.append(("text", "".join(buffer)))
                buffer = []
            tokens.append((ch, ""))
        else:
            buffer.append(ch)
    if escaped:
        raise CriteriaError("the criteria ends with a lone backslash")
    if buffer:
        tokens.append(("text", "".join(buffer)))
    return tokens


def _split(raw: str, separator: str) -> list[str]:
    """Split on an unescaped separator, then resolve the escapes."""
    parts, current, i = [], [], 0
    while i < len(raw):
        if raw[i] == "\\" and i + 1 < len(raw):
            current.append(raw[i : i + 2])
            i += 2
            continue
        if raw[i] == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(raw[i])
        i += 1
    parts.append("".join(current))
    return parts


def _unescape(raw: str) -> str:
    out, i = [], 0
    while i < len(raw):
        step = 2 if raw[i] == "\\" and i + 1 < len(raw) else 1
        out.append(raw[i + step - 1])
        i += step
    return "".join(out)


def _condition(raw: str, fields: set[str]) -> Predicate:
    pieces = _split(raw, ":")
    if len(pieces) < 3:
        raise CriteriaError("a condition is field:operator:value", condition=raw)
    field, operator, value = pieces[0].strip(), pieces[1].strip(), _unescape(":".join(pieces[2:]))
    if field not in fields:
        raise CriteriaError("invalid field", api_name=field)
    if operator not in OPERATORS:
        raise CriteriaError("invalid operator", operator=operator, api_name=field)
    values = [_unescape(v).lower() for v in _split(":".join(pieces[2:]), ",")]

    def test(record: Mapping[str, Any]) -> bool:
        actual = record.get(field)
        if isinstance(actual, Mapping):  # lookups and Owner compare by name
            actual = actual.get("name")
        text = "" if actual is None else str(actual).lower()
        if operator == "equals":
            return text == value.lower()
        if operator == "not_equal":
            return text != value.lower()
        if operator == "starts_with":
            return text.startswith(value.lower())
        return text in values

    return test


def parse(criteria: str, fields: set[str]) -> Predicate:
    """A predicate over a record's fields, or CriteriaError for anything Zoho would refuse."""
    tokens = _tokens(criteria.strip())
    position = 0

    def group() -> Predicate:
        nonlocal position
        if position >= len(tokens) or tokens[position][0] != "(":
            raise CriteriaError("expected '('")
        position += 1
        if position < len(tokens) and tokens[position][0] == "text":
            if position + 1 >= len(tokens) or tokens[position + 1][0] != ")":
                raise CriteriaError("unbalanced parentheses")
            predicate = _condition(tokens[position][1], fields)
            position += 2
            return predicate
        predicate = expression()
        if position >= len(tokens) or tokens[position][0] != ")":
            raise CriteriaError("unbalanced parentheses")
        position += 1
        return predicate

    def expression() -> Predicate:
        nonlocal position
        predicate = group()
        while position < len(tokens) and tokens[position][0] == "text":
            joiner = tokens[position][1].strip().lower()
            if joiner not in ("and", "or"):
                raise CriteriaError(f"expected and/or, found {joiner!r}")
            position += 1
            left, right = predicate, group()
            predicate = (lambda r, a=left, b=right: a(r) and b(r)) if joiner == "and" else \
                (lambda r, a=left, b=right: a(r) or b(r))
        return predicate

    predicate = expression()
    if position != len(tokens):
        raise CriteriaError("unexpected text after the criteria")
    return predicate
