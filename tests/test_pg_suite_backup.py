"""Backup and restore on both backends (the file tests of tests/test_backup.py and tests/test_restore_limits.py,
again with the database a file and a PostgreSQL URL): a snapshot restores to identical figures and safe
sequences, a snapshot taken from PostgreSQL restores into a file and back into PostgreSQL, bad and oversized
snapshots are refused with the database untouched, --keep, the sessions of the snapshot end, the page restores,
and a restore killed midway leaves PostgreSQL as it was. Without PostgreSQL the server-mode cases are skipped
with a notice."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from analytics import backup, changes, store
from analytics.metrics.figures import key_figures
from analytics.cli import main
from tests.conftest import ROOT
from tests.test_backup import BAD, COUNTIES, DATES
from tests.test_restore_limits import _declare

BACKENDS = ["file", "postgresql"]


@pytest.fixture(params=BACKENDS)
def db(request, demo_db_readonly, tmp_path):
    """The demo database the test may change: a file, or a fresh PostgreSQL database holding the same data."""
    if request.param == "file":
        path = tmp_path / "demo.duckdb"
        shutil.copy(demo_db_readonly, path)
        yield path
        return
    from tests import pg_suites
    url = pg_suites.new_demo_database(request.getfixturevalue("pg_cluster"), demo_db_readonly)
    yield url
    pg_suites.check_copy_matches(url)


@pytest.fixture(scope="module")
def file_snapshot(demo_db_readonly, tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("snapshot")
    db = work / "demo.duckdb"
    shutil.copy(demo_db_readonly, db)
    assert main(["backup", "--db", str(db), "--to", str(work / "bk")]) == 0
    (path,) = (work / "bk").glob("yiyong-backup-*.zip")
    return path


def is_pg(db) -> bool:
    return isinstance(db, str)


def figures(db) -> dict:
    con = store.connect(db)
    try:
        return {(d, c): key_figures(con, dt.date.fromisoformat(d), c) for d in DATES for c in COUNTIES}
    finally:
        con.close()


def counts(db) -> dict:
    con = store.connect(db)
    try:
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in backup._tables(con)}
    finally:
        con.close()


def fingerprint(db) -> str:
    """The whole database: the file's bytes, or every PostgreSQL table's rows (and the sync version)."""
    if not is_pg(db):
        return hashlib.sha256(Path(db).read_bytes()).hexdigest()
    import psycopg
    from analytics import dialect
    with psycopg.connect(db) as con:
        tables = sorted(r[0] for r in con.execute(dialect.TABLES_SQL["postgresql"]).fetchall())
        parts = [con.execute(f'SELECT count(*), md5(coalesce(string_agg(x::text, \'|\' ORDER BY x::text), \'\')) '
                             f'FROM "{t}" x').fetchone() for t in tables]
        seqs = con.execute("SELECT string_agg(sequencename || '=' || coalesce(last_value, 0)::text, ',' "
                           "ORDER BY sequencename) FROM pg_sequences").fetchone()
    return hashlib.sha256(repr((tables, parts, seqs)).encode()).hexdigest()


def take_snapshot(db, folder: Path) -> Path:
    assert main(["backup", "--db", str(db), "--to", str(folder)]) == 0
    (path,) = folder.glob("yiyong-backup-*.zip")
    return path


def delete_people(db, n=40) -> None:
    con = store.connect(db)
    try:
        with store.transaction(con) as cur:
            cid = store.begin_change(cur, "edit", "test", "删除部分人员")
            for hid in range(1, n):
                changes.delete_row(cur, cid, "test", "heroes", hid)
    finally:
        con.close()


def no_restore_leftovers(db) -> bool:
    if is_pg(db):
        return True
    return not [p for p in Path(db).parent.iterdir() if p.name.startswith(".restore-")]


# ---- round trips --------------------------------------------------------------------------------------------

def test_restore_gives_identical_stats_and_safe_sequences(db, tmp_path, capsys):
    snap = take_snapshot(db, tmp_path / "bk")
    before, before_counts = figures(db), counts(db)
    assert before[("2024-07-31", None)]["registered"] == 704
    delete_people(db)
    assert figures(db)[("2024-07-31", None)]["registered"] == 704 - 39
    assert main(["restore", str(snap), "--db", str(db)]) == 0
    assert "已从" in capsys.readouterr().out
    assert figures(db) == before
    after = counts(db)
    assert after["changes"] == before_counts["changes"] + 1            # the restore is recorded
    assert {t: n for t, n in after.items() if t not in ("changes", "settings")} == \
        {t: n for t, n in before_counts.items() if t not in ("changes", "settings")}
    con = store.connect(db)
    try:
        for seq, (table, key) in backup.SEQUENCE_KEYS.items():
            top = con.execute(f"SELECT coalesce(max({key}), 0) FROM {table}").fetchone()[0]
            assert con.execute(f"SELECT nextval('{seq}')").fetchone()[0] > top, seq
        with store.transaction(con) as cur:
            cid = store.begin_change(cur, "edit", "test", "新增")
            hid = changes.insert_row(cur, cid, "test", "heroes",
                                     {"identity_key": "x", "name": "测试", "county": "冠县"})
        assert hid > 864
        assert con.execute("SELECT kind FROM changes ORDER BY change_id DESC LIMIT 1 OFFSET 1").fetchone()[0] \
            == "restore"
        assert con.execute("SELECT count(*) FROM users").fetchone()[0] == 3
    finally:
        con.close()
    if is_pg(db):
        import psycopg
        with psycopg.connect(db) as pgcon:      # written to PostgreSQL itself, not only to this process's copy
            assert pgcon.execute("SELECT count(*) FROM heroes").fetchone()[0] == 865
            assert pgcon.execute("SELECT count(*) FROM heroes WHERE name = '测试'").fetchone()[0] == 1


def test_snapshot_of_postgresql_restores_into_a_file_and_back(pg_cluster, demo_db_readonly, tmp_path):
    """PostgreSQL → snapshot → new file → snapshot → PostgreSQL (emptied first): the same figures everywhere."""
    from tests import pg_suites
    url = pg_suites.new_demo_database(pg_cluster, demo_db_readonly)
    snap = take_snapshot(url, tmp_path / "from-pg")
    target = tmp_path / "new" / "restored.duckdb"
    assert main(["restore", str(snap), "--db", str(target)]) == 0
    expected = figures(demo_db_readonly)
    assert figures(target) == expected
    assert expected[("2024-07-31", None)]["registered"] == 704
    file_snap = take_snapshot(target, tmp_path / "from-file")
    delete_people(url, 300)
    assert main(["restore", str(file_snap), "--db", url]) == 0
    assert figures(url) == expected
    heroes = {t: n for t, n in counts(url).items() if t == "heroes"}
    assert heroes == {"heroes": 864}
    pg_suites.check_copy_matches(url)


def test_restore_into_empty_postgresql_database(pg_url, file_snapshot):
    assert main(["restore", str(file_snapshot), "--db", pg_url]) == 0
    assert figures(pg_url)[("2024-07-31", None)]["registered"] == 704


# ---- refused snapshots, limits ------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", [k for k in BAD if k != "unknown_table"])
def test_bad_snapshot_refused_db_untouched(file_snapshot, db, tmp_path, capsys, kind):
    bad = BAD[kind](file_snapshot, tmp_path / "bad.zip")
    before = fingerprint(db)
    rc = main(["restore", str(bad), "--db", str(db)])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.startswith("错误：") and "数据库未作任何改动" in err and "Traceback" not in err
    assert fingerprint(db) == before
    assert no_restore_leftovers(db)


def test_declared_3gb_refused_before_hashing(file_snapshot, db, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv(backup.RESTORE_LIMIT_ENV, raising=False)
    big = _declare(file_snapshot, tmp_path / "big.zip", "data/heroes.parquet", 3 * 1024 ** 3)
    before = fingerprint(db)
    sha256 = backup.hashlib.sha256

    def refuse(*_a, **_k):
        raise AssertionError("hashed before the size check")
    monkeypatch.setattr(backup.hashlib, "sha256", refuse)
    t0 = time.perf_counter()
    rc = main(["restore", str(big), "--db", str(db)])
    elapsed = time.perf_counter() - t0
    monkeypatch.setattr(backup.hashlib, "sha256", sha256)
    err = capsys.readouterr().err
    assert rc == 2 and elapsed < 5
    assert "备份文件解压后共 3.0 GB，超过允许恢复的上限 2.0 GB，已拒绝恢复。" in err and "数据库未作任何改动" in err
    assert fingerprint(db) == before
    assert no_restore_leftovers(db)


def test_limit_from_environment(file_snapshot, db, monkeypatch):
    monkeypatch.setenv(backup.RESTORE_LIMIT_ENV, "0.01")                       # 10 KB
    assert backup.restore_limit(db) == int(0.01 * 1024 ** 2)
    before = fingerprint(db)
    with pytest.raises(backup.BackupError, match="超过允许恢复的上限 0 MB"):
        backup.restore(file_snapshot, db)
    assert fingerprint(db) == before
    monkeypatch.delenv(backup.RESTORE_LIMIT_ENV)
    if is_pg(db):
        assert backup.restore_limit(db) == 2 * 1024 ** 3                       # no file to measure: 2 GB


def test_missing_snapshot_file(db, tmp_path, capsys):
    assert main(["restore", str(tmp_path / "nope.zip"), "--db", str(db)]) == 2
    assert "不存在" in capsys.readouterr().err


def test_backup_keep(db, tmp_path, capsys):
    out = tmp_path / "bk"
    out.mkdir()
    (out / "notes.txt").write_text("不是备份")
    for _ in range(3):
        assert main(["backup", "--db", str(db), "--to", str(out), "--keep", "2"]) == 0
    kept = sorted(p.name for p in out.glob("yiyong-backup-*.zip"))
    assert len(kept) == 2 and (out / "notes.txt").exists()
    assert backup.verify(out / kept[-1])["tables"]["heroes"] == 864
    assert main(["backup", "--db", str(db), "--to", str(out), "--keep", "0"]) == 2
    assert "--keep" in capsys.readouterr().err


def test_restore_ends_the_sessions_of_the_snapshot(db, tmp_path):
    from analytics import sessions
    con = store.connect(db)
    try:
        token, _session = sessions.start(con, "admin", ip="127.0.0.1", user_agent="test")
        assert sessions.check_token(con, token, idle_minutes=30).status == sessions.OK
    finally:
        con.close()
    snap = take_snapshot(db, tmp_path / "bk")
    assert main(["restore", str(snap), "--db", str(db)]) == 0
    con = store.connect(db)
    try:
        assert con.execute("SELECT count(*) FROM sessions").fetchone()[0] == 0
        assert sessions.check_token(con, token, idle_minutes=30).status == sessions.UNKNOWN
    finally:
        con.close()


# ---- the page, a killed restore -----------------------------------------------------------------------------

def test_restore_through_page(db, file_snapshot):
    from tests.pages.apptest_util import app
    delete_people(db)
    at = app(db, "pages/backup.py", as_of="2024-07-31")
    assert not at.exception
    at.file_uploader(key="restore_upload").set_value(
        [("snap.zip", file_snapshot.read_bytes(), "application/zip")]).run()
    assert any("校验通过" in i.value for i in at.info), [e.value for e in at.error]
    at.checkbox(key="restore_confirm").check().run()
    at.button(key="restore_button").click().run()
    assert not at.exception
    assert any("已从备份恢复数据" in s.value for s in at.success) or not at.error, [e.value for e in at.error]
    assert figures(db)[("2024-07-31", None)]["registered"] == 704


def test_killed_restore_leaves_postgresql_as_it_was(pg_cluster, demo_db_readonly, file_snapshot):
    """SIGKILL while the restore writes PostgreSQL (inside its one transaction): nothing of it is committed."""
    from tests import pg_suites
    url = pg_suites.new_demo_database(pg_cluster, demo_db_readonly)
    delete_people(url)
    before = fingerprint(url)
    proc = subprocess.Popen([sys.executable, "-m", "analytics", "restore", str(file_snapshot), "--db", url],
                            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import psycopg
    deadline = time.time() + 120
    seen = False
    try:
        with psycopg.connect(url, autocommit=True) as watch:
            while time.time() < deadline and proc.poll() is None:
                # the restore's transaction has emptied a table it then refills: it is writing now
                busy = watch.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                     "AND state = 'active' AND query ILIKE 'COPY%'").fetchone()[0]
                if busy:
                    seen = True
                    break
                time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert seen, "the restore was never seen writing PostgreSQL"
    assert proc.returncode == -signal.SIGKILL
    deadline = time.time() + 30                 # the server notices the dropped client and rolls back
    while fingerprint(url) != before and time.time() < deadline:
        time.sleep(0.2)
    assert fingerprint(url) == before
    assert figures(url)[("2024-07-31", None)]["registered"] == 704 - 39
