"""The README's commands are the real ones: CI runs its test command, and its CLI examples parse."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from tui import cli
from tui.zoho.client import check_email_filters

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
SHELL_BLOCKS = re.findall(r"```sh\n(.*?)```", README, flags=re.DOTALL)


def test_ci_runs_the_readme_test_command_and_nothing_else():
    test_command = SHELL_BLOCKS[1].strip()  # Quick start: the demo, then the test suite
    assert test_command.endswith("python -m pytest")
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    steps = [line for line in ci if line and not line.startswith(("#", "set ", "cd "))]
    assert steps == [test_command]


def test_quick_start_runs_the_demo():
    assert SHELL_BLOCKS[0].strip().endswith("crm-emails --demo")


EXAMPLES = [
    line.strip()
    for block in SHELL_BLOCKS
    for line in block.splitlines()
    if line.strip().startswith("crm-emails ")
]


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_cli_example_parses(example, capsys):
    words = shlex.split(example, comments=True)[1:]
    words = words[: words.index(">")] if ">" in words else words
    try:
        args = cli.parse(words)
    except SystemExit as exit_:  # --help
        assert exit_.code == 0, capsys.readouterr().err
        return
    if args.command is None:
        cli.parse_target(args.target)
    elif args.command == "sandbox":
        cli.sandbox_faults(args)
    elif args.command == "export":
        check_email_filters(cli.normalise_module(args.module), args.email_type, args.owner_id)
