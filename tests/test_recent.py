"""The recent-records file: order, limit, restarts, corrupt files, atomic writes."""

from __future__ import annotations

import json
import os
import threading

from tui.recent import FILE_NAME, RecentRecords, default_state_dir
from tui.zoho.models import Record

ADA = Record("Leads", "4150868000000250001", "Ada Lovelace", "ada@example.com")
GRACE = Record("Contacts", "4150868000000300001", "Grace Hopper", "grace@example.com")


def test_empty_when_there_is_no_file(tmp_path):
    assert RecentRecords(tmp_path).load() == []


def test_most_recent_first_without_duplicates(tmp_path):
    recent = RecentRecords(tmp_path)
    recent.add(ADA)
    recent.add(GRACE)
    assert recent.add(ADA) == [ADA, GRACE]
    assert recent.load() == [ADA, GRACE]


def test_survives_a_restart(tmp_path):
    RecentRecords(tmp_path).add(GRACE)
    RecentRecords(tmp_path).add(ADA)
    assert RecentRecords(tmp_path).load() == [ADA, GRACE]


def test_keeps_twenty(tmp_path):
    recent = RecentRecords(tmp_path)
    for n in range(25):
        recent.add(Record("Leads", f"41508680000000{n:05d}", f"Lead {n}"))
    loaded = recent.load()
    assert len(loaded) == 20
    assert loaded[0].name == "Lead 24" and loaded[-1].name == "Lead 5"


def test_opening_by_id_keeps_the_known_name(tmp_path):
    recent = RecentRecords(tmp_path)
    recent.add(ADA)
    recent.add(GRACE)
    assert recent.add(Record(ADA.module, ADA.id))[0] == ADA


def test_corrupt_or_odd_files_read_as_empty_and_are_replaced(tmp_path):
    path = tmp_path / FILE_NAME
    recent = RecentRecords(tmp_path)
    for content in ("{not json", "[1, 2]", '{"records": 5}', "\x00\xff", ""):
        path.write_text(content, encoding="utf-8", errors="surrogateescape")
        assert recent.load() == []
    path.write_text(json.dumps({"records": [{"module": "Leads"}, 7, {"module": "Leads", "id": "1", "name": 3},
                                            {"module": "Leads", "id": "1"}]}))
    assert recent.load() == [Record("Leads", "1")]
    assert recent.add(ADA) == [ADA, Record("Leads", "1")]
    assert json.loads(path.read_text())["records"][0]["name"] == "Ada Lovelace"


def test_writes_leave_no_temporary_files(tmp_path):
    recent = RecentRecords(tmp_path / "new" / "dir")
    recent.add(ADA)
    assert os.listdir(tmp_path / "new" / "dir") == [FILE_NAME]


def test_concurrent_adds_lose_nothing(tmp_path):
    recent = RecentRecords(tmp_path)
    records = [Record("Leads", f"41508680000001{n:05d}", f"Lead {n}") for n in range(10)]
    threads = [threading.Thread(target=recent.add, args=(r,)) for r in records]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.id for r in recent.load()) == sorted(r.id for r in records)


def test_default_dir_follows_xdg_state_home(tmp_path):
    # tests/conftest.py points XDG_STATE_HOME at a temporary directory.
    assert str(default_state_dir()).startswith(os.environ["XDG_STATE_HOME"])
    RecentRecords().add(ADA)
    assert RecentRecords().load() == [ADA]
