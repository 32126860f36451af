"""Make server text safe to put on a terminal, and safe to use as a file name.

Every string that comes from Zoho (subjects, names, addresses, bodies,
attachment names, error details) passes through `clean` or `one_line` before
it reaches the screen. They remove what a terminal would act on instead of
show: C0 controls other than newline and tab, DEL, C1 controls, complete
escape sequences (CSI, OSC such as OSC 8 hyperlinks, DCS/SOS/PM/APC strings,
two-character ESC sequences) and any ESC left over, bidi embeddings,
overrides, isolates and marks (which can make text read backwards, e.g. an
"invoice\u202egnp.exe"), and lone surrogates (a terminal driver cannot encode
them). Carriage returns become newlines.

Markup is a separate danger with a separate rule: these functions leave `[`
and `]` alone, so never put their result into a Rich or Textual markup
string. Build `rich.text.Text(clean(s))` (or `Text.assemble`/`append` with a
style argument) instead: a Text is shown literally, so a subject
`[@click=app.quit]x[/]` reads exactly as typed and does nothing when clicked.
"""

from __future__ import annotations

import re

# One pass removes everything a terminal would interpret. Bodies of the string
# sequences exclude ESC and every C1 code, so an unterminated one can never
# make the scan quadratic; only complete sequences are removed, the ESC of a
# broken one is removed by the last alternatives. An 8-bit introducer (\x9b
# CSI, \x9d OSC...) goes alone, not with the text after it: in server text it
# is nearly always a mis-decoded Windows-1252 character ("›" is 0x9b), and
# the words that follow are the sender's.
_UNSAFE = re.compile(
    r"""
      \x1b\[ [\x30-\x3f]* [\x20-\x2f]* [\x40-\x7e]          # CSI: colours, cursor moves, ...
    | \x1b[\]PX^_]                                          # OSC, DCS, SOS, PM, APC
      [^\x07\x1b\x80-\x9f]* (?:\x07|\x1b\\|\x9c)            #   ... up to BEL or ST
    | \x1b [\x20-\x2f]* [\x30-\x7e]                         # two-character (and nF) ESC sequences
    | [\x00-\x08\x0b-\x1f\x7f-\x9f]                         # C0 but \t \n, DEL, C1 (8-bit CSI too), lone ESC
    | [\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]        # bidi marks, embeddings, overrides, isolates
    | [\ud800-\udfff]                                       # lone surrogates
    """,
    re.VERBOSE,
)
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029]")
_WHITESPACE_RUN = re.compile(r"\s+")


def clean(text: str | None) -> str:
    """`text` with nothing a terminal would act on; newlines and tabs kept. None -> ""."""
    if not text:
        return ""
    if "\r" in text or "\u2028" in text or "\u2029" in text:
        text = _LINE_BREAKS.sub("\n", text)
    return _UNSAFE.sub("", text)


def one_line(text: str | None) -> str:
    """`clean(text)` on one line: every run of whitespace (newlines too) becomes one space."""
    return _WHITESPACE_RUN.sub(" ", clean(text)).strip()
