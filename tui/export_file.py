"""Where `crm-emails export` writes: standard output, or a file replaced only once the export is complete.

`-o FILE` is written to `FILE.partial` beside it and renamed over FILE when the last
page is in: a failed or interrupted export leaves FILE as it was, and what it read
in `FILE.partial`. After each page, `FILE.resume` says where the next page starts
(Zoho's `next_index`) and how many lines the partial file held then, so
`export --resume` continues without asking for a page twice; when Zoho no longer
accepts that index (or the note is missing), the export starts from the first page
and skips every email the partial file already holds.

A FILE that exists and is not a regular file (`/dev/null`, `/dev/full`, a pipe) is
written in place: there is nothing to rename over. Lines are JSON with C1 controls,
bidi controls and lone surrogates escaped, so `cat FILE` cannot act on a terminal.
Blocking file work only: the export is one command, nothing else waits on it.
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TextIO

from tui.downloads import os_error_reason
from tui.render.safe import one_line

PARTIAL_SUFFIX = ".partial"
RESUME_SUFFIX = ".resume"

# What json.dumps(ensure_ascii=False) leaves raw and a terminal would act on (or cannot encode).
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")


def json_line(row: Mapping[str, Any]) -> str:
    """One JSON Lines line (newline included): UTF-8 kept, terminal controls escaped (\\u009b, \\u202e)."""
    text = json.dumps(row, ensure_ascii=False, separators=(",", ":"))
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


class OutputError(Exception):
    """The output cannot be written: one sentence, exit status 1."""


class OutputUsageError(OutputError):
    """-o names something that cannot be a file (a folder): exit status 2."""


@dataclass(frozen=True)
class ExportOf:
    """What is exported: a resumed export must be of the same."""

    module: str
    record_id: str
    type: str | None
    owner_id: str | None
    bodies: bool
    marks: bool = False  # each marked email gains its local mark (a note written before --marks had none)

    def describe(self) -> str:
        words = [self.module, self.record_id]
        if self.type:
            words.append(f"--type {self.type}")
        if self.owner_id:
            words.append(f"--owner-id {self.owner_id}")
        if self.bodies:
            words.append("--bodies")
        if self.marks:
            words.append("--marks")
        return " ".join(words)


class Output:
    """Where rows go. `written` holds the message ids already in the output (never written twice)."""

    where = "standard output"

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.written: set[str] = set()
        self.count = 0  # emails in the output, resumed ones included
        self.start_index: str | None = None

    def write_page(self, rows: Iterable[Mapping[str, Any]], next_index: str | None) -> int:
        """Write one page's rows (skipping message ids already written); how many were written."""
        added = 0
        for row in rows:
            message_id = row.get("message_id")
            if isinstance(message_id, str):
                if message_id in self.written:
                    continue
                self.written.add(message_id)
            self.stream.write(json_line(row))
            added += 1
        self.stream.flush()
        self.count += added
        self._page_done(next_index)
        return added

    def _page_done(self, next_index: str | None) -> None:
        pass

    def restart_from_the_top(self) -> None:
        """Zoho refused the index the export resumed from: page one again, what is written is skipped."""
        self.start_index = None

    def finish(self) -> None:
        self.stream.flush()

    def abandon(self) -> str:
        """The export failed or was interrupted: close what is open; a sentence saying where its rows are."""
        try:
            self.stream.flush()
        except OSError:
            pass
        return ""


class FileOutput(Output):
    """-o FILE, through FILE.partial; see the module's docstring."""

    def __init__(self, path: Path, of: ExportOf, *, resume: bool, note: TextIO) -> None:
        if path.is_symlink():  # the file it points to is replaced, not the link
            path = Path(os.path.realpath(path))
        self.path = path
        self.of = of
        self.partial = path.with_name(path.name + PARTIAL_SUFFIX)
        self.resume_note = path.with_name(path.name + RESUME_SUFFIX)
        self._note_fd: int | None = None  # FILE.resume, open once the first page is in
        self._note_size = 0
        existing = self.partial.exists()
        if resume and existing:
            written, lines, start_index = self._resumed(note)
            stream: TextIO = open(self.partial, "a", encoding="utf-8", newline="\n")  # noqa: SIM115
        else:
            if resume:
                print(f"Nothing to resume for {one_line(str(path))}: starting from the first page.", file=note)
            elif existing:
                print(f"Starting over: {one_line(str(self.partial))} from an earlier export is replaced "
                      "(--resume continues it instead).", file=note)
            self.resume_note.unlink(missing_ok=True)
            written, lines, start_index = set(), 0, None
            stream = self._create()
        super().__init__(stream)
        self.where = one_line(str(path))
        self.written, self.count, self.start_index = written, lines, start_index

    def _create(self) -> TextIO:
        stream = open(self.partial, "w", encoding="utf-8", newline="\n")  # noqa: SIM115 - closed in finish/abandon
        try:
            if self.path.exists():  # the new file keeps the old one's permissions
                os.chmod(self.partial, stat.S_IMODE(self.path.stat().st_mode))
        except OSError:
            pass
        return stream

    def _resumed(self, note: TextIO) -> tuple[set[str], int, str | None]:
        """What FILE.partial holds: its complete lines kept (their message ids are skipped from now on), and
        the index to go on from (None: the first page)."""
        saved = _read_note(self.resume_note)
        other = {"marks": False, **saved["of"]} if saved is not None and isinstance(saved.get("of"), dict) else {}
        if saved is not None and other != asdict(self.of):
            theirs = ExportOf(**other).describe() if set(other) == set(asdict(self.of)) else "another export"
            raise OutputUsageError(
                f"{one_line(str(self.partial))} holds {one_line(theirs)}, not {one_line(self.of.describe())}: "
                "remove it, or export to another -o."
            )
        written, lines, size = _complete_lines(self.partial)
        with open(self.partial, "r+b") as file:
            file.truncate(size)  # a line cut off by a crash goes; its email is asked for again
        index = saved.get("next_index") if saved is not None else None
        shown = one_line(str(self.path))
        if isinstance(index, str) and index and saved is not None and saved.get("lines", lines + 1) <= lines:
            print(f"Resuming {shown} after {lines} emails.", file=note)
            return written, lines, index
        print(f"Resuming {shown}: reading from the first page, skipping the {lines} emails "
              f"{one_line(str(self.partial))} holds.", file=note)
        return written, lines, None

    def restart_from_the_top(self) -> None:
        super().restart_from_the_top()
        self._close_note()
        self.resume_note.unlink(missing_ok=True)

    def _page_done(self, next_index: str | None) -> None:
        """FILE.resume says where the next page starts: rewritten in place, one write, after every page.

        One write() of the whole note (not a new file renamed over it: on ext4 a rename over a file
        waits for its data to reach the disk, 500 of them took 0.7 s of a 5,000-email export). The
        note is padded with spaces to the longest it has been, so no write leaves a longer one's
        tail behind; a note that cannot be read sends --resume to the first page (nothing is lost).
        """
        if next_index is None:
            return
        note = json.dumps({"of": asdict(self.of), "next_index": next_index, "lines": self.count}).encode()
        if self._note_fd is None:
            self._note_fd = os.open(self.resume_note, os.O_RDWR | os.O_CREAT, 0o666)
            self._note_size = os.fstat(self._note_fd).st_size
        self._note_size = max(self._note_size, len(note))
        os.pwrite(self._note_fd, note.ljust(self._note_size), 0)

    def _close_note(self) -> None:
        if self._note_fd is not None:
            fd, self._note_fd = self._note_fd, None
            os.close(fd)

    def finish(self) -> None:
        """Complete: FILE.partial becomes FILE in one rename; the resume note goes."""
        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.stream.close()
        os.replace(self.partial, self.path)
        self._close_note()
        self.resume_note.unlink(missing_ok=True)

    def abandon(self) -> str:
        try:
            self.stream.close()
        except OSError:
            pass
        self._close_note()
        untouched = f"{self.where} is untouched" if self.path.exists() else f"{self.where} was not written"
        if self.count == 0:
            self.partial.unlink(missing_ok=True)
            self.resume_note.unlink(missing_ok=True)
            return f"Nothing was written: {untouched}."
        read = "The 1 email read is" if self.count == 1 else f"The {self.count} emails read are"
        return (f"{read} in {one_line(str(self.partial))} ({untouched}); "
                "the same command with --resume continues from there.")


class DeviceOutput(Output):
    """-o onto something that is not a regular file (/dev/null, /dev/full, a pipe): written in place."""

    def __init__(self, path: Path) -> None:
        super().__init__(open(path, "w", encoding="utf-8", newline="\n"))  # noqa: SIM115
        self.where = one_line(str(path))

    def finish(self) -> None:
        self.stream.flush()
        self.stream.close()

    def abandon(self) -> str:
        try:
            self.stream.close()
        except OSError:
            pass
        return ""


def open_output(path_text: str | None, of: ExportOf, *, resume: bool, note: TextIO | None = None) -> Output:
    """The output of an export, checked before anything is asked of Zoho. Raises OutputError (exit 1) or
    OutputUsageError (exit 2) with one sentence. `note` (default stderr) hears what a resume does."""
    note = note or sys.stderr
    if path_text is None:
        if resume:
            raise OutputUsageError("--resume needs -o FILE: standard output cannot be continued.")
        return Output(sys.stdout)
    shown = one_line(path_text)
    path = Path(path_text)
    if path_text.endswith(("/", os.sep)) or path.is_dir():
        raise OutputUsageError(f"-o {shown} is a folder: give a file name.")
    try:
        info = path.stat()
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise OutputError(f"Cannot write {shown}: {os_error_reason(error)}.") from None
    try:
        if info is not None and not stat.S_ISREG(info.st_mode):
            return DeviceOutput(path)
        folder = path.parent
        if not folder.is_dir():
            reason = "part of the path is not a folder" if folder.exists() else f"the folder {one_line(str(folder))} does not exist"
            raise OutputError(f"Cannot write {shown}: {reason}.")
        if info is not None and not os.access(path, os.W_OK):
            raise OutputError(f"Cannot write {shown}: permission denied.")
        return FileOutput(path, of, resume=resume, note=note)
    except OSError as error:
        raise OutputError(f"Cannot write {shown}: {os_error_reason(error)}.") from None


def _read_note(path: Path) -> dict[str, Any] | None:
    try:
        note = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return note if isinstance(note, dict) else None


def _complete_lines(path: Path) -> tuple[set[str], int, int]:
    """The message ids of a partial file's complete JSON lines, how many lines, and the bytes they take."""
    ids: set[str] = set()
    lines = 0
    size = 0
    with open(path, "rb") as file:
        for raw in file:
            if not raw.endswith(b"\n"):
                break
            try:
                row = json.loads(raw)
            except ValueError:
                break
            if isinstance(row, dict) and isinstance(row.get("message_id"), str):
                ids.add(row["message_id"])
            lines += 1
            size += len(raw)
    return ids, lines, size
