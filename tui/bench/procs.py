"""Whole processes, measured from outside: wall time, first paint in a pseudo-terminal, peak memory, imports.

Every child runs with bytecode cached in a private folder (`PYTHONPYCACHEPREFIX`), as an
installed package has it, and is run once unmeasured first so that folder is filled: a
start-up figure must not time the compiler. The environment loses ZOHO_* (the sandbox's
credentials are given where wanted) and gets a terminal type.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

PYTHON = sys.executable
ROOT = Path(__file__).resolve().parents[2]


def crm_emails() -> list[str]:
    """The installed `crm-emails` script beside this interpreter (what people run), else `python -m tui`."""
    script = Path(PYTHON).with_name("crm-emails")
    return [str(script)] if script.exists() else [PYTHON, "-m", "tui"]


def child_env(pycache: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZOHO_", "CRM_EMAILS_"))}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(PYTHONPYCACHEPREFIX=str(pycache), TERM="xterm-256color", COLORTERM="truecolor")
    env.setdefault("PYTHONPATH", str(ROOT))
    env.update(extra)
    return env


def wall(argv: Sequence[str], env: Mapping[str, str]) -> float:
    """Seconds from spawning `argv` to its exit (it must succeed)."""
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:4])} exited {done.returncode}: {done.stderr.decode()[-2000:]}")
    return elapsed


def first_paint(
    argv: Sequence[str], needle: bytes, env: Mapping[str, str], *, size: tuple[int, int] = (80, 24),
    timeout: float = 60.0,
) -> float:
    """Seconds from spawning `argv` in a pseudo-terminal of `size` to `needle` in what it draws; then it is stopped.

    The app must draw to a terminal: Textual writes its frames only there. A frame writes each
    run of one style as one piece of text, so a subject's first characters arrive together.
    """
    return _in_terminal(argv, needle, env, size, timeout)[0]


def _in_terminal(
    argv: Sequence[str], needle: bytes, env: Mapping[str, str], size: tuple[int, int], timeout: float
) -> tuple[float, bytes]:
    """(seconds to `needle`, everything written to the terminal until then)."""
    master, slave = pty.openpty()
    columns, lines = size
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
    start = time.perf_counter()
    process = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT, start_new_session=True
    )
    os.close(slave)
    seen = b""
    found: float | None = None
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                data = os.read(master, 1 << 16)
            except OSError:  # the child closed its side
                break
            if not data:
                break
            seen += data
            if needle in seen:
                found = time.perf_counter() - start
                break
    finally:
        _stop(process)
        os.close(master)
    if found is None:
        tail = re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b" ", seen[-3000:]).decode(errors="replace")
        raise RuntimeError(f"{needle!r} never appeared on the screen of {' '.join(argv[:4])}: …{tail[-600:]}")
    return found, seen


def _stop(process: subprocess.Popen[bytes]) -> None:
    for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        if process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


# A fresh, small interpreter runs the process and reports its children's peak RSS: the child is forked
# from this small one, so the size it inherits (kept in its maxrss across exec) is below its own peak.
_PEAK = (
    "import resource, subprocess, sys; "
    "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(r.returncode)"
)


def peak_rss_mib(argv: Sequence[str], env: Mapping[str, str]) -> float:
    """Peak resident memory (MiB) of `argv` run on its own (not the size of whoever forked it)."""
    done = subprocess.run([PYTHON, "-c", _PEAK, *argv], env=env, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:4])} exited {done.returncode}: {done.stderr[-2000:]}")
    return int(done.stdout.split()[-1]) / 1024


_IMPORT_LINE = re.compile(rb"import time:\s+\d+ \|\s+(\d+) \| (\S[^\r\n]*)")


def import_ms(argv: Sequence[str], needle: bytes, env: Mapping[str, str], *, size: tuple[int, int] = (80, 24)) -> float:
    """Milliseconds of imports (`-X importtime`, top-level cumulative) from start to first paint.

    Textual draws on stderr, where -X importtime writes too: its lines are read out of what
    the terminal received before the needle.
    """
    argv = [argv[0], "-X", "importtime", *argv[1:]] if argv[0] == PYTHON else [PYTHON, "-X", "importtime", *argv]
    _, seen = _in_terminal(argv, needle, env, size, 60.0)
    return sum(int(match[1]) for match in _IMPORT_LINE.finditer(seen)) / 1000


def run_child(name: str, env: Mapping[str, str], *args: str, timeout: float = 600) -> dict:
    """`python -m tui.bench.child NAME ARGS`: its JSON, the last line it prints."""
    done = subprocess.run(
        [PYTHON, "-m", "tui.bench.child", name, *args], env=env, capture_output=True, text=True, cwd=ROOT,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench child {name} exited {done.returncode}: {done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


class SandboxServer:
    """`crm-emails sandbox --port 0` in a process of its own; `env` points a client at it."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.process = subprocess.Popen(
            [PYTHON, "-m", "tui", "sandbox", "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, env=env, cwd=ROOT,
        )
        exports: dict[str, str] = {}
        deadline = time.monotonic() + 60
        assert self.process.stdout is not None
        while "ZOHO_ACCOUNTS_URL" not in exports:
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the sandbox printed no banner")
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError(f"the sandbox exited: {self.process.stderr.read() if self.process.stderr else ''}")
            if match := re.match(r"export (ZOHO_\w+)=(\S+)", line):
                exports[match[1]] = match[2].strip("'")
        self.env = {**env, **exports, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}

    def access_token(self) -> str:
        """One access token of the sandbox's Self Client (each run minting its own would hit Zoho's ten an hour)."""
        import urllib.parse
        import urllib.request

        form = urllib.parse.urlencode({
            "grant_type": "refresh_token", "client_id": self.env["ZOHO_CLIENT_ID"],
            "client_secret": self.env["ZOHO_CLIENT_SECRET"], "refresh_token": self.env["ZOHO_REFRESH_TOKEN"],
        }).encode()
        with urllib.request.urlopen(f"{self.env['ZOHO_ACCOUNTS_URL']}/oauth/v2/token", form, timeout=30) as answer:
            return str(json.loads(answer.read())["access_token"])

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> SandboxServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
