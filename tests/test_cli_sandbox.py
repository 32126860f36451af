"""`crm-emails sandbox`: the banner names the records the README promises, and `--env` prints only the
`export` lines, so `eval "$(crm-emails sandbox --env --port P)"` points a shell at a sandbox running apart."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tui import cli
from tui.sandbox import data

PYTHON = sys.executable


def test_the_banner_names_a_record_of_each_size_the_readme_promises():
    banner = cli.sandbox_banner("http://127.0.0.1:8765")
    readme = Path(__file__).parents[1] / "README.md"
    assert "records with 0, 1, 10, 11, 250, 5,000 and 50,000 emails" in readme.read_text()
    for record in (data.LEAD_EMPTY, data.LEAD_ONE, data.LEAD_TEN, data.LEAD_ELEVEN, data.LEAD_MAIN, data.LEAD_BULK,
                   data.CONTACT_HUGE):
        assert f"#   crm-emails {record[0]} {record[1]}    # " in banner, record


def test_env_prints_only_the_export_lines(capsys):
    assert cli.main(["sandbox", "--env", "--port", "9123"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(line.startswith("export ZOHO_") for line in lines)
    assert "export ZOHO_API_DOMAIN=http://127.0.0.1:9123" in lines
    assert lines == cli.sandbox_exports("http://127.0.0.1:9123")


def test_env_needs_a_fixed_port(capsys):
    assert cli.main(["sandbox", "--env", "--port", "0"]) == 2
    assert "--env needs the fixed --port" in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX shell's eval")
def test_eval_of_env_reaches_a_sandbox_in_the_background(tmp_path):
    port = _free_port()
    server = subprocess.Popen([PYTHON, "-m", "tui", "sandbox", "--port", str(port)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        # Its banner is printed once the socket listens: the first line is the condition, nothing is polled.
        assert server.stdout is not None
        assert server.stdout.readline(), server.stderr.read() if server.stderr else "the sandbox printed nothing"
        script = (
            f'eval "$("{PYTHON}" -m tui sandbox --env --port {port})" && '
            f'"{PYTHON}" -m tui export {data.LEAD_TEN[0]} {data.LEAD_TEN[1]}'
        )
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "CRM_EMAILS_NO_STORE": "1",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        }
        done = subprocess.run(["sh", "-c", script], capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == 0, done.stderr
        assert len(done.stdout.splitlines()) == 10  # the 10-email record, every email
    finally:
        server.terminate()
        server.wait(timeout=10)
