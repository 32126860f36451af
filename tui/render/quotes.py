"""Quoted text folded away: a reply's copy of the earlier emails becomes one line.

Read as a conversation, each email's quote of the ones before repeats what is on
screen just above it. A run of lines starting with `>` (blank lines inside it
and the lines continuing a wrapped quoted paragraph included), with the "On Tue, 3 Mar 2026 at 10:12, Ada <ada@…> wrote:" line before
it (wrapped over up to three lines), becomes "… N quoted lines". Pure functions
on the body's lines as shown (already wrapped to the pane).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

QUOTED_MARK = "…"
_ATTRIBUTION_START = re.compile(r"\s*On\s\S")
_ATTRIBUTION_END = re.compile(r".*\bwrote:\s*$")
_ATTRIBUTION_LINES = 3  # an "On … wrote:" line wrapped at a narrow width


def quoted(line: str) -> bool:
    return line.lstrip().startswith(">")


def folded_note(count: int) -> str:
    return f"{QUOTED_MARK} {count} quoted line{'s' if count != 1 else ''}"


def _attribution(lines: Sequence[str], start: int) -> int:
    """The index after an "On … wrote:" attribution starting at `start`, or `start` when there is none."""
    if not _ATTRIBUTION_START.match(lines[start]):
        return start
    for end in range(start, min(start + _ATTRIBUTION_LINES, len(lines))):
        if quoted(lines[end]) or (end > start and not lines[end].strip()):
            return start
        if _ATTRIBUTION_END.match(lines[end]):
            return end + 1
    return start


def fold_quotes(lines: Sequence[str]) -> list[str]:
    """`lines` with each quoted block (and the attribution before it) replaced by one "… N quoted lines" line."""
    return [line for line, _folded in folded_lines(lines)]


def folded_lines(lines: Sequence[str]) -> list[tuple[str, bool]]:
    """As `fold_quotes`, each line with whether it is the note of a folded quote."""
    out: list[tuple[str, bool]] = []
    n = 0
    while n < len(lines):
        after = _attribution(lines, n)
        if after == n and not quoted(lines[n]):
            out.append((lines[n], False))
            n += 1
            continue
        # The quote: `>` lines, the lines that continue them (a wrapped quoted paragraph has `>` only on
        # its first line, as Markdown's lazy continuation), and the blank lines between (not those after).
        end, last_quoted, in_paragraph = after, None, False
        while end < len(lines):
            line = lines[end]
            if quoted(line):
                last_quoted, in_paragraph = end, bool(line.strip(" >"))
            elif not line.strip():
                in_paragraph = False
            elif in_paragraph:
                last_quoted = end
            else:
                break
            end += 1
        if last_quoted is None:  # an "On … wrote:" with no quote under it: text like any other
            out.append((lines[n], False))
            n += 1
            continue
        out.append((folded_note(last_quoted + 1 - n), True))
        n = last_quoted + 1
    return out
