"""Email bodies as plain text for the detail pane.

HTML goes through html2text, set up for reading rather than for Markdown:
links become numbered references listed under the text, images become their
alt text, elements hidden from the reader (a preheader with
`display:none`, `<title>`) are dropped like `<head>`, `<style>` and
`<script>`, layout tables become plain lines, and nothing is escaped.
Nothing is ever fetched: html2text only parses the string it is given.
Conversion of a large newsletter takes a noticeable time: call it from a
thread worker, never on the UI thread.
"""

from __future__ import annotations

import html as html_entities
import re
from typing import Any

import html2text

from tui.render.body_links import LINKS_HEADING
from tui.render.safe import clean
from tui.zoho.models import EmailDetail

NO_BODY = "(no body)"
_MIN_WIDTH = 20
_TAB_SIZE = 8

_HIDING_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|opacity\s*:\s*0(?:\.0*)?\s*(?:;|!|$)", re.IGNORECASE
)
_ZERO_HEIGHT = re.compile(r"max-height\s*:\s*0(?:px)?\s*(?:;|!|$)", re.IGNORECASE)
_OVERFLOW_HIDDEN = re.compile(r"overflow\s*:\s*hidden", re.IGNORECASE)
_ALWAYS_HIDDEN_TAGS = frozenset({"title"})
# A cell that opens with a block starts on its own line: no gap before its text.
_BLOCK_TAGS_IN_CELLS = frozenset(
    {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "hr", "br", "dl"}
)
_VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
# html2text writes this for &nbsp; and swaps it for the character at the end.
_NBSP_PLACEHOLDER = "&nbsp_place_holder;"
_NO_TITLE = object()
_COMMENT_CLOSE = re.compile(r"--!?\s*>")
_MARKED_SECTION_CLOSE = re.compile(r"\]\s*>")
_BROKEN_CHARREF = re.compile(r"&#(?![0-9]|[xX][0-9a-fA-F])")
_URL_BREAKS = re.compile(r"[\t\n]")
_BLANK_LINES = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[^\S\n]+$", re.MULTILINE)


def _is_hidden(tag: str, attrs: dict[str, str | None]) -> bool:
    if tag in _ALWAYS_HIDDEN_TAGS or "hidden" in attrs:
        return True
    style = attrs.get("style")
    if not style:
        return False
    lowered = style.lower()
    # Every way of hiding below says one of these: most styles say none, and skip the patterns.
    if "none" not in lowered and "hidden" not in lowered and "opacity" not in lowered:
        return False
    return bool(_HIDING_STYLE.search(style)) or bool(
        _ZERO_HEIGHT.search(style) and _OVERFLOW_HIDDEN.search(style)
    )


class _ReadingConverter(html2text.HTML2Text):
    """html2text tuned to produce text to read; one instance per document."""

    def __init__(self, width: int, *, drop_hidden: bool) -> None:
        super().__init__(bodywidth=width)
        self.inline_links = False
        self.images_to_alt = True
        self.unicode_snob = True
        self.escape_snob = False
        self.ignore_emphasis = True
        self.ignore_tables = True
        self.wrap_tables = True  # no Markdown tables are written: a " | " is just text
        self.skip_internal_links = True
        self.tag_callback = _ReadingConverter._on_tag
        self.drop_hidden = drop_hidden
        self.hidden_tag: str | None = None  # the element being dropped, with its nesting depth
        self.hidden_depth = 0
        self.cell_gap = False  # a second cell of a row started: separate its text from the first's
        self.rows_with_a_cell: list[bool] = []  # per open table: has its current row had a cell yet
        self.link_index: dict[tuple[str, Any], int] = {}

    def convert(self, html: str) -> tuple[str, list[str]]:
        """The text, and the link targets numbered from 1 that it refers to."""
        self.feed(html)
        self.feed("")
        self.close()
        links = [anchor.attrs.get("href") or "" for anchor in self.a]
        self.a = []  # the links are listed by html_to_text, compactly and unwrapped
        return self.optwrap(self.finish()), links

    @property
    def unclosed_hidden(self) -> bool:
        return self.hidden_tag is not None

    def _on_tag(self, tag: str, attrs: dict[str, str | None], start: bool) -> bool | None:
        """Called by html2text before it handles a tag; True means 'handled, skip it'."""
        if self.hidden_tag is not None:
            if tag == self.hidden_tag:
                self.hidden_depth += 1 if start else -1
                if self.hidden_depth == 0:
                    self.hidden_tag = None
                    self.quiet -= 1
            return True
        if start and self.drop_hidden and _is_hidden(tag, attrs):
            if tag not in _VOID_TAGS:
                self.hidden_tag, self.hidden_depth = tag, 1
                self.quiet += 1
            return True
        if tag == "img":
            if start:
                self._image(attrs)
            return True
        if tag in _BLOCK_TAGS_IN_CELLS:
            self.cell_gap = False
        elif tag in ("td", "th") and start and self.rows_with_a_cell:
            self.cell_gap = self.rows_with_a_cell[-1]
            self.rows_with_a_cell[-1] = True
        elif tag == "tr" and self.rows_with_a_cell:
            self.cell_gap = self.rows_with_a_cell[-1] = False
        elif tag == "table":
            self.cell_gap = False
            if start:
                self.soft_br()
                self.rows_with_a_cell.append(False)
            else:
                self.p()  # a blank line after a table, as after a paragraph
                if self.rows_with_a_cell:
                    self.rows_with_a_cell.pop()
        return None

    def _image(self, attrs: dict[str, str | None]) -> None:
        alt = " ".join((attrs.get("alt") or "").split())
        if not alt and self.maybe_automatic_link is not None:
            alt = "image"  # a linked image without alt text: still show that a link is there
        if alt:
            self.handle_data(alt)

    def handle_data(self, data: str, entity_char: bool = False) -> None:
        if self.cell_gap and data.strip() and data != _NBSP_PLACEHOLDER:
            self.cell_gap = False
            if not self.p_p and not self.lastWasNL and self.outcount and not self.quiet:
                self.space = False
                self.o("  ")
        # entity_char=True is html2text's way to skip Markdown escaping: text here is read, not rendered.
        super().handle_data(data, True)

    def previousIndex(self, attrs: dict[str, str | None]) -> int | None:  # noqa: N802 (html2text's name)
        """The number already given to this link, found in a dict (html2text's own scan is quadratic)."""
        if "href" not in attrs:
            return None
        for position in range(len(self.link_index), len(self.a)):
            known = self.a[position].attrs
            self.link_index.setdefault((known.get("href"), known.get("title", _NO_TITLE)), position)
        return self.link_index.get((attrs.get("href"), attrs.get("title", _NO_TITLE)))


def _defuse(html: str) -> str:
    """Escape the '<' of constructs that can never close, and '&#' that starts no character.

    Python 3.11's HTMLParser rescans to the end of the document for each
    unterminated comment, marked section or tag, which is quadratic (minutes
    on a hostile 1 MB body), and gives up parsing the rest of the document
    after a few stray '&#'. Escaped, they are shown as the text they are.
    """
    last = html.rfind(">")
    if "<" in html[last + 1 :]:
        html = html[: last + 1] + html[last + 1 :].replace("<", "&lt;")
    for opener, closer in (("<!--", _COMMENT_CLOSE), ("<![", _MARKED_SECTION_CLOSE)):
        after = _end_of_last(closer, html)
        if opener in html[after:]:
            html = html[:after] + html[after:].replace(opener, "&lt;" + opener[1:])
    return _BROKEN_CHARREF.sub("&amp;#", html)


def _end_of_last(pattern: re.Pattern[str], text: str) -> int:
    end = 0
    for match in pattern.finditer(text):
        end = match.end()
    return end


def html_to_text(html: str | None, width: int = 78) -> str:
    """Readable text of an HTML body, wrapped at `width` (0 = no wrapping), links listed below."""
    if not html:
        return ""
    wrap = max(width, _MIN_WIDTH) if width > 0 else 0
    html = _defuse(html)
    try:
        converter = _ReadingConverter(wrap, drop_hidden=True)
        text, links = converter.convert(html)
        if converter.unclosed_hidden:
            # A hidden element that never closes would hide the rest of the email: show it all instead.
            text, links = _ReadingConverter(wrap, drop_hidden=False).convert(html)
        # html2text marks headings the Markdown way ("## Title"); in a mail reader that is noise.
        text = _HEADING_MARK.sub("", text)
    except Exception:  # html2text and HTMLParser raise on some malformed input
        text, links = _strip_tags(html), []
    text = _tidy(text)
    if not text.strip():
        text = _tidy(_strip_tags(html))
        links = []
    if links:
        listed = "\n".join(f"[{n}] {_link_target(href)}" for n, href in enumerate(links, 1))
        text = f"{text}\n\n{LINKS_HEADING}\n{listed}" if text else f"{LINKS_HEADING}\n{listed}"
    return clean(text)


_HEADING_MARK = re.compile(r"^#{1,6} ", re.MULTILINE)


def _link_target(href: str) -> str:
    """The href as a browser would read it: tabs and newlines dropped, spaces escaped."""
    return _URL_BREAKS.sub("", clean(href)).strip().replace(" ", "%20")


def _tidy(text: str) -> str:
    text = _TRAILING_SPACE.sub("", text)
    return _BLANK_LINES.sub("\n\n", text).strip("\n")


_INVISIBLE_BLOCKS = re.compile(
    r"<!--.*?(?:-->|$)|<(script|style|title)\b[^>]*>.*?(?:</\1\s*>|$)", re.IGNORECASE | re.DOTALL
)
_BLOCK_TAGS = re.compile(r"<\s*/?\s*(?:br|p|div|tr|li|h[1-6]|table|blockquote|hr)\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]*>")
_SOME_MARKUP = re.compile(r"<[a-zA-Z!/?][^<>]*>")
_SPACES = re.compile(r"[^\S\n]+")


def _strip_tags(html: str) -> str:
    """The crude fallback when the parser gives up: text between the tags, entities decoded."""
    text = _INVISIBLE_BLOCKS.sub("", html)
    text = _BLOCK_TAGS.sub("\n", text)
    text = html_entities.unescape(_ANY_TAG.sub("", text))
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.splitlines())


_HTML_DOCUMENT = re.compile(r"<!doctype\s+html|<html[\s>]|<body[\s>]|<head[\s>]", re.IGNORECASE)
_HTML_TAG = re.compile(
    r"</?(?:a|b|i|u|p|br|hr|div|span|font|table|tbody|thead|tr|td|th|img|ul|ol|li|h[1-6]|strong|em|"
    r"blockquote|pre|center|style|meta)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
_TAGS_THAT_MAKE_HTML = 3


def looks_like_html(text: str | None) -> bool:
    """Whether `text` is HTML whatever its declared format: a document tag or a few common tags."""
    if not text:
        return False
    if _HTML_DOCUMENT.search(text):
        return True
    found = 0
    for _ in _HTML_TAG.finditer(text):
        found += 1
        if found >= _TAGS_THAT_MAKE_HTML:
            return True
    return False


def body_text(detail: EmailDetail, width: int = 78) -> str:
    """The body to show: HTML converted, plain text as written (cleaned, tabs expanded).

    `mail_format` is a hint, not the truth: a "text" body that looks like HTML
    is converted, and an "html" body without a single tag is shown as its
    lines (entities decoded) rather than run together into one paragraph.
    """
    content = detail.content
    if not content or not content.strip():
        return NO_BODY
    if detail.is_html:
        if _SOME_MARKUP.search(content):
            return html_to_text(content, width) or NO_BODY
        content = html_entities.unescape(content)
    elif looks_like_html(content):
        return html_to_text(content, width) or NO_BODY
    return clean(content).expandtabs(_TAB_SIZE).rstrip().lstrip("\n") or NO_BODY
