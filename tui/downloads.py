"""Where saved attachments go, and writing one there without ever overwriting a file.

Blocking file work only (no Textual, no asyncio): the record screen runs each step
in a thread. A download is written to "<name>.part" beside its final name and
renamed when complete, so a cut-off download never looks like a finished file.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator, Mapping
from itertools import count
from pathlib import Path

import platformdirs

from tui.render.safe import one_line, safe_filename

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
}


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
    """An attachment being written: "<name>.part" in `folder` until `finish` gives it a free name."""

    def __init__(self, folder: Path, name: str) -> None:
        self.folder = folder
        self.name = safe_filename(name)
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


def describe_os_error(error: OSError, name: str, folder: Path | str) -> str:
    """One sentence for a file error while saving: "Could not save Quote.pdf to /x: the disk is full."."""
    reason = _REASONS.get(error.errno or 0) or one_line(error.strerror or type(error).__name__).lower()
    return f"Could not save {one_line(name)} to {one_line(str(folder))}: {reason}."
