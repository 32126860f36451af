"""Where a link may be opened in a browser: only where one is in front of the person (never over SSH)."""

from __future__ import annotations

import pytest

from tui.opener import can_open_here, is_web_link, open_in_browser


@pytest.mark.parametrize(
    "environ, platform, expected",
    [
        ({"DISPLAY": ":0"}, "linux", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
        ({}, "linux", False),  # a server console, or a container
        ({"DISPLAY": ":0", "SSH_CONNECTION": "10.0.0.2 5122 10.0.0.1 22"}, "linux", False),  # X forwarding too
        ({"SSH_TTY": "/dev/pts/3"}, "darwin", False),
        ({}, "darwin", True),
        ({}, "win32", True),
    ],
)
def test_a_browser_is_in_front_of_the_person_only_locally(environ, platform, expected):
    assert can_open_here(environ, platform) is expected


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "-x", "data:text/html,hi"])
def test_only_web_links_are_handed_to_the_opener(url):
    assert not is_web_link(url)
    with pytest.raises(ValueError):
        open_in_browser(url)
