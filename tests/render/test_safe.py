"""Server text reaches the terminal literally: no markup, no control character, no escape sequence."""

from __future__ import annotations

import random

import pytest
from rich.console import Console
from rich.text import Text

from tui.render.safe import clean, one_line

@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\x1b[31mred\x1b[0m", "red"),  # SGR colours
        ("a\x1b[2J\x1b[Hb", "ab"),  # clear screen, cursor home
        ("\x1b[?1049hx\x1b[?25l", "x"),  # private-mode CSI
        ("\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07", "click"),  # OSC 8 hyperlink, BEL-terminated
        ("\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\", "click"),  # OSC 8, ST-terminated
        ("\x1b]0;pwned title\x07after", "after"),  # window title
        ("\x1b]52;c;ZXZpbA==\x07after", "after"),  # clipboard write
        ("\x1bPq#0;2;0;0;0\x1b\\after", "after"),  # DCS (sixel)
        ("\x1b_Gf=100;AAAA\x1b\\after", "after"),  # APC (kitty graphics)
        ("\x1b^privacy\x1b\\after", "after"),  # PM
        ("\x1bXsos\x1b\\after", "after"),  # SOS
        ("\x1b(0x\x1b(B", "x"),  # charset designation
        ("\x1b7x\x1b8\x1bc", "x"),  # two-character sequences
        ("lone \x1b", "lone "),  # lone ESC
        ("\x9b31mred", "31mred"),  # 8-bit CSI: the introducer alone (see below)
        ("\x9d0;title\x9cafter", "0;titleafter"),  # 8-bit OSC ... ST
        ("Read more \x9b", "Read more "),  # "›" mis-decoded from Windows-1252
        ("Next \x9b Page", "Next  Page"),  # ... the words after it are kept
        ("a\x85b\x8dc\x9fd", "abcd"),  # C1 controls
        ("a\x00b\x07c\x08d\x0be\x0cf\x7fg", "abcdefg"),  # C0 and DEL
        ("\u202egnp.exe", "gnp.exe"),  # right-to-left override
        ("a\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069b", "ab"),  # embeddings and isolates
        ("a\u200e\u200f\u061cb", "ab"),  # bidi marks
        ("one\r\ntwo\rthree\nfour", "one\ntwo\nthree\nfour"),
        ("line\u2028sep\u2029para", "line\nsep\npara"),
        ("keep\ttabs\nand newlines", "keep\ttabs\nand newlines"),
        ("bad \ud800 surrogate", "bad  surrogate"),
    ],
)
def test_clean_removes_what_a_terminal_would_act_on(raw: str, expected: str) -> None:
    assert clean(raw) == expected


def test_an_unterminated_string_sequence_loses_its_introducer_and_keeps_its_text() -> None:
    assert clean("\x1b]8;;https://x no end") == "8;;https://x no end"


@pytest.mark.parametrize(
    "text",
    [
        "שלום עולם",  # Hebrew
        "مرحبا بالعالم",  # Arabic
        "فارسی\u200cنویسی",  # Persian with a zero-width non-joiner
        "👩\u200d💻 🇫🇷 👍🏽 🚀",  # ZWJ sequence, flag, skin tone
        "e\u0301 café naïve",  # combining accent
        "日本語のメール",
        "[@click=app.quit]x[/]",
        "[b]bold[/b] [link=https://x]y[/link]",
        "C:\\path\\to\\file",
    ],
)
def test_clean_keeps_ordinary_text_intact(text: str) -> None:
    assert clean(text) == text


def test_none_and_empty_give_empty_strings() -> None:
    assert clean(None) == ""
    assert clean("") == ""
    assert one_line(None) == ""


def test_clean_on_random_mixes_never_leaves_anything_unsafe(assert_terminal_safe) -> None:
    rng = random.Random(7)
    pieces = ["\x1b", "[", "]", "31m", "\x07", "\\", "P", "_", "8;;", "\x9b", "\x9c", "\x9d", "\x85",
              "\u202e", "\u2066", "\r", "\n", "\t", "a", "é", "🚀", "\x00", "\x7f", ";", "?"]
    for _ in range(500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 40)))
        assert_terminal_safe(clean(text))
        assert_terminal_safe(one_line(text))


def test_a_two_megabyte_string_is_cleaned_whole() -> None:
    unit = "Newsletter line — שלום 🚀 \x1b[1mbold\x1b[0m\r\n"
    text = unit * (2_000_000 // len(unit))
    expected = "Newsletter line — שלום 🚀 bold\n" * (2_000_000 // len(unit))
    cleaned = clean(text)
    # Compared by hand: pytest's diff of two 2 MB strings would take minutes.
    first_difference = next((i for i, (a, b) in enumerate(zip(cleaned, expected)) if a != b), None)
    assert first_difference is None and len(cleaned) == len(expected), f"differs at {first_difference}"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Re:\n\n  your   order\t#42 \r\n", "Re: your order #42"),
        ("\x1b[31mAlert\x1b[0m\nnext", "Alert next"),
        ("a\u00a0\u2003b", "a b"),
        ("[@click=app.quit]x[/]", "[@click=app.quit]x[/]"),
    ],
)
def test_one_line_collapses_whitespace_after_cleaning(raw: str, expected: str) -> None:
    assert one_line(raw) == expected


@pytest.mark.parametrize("subject", ["[@click=app.quit]x[/]", "[b]bold[/b]", "[red]x[/red] [/]"])
def test_markup_in_a_subject_is_shown_as_typed_through_text(subject: str) -> None:
    """The documented rule: Text(clean(s)), never a markup string, shows the brackets literally."""
    text = Text(clean(subject))
    assert text.plain == subject
    assert not text.spans
    console = Console(width=80, color_system=None, record=True)
    console.print(text)
    assert console.export_text().rstrip("\n") == subject
