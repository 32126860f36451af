"""The store's file: where it is, its modes, migrations, damaged and newer files, failures, two processes."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import textwrap

import pytest

from store_helpers import NOW, item
from tui.store import Store, StoreError
from tui.store import files
from tui.store.schema import MIGRATIONS


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_default_location_is_the_user_data_dir_and_env_overrides_it(tmp_path, monkeypatch):
    assert files.resolve() == (tmp_path / "data" / "crm-emails" / "store.sqlite3", True)
    monkeypatch.setenv("CRM_EMAILS_STORE", str(tmp_path / "elsewhere.sqlite3"))
    assert files.resolve() == (tmp_path / "elsewhere.sqlite3", False)
    assert files.resolve(tmp_path / "given.sqlite3") == (tmp_path / "given.sqlite3", False)


def test_directory_is_0700_and_files_0600_whatever_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        with Store.open() as store:
            scope = store.scope("default", "org")
            store.append_page(scope, "Leads", "1", "", [item("m1")], next_index=None, more=False)
            assert mode(store.location.parent) == 0o700
            for name in ("store.sqlite3", "store.sqlite3-wal", "store.sqlite3-shm"):
                assert mode(store.location.parent / name) == 0o600, name
    finally:
        os.umask(old)


def test_a_loose_default_directory_and_file_are_tightened(tmp_path):
    directory = tmp_path / "data" / "crm-emails"
    directory.mkdir(parents=True)
    os.chmod(directory, 0o755)
    (directory / "store.sqlite3").touch()
    os.chmod(directory / "store.sqlite3", 0o644)
    Store.open().close()
    assert mode(directory) == 0o700 and mode(directory / "store.sqlite3") == 0o600


def test_a_directory_the_person_chose_is_left_as_it_is(tmp_path):
    os.chmod(tmp_path, 0o755)
    Store.open(tmp_path / "mine.sqlite3").close()
    assert mode(tmp_path) == 0o755 and mode(tmp_path / "mine.sqlite3") == 0o600


def test_the_schema_is_at_the_newest_version_with_wal_and_foreign_keys(store):
    db = sqlite3.connect(store.location)
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()
    connection = store._connection()
    assert connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert connection.execute("PRAGMA busy_timeout").fetchone()[0] == 5000


FAKE_V2 = ("ALTER TABLE emails ADD COLUMN language TEXT", "CREATE INDEX emails_by_language ON emails (language)")


def test_a_v1_file_migrates_to_a_later_version_keeping_its_data(store_path):
    with Store.open(store_path, migrations=MIGRATIONS[:1]) as v1:
        scope = v1.scope("default", "org")
        v1.append_page(scope, "Leads", "1", "", [item("m1"), item("m2")], next_index="n", more=True)
    with Store.open(store_path, migrations=(*MIGRATIONS[:1], FAKE_V2)) as v2:
        scope = v2.scope("default", "org")
        assert [i["message_id"] for i in v2.load_feed(scope, "Leads", "1", "").items] == ["m1", "m2"]
        columns = [r[1] for r in v2._connection().execute("PRAGMA table_info(emails)")]
        assert "language" in columns
        assert v2._connection().execute("PRAGMA user_version").fetchone()[0] == 2


def test_a_failing_migration_leaves_the_file_at_its_old_version(store_path):
    Store.open(store_path, migrations=MIGRATIONS[:1]).close()
    broken = ("ALTER TABLE emails ADD COLUMN language TEXT", "THIS IS NOT SQL")
    with pytest.raises(StoreError):
        Store.open(store_path, migrations=(*MIGRATIONS[:1], broken))
    db = sqlite3.connect(store_path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    assert "language" not in [r[1] for r in db.execute("PRAGMA table_info(emails)")]
    db.close()


def test_a_file_that_is_not_a_database_is_moved_aside_with_a_notice(store_path, clock):
    store_path.parent.mkdir(parents=True)
    store_path.write_bytes(b"this is not a database at all, but it is long enough to look like one" * 100)
    os.chmod(store_path, 0o640)
    with Store.open(store_path, clock=clock) as store:
        assert "damaged" in store.notice and "moved to" in store.notice
        (moved,) = store_path.parent.glob("store.sqlite3.corrupt-*")
        assert str(moved) in store.notice
        assert mode(moved) == 0o640  # kept as it was
        assert store.stats().emails == 0
        scope = store.scope("default", "org")
        store.append_page(scope, "Leads", "1", "", [item("m1")], next_index=None, more=False)


def test_a_file_damaged_inside_is_moved_aside(store_path):
    with Store.open(store_path) as store:
        scope = store.scope("default", "org")
        store.append_page(scope, "Leads", "1", "", [item(f"m{n}", "x" * 3000) for n in range(200)],
                          next_index=None, more=False)
    with open(store_path, "r+b") as damaged:
        damaged.seek(4096 * 3)
        damaged.write(os.urandom(4096 * 4))
    with Store.open(store_path, check=True) as store:
        assert store.notice is not None and "damaged" in store.notice
    assert list(store_path.parent.glob("store.sqlite3.corrupt-*"))


def test_damage_met_while_reading_is_checked_and_moved_aside_on_the_next_open(store_path, clock):
    with Store.open(store_path, clock=clock) as store:
        scope = store.scope("default", "org")
        store.append_page(scope, "Leads", "1", "", [item(f"m{n}", "x" * 3000) for n in range(200)],
                          next_index=None, more=False)
    with open(store_path, "r+b") as damaged:
        damaged.seek(4096 * 20)
        damaged.write(b"\xff" * 4096 * 40)
    clock.now += 3600  # checked an hour ago: no quick_check on this open
    with Store.open(store_path, clock=clock) as store:
        assert store.notice is None
        with pytest.raises(StoreError) as error:
            store.load_feed(scope, "Leads", "1", "")
        assert "damaged" in error.value.message
    with Store.open(store_path, clock=clock) as store:
        assert store.notice is not None and "damaged" in store.notice
    assert not files.damage_marker(store_path).exists()


def test_a_week_old_check_is_done_again(store_path, clock):
    Store.open(store_path, clock=clock).close()
    with open(store_path, "r+b") as damaged:
        damaged.seek(4096 * 2)
        damaged.write(b"\xff" * 4096 * 2)
    clock.now += 8 * 24 * 3600
    with Store.open(store_path, clock=clock) as store:
        assert store.notice is not None


def test_a_file_from_a_newer_crm_emails_is_moved_aside(store_path):
    Store.open(store_path).close()
    db = sqlite3.connect(store_path)
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    db.close()
    with Store.open(store_path) as store:
        assert "newer crm-emails" in store.notice
    assert list(store_path.parent.glob("store.sqlite3.newer-*"))


def test_a_full_disk_is_a_store_error_and_the_store_still_reads(store):
    scope = store.scope("default", "org")
    store.append_page(scope, "Leads", "1", "", [item("m1")], next_index="n", more=True)
    db = store._connection()
    (pages,) = db.execute("PRAGMA page_count").fetchone()
    db.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own SQLITE_FULL, as on a full disk
    with pytest.raises(StoreError) as error:
        store.append_page(scope, "Leads", "1", "", [item(f"n{k}", "y" * 5000) for k in range(50)],
                          next_index="n2", more=True)
    assert "disk is full" in error.value.message
    feed = store.load_feed(scope, "Leads", "1", "")
    assert [i["message_id"] for i in feed.items] == ["m1"] and feed.next_index == "n"


def test_a_read_only_store_cannot_be_opened_and_says_so(store_path):
    Store.open(store_path).close()
    os.chmod(store_path.parent, 0o500)
    os.chmod(store_path, 0o400)
    try:
        if os.access(store_path, os.W_OK):
            pytest.skip("running as a user who may write anything (root)")
        with pytest.raises(StoreError) as error:
            Store.open(store_path)
        assert "cannot be opened" in error.value.message
    finally:
        os.chmod(store_path.parent, 0o700)


def test_a_closed_store_raises_store_errors(store):
    store.close()
    with pytest.raises(StoreError):
        store.scopes()


def test_a_broken_read_is_a_store_error_not_a_sqlite_error(store, scope):
    store._connection().execute("DROP TABLE marks")
    with pytest.raises(StoreError):
        store.search(scope, "is:done")


WRITER = textwrap.dedent(
    """
    import sys
    from tui.store import Store
    path, name = sys.argv[1], sys.argv[2]
    with Store.open(path) as store:
        scope = store.scope("default", "org")
        for page in range(40):
            items = [{"message_id": f"{name}-{page}-{n}", "subject": f"{name} page {page}"} for n in range(10)]
            store.append_page(scope, "Leads", name, "", items, next_index=f"{page}", more=True)
            store.append_page(scope, "Leads", "shared", "", items, next_index=f"{name}{page}", more=True)
            store.save_detail(scope, f"{name}-{page}-0", {"content": "<p>body " + name + "</p>", "mail_format": "html"})
    """
)


def test_two_processes_writing_at_once_both_land(store_path):
    Store.open(store_path).close()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(store_path), name], env=env,
                                stderr=subprocess.PIPE, text=True) for name in ("a", "b")]
    for writer in writers:
        assert writer.wait(timeout=120) == 0, writer.stderr.read()
    with Store.open(store_path) as store:
        scope = store.scope("default", "org")
        for name in ("a", "b"):
            assert len(store.load_feed(scope, "Leads", name, "").items) == 400
        assert len(store.load_feed(scope, "Leads", "shared", "").items) == 800
        assert store.stats().bodies == 80
        assert store.search(scope, "body").total == 80 * 2  # each body sits on two records
        store._connection().execute("INSERT INTO email_fts (email_fts, rank) VALUES ('integrity-check', 1)")


def test_wall_clock_is_never_read_when_a_clock_is_given(store_path, clock):
    with Store.open(store_path, clock=clock) as store:
        scope = store.scope("default", "org")
        store.append_page(scope, "Leads", "1", "", [item("m1")], next_index=None, more=False)
        assert store.load_feed(scope, "Leads", "1", "").state.walked_at == NOW


def test_a_store_opened_on_one_thread_is_used_from_another(store_path):
    from concurrent.futures import ThreadPoolExecutor

    with Store.open(store_path) as store, ThreadPoolExecutor(max_workers=1) as executor:
        scope = executor.submit(store.scope, "default", "org").result()
        executor.submit(store.append_page, scope, "Leads", "1", "", [item("m1")], next_index=None, more=False).result()
        assert [i["message_id"] for i in store.load_feed(scope, "Leads", "1", "").items] == ["m1"]
