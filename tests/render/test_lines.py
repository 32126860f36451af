"""The pane's body lines: exactly what Rich's folding wrap of the whole text gave, without wrapping it again."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from rich.text import Text

from tui.render.detail import body_lines
from tui.render.html import LINKS_HEADING
from tui.render.lines import body_rows, body_start_rows, fit
from tui.sandbox.app import Sandbox
from tui.sandbox.data import CONTACT_HOSTILE, LEAD_MAIN
from tui.zoho.models import EmailDetail

NEWSLETTER = Path(__file__).with_name("newsletter.html").read_text(encoding="utf-8")
WIDTHS = (20, 37, 58, 78, 120)


def rich_lines(text: str, width: int) -> list[str]:
    """How the pane wrapped a body before: the whole text as one folding Text, rendered at `width`."""
    console = Console(width=width, file=io.StringIO(), force_terminal=True, color_system="truecolor",
                      legacy_windows=False)
    options = console.options.update(width=width, highlight=False)
    rendered = console.render_lines(Text(text, overflow="fold", end=""), options, pad=False)
    return ["".join(segment.text for segment in line) for line in rendered]


EDGES = [
    "",
    "\n",
    "one line",
    "ends with a newline\n",
    "ends with two\n\n",
    "\n\nstarts with two",
    "a\ttab\tor two\tand\tmore text after the tabs to wrap it somewhere",
    "x" * 200,
    "https://example.com/" + "long-path/" * 30 + "?q=1",
    "日本語のテキストは一文字が二つのセルを使います。" * 6,
    "emoji 🎉🎉🎉 and combining e\u0301 marks " * 8,
    "trailing spaces    \nand   inner   spaces   " * 5,
    " leading space and a word that is far too long to fit: " + "a" * 90,
    "اللغة العربية من اليمين إلى اليسار " * 6,
]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("text", EDGES, ids=range(len(EDGES)))
def test_fit_is_what_rich_rendered(text: str, width: int) -> None:
    assert fit(text, width) == rich_lines(text, width)


def sandbox_bodies() -> list[EmailDetail]:
    sandbox = Sandbox()
    token = sandbox.mint_access_token()
    details = []
    for module, record_id in (LEAD_MAIN, CONTACT_HOSTILE):
        mailbox = sandbox.data.mailbox(sandbox.data.record(module, record_id))
        for n in range(min(mailbox.total, 40)):
            if module == LEAD_MAIN[0] and record_id == LEAD_MAIN[1] and n == 4:
                continue  # the 2 MB newsletter: below, on its own
            raw = mailbox.detail(n)
            details.append(EmailDetail.parse(raw, mailbox.message_id(n)))
    assert token
    return details


@pytest.mark.parametrize("width", (40, 78, 93))
def test_every_demo_body_is_as_rich_wrapped_it(width: int) -> None:
    for detail in [*sandbox_bodies(), EmailDetail("n", mail_format="html", content=NEWSLETTER)]:
        assert body_rows(detail, width) == rich_lines(body_lines(detail, width), width), detail.message_id


def test_the_start_of_a_big_body_is_how_the_whole_starts() -> None:
    content = NEWSLETTER * 20
    detail = EmailDetail("n", mail_format="html", content=content)
    whole = body_rows(detail, 70)
    start = body_start_rows(detail, 70, 8_000)
    assert 20 < len(start) < len(whole) / 10
    assert whole[: len(start)] == start
    assert LINKS_HEADING not in start and start[-1].strip()


def test_a_short_body_starts_as_it_is_whole() -> None:
    detail = EmailDetail("n", mail_format="html", content=NEWSLETTER)
    assert body_start_rows(detail, 70, len(NEWSLETTER)) == body_rows(detail, 70)
