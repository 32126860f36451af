"""Launch: connecting, credentials problems, opening a record directly, the status line, the API call count."""

from __future__ import annotations

import asyncio

import pytest
from msgspec.structs import replace
from textual.widgets import Static

from tests.app.helpers import TestApp, failing_connect, make_demo_app, settle, wait_for_screen
from tests.app.record_helpers import hold_page_one, listed_at_mount, wait_until
from tui.app import DEMO_SUBTITLE, CrmEmailsApp
from tui.sandbox.data import CUSTOM_MAIN, LEAD_MAIN
from tui.screens.auth_problem import AuthProblemScreen
from tui.screens.connecting import QUIET_S, ConnectingScreen
from tui.screens.picker import PickerScreen
from tui.screens.record import RecordScreen
from tui.connect import demo_client, sandbox_credentials, token_source
from tui.widgets.status_line import StatusLine
from tui.zoho.auth import TokenSource
from tui.zoho.client import Retrying, ZohoClient
from tui.zoho.errors import CredentialsError, NetworkError


def screen_text(screen) -> str:
    return "\n".join(str(w.render()) for w in screen.query(Static))


async def test_says_it_is_connecting_until_the_client_is_ready(tmp_path):
    ready = asyncio.Event()
    client, _ = demo_client()

    async def connect() -> ZohoClient:
        await ready.wait()
        return client

    app = TestApp(connect, demo=True, state_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConnectingScreen) and not app.screen.drawn  # a quick one draws nothing
        await wait_until(pilot, lambda: "Starting the demo" in screen_text(app.screen), "the connecting line")
        assert app.virtual_clock.monotonic() >= QUIET_S  # drawn once the connection took a moment
        assert app.sub_title == DEMO_SUBTITLE == "DEMO DATA (sandbox)"
        ready.set()
        await wait_for_screen(pilot, PickerScreen)


async def test_a_quick_connection_never_draws_the_connecting_screen(tmp_path):
    # The demo connects within QUIET_S: its first frame worth seeing (the record) is not delayed by one that
    # would be gone at once.
    app, _ = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        # No virtual time passes until the record is up (a quick connection), however long that takes here.
        await wait_until(pilot, lambda: isinstance(app.screen, RecordScreen), "the record screen", advance=0)
        await settle(pilot)
        base = app.screen_stack[0]
        assert isinstance(base, ConnectingScreen) and not base.drawn and not base.children


async def test_missing_credentials_say_exactly_what_to_do(tmp_path):
    error = CredentialsError("NO_CREDENTIALS", "No Zoho credentials for profile 'default'.")
    app = TestApp(failing_connect(error), state_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_screen(pilot, AuthProblemScreen)
        text = screen_text(screen)
        for needed in (
            "No Zoho credentials for profile 'default'.",
            "NO_CREDENTIALS",
            "crm-emails auth login",
            "ZOHO_CLIENT_ID",
            "ZOHO_CLIENT_SECRET",
            "ZOHO_REFRESH_TOKEN",
            "keyrings.cryptfile",
            "keyrings.alt",
            "PYTHON_KEYRING_BACKEND",
            "dbus-run-session",
            "gnome-keyring-daemon --unlock",
            "crm-emails --demo",
        ):
            assert needed in text, needed
        assert "Traceback" not in text
        assert app.title == "crm-emails" and app.sub_title == ""


async def test_try_again_reconnects(tmp_path):
    attempts = []
    client, _ = demo_client()

    async def connect() -> ZohoClient:
        attempts.append(1)
        if len(attempts) == 1:
            raise CredentialsError("KEYRING", "The keyring is locked.")
        return client

    app = TestApp(connect, state_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, AuthProblemScreen)
        await pilot.press("r")
        await wait_for_screen(pilot, PickerScreen)
        assert len(attempts) == 2


async def test_refused_credentials_on_the_first_call_open_the_auth_problem_screen(tmp_path):
    _, sandbox = demo_client()
    from tui.sandbox.transport import SandboxTransport

    transport = SandboxTransport(sandbox)
    revoked = replace(sandbox_credentials(), refresh_token="1000.revoked.revoked")
    client = ZohoClient(token_source(revoked, transport=transport), transport=transport)

    async def connect() -> ZohoClient:
        return client

    app = TestApp(connect, state_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_screen(pilot, AuthProblemScreen)
        text = screen_text(screen)
        assert "Zoho did not accept the credentials" in text
        assert "crm-emails auth login" in text


async def test_a_bug_while_connecting_is_a_sentence_not_a_traceback(tmp_path):
    app = TestApp(failing_connect(RuntimeError("boom")), state_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_screen(pilot, AuthProblemScreen)
        assert "RuntimeError: boom" in screen_text(screen)


async def test_start_opens_the_record_with_its_name(tmp_path):
    app, sandbox = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await wait_for_screen(pilot, RecordScreen)
        assert screen.record.name == "Ada Lovelace"
        assert app.screen_stack[1:] == [screen]  # over the connecting screen, nothing else
        assert any(c.path.endswith(f"/Leads/{LEAD_MAIN[1]}") for c in sandbox.calls)
        await settle(pilot)
        assert [r.id for r in app.recent_records] == [LEAD_MAIN[1]]


@pytest.mark.parametrize("fault", ["429", "drop"], ids=["rate_limited", "offline"])
async def test_a_name_missed_at_start_comes_once_zoho_answers(tmp_path, monkeypatch, fault):
    app, sandbox = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    sandbox.faults.always = fault

    def record_calls() -> int:
        return sandbox.count(lambda c: c.path.endswith(f"/Leads/{LEAD_MAIN[1]}"))

    async with app.run_test(size=(100, 30)) as pilot:
        screen = await wait_for_screen_now(pilot, RecordScreen)
        assert screen.record.name is None and screen.title.startswith(LEAD_MAIN[1])
        await wait_until(pilot, lambda: screen.email_list.error_panel.error is not None or fault == "drop", timeout=30)
        at_start = record_calls()  # the client's tries
        sandbox.faults.always = None
        if fault == "429":
            await pilot.press("r")  # the list's error says r retries
        await wait_until(pilot, lambda: screen.record.name == "Ada Lovelace", timeout=30)
        assert screen.title == "Ada Lovelace · Lead"
        assert str(screen.query_one(StatusLine).context).startswith("Ada Lovelace · ")
        await settle(pilot)
        assert [r.name for r in app.recent_records] == ["Ada Lovelace"]
        # Asked once more, not on every answer.
        assert record_calls() == at_start + 1
        await pilot.press("r")
        await settle(pilot)
        assert record_calls() == at_start + 1


async def test_a_name_missed_for_good_is_asked_only_once_more(tmp_path):
    """The second try failing too leaves the id: no call for the name on each answer after it."""
    app, sandbox = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    sandbox.faults.always = "429"
    path = f"/Leads/{LEAD_MAIN[1]}"
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await wait_for_screen_now(pilot, RecordScreen)
        await wait_until(pilot, lambda: screen.email_list.error_panel.error is not None, timeout=30)
        sandbox.faults.always = None
        real = sandbox.handle

        def refusing_the_record(method, target, headers, body=b"", **kw):
            if target.split("?")[0].endswith(path):
                sandbox.faults.always = "429"  # this call only (the handler runs on the event loop, one at a time)
                try:
                    return real(method, target, headers, body, **kw)
                finally:
                    sandbox.faults.always = None
            return real(method, target, headers, body, **kw)

        sandbox.handle = refusing_the_record
        at_start = sandbox.count(lambda c: c.path.endswith(path))
        await pilot.press("r")
        await settle(pilot)
        tried = sandbox.count(lambda c: c.path.endswith(path))
        assert tried > at_start  # it was asked again (and refused, with the client's retries)
        await pilot.press("r")
        await settle(pilot)
        assert sandbox.count(lambda c: c.path.endswith(path)) == tried
        assert screen.record.name is None and screen.title.startswith(LEAD_MAIN[1])


async def wait_for_screen_now(pilot, screen_type):
    """The screen once it is on top and titled, without waiting for its workers (an offline list never finishes)."""
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, screen_type) and pilot.app.screen.title, timeout=30)
    return pilot.app.screen


async def test_start_in_a_custom_module_names_the_record_by_its_display_field(tmp_path):
    app, _ = make_demo_app(start=CUSTOM_MAIN, state_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await wait_for_screen(pilot, RecordScreen)
        assert screen.record.name == "Apollo Guidance"


async def test_an_unknown_record_still_opens_by_id(tmp_path):
    app, _ = make_demo_app(start=("Leads", "4150868000000999999"), state_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await wait_for_screen(pilot, RecordScreen)
        assert screen.record.id == "4150868000000999999"
        assert screen.record.name is None


async def test_api_calls_follow_the_client(tmp_path):
    app, sandbox = make_demo_app(state_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        picker = await wait_for_screen(pilot, PickerScreen)
        await pilot.pause(0.6)
        assert app.api_calls == app.client.calls == len(sandbox.calls) > 0
        line = str(picker.query_one(StatusLine).render())
        assert line.startswith("DEMO")
        assert line.rstrip().endswith(f"API calls: {app.api_calls}")


async def test_connection_note_counts_down_and_clears_when_zoho_answers(tmp_path):
    app, _ = make_demo_app(state_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        picker = await wait_for_screen(pilot, PickerScreen)
        app.note_connection(Retrying(1, 4.0, "connect failed", NetworkError("Zoho could not be reached")))
        assert app.connection_note == "offline — retrying in 4 s"
        await pilot.pause(0.1)
        assert "offline — retrying in 4 s" in str(picker.query_one(StatusLine).render())
        app.note_connection(Retrying(2, 0.0, "429", _rate_limited()))
        await pilot.pause(0.6)
        assert app.connection_note == "rate limited — retrying…"
        await app.client.org()
        assert app.connection_note == ""


async def test_connection_note_says_since_when_once_the_client_gives_up(tmp_path):
    """Retries spent, the error on screen: the status line must not go on saying "retrying…"."""
    app, sandbox = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    sandbox.faults.always = "429"
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await wait_for_screen(pilot, RecordScreen)
        await settle(pilot)
        assert screen.email_list.error_panel.error is not None
        assert app.connection_note.startswith("rate limited since ")
        assert "retrying" not in str(screen.query_one(StatusLine).render())


def _rate_limited():
    from tui.zoho.errors import RateLimitedError

    return RateLimitedError("TOO_MANY_REQUESTS", "API limit exceeded", status=429)


async def test_status_line_shows_the_profile_when_not_demo(tmp_path):
    client, _ = demo_client()

    async def connect() -> ZohoClient:
        return client

    app = TestApp(connect, profile="work", state_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        picker = await wait_for_screen(pilot, PickerScreen)
        assert str(picker.query_one(StatusLine).render()).startswith("work · pick a record")


@pytest.fixture
def collector_held():
    """The collector held off as `crm-emails` holds it while it starts; everything as it was after."""
    import gc

    from tui import startup_gc

    startup_gc.hold()
    assert startup_gc.held() and not gc.isenabled()
    yield
    startup_gc.release()
    gc.unfreeze()  # the test process's objects go back to the collector's generations
    gc.enable()


async def test_the_collector_held_off_at_start_runs_again_once_the_record_is_painted(
    tmp_path, collector_held, monkeypatch
):
    import gc

    import tui.app

    monkeypatch.setattr(tui.app, "GC_HELD_AT_MOST_S", 3600.0)  # only the painted record turns it on
    app, _ = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path)
    painted_before: list[int] = []
    async with app.run_test(size=(80, 24)) as pilot:

        def on() -> bool:
            if gc.isenabled() and not painted_before:
                screen = app.screen
                painted_before.append(screen.email_list.count if isinstance(screen, RecordScreen) else 0)
            return gc.isenabled()

        await wait_until(pilot, on, "the collector on again", advance=0)
        assert painted_before[0] >= 10  # not before the first page was on screen
        assert gc.get_freeze_count() > 0  # what the start made is out of its scans


async def test_the_collector_runs_again_when_no_record_is_ever_shown(tmp_path, collector_held, monkeypatch):
    import gc

    import tui.app

    monkeypatch.setattr(tui.app, "GC_HELD_AT_MOST_S", 0.01)
    error = CredentialsError("NO_CREDENTIALS", "No Zoho credentials for profile 'default'.")
    app = TestApp(failing_connect(error), state_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, AuthProblemScreen)
        await wait_until(pilot, gc.isenabled, "the collector on again", advance=0)


def test_the_collector_is_left_off_when_something_else_turned_it_off():
    import gc

    from tui import startup_gc

    gc.disable()
    try:
        startup_gc.hold()
        startup_gc.release()
        assert not gc.isenabled() and gc.get_freeze_count() == 0
    finally:
        gc.enable()


async def test_page_one_is_asked_with_the_records_name_and_drawn_with_the_screen(tmp_path, monkeypatch):
    """No store to read first: the first frame of the record screen has its rows (no empty frame, no round trip)."""
    listed = listed_at_mount(monkeypatch)
    app, sandbox = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path, use_store=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, RecordScreen), "the record screen")
        await settle(pilot)
        assert listed == [10]
        firsts = [c for c in sandbox.calls if c.path.endswith("/Emails") and c.params.get("index") is None]
        assert len(firsts) == 1


async def test_a_page_one_still_out_when_the_screen_shows_is_joined_not_asked_again(tmp_path, monkeypatch):
    released = hold_page_one(monkeypatch)
    app, sandbox = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path, use_store=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, RecordScreen), "the record screen")
        screen = app.screen
        await pilot.pause()
        assert screen.email_list.count == 0 and screen.feed.paging  # page one is out: "loading emails…"
        released.set()
        await wait_until(pilot, lambda: screen.email_list.count >= 10, "page one on screen")
        await settle(pilot)
        firsts = [c for c in sandbox.calls if c.path.endswith("/Emails") and c.params.get("index") is None]
        assert len(firsts) == 1 and app.bugs == 0
        assert screen.email_list.count == screen.feed.count >= 20  # and the pages after it, as always at 80×24


async def test_page_one_asked_early_is_tried_once_when_its_screen_is_gone(tmp_path, monkeypatch):
    """Offline at start, then another record: the first record's page one is not retried with nobody to see it."""
    from tui.sandbox.data import LEAD_TEN
    from tui.zoho.models import Record

    tries: list[int] = []
    list_emails = ZohoClient.list_emails

    async def offline_for_main(self, module, record_id, **kwargs):
        if record_id == LEAD_MAIN[1] and kwargs.get("index") is None:
            tries.append(1)
            raise NetworkError("offline")
        return await list_emails(self, module, record_id, **kwargs)

    monkeypatch.setattr(ZohoClient, "list_emails", offline_for_main)
    app, _ = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path, use_store=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, RecordScreen) and app.screen.is_mounted and bool(tries),
                         "the first try")
        first = app.screen
        app.open_record(Record(*LEAD_TEN))
        await wait_until(pilot, lambda: app.screen is not first and isinstance(app.screen, RecordScreen), "another record")
        at_close = len(tries)
        await app.virtual_clock.run_until_idle(horizon=20 * 60)  # twenty minutes of backoff, had any been left
        assert len(tries) == at_close


async def test_a_record_reopened_while_its_early_page_one_is_out_shows_it_when_it_lands(tmp_path, monkeypatch):
    from tui.sandbox.data import LEAD_TEN
    from tui.zoho.models import Record

    released = hold_page_one(monkeypatch, LEAD_MAIN[1])
    app, _ = make_demo_app(start=LEAD_MAIN, state_dir=tmp_path, use_store=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, RecordScreen) and app.screen.is_mounted, "the record screen")
        first = app.screen
        app.open_record(Record(*LEAD_TEN))
        await wait_until(pilot, lambda: app.screen is not first and isinstance(app.screen, RecordScreen), "another record")
        other = app.screen
        await wait_until(pilot, lambda: other.is_mounted and other.email_list.count > 0, "its rows")
        app.open_record(first.record)
        await wait_until(pilot, lambda: isinstance(app.screen, RecordScreen) and app.screen.record.id == LEAD_MAIN[1],
                         "the first record again")
        again = app.screen
        released.set()
        await wait_until(pilot, lambda: again.is_mounted and again.email_list.count >= 10, "its page one on screen")
        await settle(pilot)
        assert again.email_list.count == again.feed.count and app.bugs == 0


@pytest.mark.parametrize("record", ["LEAD_ONE", "LEAD_TEN"])
async def test_a_small_record_whose_page_one_came_before_its_screen_is_a_recent_record(tmp_path, record):
    """Page one can land before the record's screen mounts (asked with its name): no page is loaded after it, and
    the record is remembered all the same."""
    from tui.sandbox import data

    target = getattr(data, record)
    app, _ = make_demo_app(start=target, state_dir=tmp_path, use_store=False)
    async with app.run_test(size=(100, 60)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, RecordScreen), "the record screen")
        await settle(pilot)
        assert [(r.module, r.id) for r in app.recent_records] == [target]


def test_the_collector_is_on_again_when_the_app_never_starts():
    import gc

    from tui import cli, startup_gc

    try:
        assert cli.main(["not a record"]) == 2  # a usage error, before anything is painted
        assert gc.isenabled() and not startup_gc.held()
    finally:
        gc.unfreeze()
        gc.enable()
