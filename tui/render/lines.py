"""An email's body as the lines the detail pane shows: plain strings that fit its width.

html2text already wraps at the width it is given, so most lines fit as they are and
are kept as they are; only a line that does not fit (a long URL, a word wider than
the pane, CJK text counted by characters rather than cells) or holds a tab goes
through Rich's wrapping, line by line. The lines are exactly those
`Text(body, overflow="fold")` renders at that width, at a fraction of the cost (Rich's
wrapping of a 2 MB newsletter's text took longer than converting it).

No Textual here: the pane converts big bodies in another process with these.
"""

from __future__ import annotations

import io
import re

import msgspec
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from tui.render.detail import body_lines
from tui.render.html import LINKS_HEADING
from tui.zoho.models import EmailDetail

_TAB_SIZE = 8  # Rich's, which expanded the body's tabs before
# Where a block of HTML ends: a first part cut after one holds whole paragraphs.
_BLOCK_END = re.compile(r"</(?:p|div|tr|td|th|table|li|ul|ol|h[1-6]|blockquote|pre|center)\s*>|<br\s*/?>", re.IGNORECASE)


def fit(text: str, width: int) -> list[str]:
    """`text` as lines of at most `width` cells, as `Text(text, overflow="fold")` renders them."""
    pieces = text.split("\n")
    if len(pieces) > 1 and not pieces[-1]:
        pieces.pop()  # a last newline ends the last line; it does not start another
    lines: list[str] = []
    console: Console | None = None
    for piece in pieces:
        if piece.isascii() and piece.isprintable():
            fits = len(piece) <= width  # as wide as it is long (cell_len finds the same, 10x slower)
        else:
            fits = "\t" not in piece and cell_len(piece) <= width
        if fits:
            lines.append(piece)
            continue
        if console is None:
            console = Console(width=width, file=io.StringIO(), force_terminal=True, legacy_windows=False)
        wrapped = Text(piece, overflow="fold", end="").wrap(console, width, overflow="fold", tab_size=_TAB_SIZE)
        lines.extend(line.plain for line in wrapped)
    return lines


def body_rows(detail: EmailDetail, width: int) -> list[str]:
    """The body converted (HTML through html2text) as the pane's lines. Slow for big HTML: off the UI thread."""
    return fit(body_lines(detail, width), width)


def body_start_rows(detail: EmailDetail, width: int, length: int) -> list[str]:
    """The pane's first lines of a big body, from its first `length` characters alone (quick to convert).

    Only whole paragraphs are kept (the cut may fall inside one, or inside a tag), and not
    the links list of the part: what is returned is how the whole body starts.
    """
    content = detail.content or ""
    if len(content) <= length:
        return body_rows(detail, width)
    cut = length
    for match in _BLOCK_END.finditer(content, 0, length):
        cut = match.end()
    lines = body_rows(msgspec.structs.replace(detail, content=content[:cut]), width)
    if LINKS_HEADING in lines:
        lines = lines[: len(lines) - lines[::-1].index(LINKS_HEADING) - 1]
    while lines and lines[-1].strip():
        lines.pop()  # the paragraph the cut fell in
    while lines and not lines[-1].strip():
        lines.pop()
    return lines
