"""The `crm-emails` command end to end, against `crm-emails sandbox` on loopback."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from keyring_backends import asking_keyring, fail_keyring, memory_keyring  # noqa: F401
from tui import cli
from tui.credentials import SERVICE
from tui.sandbox import data

PYTHON = sys.executable


def crm_emails(*args: str, env: dict[str, str] | None = None, stdin: str | None = None, timeout: float = 120):
    return subprocess.run(
        [PYTHON, "-m", "tui", *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def sandbox_env() -> Iterator[dict[str, str]]:
    """A real `crm-emails sandbox` process on a free loopback port, and the environment its banner prints."""
    server = subprocess.Popen(
        [PYTHON, "-m", "tui", "sandbox", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        exports: dict[str, str] = {}
        deadline = time.monotonic() + 30
        while "ZOHO_ACCOUNTS_URL" not in exports:
            assert time.monotonic() < deadline, "the sandbox printed no banner"
            line = server.stdout.readline()
            assert line, f"the sandbox exited: {server.stderr.read()}"
            if match := re.match(r"export (ZOHO_\w+)=(\S+)", line):
                exports[match[1]] = match[2].strip("'")
        env = {k: v for k, v in os.environ.items() if not k.startswith("ZOHO_")}
        env.update(exports)
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
        yield env
    finally:
        server.terminate()
        server.wait(timeout=10)


def newest_first(times: list[str]) -> bool:
    """Zoho lists emails newest first; the times carry different UTC offsets, so compare instants."""
    instants = [datetime.fromisoformat(t) for t in times]
    return instants == sorted(instants, reverse=True)


def test_help_answers_without_loading_textual():
    """--help is as quick as Python starting (python -m tui.bench, figure 3): none of the heavy imports."""
    heavy = ("textual", "httpx", "keyring", "rich", "typing", "shutil")
    probe = (
        "import sys; before = set(sys.modules); from tui.cli import main; main(['--help']); "
        f"print(sorted(m for m in {heavy!r} if m in sys.modules and m not in before))"
    )
    result = subprocess.run([PYTHON, "-c", probe], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0
    assert "Read the emails of a Zoho CRM record" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_the_record_screen_loads_without_what_only_later_keys_need():
    """First paint (python -m tui.bench, figure 1): the record screen's modules leave out the HTML converter, the
    store's search language and SQLite (the store's own thread imports those), and the menus' screens."""
    later = ("html2text", "sqlite3", "tui.store.query", "tui.screens.help", "tui.screens.picker", "tui.screens.type_filter",
             "tui.screens.copy_menu", "tui.screens.link_picker", "tui.screens.attachment_menu")
    probe = (
        "import sys; import tui.app, tui.connect, tui.screens.record; "
        f"print(sorted(m for m in {later!r} if m in sys.modules))"
    )
    result = subprocess.run([PYTHON, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_the_menus_load_behind_the_first_frame():
    """Figure 10: the menus' modules are not imported before the record's first frame (the test above), and are
    imported on a thread of their own once it is out: the first `t`, `?` and ctrl+p do not wait for them."""
    probe = textwrap.dedent("""
        import asyncio, sys, threading
        from tests.app.helpers import make_demo_app
        from tui.app import MENU_MODULES
        from tui.sandbox.data import LEAD_MAIN
        from tui.screens.record import RecordScreen

        async def main():
            app, _ = make_demo_app(LEAD_MAIN)
            at_first_frame = []
            shown = app.shown
            def counting_shown():
                at_first_frame.append([m for m in MENU_MODULES if m in sys.modules])
                shown()
            app.shown = counting_shown
            async with app.run_test(size=(80, 24)) as pilot:
                while not at_first_frame:
                    await pilot.pause()
                await pilot.pause()
                assert isinstance(app.screen, RecordScreen)
                for thread in threading.enumerate():
                    if thread.name == "menus":
                        thread.join(30)
                print(at_first_frame[0], [m for m in MENU_MODULES if m not in sys.modules])

        asyncio.run(main())
    """)
    result = subprocess.run([PYTHON, "-c", probe], capture_output=True, text=True, timeout=120, cwd=Path(__file__).parents[1])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[] []"


def test_a_client_loads_httpx_with_its_first_request():
    """Reopen (python -m tui.bench, figure 2): a record the store holds paints before anything is sent, so httpx
    (a tenth of a start with ssl, urllib.request, email...) and the demo's sandbox load with the first request."""
    probe = (
        "import sys, asyncio; import tui.app, tui.screens.record, tui.session.record, tui.session.keeper; "
        "from tui.connect import client_from_credentials, demo_client_later, sandbox_credentials; "
        "clients = [demo_client_later(), client_from_credentials(sandbox_credentials())]; "
        "print(sorted(m for m in ('httpx', 'tui.sandbox.app') if m in sys.modules)); "
        "from tui.sandbox.data import LEAD_TEN; page = asyncio.run(clients[0].list_emails(*LEAD_TEN)); "
        "print(len(page.emails), 'httpx' in sys.modules, 'tui.sandbox.app' in sys.modules)"
    )
    result = subprocess.run([PYTHON, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-2:] == ["[]", "10 True True"]


def test_opening_the_store_leaves_the_search_language_for_the_first_search():
    probe = "import sys, tui.store.store; print(sorted(m for m in ('tui.store.query', 'tui.store.search') if m in sys.modules))"
    result = subprocess.run([PYTHON, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_off_a_terminal_the_app_says_why_and_does_not_start():
    """Textual's input thread would read an ended stdin forever (a core spent, no key ever arriving)."""
    result = subprocess.run(
        [PYTHON, "-m", "tui", "--demo", "--no-store"], stdin=subprocess.DEVNULL, capture_output=True, text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("crm-emails: the app reads its keys from a terminal, and standard input is not")
    assert "crm-emails export" in result.stderr and result.stderr.count("\n") == 1
    # A terminal to type in, but the frames would go into a pipe.
    main, side = pty.openpty()
    try:
        result = subprocess.run(
            [PYTHON, "-m", "tui", "--demo", "--no-store"], stdin=side, capture_output=True, text=True, timeout=60
        )
    finally:
        os.close(main)
        os.close(side)
    assert result.returncode == 2
    assert result.stderr.startswith("crm-emails: the app draws on standard error, and it is not a terminal")


def test_usage_errors_exit_2():
    assert cli.main(["Leads", "1", "extra"]) == 2
    assert cli.main(["not-a-url"]) == 2
    assert cli.main(["export", "Leads"]) == 2
    assert cli.main(["export", "Leads", "1", "--owner-id", "5"]) == 2


def test_module_names_are_forgiving():
    assert cli.parse_target(["leads", "1"]) == ("Leads", "1")
    assert cli.parse_target(["salesorders", "1"]) == ("Sales_Orders", "1")
    assert cli.parse_target(["Projects", "1"]) == ("Projects", "1")


@pytest.mark.parametrize("argv", [["--port", "99999"], ["--port", "-1"], ["--latency", "-5"]])
def test_bad_sandbox_options_are_usage_errors(argv, capsys):
    assert cli.main(["sandbox", *argv]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_sandbox_latency_from_the_spec_is_kept_and_the_flag_wins():
    def faults(*argv: str):
        return cli.sandbox_faults(cli.parse(["sandbox", *argv]))

    assert faults().latency_ms == 0
    assert faults("--faults", "latency=300,429=0.1").latency_ms == 300
    assert faults("--faults", "latency=300", "--latency", "50").latency_ms == 50
    assert faults("--latency", "0", "--faults", "latency=300").latency_ms == 0


@pytest.fixture
def sandbox_server(monkeypatch):
    """An in-process sandbox server, and the environment pointing this process at it."""
    from tui.sandbox.app import Sandbox
    from tui.sandbox.server import SandboxServer

    with SandboxServer(Sandbox()) as server:
        for name, value in (("ZOHO_CLIENT_ID", data.CLIENT_ID), ("ZOHO_CLIENT_SECRET", data.CLIENT_SECRET),
                            ("ZOHO_REFRESH_TOKEN", data.REFRESH_TOKEN), ("ZOHO_API_DOMAIN", server.url),
                            ("ZOHO_ACCOUNTS_URL", server.url)):
            monkeypatch.setenv(name, value)
        yield server


@pytest.fixture
def keyring_sandbox(monkeypatch, memory_keyring):  # noqa: F811
    """A sandbox server with only the two scopes emails need, and no credentials in the environment."""
    from tui.sandbox.app import Sandbox
    from tui.sandbox.server import SandboxServer

    with SandboxServer(Sandbox(scopes=("ZohoCRM.modules.READ", "ZohoCRM.modules.emails.READ"))) as server:
        monkeypatch.setenv("ZOHO_ACCOUNTS_URL", server.url)
        monkeypatch.setattr(sys, "stdin", io.StringIO(f"{data.CLIENT_SECRET}\n"))
        yield server


def test_login_without_the_org_scope_still_succeeds(keyring_sandbox, memory_keyring, capsys):  # noqa: F811
    assert cli.main(["auth", "login", "--client-id", data.CLIENT_ID, "--code", data.GRANT_CODE]) == 0
    out = capsys.readouterr().out
    assert f"API domain: {keyring_sandbox.url}" in out
    assert "Org: not readable (OAUTH_SCOPE_MISMATCH" in out
    assert (SERVICE, "default") in memory_keyring.entries


def test_status_proves_the_refresh_token_works_even_with_a_cached_access_token(keyring_sandbox, memory_keyring, capsys):  # noqa: F811
    assert cli.main(["auth", "login", "--client-id", data.CLIENT_ID, "--code", data.GRANT_CODE]) == 0
    stored = json.loads(memory_keyring.entries[(SERVICE, "default")])
    sandbox = keyring_sandbox.sandbox
    token_calls = len(sandbox.token_calls)

    assert cli.main(["auth", "status"]) == 0
    assert "Refresh: works" in capsys.readouterr().out
    assert [c.params["grant_type"] for c in sandbox.token_calls[token_calls:]] == ["refresh_token"]
    fresh = json.loads(memory_keyring.entries[(SERVICE, "default")])["access_token"]
    assert fresh != stored["access_token"], "the new token is kept for the next launch"

    sandbox.handle("POST", f"/oauth/v2/token/revoke?token={stored['refresh_token']}", {})
    assert cli.main(["auth", "status"]) == 1
    out = capsys.readouterr().out
    assert "Refresh: failed" in out and "invalid_code" in out


def test_logout_says_when_there_was_nothing_to_forget(memory_keyring, monkeypatch, capsys):  # noqa: F811
    assert cli.main(["auth", "logout"]) == 0
    assert "Nothing stored for profile 'default'" in capsys.readouterr().out
    for name in ("ZOHO_CLIENT_ID", "ZOHO_CLIENT_SECRET", "ZOHO_REFRESH_TOKEN"):
        monkeypatch.setenv(name, "x")
    assert cli.main(["auth", "logout"]) == 0
    assert "still set in the environment" in capsys.readouterr().out


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("on_terminal", [True, False])
def test_a_file_keyring_asks_for_its_password_on_the_terminal_first(asking_keyring, monkeypatch, capsys, on_terminal):  # noqa: F811
    """Like keyrings.cryptfile: asked on the main thread, untimed, before any bounded keyring call."""
    from tui.sandbox.app import Sandbox
    from tui.sandbox.server import SandboxServer

    monkeypatch.setattr(sys, "stdin", Terminal() if on_terminal else io.StringIO())
    with SandboxServer(Sandbox()) as server:
        blob = {"client_id": data.CLIENT_ID, "client_secret": data.CLIENT_SECRET, "refresh_token": data.REFRESH_TOKEN,
                "accounts_url": server.url, "api_domain": server.url}
        asking_keyring.entries[(SERVICE, "default")] = json.dumps(blob)
        status = cli.main(["auth", "status"])
    captured = capsys.readouterr()
    if on_terminal:
        assert status == 0, captured.err
        assert asking_keyring.asked_on == ["MainThread"]
        assert "Refresh: works" in captured.out
    else:  # nobody to answer: the bounded call fails with the ways out
        assert status == 1
        assert asking_keyring.asked_on == []
        assert "KEYRING" in captured.err and "PYTHON_KEYRING_BACKEND" in captured.err


def test_login_does_not_spend_the_grant_code_when_the_keyring_fails(fail_keyring, monkeypatch, capsys):  # noqa: F811
    from tui.sandbox.app import Sandbox
    from tui.sandbox.server import SandboxServer

    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{data.CLIENT_SECRET}\n"))
    with SandboxServer(Sandbox()) as server:
        monkeypatch.setenv("ZOHO_ACCOUNTS_URL", server.url)
        assert cli.main(["auth", "login", "--client-id", data.CLIENT_ID, "--code", data.GRANT_CODE]) == 1
        assert server.sandbox.token_calls == []
    assert "no keyring backend" in capsys.readouterr().err


def test_a_usage_error_leaves_the_output_file_alone(sandbox_server, tmp_path):
    out = tmp_path / "emails.jsonl"
    out.write_text("the last good export\n")
    assert cli.main(["export", *data.LEAD_TEN, "--type", "sent", "-o", str(out)]) == 2
    assert cli.main(["export", *data.LEAD_TEN, "--type", "all_contacts_sent_crm_emails", "-o", str(out)]) == 2
    assert out.read_text() == "the last good export\n"
    assert sandbox_server.sandbox.calls == []


def test_an_export_cut_short_says_the_output_is_incomplete(sandbox_server, monkeypatch, capsys):
    from tui.sandbox.wire import zoho_error

    sandbox = sandbox_server.sandbox
    answer = sandbox.handle

    def third_page_refused(method, target, headers, body=b"", **kwargs):
        if "/Emails" in target and sandbox.count("/Emails") >= 2:
            return zoho_error(400, "CANNOT_PROCESS", "IMAP sync in progress")
        return answer(method, target, headers, body, **kwargs)

    monkeypatch.setattr(sandbox, "handle", third_page_refused)
    assert cli.main(["export", *data.LEAD_MAIN]) == 1
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 20
    assert "Stopped after 20 emails (3 API calls): the output is incomplete." in captured.err
    assert "CANNOT_PROCESS" in captured.err and "Exported" not in captured.err


def test_a_reader_that_goes_away_ends_the_export_quietly(sandbox_env):
    export = subprocess.Popen(
        [PYTHON, "-m", "tui", "export", *data.LEAD_BULK], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=sandbox_env
    )
    assert json.loads(export.stdout.readline())["message_id"]
    export.stdout.close()  # like `| head -1`
    assert export.wait(timeout=60) == 141
    assert "Traceback" not in export.stderr.read().decode()


def test_sandbox_refuses_a_non_loopback_host():
    result = crm_emails("sandbox", "--host", "0.0.0.0", "--port", "0", timeout=30)
    assert result.returncode == 2
    assert "loopback" in result.stderr


def test_export_writes_every_email_once_in_order(sandbox_env, tmp_path):
    module, record_id = data.LEAD_ELEVEN
    out = tmp_path / "emails.jsonl"
    result = crm_emails("export", module, record_id, "-o", str(out), env=sandbox_env)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 11
    assert len({r["message_id"] for r in rows}) == 11
    assert "content" not in rows[0]
    assert newest_first([r["time"] for r in rows]), "the API's order is kept"
    assert "Exported 11 emails" in result.stderr


def test_export_with_bodies_merges_the_detail(sandbox_env):
    module, record_id = data.LEAD_TEN
    result = crm_emails("export", module, record_id, "--bodies", env=sandbox_env)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 10
    assert all("content" in r and "owner" in r for r in rows)


def test_export_of_an_empty_record_writes_nothing(sandbox_env):
    result = crm_emails("export", *data.LEAD_EMPTY, env=sandbox_env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert "Exported 0 emails" in result.stderr


@pytest.mark.parametrize(
    ("record", "code"),
    [(data.LEAD_NO_PERMISSION, "NO_PERMISSION"), (data.LEAD_CANNOT_PROCESS, "CANNOT_PROCESS"), (("Leads", "1"), "INVALID_DATA")],
)
def test_export_api_errors_exit_1_with_code_and_hint(sandbox_env, record, code):
    result = crm_emails("export", *record, env=sandbox_env)
    assert result.returncode == 1
    assert code in result.stderr
    assert "what to do:" in result.stderr
    assert "Traceback" not in result.stderr


def test_export_type_rules_are_checked_before_any_call(sandbox_env):
    result = crm_emails("export", *data.LEAD_TEN, "--type", "all_contacts_sent_crm_emails", env=sandbox_env)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_export_of_5000_emails_is_complete_and_stays_under_60_mb(sandbox_env, tmp_path):
    """Streams: every email exactly once, in order, with flat memory (max RSS of the export process)."""
    out = tmp_path / "bulk.jsonl"
    measure = (
        "import resource, subprocess, sys; "
        "r = subprocess.run(sys.argv[1:]); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(r.returncode)"
    )
    result = subprocess.run(
        [PYTHON, "-c", measure, PYTHON, "-m", "tui", "export", *data.LEAD_BULK, "-o", str(out)],
        capture_output=True,
        text=True,
        env=sandbox_env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    max_rss_mb = int(result.stdout.strip().splitlines()[-1]) / 1024
    rows = [json.loads(line) for line in out.open()]
    assert len(rows) == 5000
    assert len({r["message_id"] for r in rows}) == 5000
    assert newest_first([r["time"] for r in rows]), "the API's order is kept"
    assert max_rss_mb < 60, f"export peaked at {max_rss_mb:.1f} MB"


def test_auth_login_status_logout_against_the_sandbox(sandbox_env, tmp_path):
    """login stores in a real file keyring backend; status refreshes; logout forgets."""
    env = dict(sandbox_env)
    for name in ("ZOHO_CLIENT_ID", "ZOHO_CLIENT_SECRET", "ZOHO_REFRESH_TOKEN"):
        env.pop(name)
    keyring_dir = tmp_path / "keyring"
    keyring_dir.mkdir()
    # A plain-file backend defined in this test folder: a real KeyringBackend, not a mock.
    env["PYTHONPATH"] = str(Path(__file__).parent / "support")
    env["PYTHON_KEYRING_BACKEND"] = "file_keyring.FileKeyring"
    env["FILE_KEYRING_PATH"] = str(keyring_dir / "store.json")
    login = crm_emails(
        "auth", "login", "--dc", "eu", "--client-id", data.CLIENT_ID, env=env,
        stdin=f"{data.CLIENT_SECRET}\n{data.GRANT_CODE}\n",
    )
    assert login.returncode == 0, login.stderr
    assert "Org: Analytical Engines Demo" in login.stdout
    assert data.CLIENT_SECRET not in login.stdout + login.stderr

    status = crm_emails("auth", "status", env=env)
    assert status.returncode == 0, status.stderr
    assert "Credentials: the keyring backend file_keyring.FileKeyring (profile 'default')" in status.stdout
    assert "Refresh: works" in status.stdout
    assert "in the keyring backend file_keyring.FileKeyring (data center eu)" in login.stdout
    (entry,) = json.loads((keyring_dir / "store.json").read_text()).values()
    secrets = json.loads(entry)
    for name in ("client_secret", "refresh_token", "access_token"):
        assert secrets[name], f"{name} lives in the keyring"
        assert secrets[name] not in login.stdout + login.stderr + status.stdout + status.stderr

    export = crm_emails("export", *data.LEAD_ONE, env=env)
    assert export.returncode == 0, export.stderr
    assert len(export.stdout.splitlines()) == 1
    assert "Exported 1 email (1 API call)." in export.stderr

    logout = crm_emails("auth", "logout", "--revoke", env=env)
    assert logout.returncode == 0, logout.stderr
    after = crm_emails("auth", "status", env=env)
    assert after.returncode == 1
    assert "crm-emails auth login" in after.stderr


def test_auth_login_with_a_used_grant_code_says_what_to_do(sandbox_env, tmp_path):
    env = dict(sandbox_env)
    env["PYTHONPATH"] = str(Path(__file__).parent / "support")
    env["PYTHON_KEYRING_BACKEND"] = "file_keyring.FileKeyring"
    env["FILE_KEYRING_PATH"] = str(tmp_path / "store.json")
    result = crm_emails(
        "auth", "login", "--client-id", data.CLIENT_ID, "--code", "1000.not-a-real-code", env=env, stdin=f"{data.CLIENT_SECRET}\n"
    )
    assert result.returncode == 1
    assert "invalid_code" in result.stderr and "grant code" in result.stderr


# --- export: what a misbehaving Zoho or a failing disk cannot do ------------------------------------

C1_AND_BIDI = re.compile("[\x80-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def tamper(monkeypatch, sandbox, change):
    """Answer each request through `change(method, target, answer) -> answer or None` (None: as Zoho would)."""
    answer = sandbox.handle

    def handle(method, target, headers, body=b"", **kwargs):
        return change(method, target, lambda: answer(method, target, headers, body, **kwargs)) or \
            answer(method, target, headers, body, **kwargs)

    monkeypatch.setattr(sandbox, "handle", handle)


def refuse_page(monkeypatch, sandbox, after_pages: int):
    """The list call after `after_pages` pages is refused (CANNOT_PROCESS) until `lift()`."""
    from tui.sandbox.wire import zoho_error

    state = {"on": True}

    def change(method, target, answer):
        if state["on"] and target.split("?")[0].endswith("/Emails") and sandbox.count("/Emails") >= after_pages:
            return zoho_error(400, "CANNOT_PROCESS", "IMAP sync in progress")
        return None

    tamper(monkeypatch, sandbox, change)
    return lambda: state.update(on=False)


def lines_of(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_export_escapes_c1_and_bidi_controls(sandbox_server, tmp_path):
    out = tmp_path / "hostile.jsonl"
    assert cli.main(["export", *data.CONTACT_HOSTILE, "--bodies", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert not C1_AND_BIDI.findall(text), "a cat of the file would act on the terminal"
    assert "\\u009b" in text and "\\u202e" in text  # escaped, so the JSON still says exactly what Zoho sent
    subjects = [row["subject"] for row in lines_of(out)]
    assert any("\u202e" in s for s in subjects) and any("\x9b" in s for s in subjects)


def test_export_writes_each_message_id_once(sandbox_server, monkeypatch, capsys):
    """Page 2 repeats three emails of page 1: each is written once."""
    from tui.sandbox.wire import json_answer

    sandbox = sandbox_server.sandbox
    first_page: list[dict] = []

    def change(method, target, answer):
        if not target.split("?")[0].endswith("/Emails"):
            return None
        response = answer()
        body = response.json()
        if not first_page:
            first_page.extend(body["Emails"])
        elif "index" in target and len(first_page) == 10 and sandbox.count("/Emails") == 2:
            body["Emails"][:3] = first_page[:3]
        return json_answer(body)

    tamper(monkeypatch, sandbox, change)
    assert cli.main(["export", *data.LEAD_MAIN]) == 0
    ids = [json.loads(line)["message_id"] for line in capsys.readouterr().out.splitlines()]
    assert len(ids) == len(set(ids)) == 247


@pytest.mark.parametrize(("misbehaviour", "says", "calls"), [
    ("empty-pages", "was empty but said more emails follow", 1),
    ("repeat-pages", "held only emails it had already sent", 2),
])
def test_export_ends_paging_that_never_ends(sandbox_server, capsys, misbehaviour, says, calls):
    sandbox_server.sandbox.faults.misbehaviours = {misbehaviour: 0}
    assert cli.main(["export", *data.LEAD_MAIN]) == 1
    captured = capsys.readouterr()
    assert says in captured.err and "BROKEN_PAGING" in captured.err
    assert sandbox_server.sandbox.count("/Emails") == calls
    assert len(captured.out.splitlines()) == (10 if misbehaviour == "repeat-pages" else 0)


@pytest.mark.parametrize(("misbehaviour", "code"), [("error-200", "INVALID_TOKEN"), ("deep-json", "INVALID_RESPONSE"),
                                                    ("gzip-bomb", "RESPONSE_TOO_LARGE")])
def test_export_of_a_lying_answer_is_an_error_not_zero_emails(sandbox_server, capsys, misbehaviour, code):
    sandbox_server.sandbox.faults.misbehaviours = {misbehaviour: 64 if misbehaviour == "gzip-bomb" else 100_000}
    assert cli.main(["export", *data.LEAD_MAIN]) == 1
    captured = capsys.readouterr()
    assert code in captured.err and "Exported" not in captured.err and "Traceback" not in captured.err


def test_auth_status_on_deep_json_is_a_sentence(sandbox_server, capsys):
    sandbox_server.sandbox.faults.misbehaviours = {"deep-json": 100_000}
    assert cli.main(["auth", "status"]) == 1
    captured = capsys.readouterr()
    assert "INVALID_RESPONSE" in captured.err and "nested more than 64 levels" in captured.err
    assert "Traceback" not in captured.err


def test_export_says_each_wait_before_a_retry(sandbox_server, monkeypatch, capsys):
    from tui.sandbox.wire import zoho_error

    sandbox = sandbox_server.sandbox
    refused: list[str] = []

    def change(method, target, answer):
        if target.split("?")[0].endswith("/Emails") and not refused:
            refused.append(target)
            return zoho_error(429, "TOO_MANY_REQUESTS", "slow down", headers={"Retry-After": "0"})
        return None

    tamper(monkeypatch, sandbox, change)
    assert cli.main(["export", *data.LEAD_ONE]) == 0
    err = capsys.readouterr().err
    assert "crm-emails: rate limited (429): waiting 0.0 s before trying again (attempt 2 of 11)" in err


@pytest.mark.parametrize("failure", ["credentials", "network", "module", "url", "record"])
def test_a_failed_export_leaves_the_previous_file_untouched(sandbox_server, monkeypatch, tmp_path, failure, capsys):
    out = tmp_path / "prev.jsonl"
    out.write_text("the last good export\n")
    args = ["export", *data.LEAD_MAIN, "-o", str(out)]
    if failure == "credentials":
        monkeypatch.delenv("ZOHO_REFRESH_TOKEN")
    elif failure == "network":
        monkeypatch.setenv("ZOHO_API_DOMAIN", "http://127.0.0.1:9")  # nothing listens on the discard port
        monkeypatch.setattr(cli, "EXPORT_PATIENCE", {"max_retries": 0})
    elif failure == "module":
        args = ["export", "Nonexistent_Module", data.LEAD_MAIN[1], "-o", str(out)]
    elif failure == "url":
        monkeypatch.setenv("ZOHO_API_DOMAIN", "http://crm.example.com")
    else:
        args = ["export", "Leads", "1", "-o", str(out)]
    assert cli.main(args) in (1, 2)
    err = capsys.readouterr().err
    assert out.read_text() == "the last good export\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("prev")) == ["prev.jsonl"]
    assert "Traceback" not in err
    if failure != "url":  # a usage error is found before the output is opened
        assert "Nothing was written: " in err and "prev.jsonl is untouched." in err


def test_an_interrupted_export_resumes_without_asking_twice(sandbox_server, monkeypatch, tmp_path, capsys):
    sandbox = sandbox_server.sandbox
    out = tmp_path / "emails.jsonl"
    out.write_text("the last good export\n")
    lift = refuse_page(monkeypatch, sandbox, after_pages=2)
    assert cli.main(["export", *data.LEAD_MAIN, "--bodies", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    partial = tmp_path / "emails.jsonl.partial"
    assert out.read_text() == "the last good export\n"
    assert len(lines_of(partial)) == 20
    assert (f"Stopped after 20 emails (23 API calls): the output is incomplete. The 20 emails read are in "
            f"{partial} ({out} is untouched); the same command with --resume continues from there.") in err
    first_run = list(sandbox.calls)

    lift()
    assert cli.main(["export", *data.LEAD_MAIN, "--bodies", "-o", str(out), "--resume"]) == 0
    err = capsys.readouterr().err
    assert "Resuming" in err and "after 20 emails" in err and "Exported 250 emails" in err
    rows = lines_of(out)
    assert len(rows) == len({r["message_id"] for r in rows}) == 250 and all("content" in r for r in rows)
    assert not partial.exists() and not (tmp_path / "emails.jsonl.resume").exists()
    second_run = sandbox.calls[len(first_run):]
    answered_before = [c for c in first_run[:-1]]  # the last call of the first run was refused
    details = [c.path for c in first_run + second_run if not c.path.endswith("/Emails")]
    assert len(details) == len(set(details)) == 250, "no body fetched twice"
    pages_before = {c.params.get("index") for c in answered_before if c.path.endswith("/Emails")}
    pages_after = {c.params.get("index") for c in second_run if c.path.endswith("/Emails")}
    assert not pages_before & pages_after, "no page fetched twice"


def test_resume_from_an_index_zoho_no_longer_accepts_starts_over_and_skips(sandbox_server, monkeypatch, tmp_path, capsys):
    sandbox = sandbox_server.sandbox
    out = tmp_path / "emails.jsonl"
    lift = refuse_page(monkeypatch, sandbox, after_pages=2)
    assert cli.main(["export", *data.LEAD_MAIN, "-o", str(out)]) == 1
    lift()
    note = tmp_path / "emails.jsonl.resume"
    note.write_text(json.dumps({**json.loads(note.read_text()), "next_index": "00ff00ff"}))
    capsys.readouterr()
    assert cli.main(["export", *data.LEAD_MAIN, "-o", str(out), "--resume"]) == 0
    err = capsys.readouterr().err
    assert "Zoho no longer accepts the page the export stopped at: reading from the first page, skipping the 20 " \
           "emails already written." in err
    rows = lines_of(out)
    assert len(rows) == len({r["message_id"] for r in rows}) == 250
    assert newest_first([r["time"] for r in rows[20:]])


def test_resume_without_its_note_reads_from_the_top(sandbox_server, monkeypatch, tmp_path, capsys):
    out = tmp_path / "emails.jsonl"
    lift = refuse_page(monkeypatch, sandbox_server.sandbox, after_pages=2)
    assert cli.main(["export", *data.LEAD_MAIN, "-o", str(out)]) == 1
    lift()
    (tmp_path / "emails.jsonl.resume").unlink()
    partial = tmp_path / "emails.jsonl.partial"
    partial.write_bytes(partial.read_bytes() + b'{"message_id": "cut off by a cra')  # a line a crash cut
    capsys.readouterr()
    assert cli.main(["export", *data.LEAD_MAIN, "-o", str(out), "--resume"]) == 0
    assert "reading from the first page, skipping the 20 emails" in capsys.readouterr().err
    assert len({r["message_id"] for r in lines_of(out)}) == len(lines_of(out)) == 250


def test_resume_refuses_another_records_partial_export(sandbox_server, monkeypatch, tmp_path, capsys):
    out = tmp_path / "emails.jsonl"
    lift = refuse_page(monkeypatch, sandbox_server.sandbox, after_pages=2)
    assert cli.main(["export", *data.LEAD_MAIN, "-o", str(out)]) == 1
    lift()
    capsys.readouterr()
    assert cli.main(["export", *data.LEAD_MAIN, "--type", "drafts", "-o", str(out), "--resume"]) == 2
    assert f"holds Leads {data.LEAD_MAIN[1]}, not Leads {data.LEAD_MAIN[1]} --type drafts" in capsys.readouterr().err
    assert cli.main(["export", *data.LEAD_MAIN, "--resume"]) == 2
    assert "--resume needs -o FILE" in capsys.readouterr().err


def test_resume_with_nothing_to_resume_exports_from_the_start(sandbox_server, tmp_path, capsys):
    out = tmp_path / "emails.jsonl"
    assert cli.main(["export", *data.LEAD_ELEVEN, "-o", str(out), "--resume"]) == 0
    assert "Nothing to resume" in capsys.readouterr().err and len(lines_of(out)) == 11


@pytest.mark.parametrize(
    ("target", "status", "says"),
    [
        ("folder", 2, "is a folder: give a file name."),
        ("folder/", 2, "is a folder: give a file name."),
        ("missing/out.jsonl", 1, "does not exist."),
        ("a-file/out.jsonl", 1, "part of the path is not a folder."),
        ("/dev/full", 1, "Cannot write /dev/full: the disk is full."),
    ],
)
def test_an_output_that_cannot_be_written_is_one_sentence(sandbox_server, tmp_path, capsys, monkeypatch,
                                                          target, status, says):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder").mkdir()
    (tmp_path / "a-file").write_text("x")
    assert cli.main(["export", *data.LEAD_ONE, "-o", target]) == status
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith("crm-emails:")]
    assert len(lines) == 1, err
    if target != "/dev/full":
        assert sandbox_server.sandbox.calls == []  # checked before anything was asked of Zoho


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_an_unwritable_output_is_one_sentence(sandbox_server, tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        assert cli.main(["export", *data.LEAD_ONE, "-o", str(locked / "out.jsonl")]) == 1
    finally:
        locked.chmod(0o700)
    assert "permission denied" in capsys.readouterr().err


def test_export_to_dev_null_is_written_in_place(sandbox_server, capsys):
    assert cli.main(["export", *data.LEAD_ELEVEN, "-o", "/dev/null"]) == 0
    assert "Exported 11 emails" in capsys.readouterr().err


def test_the_new_file_keeps_the_old_ones_permissions(sandbox_server, tmp_path):
    out = tmp_path / "private.jsonl"
    out.write_text("old\n")
    out.chmod(0o600)
    assert cli.main(["export", *data.LEAD_ONE, "-o", str(out)]) == 0
    assert out.stat().st_mode & 0o777 == 0o600 and len(lines_of(out)) == 1


def _ctrl_c_reaches_it() -> None:
    # As from a terminal. A shell without job control starts a background job (`pytest &`) with Ctrl-C ignored,
    # and every process it starts inherits that: the export would never hear it.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_says_the_output_is_incomplete_and_where_it_is(sandbox_env, tmp_path):
    out = tmp_path / "bulk.jsonl"
    export = subprocess.Popen([PYTHON, "-m", "tui", "export", *data.LEAD_BULK, "-o", str(out)],
                              stderr=subprocess.PIPE, text=True, env=sandbox_env, preexec_fn=_ctrl_c_reaches_it)
    assert export.stderr.readline().startswith("500 emails")
    export.send_signal(signal.SIGINT)
    err = export.stderr.read()
    assert export.wait(timeout=60) == 130
    assert "Interrupted after" in err and "the output is incomplete." in err
    assert f"are in {out}.partial ({out} was not written); the same command with --resume continues" in err
    assert err.rstrip().endswith("crm-emails: interrupted") and "Traceback" not in err
    assert not out.exists()
    resumed = crm_emails("export", *data.LEAD_BULK, "-o", str(out), "--resume", env=sandbox_env)
    assert resumed.returncode == 0, resumed.stderr
    rows = lines_of(out)
    assert len(rows) == len({r["message_id"] for r in rows}) == 5000


def test_the_resume_note_is_rewritten_in_place_and_always_reads(tmp_path):
    """One write per page, no file renamed over it; a shorter note after a longer one still reads."""
    from tui.export_file import ExportOf, _read_note, open_output

    out = tmp_path / "emails.jsonl"
    output = open_output(str(out), ExportOf(*data.LEAD_MAIN, None, None, False), resume=False, note=io.StringIO())
    note = tmp_path / "emails.jsonl.resume"
    output.write_page([{"message_id": "a"}], "x" * 80)
    inode = note.stat().st_ino
    output.write_page([{"message_id": "b"}], "y")
    assert note.stat().st_ino == inode
    assert _read_note(note) == {"of": {"module": "Leads", "record_id": data.LEAD_MAIN[1], "type": None,
                                       "owner_id": None, "bodies": False, "marks": False}, "next_index": "y", "lines": 2}
    output.finish()
    assert not note.exists() and len(lines_of(out)) == 2


async def test_export_of_5000_emails_completes_under_random_faults(tmp_path):
    """--faults 429=0.2,500=0.1,drop=0.05 stopped exports at 3,590 and 1,040 emails: export is patient."""
    from tests.support.clock import VirtualClock
    from tui.connect import sandbox_credentials, token_source
    from tui.export_file import ExportOf, open_output
    from tui.sandbox.app import Faults, Sandbox
    from tui.sandbox.transport import SandboxTransport
    from tui.zoho.client import ZohoClient

    clock = VirtualClock()
    sandbox = Sandbox(faults=Faults.parse("429=0.2,500=0.1,drop=0.05"), clock=clock.time)
    transport = SandboxTransport(sandbox, sleep=clock.sleep)
    progress = cli.Progress(io.StringIO())
    client = ZohoClient(token_source(sandbox_credentials(), transport=transport, clock=clock.time),
                        transport=transport, sleep=clock.sleep, on_event=progress.on_event, **cli.EXPORT_PATIENCE)
    out = tmp_path / "bulk.jsonl"
    output = open_output(str(out), ExportOf(*data.LEAD_BULK, None, None, False), resume=False, note=io.StringIO())
    async with client:
        await clock.drive(cli.export_emails(client, output.of, output, progress), horizon=10**6)
    output.finish()
    rows = lines_of(out)
    assert len(rows) == len({r["message_id"] for r in rows}) == 5000
    assert progress.stream.getvalue().count("waiting") == client.calls - 500  # every retry was said


# --- auth login --print-env -------------------------------------------------------------------------


def test_print_env_refuses_a_stdout_that_is_not_a_terminal(keyring_sandbox, capsys):
    assert cli.main(["auth", "login", "--print-env", "--client-id", data.CLIENT_ID, "--code", data.GRANT_CODE]) == 2
    assert "only to a terminal" in capsys.readouterr().err
    assert keyring_sandbox.sandbox.token_calls == []  # the single-use grant code is not spent


@pytest.mark.parametrize("how", ["terminal", "force"])
def test_print_env_sets_up_a_host_without_a_keyring(fail_keyring, monkeypatch, tmp_path, capsys, how):  # noqa: F811
    from tui.sandbox.app import Sandbox
    from tui.sandbox.server import SandboxServer

    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{data.CLIENT_SECRET}\n"))
    argv = ["auth", "login", "--print-env", "--dc", "eu", "--client-id", data.CLIENT_ID, "--code", data.GRANT_CODE]
    if how == "terminal":
        monkeypatch.setattr(sys, "stdout", Terminal())
    else:
        argv.append("--force")
    with SandboxServer(Sandbox()) as server:
        monkeypatch.setenv("ZOHO_ACCOUNTS_URL", server.url)
        monkeypatch.setenv("ZOHO_API_DOMAIN", server.url)
        assert cli.main(argv) == 0
        captured = capsys.readouterr()
        out = sys.stdout.getvalue() if how == "terminal" else captured.out
        err = captured.err
        exports = dict(re.findall(r"^export (ZOHO_\w+)=(\S+)$", out, flags=re.MULTILINE))
        assert exports["ZOHO_CLIENT_ID"] == data.CLIENT_ID and exports["ZOHO_CLIENT_SECRET"] == data.CLIENT_SECRET
        assert exports["ZOHO_REFRESH_TOKEN"].startswith("1000.") and exports["ZOHO_DC"] == "eu"
        assert "history" in err and "umask 077" in err and "Org: Analytical Engines Demo" in err
        assert data.CLIENT_SECRET not in err
        # The variables, as printed, work; and the first launch reuses the token the login got.
        token_calls = len(server.sandbox.token_calls)
        for name, value in exports.items():
            monkeypatch.setenv(name, value.strip("'"))
        monkeypatch.setattr(sys, "stdout", io.StringIO())
        assert cli.main(["export", *data.LEAD_ONE]) == 0
        assert len(server.sandbox.token_calls) == token_calls


def test_a_login_the_keyring_refuses_names_print_env_before_asking_anything(fail_keyring, monkeypatch, capsys):  # noqa: F811
    asked: list[str] = []
    monkeypatch.setattr(cli.Prompter, "ask", lambda self, label, **kw: asked.append(label) or "x")
    assert cli.main(["auth", "login"]) == 1
    assert asked == []
    assert "crm-emails auth login --print-env" in capsys.readouterr().err


def test_status_and_logout_know_the_token_cache(sandbox_server, tmp_path, capsys):
    assert cli.main(["auth", "status"]) == 0
    assert f"Access token cache: {tmp_path / 'cache' / 'crm-emails'}" in capsys.readouterr().out
    assert len(list((tmp_path / "cache" / "crm-emails").iterdir())) == 1
    assert cli.main(["auth", "logout"]) == 0
    assert "Forgot the access token cached for the environment's credentials." in capsys.readouterr().out
    assert list((tmp_path / "cache" / "crm-emails").iterdir()) == []


# --- export --marks -------------------------------------------------------------------------------


def _marked_store(path: Path, message_ids: list[str], *, org_key: str, fact: str | None) -> None:
    """A store in which the app had listed `message_ids` of LEAD_TEN in `org_key`, flagged the first with a
    note and marked the third done; `fact`: the grant fingerprint the app had found the org for."""
    from tui.store import Store
    from tui.store.store import org_fact

    with Store.open(path, clock=lambda: 1_764_000_000.0) as store:
        scope = store.scope("default", org_key)
        if fact is not None:
            store.keep(org_fact(fact), org_key)
        store.append_page(scope, *data.LEAD_TEN, "", [{"message_id": m} for m in message_ids], next_index=None,
                          more=False)
        store.set_mark(scope, message_ids[0], "flagged", "call back\nMonday")
        store.set_mark(scope, message_ids[2], "done")
        # The same email marked in another org and in the demo: neither is this org's.
        store.set_mark(store.scope("default", "org:another"), message_ids[1], "todo")
        store.set_mark(store.scope("demo", "sandbox", demo=True), message_ids[1], "todo")


def _grant_fingerprint() -> str:
    import hashlib

    return hashlib.sha256(f"{data.CLIENT_ID}\0{data.REFRESH_TOKEN}".encode()).hexdigest()[:16]


def _marks_of(rows: list[dict]) -> dict[str, dict]:
    return {row["message_id"]: row["mark"] for row in rows if "mark" in row}


def _expected_marks(ids: list[str]) -> dict[str, dict]:
    at = datetime.fromtimestamp(1_764_000_000.0).astimezone().isoformat(timespec="seconds")
    return {ids[0]: {"state": "flagged", "note": "call back Monday", "at": at},
            ids[2]: {"state": "done", "note": None, "at": at}}


def test_export_marks_adds_each_local_mark_of_the_org(sandbox_server, monkeypatch, tmp_path, capsys):
    assert cli.main(["export", *data.LEAD_TEN]) == 0
    plain = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    ids = [row["message_id"] for row in plain]
    store = tmp_path / "store.sqlite3"
    monkeypatch.setenv("CRM_EMAILS_STORE", str(store))
    _marked_store(store, ids, org_key="org:42", fact=_grant_fingerprint())
    out = tmp_path / "marked.jsonl"
    assert cli.main(["export", *data.LEAD_TEN, "--marks", "-o", str(out)]) == 0
    rows = lines_of(out)
    assert _marks_of(rows) == _expected_marks(ids)
    assert datetime.fromisoformat(rows[0]["mark"]["at"]).timestamp() == 1_764_000_000.0
    # Otherwise the rows are as Zoho sent them, in its order.
    assert [{k: v for k, v in row.items() if k != "mark"} for row in rows] == plain
    assert "2 emails with a local mark (--marks)." in capsys.readouterr().err
    assert cli.main(["export", *data.LEAD_TEN, "--bodies", "--marks"]) == 0
    assert _marks_of([json.loads(line) for line in capsys.readouterr().out.splitlines()]) == _expected_marks(ids)


def test_export_marks_of_an_org_the_app_never_opened_says_so(sandbox_server, monkeypatch, tmp_path, capsys):
    store = tmp_path / "store.sqlite3"
    monkeypatch.setenv("CRM_EMAILS_STORE", str(store))
    _marked_store(store, ["a", "b", "c"], org_key="org:someone-else", fact=None)
    assert cli.main(["export", *data.LEAD_TEN, "--marks"]) == 0
    captured = capsys.readouterr()
    assert all("mark" not in json.loads(line) for line in captured.out.splitlines())
    assert "No marks are kept for this org on this machine" in captured.err


def test_export_from_store_with_marks(monkeypatch, tmp_path, capsys):
    store = tmp_path / "store.sqlite3"
    monkeypatch.setenv("CRM_EMAILS_STORE", str(store))
    ids = [f"m{n}" for n in range(4)]
    _marked_store(store, ids, org_key="org:42", fact=None)
    assert cli.main(["export", *data.LEAD_TEN, "--from-store", "--marks"]) == 0
    captured = capsys.readouterr()
    rows = [json.loads(line) for line in captured.out.splitlines()]
    assert [row["message_id"] for row in rows] == ids
    assert _marks_of(rows) == _expected_marks(ids)
    assert "2 emails with a local mark (--marks)." in captured.err
    assert cli.main(["export", *data.LEAD_TEN, "--from-store"]) == 0
    assert "mark" not in capsys.readouterr().out  # only when asked
