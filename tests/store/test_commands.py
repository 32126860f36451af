"""`crm-emails store`, `search` and `export --from-store`, end to end through tui.cli.main."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

import pytest

from store_helpers import NOW, item
from tui import cli
from tui.store import Store, enabled

LEAD = ("Leads", "4150868000000250001")


@pytest.fixture
def store_file(tmp_path, monkeypatch):
    path = tmp_path / "cli" / "store.sqlite3"
    monkeypatch.setenv("CRM_EMAILS_STORE", str(path))
    return path


@pytest.fixture
def seeded(store_file):
    with Store.open(clock=lambda: NOW) as store:
        scope = store.scope("default", "org-1", label="Analytical Engines")
        store.append_page(scope, *LEAD, "", [
            item("m1", "Invoice \x1b[31mdue\u202e", time="2026-03-04T10:00:00+00:00", status=["opened"]),
            item("m2", "Invoice paid \x9b", sender=("Bob\x07 Brown", "bob@zylker.com"), time="2026-03-05T10:00:00+00:00",
                 status=["bounced"]),
            item("m3", "Lunch", time=None),
        ], next_index="next", more=True)
        store.save_detail(scope, "m1", {"content": "body one", "mail_format": "text", "attachments": []})
        store.merge_top(scope, *LEAD, "", [item("m1", "Invoice \x1b[31mdue\u202e", time="2026-03-04T10:00:00+00:00")],
                        synced_at=NOW)
        store.remember_record(scope, *LEAD, "Ada Lovelace", opened=True)
        other = store.scope("work", "org-2")
        store.append_page(other, *LEAD, "", [item("w1", "Invoice for work")], next_index=None, more=False)
    return store_file


def test_store_says_where_it_is_and_what_it_holds(seeded, capsys):
    assert cli.main(["store"]) == 0
    out = capsys.readouterr().out
    assert f"Local store: {seeded} (" in out
    assert "2 scopes, 2 records, 4 emails, 1 body" in out
    assert "profile 'default', Analytical Engines: 1 record, 3 emails, 1 body." in out


def test_store_before_anything_is_stored_creates_nothing(store_file, capsys):
    assert cli.main(["store"]) == 0
    assert "Nothing is stored yet" in capsys.readouterr().out and not store_file.exists()


def test_search_prints_one_safe_line_per_hit_newest_first(seeded, capsys):
    assert cli.main(["search", "invoice"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "Leads Ada Lovelace  2026-03-05 10:00  Bob Brown  Invoice paid",
        "Leads Ada Lovelace  2026-03-04 10:00  Ada Lovelace  Invoice due",
    ]


def test_search_profile_and_limit(seeded, capsys):
    assert cli.main(["search", "--profile", "work", "invoice"]) == 0
    assert capsys.readouterr().out == f"Leads {LEAD[1]}  2026-03-04 06:25  Ada Lovelace  Invoice for work\n"
    assert cli.main(["--profile", "work", "search", "invoice"]) == 0
    assert "Invoice for work" in capsys.readouterr().out
    assert cli.main(["search", "--limit", "1", "invoice"]) == 0
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 1 and "1 of 2 matches shown" in captured.err


def test_search_json_lines_escape_what_a_terminal_would_act_on(seeded, capsys):
    assert cli.main(["search", "--json", "invoice"]) == 0
    out = capsys.readouterr().out
    assert "\x9b" not in out and "\u202e" not in out and "\x1b" not in out
    assert "\\u009b" in out and "\\u202e" in out
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["module"], r["record_id"], r["message_id"], r["record_name"]) for r in rows] == [
        ("Leads", LEAD[1], "m2", "Ada Lovelace"), ("Leads", LEAD[1], "m1", "Ada Lovelace")]
    assert rows[1]["subject"] == "Invoice \x1b[31mdue\u202e"  # the stored text, exactly
    assert rows[0]["status"] == [{"type": "bounced"}]


def test_search_by_the_marks_the_app_set(seeded, capsys):
    with Store.open() as store:
        scope = store.scope("default", "org-1", label="Analytical Engines")
        store.set_mark(scope, "m2", "flagged", "call back")
        store.set_mark(store.scope("work", "org-2"), "w1", "flagged")  # another profile's
    assert cli.main(["search", "is:flagged"]) == 0
    assert capsys.readouterr().out.splitlines() == ["Leads Ada Lovelace  2026-03-05 10:00  Bob Brown  Invoice paid"]
    assert cli.main(["search", "--", "-is:flagged", "invoice"]) == 0
    assert [line.split("  ")[-1] for line in capsys.readouterr().out.splitlines()] == ["Invoice due"]
    assert cli.main(["search", "is:done"]) == 1


def test_search_with_no_match_exits_1_like_grep(seeded, capsys):
    assert cli.main(["search", "nothing-like-this"]) == 1
    assert "no stored email matches" in capsys.readouterr().err


def test_a_bad_query_is_a_usage_error(seeded, capsys):
    assert cli.main(["search", "colour:red"]) == 2
    assert "There is no colour: qualifier" in capsys.readouterr().err


def test_negated_queries_after_a_double_dash(seeded, capsys):
    assert cli.main(["search", "--", "-status:bounced", "invoice"]) == 0
    assert "Invoice due" in capsys.readouterr().out


def test_search_before_anything_is_stored(store_file, capsys):
    assert cli.main(["search", "x"]) == 1
    assert "nothing is stored yet" in capsys.readouterr().err and not store_file.exists()


def test_forget_one_record_of_the_profile(seeded, capsys):
    assert cli.main(["store", "forget", "leads", LEAD[1]]) == 0
    assert f"Forgot Leads {LEAD[1]} (Ada Lovelace) in profile 'default': 3 stored emails removed." in capsys.readouterr().out
    assert cli.main(["search", "invoice"]) == 1
    assert cli.main(["search", "--profile", "work", "invoice"]) == 0  # other profiles keep theirs
    assert cli.main(["store", "forget", "Leads", "999"]) == 0
    assert "nothing to forget" in capsys.readouterr().out


def test_forget_needs_a_record_or_all(seeded, capsys):
    assert cli.main(["store", "forget"]) == 2
    assert cli.main(["store", "forget", "--all", "Leads", "1"]) == 2


def test_forget_all_removes_the_file(seeded, capsys):
    assert cli.main(["store", "forget", "--all"]) == 0
    out = capsys.readouterr().out
    assert f"Removed the local store {seeded}" in out and "2 scopes, 2 records, 4 emails, 1 body" in out
    assert not seeded.exists() and not list(seeded.parent.glob("store.sqlite3-*"))
    assert cli.main(["store", "forget", "--all"]) == 0
    assert "nothing to remove" in capsys.readouterr().out


def test_export_from_store_writes_the_stored_feed_without_any_call(seeded, capsys):
    assert cli.main(["export", *LEAD, "--from-store"]) == 0
    captured = capsys.readouterr()
    rows = [json.loads(line) for line in captured.out.splitlines()]
    assert [r["message_id"] for r in rows] == ["m1", "m2", "m3"]
    assert "Exported 3 emails from the local store (no API call)" in captured.err
    assert "Last synced 2026-09-21" in captured.err and "incomplete" in captured.err


def test_export_from_store_with_bodies_says_how_many_lacked_one(seeded, tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    assert cli.main(["export", *LEAD, "--from-store", "--bodies", "-o", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows[0]["content"] == "body one" and rows[0]["subject"] == "Invoice \x1b[31mdue\u202e"
    assert "content" not in rows[1]
    assert "2 emails lacked a stored body" in capsys.readouterr().err


def test_export_from_store_of_a_complete_feed_and_of_nothing(seeded, tmp_path, capsys):
    assert cli.main(["--profile", "work", "export", *LEAD, "--from-store"]) == 0
    assert "the stored list is complete" in capsys.readouterr().err
    assert cli.main(["export", *LEAD, "--from-store", "--type", "drafts"]) == 1
    assert "nothing is stored for Leads" in capsys.readouterr().err


def test_no_store_option_and_environment():
    assert cli.parse(["--no-store"]).no_store is True
    assert enabled(cli.parse([])) is True
    assert enabled(argparse.Namespace(no_store=True)) is False
    assert enabled({"CRM_EMAILS_NO_STORE": "1"}) is False and enabled({}) is True


def test_no_store_from_the_environment(monkeypatch):
    monkeypatch.setenv("CRM_EMAILS_NO_STORE", "1")
    assert enabled(cli.parse([])) is False


def test_search_and_help_load_neither_textual_nor_httpx_nor_keyring(seeded):
    probe = ("import sys; from tui.cli import main; code = main(sys.argv[1:]); "
             "print(code, *(m in sys.modules for m in ('textual', 'httpx', 'keyring')))")
    for argv in (["search", "invoice"], ["store"], ["store", "--help"], ["--help"]):
        result = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True, text=True, timeout=60,
                                env={**os.environ, "CRM_EMAILS_STORE": str(seeded)})
        assert result.stdout.strip().endswith("0 False False False"), (argv, result.stdout, result.stderr)
    result = subprocess.run([sys.executable, "-c", "import sys; from tui.cli import main; main(['--help']); "
                             "print('sqlite3' in sys.modules)"], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip().endswith("False")
