"""Copy and open: `y` and a letter (OSC 52 through the terminal), `l` the body's links, `w` the web link,
`L` the linked record, and the headers of a short pane."""

from __future__ import annotations

import base64
import re

import pytest

from tests.app.helpers import settle
from tests.app.record_helpers import (  # noqa: F401 (fixtures)
    demo,
    detail_calls,
    go_to_position,
    record_screen,
    wait_until,
)
from tests.app.test_record_attachments import record_notes
from tui import opener
from tui.render.body_links import find_links
from tui.sandbox.data import DEAL_MAIN, LEAD_MAIN, ORG_DOMAIN_NAME
from tui.screens.copy_menu import CopyMenu
from tui.screens.link_picker import LinkPicker
from tui.screens.record import RecordScreen

WIDE = (160, 48)
NARROW = (80, 24)
NEWSLETTER = 0  # LEAD_MAIN's showcase newsletter: a dozen links, long tracking ones among them
LINKED = 17  # a showcase email linked to the deal DEAL_MAIN
WEB_LINK = f"https://crm.zoho.com/crm/{ORG_DOMAIN_NAME}/tab/Leads/{LEAD_MAIN[1]}"
_OSC52 = re.compile(r"\x1b\]52;c;([A-Za-z0-9+/=]*)\x07")


def terminal_output(app, monkeypatch) -> list[str]:
    """Everything the app writes to the terminal (the headless driver writes nowhere)."""
    written: list[str] = []
    write = app._driver.write

    def recording(data: str) -> None:
        written.append(data)
        write(data)

    monkeypatch.setattr(app._driver, "write", recording)
    return written


def clipboard_writes(written: list[str]) -> list[str]:
    """The texts sent to the clipboard with OSC 52, decoded."""
    return [base64.b64decode(m).decode() for chunk in written for m in _OSC52.findall(chunk)]


@pytest.fixture
def no_browser(monkeypatch):
    monkeypatch.setattr(opener, "can_open_here", lambda *a, **k: False)


@pytest.fixture
def browser(monkeypatch) -> list[str]:
    opened: list[str] = []
    monkeypatch.setattr(opener, "can_open_here", lambda *a, **k: True)
    monkeypatch.setattr(opener, "open_in_browser", opened.append)
    return opened


async def test_y_and_a_letter_write_osc52_and_only_then(tmp_path, monkeypatch):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    notes = record_notes(app, monkeypatch)
    async with app.run_test(size=WIDE) as pilot:
        screen = await record_screen(pilot)
        written = terminal_output(app, monkeypatch)
        email = screen.email_list.cursor_email
        await pilot.press("j", "k", "r", "l", "escape")  # moving, refreshing, a menu: nothing goes to the clipboard
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, CopyMenu)
        assert clipboard_writes(written) == [], "y alone only shows the menu"
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, RecordScreen)
        assert clipboard_writes(written) == [email.subject]
        assert ("information", "", f"Copied the subject ({len(email.subject)} characters)") in notes
        await pilot.press("y", "escape")
        await settle(pilot)
        assert len(clipboard_writes(written)) == 1, "a cancelled menu copies nothing"


@pytest.mark.parametrize(
    "letter, expected",
    [
        ("f", lambda e, d: e.sender.email),
        ("t", lambda e, d: ", ".join(p.email for p in (*d.to, *d.cc))),
        ("i", lambda e, d: e.message_id),
    ],
    ids=["sender", "recipients", "message_id"],
)
async def test_y_copies_the_fields_of_the_email(tmp_path, monkeypatch, letter, expected):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await record_screen(pilot)
        await go_to_position(pilot, LEAD_MAIN, LINKED)  # To and Cc
        screen = await record_screen(pilot)
        written = terminal_output(app, monkeypatch)
        await pilot.press("y", letter)
        await settle(pilot)
        email, detail = screen.detail_view.email, screen.detail_view.detail
        assert detail.cc, "the showcase email has a Cc"
        assert clipboard_writes(written) == [expected(email, detail)]


async def test_y_b_copies_the_body_unwrapped_with_its_links(tmp_path, monkeypatch):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        screen = await record_screen(pilot)
        written = terminal_output(app, monkeypatch)
        before = len(detail_calls(sandbox))
        await pilot.press("y", "b")  # from the list at 80 columns: the body is read first (one call)
        await wait_until(pilot, lambda: clipboard_writes(written), "the body copied")
        assert len(detail_calls(sandbox)) == before + 1
        body = clipboard_writes(written)[0]
        assert "Links:\n[1] https://news.aelab.com/view/" in body
        # Paragraphs are not cut at the pane's width: a line is as long as its paragraph.
        assert max(len(line) for line in body.splitlines()) > 80
        assert "\x1b" not in body


async def test_l_picks_a_link_by_number_and_opens_it_where_a_browser_is(tmp_path, monkeypatch, browser):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = await record_screen(pilot)
        written = terminal_output(app, monkeypatch)
        targets = screen.detail_view.links.targets
        assert len(targets) >= 12 and all(t.startswith("https://") for t in targets)
        await pilot.press("l")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, LinkPicker) and picker.targets == targets
        await pilot.press("1", "1", "enter")
        await settle(pilot)
        assert browser == [targets[10]]
        assert clipboard_writes(written) == [], "opening copies nothing"


async def test_l_over_ssh_copies_and_shows_the_link(tmp_path, monkeypatch, no_browser):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    notes = record_notes(app, monkeypatch)
    async with app.run_test(size=WIDE) as pilot:
        screen = await record_screen(pilot)
        written = terminal_output(app, monkeypatch)
        target = screen.detail_view.links.targets[1]
        await pilot.press("l", "2", "enter")
        await settle(pilot)
        assert clipboard_writes(written) == [target]
        assert any(text.endswith(target) and "no browser here" in text for _s, _t, text in notes)
        await pilot.press("y", "l")  # the same picker, to copy
        await settle(pilot)
        assert isinstance(app.screen, LinkPicker)
        await pilot.press("3", "enter")
        await settle(pilot)
        assert clipboard_writes(written)[-1] == screen.detail_view.links.targets[2]


async def test_l_on_an_email_without_links_says_so(tmp_path, monkeypatch):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    notes = record_notes(app, monkeypatch)
    async with app.run_test(size=WIDE) as pilot:
        await record_screen(pilot)
        await go_to_position(pilot, LEAD_MAIN, 1)
        screen = await record_screen(pilot)
        assert screen.detail_view.links is not None and not screen.detail_view.links.targets
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, RecordScreen)
        assert ("information", "", "This email's body has no links.") in notes


async def test_w_opens_the_record_in_zoho_crm_or_copies_it_over_ssh(tmp_path, monkeypatch):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    opened: list[str] = []
    monkeypatch.setattr(opener, "open_in_browser", opened.append)
    async with app.run_test(size=WIDE) as pilot:
        await record_screen(pilot)
        written = terminal_output(app, monkeypatch)
        monkeypatch.setattr(opener, "can_open_here", lambda *a, **k: True)
        org_calls = lambda: [c for c in sandbox.calls if c.path.endswith("/org")]  # noqa: E731
        await pilot.press("w")
        await settle(pilot)
        assert opened == [WEB_LINK] and clipboard_writes(written) == []
        monkeypatch.setattr(opener, "can_open_here", lambda *a, **k: False)
        await pilot.press("w")
        await settle(pilot)
        assert opened == [WEB_LINK] and clipboard_writes(written) == [WEB_LINK]
        await pilot.press("y", "w")
        await settle(pilot)
        assert clipboard_writes(written) == [WEB_LINK, WEB_LINK]
        assert len(org_calls()) == 1, "the org is read once"


async def test_L_opens_the_linked_record(tmp_path):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await record_screen(pilot)
        await go_to_position(pilot, LEAD_MAIN, LINKED)
        screen = await record_screen(pilot)
        assert screen.email_list.cursor_email.linked_record.module == "Deals"
        await pilot.press("L")
        await wait_until(pilot, lambda: app.screen is not screen and isinstance(app.screen, RecordScreen), "the deal")
        deal = await record_screen(pilot)
        assert (deal.record.module, deal.record.id) == DEAL_MAIN


async def test_links_in_the_body_are_terminal_hyperlinks_to_the_whole_target(tmp_path):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        screen = await record_screen(pilot)
        await pilot.press("enter")
        screen = await record_screen(pilot)
        body = screen.detail_view.body
        targets = screen.detail_view.links.targets
        long_target = next(t for t in targets if len(t) > body.text_width)
        linked: dict[str, list[str]] = {}
        for index in range(body.line_count):
            for segment in body._strip(index):
                if segment.style is not None and segment.style.link:
                    linked.setdefault(segment.style.link, []).append(segment.text)
        assert set(linked) == set(targets)
        # Cut over lines by the pane's width, every piece links to the whole target, and the pieces make it.
        assert len(linked[long_target]) > 1 and "".join(linked[long_target]) == long_target


async def test_a_short_pane_scrolls_the_headers_with_the_body(tmp_path):
    app, sandbox = demo(LEAD_MAIN, tmp_path)
    async with app.run_test(size=(60, 15)) as pilot:
        screen = await record_screen(pilot)
        await pilot.press("enter")
        screen = await record_screen(pilot)
        view = screen.detail_view
        assert view.header_inline
        text = "\n".join(view.body.lines_text)
        for label in ("From", "To", "Reply-To", "Date", "Status", "Timeline"):
            assert re.search(rf"^{label} ", text, re.MULTILINE), label
        await pilot.resize_terminal(160, 48)
        await settle(pilot)
        assert not view.header_inline and not re.search(r"^Date ", "\n".join(view.body.lines_text), re.MULTILINE)


def test_find_links_joins_a_long_target_cut_over_lines():
    target = "https://t.example.com/" + "x" * 70
    lines = ["Read it here[1].", "", "Links:", "[1] " + target[:36], target[36:76], target[76:], "[2] https://b.example"]
    found = find_links(lines, 40)
    assert found.targets == [target, "https://b.example"]
    assert [s.start for s in found.spans[3]] == [4] and 5 in found.spans and found.spans[6][0].link == 1


def test_find_links_in_plain_text_follows_a_folded_address():
    url = "https://example.com/" + "a" * 30
    lines = ["see " + url[:16], url[16:36], url[36:] + ", then", "and http://b.example/x."]
    found = find_links(lines, 20)
    assert found.targets == [url, "http://b.example/x"]
    assert sorted(found.spans) == [0, 1, 2, 3]
