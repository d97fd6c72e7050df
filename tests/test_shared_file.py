"""One embedded DuckDB file, several processes (analytics/shared.py): a process that serves reads from its copy
and writes through a briefly opened connection does not lock out commands; commands and the app wait a few
seconds for each other, then give one Chinese sentence."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time

import pytest

from analytics import accounts, changes, shared, store
from analytics.metrics.figures import key_figures
from tests.conftest import ROOT

AS_OF = dt.date(2024, 7, 31)


def cli(*args, env=None, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analytics", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})})


def hold(db, read_only: bool, seconds: float) -> subprocess.Popen:
    """Another process holding the file (read-only: a command reading; read-write: a command writing)."""
    proc = subprocess.Popen([sys.executable, "-c",
                             f"import duckdb,time; c=duckdb.connect({str(db)!r}, read_only={read_only}); "
                             f"print('ok', flush=True); time.sleep({seconds})"], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ok"
    return proc


@pytest.fixture
def serving(demo_db):
    """What the app holds for a database: a read copy and a write access that is idle-closed."""
    access = shared.FileAccess(demo_db, idle_seconds=0.3)
    copy = shared.ReadCopy(access)
    copy.connection()
    yield access, copy
    access.close()
    copy.close()


def test_reads_come_from_the_copy_and_the_file_is_let_go(serving, demo_db):
    access, copy = serving
    assert key_figures(copy.cursor(), AS_OF)["registered"] == 704
    deadline = time.time() + 5
    while access.is_open() and time.time() < deadline:
        time.sleep(0.05)
    assert not access.is_open()
    # Another process can now write (exclusive open succeeds at once).
    proc = cli("stats", "--db", demo_db, "--as-of", AS_OF, "--json", env={store.WAIT_ENV_VAR: "0"})
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["registered"] == 704


def test_commands_run_while_serving(serving, demo_db, tmp_path):
    access, copy = serving
    stats = cli("stats", "--db", demo_db, "--as-of", AS_OF, "--json")
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["registered"] == 704
    assert json.loads(stats.stdout)["recognitions"] == 883
    backup = cli("backup", "--to", tmp_path / "b", "--db", demo_db)
    assert backup.returncode == 0, backup.stderr
    assert len(list((tmp_path / "b").glob("yiyong-backup-*.zip"))) == 1
    for args in (["history", "--db", demo_db], ["users", "list", "--db", demo_db]):
        proc = cli(*args)
        assert proc.returncode == 0, proc.stderr
    # The serving process still reads.
    assert key_figures(copy.cursor(), AS_OF)["registered"] == 704


def test_a_commit_of_another_process_is_seen_at_the_next_read(serving, demo_db):
    access, copy = serving
    before = copy.data_version
    proc = cli("users", "add", "kezhang", "--role", "查看", "--db", demo_db,
               env={"YIYONG_NEW_PASSWORD": "Kezhang-pass-2024"})
    assert proc.returncode == 0, proc.stderr
    cur = copy.cursor()
    assert accounts.get_user(cur, "kezhang") is not None
    assert copy.data_version != before     # the account change is a change set


def test_write_while_a_command_reads_waits_then_succeeds(serving, demo_db):
    access, copy = serving
    access.close()
    reader = hold(demo_db, read_only=True, seconds=1.5)
    try:
        t0 = time.monotonic()
        con = access.connection()
        with store.transaction(con) as cur:
            cid = store.begin_change(cur, "edit", "test", "改名")
            changes.update_row(cur, cid, "test", "heroes", 1, {"name": "等待后写入"})
        waited = time.monotonic() - t0
    finally:
        reader.kill()
        reader.wait()
    assert waited >= 1.0
    assert copy.cursor().execute("SELECT name FROM heroes WHERE hero_id = 1").fetchone()[0] == "等待后写入"


def test_write_gives_up_in_chinese_and_changes_nothing(serving, demo_db):
    access, copy = serving
    access.close()
    access.wait = 0.5
    reader = hold(demo_db, read_only=True, seconds=30)
    try:
        with pytest.raises(store.StoreError) as err:
            with store.transaction(access.connection()) as cur:
                cur.execute("DELETE FROM heroes")
    finally:
        reader.kill()
        reader.wait()
    assert "正被另一个程序" in str(err.value) and "请稍后重试" in str(err.value)
    assert copy.cursor().execute("SELECT count(*) FROM heroes").fetchone()[0] == 864


def test_writing_command_while_the_file_is_held_exits_2(demo_db):
    writer = hold(demo_db, read_only=False, seconds=30)
    try:
        t0 = time.monotonic()
        proc = cli("undo", "1", "--db", demo_db, env={store.WAIT_ENV_VAR: "1"})
        waited = time.monotonic() - t0
    finally:
        writer.kill()
        writer.wait()
    assert proc.returncode == 2
    assert "正被另一个程序" in proc.stderr and "Traceback" not in proc.stderr
    assert waited >= 1.0
    assert store.connect(demo_db).execute("SELECT count(*) FROM changes WHERE undone_at IS NOT NULL").fetchone()[0] == 0


def test_copy_refresh_does_not_block_readers_of_the_old_copy(serving, demo_db):
    access, copy = serving
    old_cursor = copy.cursor()
    with store.transaction(access.connection()) as cur:
        cid = store.begin_change(cur, "edit", "test", "改名")
        changes.update_row(cur, cid, "test", "heroes", 2, {"name": "新名字"})
    new_cursor = copy.cursor()          # refreshed
    assert new_cursor.execute("SELECT name FROM heroes WHERE hero_id = 2").fetchone()[0] == "新名字"
    assert old_cursor.execute("SELECT name FROM heroes WHERE hero_id = 2").fetchone()[0] != "新名字"
