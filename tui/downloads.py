"""Saving an attachment: where it goes, its file name, and writing it without ever overwriting a file.

`save_attachment` streams one attachment from the client to a "<name>.part" file
beside its final name and renames it when complete, so a cut-off download never
looks like a finished file; every blocking file step runs in a thread. No Textual:
the record screen runs it in a worker and shows its progress.
"""

from __future__ import annotations

import asyncio
import errno
import os
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from itertools import count
from pathlib import Path

import msgspec
import platformdirs

from tui.render.safe import one_line
from tui.render.sizes import human_size
from tui.zoho.client import ZohoClient, attachment_limit
from tui.zoho.errors import NetworkError
from tui.zoho.models import Attachment

DOWNLOAD_DIR_ENV = "CRM_EMAILS_DOWNLOAD_DIR"
PART_SUFFIX = ".part"

_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the file system is read-only",
    errno.ENOENT: "the folder does not exist",
    errno.ENOTDIR: "part of the path is not a folder",
    errno.EISDIR: "it is a folder",
    errno.ENAMETOOLONG: "the name is too long",
    errno.ELOOP: "the path loops through symbolic links",
}


# --- file names ------------------------------------------------------------------

FALLBACK_FILENAME = "attachment"
MAX_FILENAME_BYTES = 200
_MAX_EXTENSION_BYTES = 16
_RESERVED_CHARS = re.compile(r'[<>:"|?*]')
_DOT_RUN = re.compile(r"\.{2,}")
# Names Windows refuses whatever the extension ("nul.txt" included).
_WINDOWS_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{port}{n}" for port in ("COM", "LPT") for n in (*"0123456789", "¹", "²", "³")]
)
# Letters that draw nothing (Hangul fillers): dropped like the format characters.
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")



def attachment_label(attachment: Attachment) -> str:
    """How an attachment is named in what the app says: its name on one line."""
    return one_line(attachment.name) or "(unnamed)"

def _visible(ch: str) -> bool:
    """A character that draws something: a letter, digit, punctuation or symbol."""
    return unicodedata.category(ch)[0] in "LNPS" and ch not in _INVISIBLE_LETTERS


def safe_filename(name: str | None, fallback: str = FALLBACK_FILENAME) -> str:
    """A name to save an attachment under: one path component, never hidden, never empty, never invisible.

    Keeps the last component of a path ("../../etc/passwd" -> "passwd"),
    drops format characters (zero-width spaces and joiners, U+2060-U+2064, the
    BOM, soft hyphens, tag characters: Unicode's Cf) and invisible letters,
    replaces the characters Windows reserves, folds ".." into ".", drops
    leading dots and dashes (no hidden files, no option-looking names) and
    trailing dots and spaces, prefixes device names (CON, NUL, COM0-9,
    LPT0-9...) with "_", and trims to 200 bytes of UTF-8 keeping the
    extension. When nothing visible is left, `fallback` (made safe the same
    way: say "attachment-<id>").
    """
    text = one_line("".join(ch for ch in (name or "") if unicodedata.category(ch) != "Cf"
                            and ch not in _INVISIBLE_LETTERS))
    parts = [p for p in re.split(r"[/\\]", text) if p.strip()]
    text = parts[-1] if parts else ""
    text = _RESERVED_CHARS.sub("_", text)
    text = _DOT_RUN.sub(".", text)
    text = text.lstrip(" .-").rstrip(" .")
    if not any(_visible(ch) for ch in text):
        return FALLBACK_FILENAME if fallback == FALLBACK_FILENAME else safe_filename(fallback)
    if text.split(".", 1)[0].rstrip(" ").upper() in _WINDOWS_RESERVED:
        text = "_" + text
    return _trim_keeping_extension(text, MAX_FILENAME_BYTES)


def attachment_fallback(attachment_id: str | None) -> str:
    """The name of an attachment whose own name shows nothing: "attachment-<id>"."""
    return f"{FALLBACK_FILENAME}-{attachment_id}" if attachment_id else FALLBACK_FILENAME


def _trim_keeping_extension(name: str, limit: int) -> str:
    if len(name.encode("utf-8")) <= limit:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or len(extension.encode("utf-8")) > _MAX_EXTENSION_BYTES:
        stem, extension = name, ""
    suffix = f".{extension}" if extension else ""
    room = limit - len(suffix.encode("utf-8"))
    # Cutting the bytes may split a character: drop the partial one.
    stem = stem.encode("utf-8")[:room].decode("utf-8", errors="ignore").rstrip(" .")
    return (stem or FALLBACK_FILENAME) + suffix


def download_dir(env: Mapping[str, str] = os.environ) -> Path:
    """$CRM_EMAILS_DOWNLOAD_DIR (created if missing), else the user's Downloads folder if any, else here."""
    configured = env.get(DOWNLOAD_DIR_ENV, "").strip()
    if configured:
        folder = Path(configured).expanduser()
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    downloads = Path(platformdirs.user_downloads_dir())
    return downloads if downloads.is_dir() else Path.cwd()


def numbered_names(name: str) -> Iterator[str]:
    """"Quote.pdf", then "Quote (1).pdf", "Quote (2).pdf"... (the number goes before the extension)."""
    stem, dot, extension = name.rpartition(".")
    if not stem:
        stem, dot, extension = name, "", ""
    yield name
    for n in count(1):
        yield f"{stem} ({n}){dot}{extension}"


class PartFile:
    """An attachment being written: "<name>.part" in `folder` until `finish` gives it a free name.

    `fallback` names it when `name` shows nothing (`attachment_fallback(attachment.id)`)."""

    def __init__(self, folder: Path, name: str, fallback: str = FALLBACK_FILENAME) -> None:
        self.folder = folder
        self.name = safe_filename(name, fallback)
        self.written = 0
        # Another save of the same name may be writing its own part file: take the next free one.
        for candidate in numbered_names(self.name):
            self.path = folder / (candidate + PART_SUFFIX)
            try:
                self._file = open(self.path, "xb")
                break
            except FileExistsError:
                continue

    def write(self, chunk: bytes) -> None:
        self._file.write(chunk)
        self.written += len(chunk)

    def finish(self) -> Path:
        """Close the file and rename it to the first of "name", "name (1)"... that does not exist yet."""
        self._file.close()
        for candidate in numbered_names(self.name):
            final = self.folder / candidate
            try:
                # Reserve the name (O_EXCL: never an existing file or symlink), then move the data over it.
                os.close(os.open(final, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
            except FileExistsError:
                continue
            try:
                os.replace(self.path, final)
            except BaseException:
                final.unlink(missing_ok=True)
                raise
            return final
        raise AssertionError("numbered_names never ends")

    def discard(self) -> None:
        """Remove what was written (a failed or cancelled download)."""
        try:
            self._file.close()
        except OSError:
            pass  # the disk filled up: the part file goes anyway
        self.path.unlink(missing_ok=True)


def os_error_reason(error: OSError) -> str:
    """What went wrong with a file, in words: "the disk is full"."""
    return _REASONS.get(error.errno or 0) or one_line(error.strerror or type(error).__name__).lower()


def describe_os_error(error: OSError, name: str, folder: Path | str) -> str:
    """One sentence for a file error while saving: "Could not save Quote.pdf to /x: the disk is full."."""
    return f"Could not save {one_line(name)} to {one_line(str(folder))}: {os_error_reason(error)}."


# Bytes per write of a saved attachment; progress is told at most this often.
SAVE_CHUNK_SIZE = 256 * 1024
PROGRESS_INTERVAL_S = 0.25


class Saved(msgspec.Struct, frozen=True):
    """An attachment saved: where, and how many bytes."""

    path: Path
    size: int


async def save_attachment(
    client: ZohoClient,
    module: str,
    record_id: str,
    *,
    message_id: str,
    owner_id: str,
    attachment: Attachment,
    progress: Callable[[str], None],
    monotonic: Callable[[], float],
    folder: Path | None = None,
) -> Saved:
    """Stream `attachment` into the downloads folder under a free name; `progress` hears "saving… 40%".

    Raises ZohoError (the download failed or was cut off) or OSError (the disk); nothing partial stays.
    """
    progress("saving…")
    folder = folder if folder is not None else await asyncio.to_thread(download_dir)
    part: PartFile | None = None
    saved: Path | None = None
    try:
        async with client.download_attachment(
            module,
            record_id,
            message_id=message_id,
            user_id=owner_id,
            attachment_id=attachment.id,
            name=attachment.name or "",
            max_bytes=attachment_limit(attachment.size),
        ) as download:
            part = await asyncio.to_thread(PartFile, folder, download.filename, attachment_fallback(attachment.id))
            size = download.size if download.size is not None else attachment.size
            told_at = monotonic()
            async for chunk in download.aiter_bytes(SAVE_CHUNK_SIZE):
                await asyncio.to_thread(part.write, chunk)
                if monotonic() - told_at >= PROGRESS_INTERVAL_S:
                    told_at = monotonic()
                    progress(f"saving… {part.written * 100 // size}%" if size else f"saving… {human_size(part.written)}")
            if download.size is not None and part.written != download.size:
                raise NetworkError(
                    f"The download stopped after {human_size(part.written)} of {human_size(download.size)}."
                )
        saved = await asyncio.to_thread(part.finish)
        return Saved(saved, part.written)
    finally:
        if part is not None and saved is None:
            await asyncio.to_thread(part.discard)  # failed or cancelled: no partial file stays
