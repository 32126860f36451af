"""Where the store lives on disk, and keeping its files private.

The default is `platformdirs.user_data_dir("crm-emails")/store.sqlite3`
(`~/.local/share/crm-emails/` on Linux); env `CRM_EMAILS_STORE` names another
file, and an explicit path wins over both. The store holds people's email: its
directory is 0700 and the database, -wal and -shm files 0600, whatever the
umask. The default directory is tightened to 0700 if it is looser (and ours);
a directory the person chose for the store is created 0700 but, if it existed,
left as it is: it may be their home or a project folder.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable
from pathlib import Path

APP_NAME = "crm-emails"
FILE_NAME = "store.sqlite3"
ENV_PATH = "CRM_EMAILS_STORE"
SIDE_FILES = ("-wal", "-shm", "-journal")
DIR_MODE = 0o700
FILE_MODE = 0o600


def default_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME)) / FILE_NAME


def resolve(path: str | os.PathLike[str] | None = None) -> tuple[Path, bool]:
    """(the store's file, whether it is the default location)."""
    if path is not None:
        return Path(path).expanduser(), False
    chosen = os.environ.get(ENV_PATH, "").strip()
    if chosen:
        return Path(chosen).expanduser(), False
    return default_path(), True


def prepare_directory(directory: Path, *, tighten: bool) -> None:
    """Create `directory` (and missing parents) 0700; tighten an existing one only when asked."""
    missing = []
    for parent in (directory, *directory.parents):
        if parent.exists():
            break
        missing.append(parent)
    for parent in reversed(missing):
        try:
            parent.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue
        os.chmod(parent, DIR_MODE)  # mkdir's mode is cut by the umask
    if tighten and not missing:
        _tighten(directory, DIR_MODE)


def create_private_file(path: Path) -> None:
    """The database file, created 0600 before SQLite opens it (an existing one of ours is tightened)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
    try:
        info = os.fstat(fd)
        if _owned(info) and stat.S_IMODE(info.st_mode) & ~FILE_MODE:
            os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)


def tighten_side_files(path: Path) -> None:
    """-wal and -shm 0600: SQLite copies the database's mode, but a umask or an old file may differ."""
    for suffix in SIDE_FILES:
        side = path.with_name(path.name + suffix)
        try:
            _tighten(side, FILE_MODE)
        except FileNotFoundError:
            pass


def _owned(info: os.stat_result) -> bool:
    return not hasattr(os, "getuid") or info.st_uid == os.getuid()


def _tighten(path: Path, mode: int) -> None:
    info = os.stat(path)
    if _owned(info) and stat.S_IMODE(info.st_mode) != mode:
        os.chmod(path, mode)


def damage_marker(path: Path) -> Path:
    """An empty file beside the store saying a damaged page was met: check the file on the next open."""
    return path.with_name(path.name + ".damaged")


def move_aside(path: Path, why: str, clock: Callable[[], float] = time.time) -> Path:
    """Rename the store (and its -wal/-shm) to `store.sqlite3.<why>-<timestamp>`; modes are kept."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(clock()))
    target = path.with_name(f"{path.name}.{why}-{stamp}")
    number = 1
    while target.exists():
        number += 1
        target = path.with_name(f"{path.name}.{why}-{stamp}-{number}")
    os.replace(path, target)
    for suffix in SIDE_FILES:
        side = path.with_name(path.name + suffix)
        if side.exists():
            # A WAL left beside a fresh database would be replayed into it.
            os.replace(side, target.with_name(target.name + suffix))
    return target


def remove(path: Path) -> list[Path]:
    """Delete the store's files; returns those that existed."""
    removed = []
    for candidate in (path, *(path.with_name(path.name + s) for s in SIDE_FILES)):
        try:
            candidate.unlink()
            removed.append(candidate)
        except FileNotFoundError:
            pass
    return removed


def size(path: Path) -> int:
    """Bytes of the database and its WAL."""
    total = 0
    for candidate in (path, path.with_name(path.name + "-wal")):
        try:
            total += candidate.stat().st_size
        except OSError:
            pass
    return total
