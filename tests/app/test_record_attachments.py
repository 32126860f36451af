"""Saving attachments with `s`: the exact bytes, a safe name inside the downloads folder, no overwrite, no leftovers."""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

import pytest
from textual.content import Content

from tests.app.helpers import settle
from tests.app.record_helpers import (  # noqa: F401 (fixtures)
    demo,
    go_to_position,
    record_screen,
    wait_until,
)
from tui import downloads
from tui.downloads import DOWNLOAD_DIR_ENV, PartFile
from tui.downloads import safe_filename
from tui.sandbox.data import CONTACT_HOSTILE, LEAD_MAIN
from tui.screens.attachment_menu import AttachmentMenu
from tui.zoho.models import Record

WIDE = (160, 48)
NARROW = (80, 24)
# Showcase positions (tui/sandbox/showcase.py): one attachment, three hostile names, all fourteen, two PDFs.
ONE_ATTACHMENT = (CONTACT_HOSTILE, 0)
THREE_HOSTILE = (CONTACT_HOSTILE, 2)
ALL_HOSTILE = (CONTACT_HOSTILE, 16)
TWO_PDFS = (LEAD_MAIN, 2)


@pytest.fixture
def download_folder(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "downloads"
    folder.mkdir()
    monkeypatch.setenv(DOWNLOAD_DIR_ENV, str(folder))
    return folder


def record_notes(app, monkeypatch) -> list[tuple[str, str, str]]:
    """(severity, title, text) of every notification the app shows."""
    shown: list[tuple[str, str, str]] = []
    notify = app.notify

    def recording(message, *, title="", severity="information", **kw):
        text = message.plain if isinstance(message, Content) else str(message)
        shown.append((severity, title, text))
        notify(message, title=title, severity=severity, **kw)

    monkeypatch.setattr(app, "notify", recording)
    return shown


async def served_bytes(app, record: tuple[str, str], message_id: str, index: int) -> tuple[str, bytes]:
    """What the server sends for the email's attachment number `index`, downloaded by the client directly."""
    client = app.client
    detail = await client.get_email(*record, message_id)
    email = next(e for e in app.screen.email_list.emails if e.message_id == message_id)
    attachment = detail.attachments[index]
    async with client.download_attachment(
        *record, message_id=message_id, user_id=email.owner.id, attachment_id=attachment.id, name=attachment.name
    ) as download:
        return download.filename, b"".join([chunk async for chunk in download.aiter_bytes()])


def pane_text(screen) -> str:
    """The detail pane's text in view, without spaces (a long path wraps)."""
    body = screen.detail_view.body
    return "".join("".join(body.render_line(y).text.split()) for y in range(body.size.height))


async def show_email(pilot, record: tuple[str, str], position: int):
    await record_screen(pilot)
    await go_to_position(pilot, record, position)
    screen = await record_screen(pilot)
    assert screen.detail_view.state == "detail" and screen.detail_view.detail.attachments
    return screen


async def save_from_menu(pilot, *keys: str) -> None:
    await pilot.press("s")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, AttachmentMenu), what="the attachment menu")
    await pilot.press(*keys)
    await settle(pilot)


async def test_saving_one_attachment_writes_the_bytes_the_server_sends(tmp_path, download_folder, monkeypatch):
    app, sandbox = demo(CONTACT_HOSTILE, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        notes = record_notes(app, monkeypatch)
        screen = await show_email(pilot, *ONE_ATTACHMENT)
        message_id = screen.detail_view.message_id
        await pilot.press("s")
        await settle(pilot)
        assert not isinstance(app.screen, AttachmentMenu), "one attachment is saved without a menu"
        name, expected = await served_bytes(app, CONTACT_HOSTILE, message_id, 0)
        saved = download_folder / name
        assert sorted(os.listdir(download_folder)) == [name]
        assert saved.stat().st_size == len(expected) == 594_728
        assert saved.read_bytes() == expected
        assert notes[-1] == ("information", "", f"Saved {name} (581 KB) to {saved}")
        # The attachment line says where it went.
        assert f"savedto{saved}" in pane_text(screen)


async def test_a_second_save_does_not_overwrite(tmp_path, download_folder):
    app, sandbox = demo(CONTACT_HOSTILE, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await show_email(pilot, *ONE_ATTACHMENT)
        await pilot.press("s")
        await settle(pilot)
        first = sorted(os.listdir(download_folder))
        (download_folder / first[0]).write_bytes(b"edited by hand")
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert sorted(os.listdir(download_folder)) == [
            "Quote-Q-2026-0142 (1).pdf",
            "Quote-Q-2026-0142 (2).pdf",
            "Quote-Q-2026-0142.pdf",
        ]
        assert (download_folder / "Quote-Q-2026-0142.pdf").read_bytes() == b"edited by hand"
        assert (download_folder / "Quote-Q-2026-0142 (2).pdf").stat().st_size == 594_728


async def test_the_menu_saves_one_of_several_or_all(tmp_path, download_folder, monkeypatch):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        notes = record_notes(app, monkeypatch)
        screen = await show_email(pilot, *TWO_PDFS)
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, AttachmentMenu), what="the attachment menu")
        menu = app.screen
        assert [str(o.id) for o in menu.query_one("OptionList").options] == ["attachment-0", "attachment-1", "all"]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and os.listdir(download_folder) == []
        await save_from_menu(pilot, "down", "enter")  # the second: the brochure
        assert os.listdir(download_folder) == ["Mk-II-brochure.pdf"]
        assert (download_folder / "Mk-II-brochure.pdf").stat().st_size == 1_482_113
        await save_from_menu(pilot, "end", "enter")  # All attachments
        assert sorted(os.listdir(download_folder)) == [
            "Mk-II-brochure (1).pdf",
            "Mk-II-brochure.pdf",
            "Quote-Q-2026-0142.pdf",
        ]
        assert (download_folder / "Quote-Q-2026-0142.pdf").stat().st_size == 24_792
        assert notes == [
            ("information", "", f"Saved Mk-II-brochure.pdf (1.4 MB) to {download_folder / 'Mk-II-brochure.pdf'}"),
            ("information", "", f"Saved 2 of 2 attachments (1.4 MB) to {download_folder}"),
        ]


async def test_hostile_names_land_inside_the_folder_with_safe_names(tmp_path, download_folder):
    app, sandbox = demo(CONTACT_HOSTILE, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = await show_email(pilot, *THREE_HOSTILE)
        await save_from_menu(pilot, "enter")  # "../../etc/passwd"
        assert os.listdir(download_folder) == ["passwd"]
        await go_to_position(pilot, *ALL_HOSTILE)
        await record_screen(pilot)
        names = [a.name for a in screen.detail_view.detail.attachments]
        assert len(names) == 14
        await save_from_menu(pilot, "end", "enter")
        saved = sorted(os.listdir(download_folder))
        assert len(saved) == 15
        assert "passwd (1)" in saved and "hosts" in saved and "_CON.txt" in saved and "bashrc" in saved
        for name in saved:
            path = download_folder / name
            assert path.resolve().parent == download_folder.resolve() and path.is_file() and not path.is_symlink()
            assert name == safe_filename(name), name
            assert not any(c in name for c in "/\\\x1b\x07\n\r\u202e"), name
        assert not list(download_folder.parent.glob("passwd")) and not (tmp_path / "etc").exists()


async def test_a_zoho_error_leaves_no_file_and_says_so(tmp_path, download_folder, monkeypatch):
    app, sandbox = demo(CONTACT_HOSTILE, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        notes = record_notes(app, monkeypatch)
        screen = await show_email(pilot, *ONE_ATTACHMENT)
        sandbox.faults.always = "500"
        await pilot.press("s")
        await settle(pilot)
        sandbox.faults.always = None
        assert os.listdir(download_folder) == []
        severity, title, text = notes[-1]
        assert severity == "error" and title == "Could not save Quote-Q-2026-0142.pdf"
        assert "INTERNAL_SERVER_ERROR" in text and "What to do:" in text and "Traceback" not in text
        assert "notsaved" in pane_text(screen)
        # It can be tried again.
        await pilot.press("s")
        await settle(pilot)
        assert os.listdir(download_folder) == ["Quote-Q-2026-0142.pdf"]


async def test_a_full_disk_mid_download_removes_the_part_file(tmp_path, download_folder, monkeypatch):
    app, sandbox = demo(CONTACT_HOSTILE, tmp_path)
    write = PartFile.write

    def fill_up(self, chunk: bytes) -> None:
        if self.written:
            raise OSError(errno.ENOSPC, "No space left on device")
        write(self, chunk)

    monkeypatch.setattr(downloads.PartFile, "write", fill_up)
    async with app.run_test(size=WIDE) as pilot:
        notes = record_notes(app, monkeypatch)
        await show_email(pilot, *ONE_ATTACHMENT)
        await pilot.press("s")
        await settle(pilot)
        assert os.listdir(download_folder) == []
        assert notes[-1] == (
            "error",
            "Could not save Quote-Q-2026-0142.pdf",
            f"Could not save Quote-Q-2026-0142.pdf to {download_folder}: the disk is full.",
        )


async def test_leaving_the_record_mid_download_removes_the_part_file(tmp_path, download_folder, monkeypatch):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    write = PartFile.write
    parts: list[Path] = []

    def slow_write(self, chunk: bytes) -> None:
        parts.append(self.path)
        write(self, chunk)
        time.sleep(0.05)  # a slow disk (in the writer's thread): the download is still going when the record closes

    monkeypatch.setattr(downloads.PartFile, "write", slow_write)
    async with app.run_test(size=WIDE) as pilot:
        screen = await show_email(pilot, LEAD_MAIN, 16)
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, AttachmentMenu), what="the attachment menu")
        await pilot.press("enter")  # site-photos.zip, 7 MB
        await wait_until(pilot, lambda: parts and parts[-1].exists(), what="the part file")
        assert parts[-1].name == "site-photos.zip.part"
        app.open_record(Record(*CONTACT_HOSTILE, name="Grace Hopper"))
        await wait_until(pilot, lambda: not screen.is_attached, what="the old record screen to go")
        await wait_until(pilot, lambda: not parts[-1].exists(), what="the part file to be removed")
        assert os.listdir(download_folder) == []


async def test_the_key_shows_only_for_an_email_with_attachments(tmp_path, download_folder):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = await record_screen(pilot)
        assert screen.detail_view.detail is not None and not screen.detail_view.detail.attachments
        assert "save_attachment" not in _footer_actions(screen)
        await pilot.press("s")
        await settle(pilot)
        assert os.listdir(download_folder) == []
        await show_email(pilot, *TWO_PDFS)
        assert "save_attachment" in _footer_actions(screen)


def _footer_actions(screen) -> set[str]:
    return {
        active.binding.action for active in screen.active_bindings.values() if active.enabled and active.binding.show
    }


async def test_narrow_the_key_works_on_the_open_email(tmp_path, download_folder):
    app, sandbox = demo(CONTACT_HOSTILE, tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        screen = await record_screen(pilot)
        assert "save_attachment" not in _footer_actions(screen), "the email is not on screen yet"
        await pilot.press("enter")
        await record_screen(pilot)
        assert "save_attachment" in _footer_actions(screen)
        await pilot.press("s")
        await settle(pilot)
        assert os.listdir(download_folder) == ["Quote-Q-2026-0142.pdf"]


async def test_narrow_the_key_works_from_the_list_on_a_row_with_attachments(tmp_path, download_folder, monkeypatch):
    app, sandbox = demo(CONTACT_HOSTILE, tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        screen = await record_screen(pilot)
        assert not screen.detail_visible and screen.email_list.cursor_email.has_attachment  # a row marked +
        await pilot.press("s")  # its attachments are read (one call), then saved: the list stays
        await wait_until(pilot, lambda: os.listdir(download_folder) == ["Quote-Q-2026-0142.pdf"], "the file saved")
        assert not screen.detail_visible


async def test_s_on_an_email_without_attachments_says_so(tmp_path, download_folder, monkeypatch):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    notes = record_notes(app, monkeypatch)
    async with app.run_test(size=WIDE) as pilot:
        screen = await record_screen(pilot)
        assert not screen.detail_view.detail.attachments
        await pilot.press("s")
        await settle(pilot)
        assert ("information", "", "This email has no attachments.") in notes
        assert os.listdir(download_folder) == []


def test_the_downloads_folder_falls_back_to_the_current_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(downloads.platformdirs, "user_downloads_dir", lambda: str(tmp_path / "no-such-folder"))
    assert downloads.download_dir({}) == tmp_path
    (tmp_path / "Downloads").mkdir()
    monkeypatch.setattr(downloads.platformdirs, "user_downloads_dir", lambda: str(tmp_path / "Downloads"))
    assert downloads.download_dir({}) == tmp_path / "Downloads"
    assert downloads.download_dir({DOWNLOAD_DIR_ENV: str(tmp_path / "new" / "dir")}) == tmp_path / "new" / "dir"
    assert (tmp_path / "new" / "dir").is_dir()
