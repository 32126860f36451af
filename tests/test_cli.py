"""The `crm-emails` command end to end, against `crm-emails sandbox` on loopback."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
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
    probe = "import sys; from tui.cli import main; main(['--help']); print('textual' in sys.modules, 'httpx' in sys.modules)"
    result = subprocess.run([PYTHON, "-c", probe], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0
    assert "Read the emails of a Zoho CRM record" in result.stdout
    assert result.stdout.strip().endswith("False False")


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
    assert "OS keyring" in status.stdout and "Refresh: works" in status.stdout
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
