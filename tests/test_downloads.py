"""Attachment file names: one path component, never hidden, never empty, nothing a terminal acts on."""

from __future__ import annotations

import random

import pytest

from tui.downloads import MAX_FILENAME_BYTES, PartFile, attachment_fallback, safe_filename


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("report.pdf", "report.pdf"),
        ("Quarterly report 2026.xlsx", "Quarterly report 2026.xlsx"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\System32\\evil.exe", "evil.exe"),
        ("C:\\Users\\ada\\notes.txt", "notes.txt"),
        ("/absolute/path/file.txt", "file.txt"),
        ("folder/", "folder"),
        ("/", "attachment"),
        ("..", "attachment"),
        ("...", "attachment"),
        ("../..", "attachment"),
        ("", "attachment"),
        ("   ", "attachment"),
        (None, "attachment"),
        ("\x00\x1b[31m", "attachment"),
        (".bashrc", "bashrc"),
        ("..hidden..txt", "hidden.txt"),
        ("-rf", "rf"),
        ("--help.txt", "help.txt"),
        ("report..final.pdf", "report.final.pdf"),
        ("trailing dots...", "trailing dots"),
        ("trailing space.txt  ", "trailing space.txt"),
        ('a<b>c:d"e|f?g*h.txt', "a_b_c_d_e_f_g_h.txt"),
        ("CON", "_CON"),
        ("con.txt", "_con.txt"),
        ("NUL.tar.gz", "_NUL.tar.gz"),
        ("com1", "_com1"),
        ("LPT9.log", "_LPT9.log"),
        ("CONSOLE.txt", "CONSOLE.txt"),
        ("invoice\u202egnp.exe", "invoicegnp.exe"),
        ("line\nbreak.txt", "line break.txt"),
        ("tab\there.txt", "tab here.txt"),
        ("\x1b]8;;http://x\x07name.pdf", "name.pdf"),
        ("Präsentation – 日本.pptx", "Präsentation – 日本.pptx"),
        ("📎 notes.md", "📎 notes.md"),
    ],
)
def test_safe_filename(raw: str | None, expected: str) -> None:
    assert safe_filename(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["x" * 300 + ".pdf", "é" * 300 + ".pdf", "日本" * 200 + ".docx", "🚀" * 100 + ".png", "y" * 500],
)
def test_long_names_are_trimmed_to_the_byte_limit_keeping_the_extension(raw: str) -> None:
    name = safe_filename(raw)
    assert len(name.encode("utf-8")) <= MAX_FILENAME_BYTES
    assert len(name.encode("utf-8")) > MAX_FILENAME_BYTES - 4  # trimmed, not emptied
    extension = raw.rpartition(".")[2] if "." in raw else None
    if extension:
        assert name.endswith("." + extension)
    name.encode("utf-8").decode("utf-8")  # no character cut in half


def test_a_huge_extension_is_not_kept_at_the_expense_of_the_name() -> None:
    name = safe_filename("a." + "b" * 400)
    assert len(name.encode("utf-8")) == MAX_FILENAME_BYTES
    assert name.startswith("a.bbb")


def test_safe_filenames_never_escape_the_folder(assert_terminal_safe) -> None:
    rng = random.Random(11)
    pieces = ["..", ".", "/", "\\", "-", "a", "CON", ":", "\x00", "\u202e", " ", "é", "\n"]
    for _ in range(500):
        name = safe_filename("".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))))
        assert name
        assert "/" not in name and "\\" not in name and ".." not in name
        assert not name.startswith((".", "-", " "))
        assert "\n" not in name and "\t" not in name
        assert_terminal_safe(name)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\u200b", "attachment-4150"),  # a name that draws nothing
        ("\u200b\u200c\u200d\u2060\u2064\ufeff\u00ad", "attachment-4150"),
        ("\U000e0041\U000e0062\U000e007f", "attachment-4150"),  # tag characters
        ("\u3164\u115f", "attachment-4150"),  # Hangul fillers
        ("\u200b.\u200b", "attachment-4150"),
        ("re\u200bport\u00ad.pdf", "report.pdf"),
        ("\ufeffinvoice.pdf", "invoice.pdf"),
        ("COM0", "_COM0"),
        ("lpt0.txt", "_lpt0.txt"),
        ("com\u00b9.log", "_com\u00b9.log"),
    ],
)
def test_invisible_and_reserved_names(raw: str, expected: str) -> None:
    assert safe_filename(raw, attachment_fallback("4150")) == expected


def test_the_fallback_is_made_safe_too() -> None:
    assert safe_filename("\u200b", attachment_fallback("\x1b[31m77\u202e")) == "attachment-77"
    assert safe_filename("\u200b", attachment_fallback("../..")) == "attachment"  # never a path
    assert safe_filename("\u200b") == "attachment"
    assert attachment_fallback(None) == "attachment"


def test_a_part_file_takes_the_fallback(tmp_path) -> None:
    part = PartFile(tmp_path, "\u200b\u200b", attachment_fallback("77"))
    part.write(b"x")
    assert part.finish().name == "attachment-77"
