"""The links of an email's body, found in the lines the detail pane shows: their targets and where they are.

An HTML body ends with its numbered list ("Links:", then `[1] https://…`), one link a
line, a long one cut by cells over the lines after it (`keep_link_numbers`): joined
again, those pieces are the target exactly as listed, which is what a picker copies and
what a click opens (a link whose text says one place and whose target is another shows
the target: the list is built from the targets). A plain-text body has no list: its
bare `http(s)://` addresses are its links, a long one folded over lines at the pane's
width and joined the same way. No Textual here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import msgspec
from rich.cells import cell_len

# The heading above the numbered links at the end of a converted body (tui.render.html writes it). Here, not
# there: the detail pane finds links at start-up, and html2text is imported only when a body is converted.
LINKS_HEADING = "Links:"

_LISTED = re.compile(r"\[(\d+)\] (\S+)")  # a line of the list: its number and the start of its target
_BARE_URL = re.compile(r"https?://[^\s<>\"'()\[\]]+", re.IGNORECASE)
# Links kept for the picker and the clicks: a newsletter's hundreds of tracking links stay far below.
MAX_LINKS = 1000


class Span(msgspec.Struct, frozen=True):
    """Where a link's text sits in one body line."""

    start: int  # characters into the line
    end: int
    link: int  # index into BodyLinks.targets


class BodyLinks(msgspec.Struct):
    """A body's links, numbered as shown, and where each sits in the lines."""

    targets: list[str] = msgspec.field(default_factory=list)  # numbered from 1 as shown: targets[0] is [1]
    spans: dict[int, list[Span]] = msgspec.field(default_factory=dict)  # by line index

    def add(self, line: int, start: int, end: int, link: int) -> None:
        self.spans.setdefault(line, []).append(Span(start, end, link))


def find_links(lines: Sequence[str], width: int) -> BodyLinks:
    """The targets and places of the links in `lines` (made to fit `width` cells)."""
    try:
        heading = len(lines) - 1 - list(reversed(lines)).index(LINKS_HEADING)
    except ValueError:
        return _bare_links(lines, width)
    return _listed_links(lines, heading)


def _listed_links(lines: Sequence[str], heading: int) -> BodyLinks:
    found = BodyLinks()
    pieces: list[str] = []
    for index in range(heading + 1, len(lines)):
        line = lines[index]
        match = _LISTED.match(line)
        if match and int(match.group(1)) == len(found.targets) + 1 and match.end() == len(line):
            if len(found.targets) >= MAX_LINKS:
                break
            if pieces:
                found.targets[-1] = "".join(pieces)
            pieces = [match.group(2)]
            found.targets.append(match.group(2))
            found.add(index, match.start(2), len(line), len(found.targets) - 1)
        elif pieces and line and " " not in line:
            pieces.append(line)  # the rest of a long target, cut by cells
            found.add(index, 0, len(line), len(found.targets) - 1)
        else:
            break  # the list ended (or was never one)
    if pieces:
        found.targets[-1] = "".join(pieces)
    return found


def _bare_links(lines: Sequence[str], width: int) -> BodyLinks:
    found = BodyLinks()
    numbers: dict[str, int] = {}
    index = 0
    while index < len(lines) and len(found.targets) < MAX_LINKS:
        line = lines[index]
        places: list[tuple[int, int, int]] = []  # (line, start, end) of each piece of one address
        for match in _BARE_URL.finditer(line):
            places = [(index, match.start(), match.end())]
            target = match.group(0)
            last = index
            # Folded at the pane's width: the address goes on at the start of the next line.
            while places[-1][2] == len(lines[last]) and cell_len(lines[last]) >= width and last + 1 < len(lines):
                rest = re.match(r"[^\s<>\"'()\[\]]+", lines[last + 1])
                if rest is None:
                    break
                last += 1
                places.append((last, 0, rest.end()))
                target += rest.group(0)
            target = target.rstrip(".,;:!?")
            number = numbers.setdefault(target, len(found.targets))
            if number == len(found.targets):
                found.targets.append(target)
            for line_index, start, end in places:
                found.add(line_index, start, end, number)
        index = places[-1][0] + 1 if places and places[-1][0] > index else index + 1
    return found
