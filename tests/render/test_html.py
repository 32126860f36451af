"""HTML bodies read as clean text: links numbered below, images as alt text, nothing hidden shown, nothing fetched."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest

from tui.render import html as html_module
from tui.render.html import LINKS_HEADING, NO_BODY, body_text, html_to_text, looks_like_html
from tui.zoho.models import EmailDetail

NEWSLETTER = (Path(__file__).parent / "newsletter.html").read_text(encoding="utf-8")


def links_of(text: str) -> dict[int, str]:
    """The numbered list under the text: {1: "https://...", ...}."""
    body, heading, listed = text.partition(f"\n{LINKS_HEADING}\n")
    assert heading, "no link list"
    return {int(m[1]): m[2] for m in re.finditer(r"^\[(\d+)\] (\S+)$", listed, re.MULTILINE)}


def text_before_links(text: str) -> str:
    return text.partition(f"\n{LINKS_HEADING}\n")[0]


@pytest.fixture(scope="module")
def newsletter() -> str:
    return html_to_text(NEWSLETTER, width=72)


def test_newsletter_text_reads_in_order(newsletter: str) -> None:
    lines = [line for line in text_before_links(newsletter).splitlines() if line]
    joined = "\n".join(lines)
    order = ["Hello Ada,", "This month the Difference Engine team", "Faster punch-card reader",
             "Punch cards", "Cards, restocked", "Order before Friday.", "שלום עולם", "Unsubscribe"]
    positions = [joined.find(part) for part in order]
    assert -1 not in positions, positions
    assert positions == sorted(positions)


def test_links_become_numbered_references_listed_below(newsletter: str) -> None:
    body = text_before_links(newsletter)
    links = links_of(newsletter)
    assert "[the\nfull story on our blog][3]" in body or "[the full story on our blog][3]" in body
    assert links[3] == "https://engines.example.com/blog/november"
    assert links[4] == "mailto:support@engines.example.com"
    assert "[Unsubscribe][7]" in body
    assert links[7] == "https://engines.example.com/unsubscribe?u=1"
    # Entities in the href are decoded; every number used in the text is listed.
    assert links[1] == "https://engines.example.com/?utm_source=newsletter&utm_medium=email"
    used = {int(n) for n in re.findall(r"\]\[(\d+)\]", body)}
    assert used == set(links) == set(range(1, len(links) + 1))
    # No inline Markdown link syntax.
    assert "](http" not in newsletter


def test_the_same_link_twice_gets_one_number(newsletter: str) -> None:
    body = text_before_links(newsletter)
    assert "[New punch cards][5]" in body
    assert "[Shop now][5]" in body
    assert list(links_of(newsletter).values()).count("https://engines.example.com/shop/cards") == 1


def test_internal_anchors_are_not_listed(newsletter: str) -> None:
    assert "Back to top" in newsletter
    assert "#top" not in newsletter


def test_images_become_their_alt_text(newsletter: str) -> None:
    body = text_before_links(newsletter)
    assert "[Analytical Engines][1]" in body
    assert "[New punch cards][5]" in body
    assert "[image][6]" in body  # a linked image without alt still shows there is a link
    assert "cdn.example.com" not in newsletter and "track.example.com" not in newsletter
    assert "![" not in newsletter


def test_head_style_script_and_hidden_preheader_are_dropped(newsletter: str) -> None:
    for hidden in ("The Engine Room", "margin: 0", "@media", "border-collapse", "SCRIPT TEXT",
                   "PREHEADER", "Punch cards are back in stock", "\u034f", "\u200c"):
        assert hidden not in newsletter


def test_layout_tables_leave_no_table_markup(newsletter: str) -> None:
    assert "|---" not in newsletter and "---|" not in newsletter
    assert not re.search(r"^\s*\|", newsletter, re.MULTILINE)
    # A data table still reads row by row, its cells apart.
    assert "Item  Qty  Price\nPunch cards  200  $10.00\nBrass gears  12  $99.50" in newsletter
    assert "[Analytical Engines][1]  [View in browser][2]" in newsletter


def test_no_markdown_escaping_or_emphasis_noise(newsletter: str) -> None:
    assert "2026. A year of gears & levers — © Analytical Engines Ltd." in newsletter
    assert "\n- Not a bullet, just a dash." in newsletter
    assert "\n+ Not a plus list either." in newsletter
    assert "\\" not in newsletter
    assert "**" not in newsletter and "_three_" not in newsletter
    assert "shipped three upgrades" in newsletter.replace("\n", " ")


def test_rtl_text_and_emoji_are_kept(newsletter: str) -> None:
    assert "שלום עולם — مرحبا بالعالم" in newsletter
    assert "👩\u200d💻🚀 ☕" in newsletter


def test_text_is_wrapped_at_the_width_and_tidy(newsletter: str) -> None:
    body = text_before_links(newsletter)
    for line in body.splitlines():
        assert len(line) <= 72 or " " not in line.strip(), line
    assert "\n\n\n" not in newsletter
    assert not re.search(r"[ \t\u00a0]+$", newsletter, re.MULTILINE)
    assert newsletter == newsletter.strip()


def test_width_changes_the_wrapping() -> None:
    paragraph = "<p>" + " ".join(["word"] * 60) + "</p>"
    assert max(len(line) for line in html_to_text(paragraph, width=40).splitlines()) <= 40
    assert len(html_to_text(paragraph, width=0).splitlines()) == 1  # 0 = no wrapping
    assert max(len(line) for line in html_to_text(paragraph, width=5).splitlines()) <= 20  # floor


def test_link_targets_stay_whole_however_long() -> None:
    url = "https://example.com/" + "a" * 150 + "?x=1"
    text = html_to_text(f'<p>See <a href="{url}">this</a>.</p>', width=40)
    assert links_of(text) == {1: url}


def test_each_conversion_numbers_its_links_from_one() -> None:
    page = '<a href="https://a.example/">a</a>'
    assert html_to_text(page) == html_to_text(page) == f"[a][1]\n\n{LINKS_HEADING}\n[1] https://a.example/"


def test_a_link_whose_text_is_its_url_is_shown_once() -> None:
    text = html_to_text('<p><a href="https://a.example/x">https://a.example/x</a></p>')
    assert text == "<https://a.example/x>"


@pytest.mark.parametrize(
    ("html", "visible", "invisible"),
    [
        ('<p>a</p><span style="display: none !important">secret</span><p>b</p>', ["a", "b"], ["secret"]),
        ('<p>a</p><div style="visibility:hidden">secret</div>', ["a"], ["secret"]),
        ('<p>a</p><div style="opacity:0;">secret</div>', ["a"], ["secret"]),
        ('<p>a</p><div style="max-height:0px;overflow:hidden">secret</div>', ["a"], ["secret"]),
        ('<p>a</p><div hidden>secret</div>', ["a"], ["secret"]),
        ('<div style="display:none"><div>in</div><div>nested</div></div><p>after</p>', ["after"], ["in", "nested"]),
        ('<p>a</p><div style="display:none"><a href="https://hidden.example/">x</a></div>', ["a"],
         ["hidden.example", LINKS_HEADING]),
        ('<p>a</p><img style="display:none" alt="secret" src="x.png"><p>b</p>', ["a", "b"], ["secret"]),
        ('<p>a</p><div style="opacity:0.5">half</div>', ["a", "half"], []),
        ('<p>a</p><div style="max-height:0">no overflow rule</div>', ["no overflow rule"], []),
        ('<html><title>Title</title><p>body</p></html>', ["body"], ["Title"]),
    ],
)
def test_hidden_elements_are_dropped(html: str, visible: list[str], invisible: list[str]) -> None:
    text = html_to_text(html)
    for part in visible:
        assert part in text
    for part in invisible:
        assert part not in text


def test_a_hidden_element_that_never_closes_hides_nothing() -> None:
    text = html_to_text('<p>before</p><div style="display:none">preheader<p>the whole rest of the email</p>')
    assert "before" in text and "the whole rest of the email" in text


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>unclosed <b>bold <i>italic", "unclosed bold italic"),
        ("</div></td></tr>stray end tags<p>ok", "stray end tags"),
        ("<table><tr><td>cell<td>cell two</table>after", "after"),
        ('<a href="https://x.example/>broken quote</a><p>later</p>', "later"),
        ("<p>a</p><![foo[ unknown marked section <p>b</p>", "b"),
        ("<p>a</p><!-- a comment that never closes", "a comment that never closes"),
        ("<p>text</p><!DOCTYPE", "text"),
        ("<p>R&#D and Q&#A &#xZZ; & co</p>" * 4 + "<p><b>still parsed</b></p>", "still parsed"),
        ("<p>amp &amp; lt &lt;tag&gt; nbsp&nbsp;here &unknown; &#128640;</p>", "amp & lt <tag> nbsp\u00a0here &unknown; 🚀"),
        ("plain text, no tags at all", "plain text, no tags at all"),
        ("<<<>>> <> </> <!>", ">"),
    ],
)
def test_malformed_html_still_gives_its_text(html: str, expected: str, assert_terminal_safe) -> None:
    text = html_to_text(html)
    assert expected in text
    assert "<b>" not in text and "<p>" not in text
    assert_terminal_safe(text)


HOSTILE_MARKUP = {
    "lone <": "<" * 5000,
    "end tag openers": "</" * 5000,
    "unclosed comments": "<!--" * 5000,
    "unknown marked sections": "<![foo[" * 5000,
    "processing instructions": "<?xml " * 5000,
    "unclosed start tags": "<a " * 5000 + ">",
    "deep nesting": "<div>" * 5000 + "deep" + "</div>" * 5000,
    "broken charrefs": "&#" * 5000,
    "nested scripts": "<script>" * 1000,
}


@pytest.mark.parametrize("hostile", HOSTILE_MARKUP.values(), ids=HOSTILE_MARKUP.keys())
def test_hostile_markup_converts_without_error(hostile: str, assert_terminal_safe) -> None:
    assert_terminal_safe(html_to_text(hostile))


def test_when_the_parser_fails_the_tags_are_stripped_crudely(monkeypatch) -> None:
    def fail(self, html):
        raise AssertionError("unknown status keyword in marked section")

    monkeypatch.setattr(html_module._ReadingConverter, "convert", fail)
    text = html_to_text(
        "<html><head><style>p{color:red}</style><title>T</title></head>"
        "<body><!-- note --><p>First &amp; foremost</p><div>Second\x1b[31m line</div><script>x()</script></body></html>"
    )
    assert text == "First & foremost\n\nSecond line"


def test_a_document_with_only_a_head_falls_back_to_its_visible_text() -> None:
    # An unclosed <head> keeps html2text quiet to the end; the crude path still finds the words.
    assert html_to_text("<head><p>Only words</p>") == "Only words"


def test_control_characters_and_escape_sequences_in_html_are_removed(assert_terminal_safe) -> None:
    html = (
        "<p>\x1b[31mred\x1b[0m &#27;[2J &#x1b;]8;;https://evil/&#7;link &#8238;txt.exe &#x202E; "
        "\x9b1m \x85 &#133; &#0; \x00 \u2066iso\u2069</p><p>[@click=app.quit]x[/] [b]b[/b]</p>"
    )
    text = html_to_text(html)
    assert_terminal_safe(text)
    assert "red" in text and "link" in text and "txt.exe" in text and "iso" in text
    assert "[@click=app.quit]x[/] [b]b[/b]" in text  # markup characters are plain text


def test_a_link_target_cannot_smuggle_escape_sequences(assert_terminal_safe) -> None:
    text = html_to_text('<a href="https://x.example/\x1b]8;;evil\x07\n\tpath">go</a>')
    assert_terminal_safe(text)
    assert links_of(text) == {1: "https://x.example/path"}


def test_spaces_in_a_link_target_are_escaped_as_a_browser_would() -> None:
    assert links_of(html_to_text('<a href=" https://x.example/a b ">go</a>')) == {1: "https://x.example/a%20b"}


def test_nothing_is_fetched(monkeypatch) -> None:
    def no_network(*args, **kwargs):
        raise AssertionError("html_to_text tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    text = html_to_text(
        NEWSLETTER + '<img src="http://127.0.0.1:9/pixel.gif"><iframe src="http://127.0.0.1:9/"></iframe>'
        '<link rel="stylesheet" href="http://127.0.0.1:9/x.css"><base href="http://127.0.0.1:9/">'
    )
    assert "Hello Ada," in text


def test_relative_links_are_listed_as_written() -> None:
    assert links_of(html_to_text('<a href="/unsubscribe">u</a>')) == {1: "/unsubscribe"}


def test_empty_html_gives_empty_text() -> None:
    assert html_to_text("") == ""
    assert html_to_text(None) == ""
    assert html_to_text("<html><head><style>x{}</style></head><body></body></html>") == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<!DOCTYPE html><p>x", True),
        ("<html><body>hi</body></html>", True),
        ("  <BODY style='x'>hi", True),
        ("<div>one</div><div>two</div><br>", True),
        ('<p>a</p><a href="x">b</a>', True),
        ("Hi Ada,\n\nSee you at 5 <3\n", False),
        ("Use the <br> tag for a line break.", False),
        ("x < y and y > z", False),
        ("<john@example.com> wrote:", False),
        ("", False),
        (None, False),
    ],
)
def test_looks_like_html(text: str | None, expected: bool) -> None:
    assert looks_like_html(text) is expected


def detail(content: str | None, mail_format: str | None) -> EmailDetail:
    return EmailDetail(message_id="m1", content=content, mail_format=mail_format)


def test_body_text_converts_html() -> None:
    assert body_text(detail("<p>Hello <b>Ada</b></p><p>Bye</p>", "html"), 78) == "Hello Ada\n\nBye"


def test_a_missing_format_is_taken_as_html() -> None:
    assert body_text(detail("<p>Hello</p>", None)) == "Hello"


def test_body_text_keeps_plain_text_as_written() -> None:
    content = "Hi Ada,\r\n\r\n  Indented line\n\tTabbed\x1b[31m line\n> quoted <b>not html</b>\n\n\n"
    assert body_text(detail(content, "text"), 20) == (
        "Hi Ada,\n\n  Indented line\n        Tabbed line\n> quoted <b>not html</b>"
    )


def test_a_text_body_that_is_really_html_is_converted() -> None:
    content = "<html><body><p>Really <i>HTML</i></p></body></html>"
    assert body_text(detail(content, "text")) == "Really HTML"


def test_an_html_body_without_tags_keeps_its_lines() -> None:
    assert body_text(detail("Line one\nLine two &amp; more", "html")) == "Line one\nLine two & more"


@pytest.mark.parametrize("content", [None, "", "   \n\t", "<html><body> </body></html>", "\x1b[31m"])
def test_an_empty_body_says_so(content: str | None) -> None:
    assert body_text(detail(content, "html")) == NO_BODY
    assert body_text(detail(content, "text")) == NO_BODY


def test_headings_read_as_plain_lines_not_markdown():
    text = html_to_text("<h1>Quarterly update</h1><p>Body</p><h3>Details</h3><p>#1 is not a heading</p>")
    assert text.splitlines()[0] == "Quarterly update"
    assert "Details" in text.splitlines()
    assert "#" not in text.replace("#1 is", "")
    assert "#1 is not a heading" in text
