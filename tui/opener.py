"""Opening a web link in the person's browser, only where the browser would be in front of them.

Over SSH the system opener would start a browser on the server (or a text browser inside
this very terminal): there the app copies the link through the terminal and shows it
instead. `can_open_here` says which case this is; `open_in_browser` starts the opener
detached, never waiting for it (call it off the UI thread all the same: starting a
process can take a moment). No Textual here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping

# Linux and the BSDs: the freedesktop opener; macOS: open. Windows uses os.startfile.
_OPENERS = {"darwin": "open"}
_DEFAULT_OPENER = "xdg-open"


def can_open_here(environ: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """Whether a browser started here would show on the person's screen: not over SSH, and on
    Linux only with a display (X11 or Wayland)."""
    env = os.environ if environ is None else environ
    system = sys.platform if platform is None else platform
    if env.get("SSH_CONNECTION") or env.get("SSH_TTY") or env.get("SSH_CLIENT"):
        return False
    if system in ("darwin", "win32", "cygwin"):
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def is_web_link(url: str) -> bool:
    """Only these are handed to the opener (never a `file:`, `javascript:` or an option-like `-x`)."""
    return url.lower().startswith(("https://", "http://", "mailto:"))


class OpenerMissing(OSError):
    """No system opener is installed."""


def open_in_browser(url: str) -> None:
    """Hand `url` to the system opener and return at once (it runs on, detached, silent)."""
    if not is_web_link(url):
        raise ValueError(f"not a web link: {url[:40]!r}")
    if sys.platform == "win32":
        os.startfile(url)  # type: ignore[attr-defined]  # noqa: S606 - the person asked to open this link
        return
    opener = shutil.which(_OPENERS.get(sys.platform, _DEFAULT_OPENER))
    if opener is None:
        raise OpenerMissing(f"no {_OPENERS.get(sys.platform, _DEFAULT_OPENER)} on this system")
    # Its own session, no terminal: it cannot read keys meant for the app or write over the screen.
    subprocess.Popen(  # noqa: S603 - a fixed program, the URL as one argument (never through a shell)
        [opener, url],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        close_fds=True,
    )
