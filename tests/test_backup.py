"""Backup and restore on the embedded file: identical figures after a round trip, sequences past every id, and bad
snapshots refused with one Chinese sentence (exit 2) while the database stays untouched. --keep, a missing
snapshot file and the sessions a restore ends are tested on both backends in tests/test_pg_suite_backup.py."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from analytics import backup, changes, store
from analytics.metrics.figures import key_figures
from analytics.cli import main
from tests.conftest import ROOT

DATES = ["2013-12-31", "2019-06-30", "2024-07-31", "2025-04-30", "2026-10-31"]
COUNTIES = [None, "东昌府区", "冠县", "聊城经济技术开发区"]


def figures(db: Path) -> dict:
    con = store.connect(db)
    try:
        return {(d, c): key_figures(con, dt.date.fromisoformat(d), c) for d in DATES for c in COUNTIES}
    finally:
        con.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def counts(db: Path) -> dict:
    con = store.connect(db)
    try:
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in backup._tables(con)}
    finally:
        con.close()


@pytest.fixture(scope="module")
def snapshot(demo_db_readonly, tmp_path_factory) -> Path:
    """One snapshot of (a copy of) the demo database for the whole module; tests only read it."""
    work = tmp_path_factory.mktemp("snapshot")
    db = work / "demo.duckdb"
    shutil.copy(demo_db_readonly, db)
    assert main(["backup", "--db", str(db), "--to", str(work / "bk")]) == 0
    (path,) = (work / "bk").glob("yiyong-backup-*.zip")
    return path


def test_snapshot_contents(snapshot, demo_db):
    with zipfile.ZipFile(snapshot) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
        sums = zf.read("SHA256SUMS").decode()
        for name, expected in manifest["files"].items():
            assert hashlib.sha256(zf.read(name)).hexdigest() == expected
            assert f"{expected}  {name}" in sums
    assert {"manifest.json", "SHA256SUMS", "data/heroes.parquet", "data/users.parquet"} <= names
    assert manifest["schema_version"] == store.LATEST_VERSION
    assert manifest["tables"] == counts(demo_db)
    assert manifest["tables"]["heroes"] == 864 and manifest["created_at"][:4].isdigit()
    assert manifest["sequences"]["seq_hero"] == 865


def test_restore_gives_identical_stats_and_safe_sequences(snapshot, demo_db, capsys):
    before, before_counts = figures(demo_db), counts(demo_db)
    # change the database after the snapshot: delete people, add an edit
    con = store.connect(demo_db)
    with store.transaction(con) as cur:
        cid = store.begin_change(cur, "edit", "test", "删除部分人员")
        for hid in range(1, 40):
            changes.delete_row(cur, cid, "test", "heroes", hid)
    con.close()
    assert figures(demo_db) != before
    assert main(["restore", str(snapshot), "--db", str(demo_db)]) == 0
    assert "已从" in capsys.readouterr().out
    assert figures(demo_db) == before
    after_counts = counts(demo_db)
    assert after_counts["changes"] == before_counts["changes"] + 1        # the restore is recorded
    assert {t: n for t, n in after_counts.items() if t not in ("changes", "settings")} == \
        {t: n for t, n in before_counts.items() if t not in ("changes", "settings")}
    assert (demo_db.parent / (demo_db.name + ".before-restore")).exists()
    con = store.connect(demo_db)
    try:
        for seq, (table, key) in backup.SEQUENCE_KEYS.items():
            top = con.execute(f"SELECT coalesce(max({key}), 0) FROM {table}").fetchone()[0]
            assert con.execute(f"SELECT nextval('{seq}')").fetchone()[0] > top, seq
        # new records get fresh ids: a recorded insert works without a key collision
        with store.transaction(con) as cur:
            cid = store.begin_change(cur, "edit", "test", "新增")
            hid = changes.insert_row(cur, cid, "test", "heroes",
                                     {"identity_key": "x", "name": "测试", "county": "冠县"})
        assert hid > 864
        assert con.execute("SELECT kind FROM changes ORDER BY change_id DESC LIMIT 1 OFFSET 1").fetchone()[0] == "restore"
        assert con.execute("SELECT count(*) FROM users").fetchone()[0] == 3
    finally:
        con.close()


def test_restore_into_new_file(snapshot, tmp_path):
    target = tmp_path / "new" / "restored.duckdb"
    assert main(["restore", str(snapshot), "--db", str(target)]) == 0
    assert figures(target)[("2024-07-31", None)]["registered"] == 704


def _rezip(src: Path, dst: Path, edit) -> Path:
    with zipfile.ZipFile(src) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    edit(files)
    with zipfile.ZipFile(dst, "w") as zf:
        for n, b in files.items():
            zf.writestr(n, b)
    return dst


def _manifest_edit(fn):
    def edit(files):
        m = json.loads(files["manifest.json"])
        fn(m)
        files["manifest.json"] = json.dumps(m).encode()
    return edit


def _fix_checksum(name, data):
    def edit(files):
        files[name] = data
        m = json.loads(files["manifest.json"])
        m["files"][name] = hashlib.sha256(data).hexdigest()
        files["manifest.json"] = json.dumps(m).encode()
    return edit


BAD = {
    "not_a_zip": lambda src, dst: dst.write_bytes(b"not a zip at all") or dst,
    "truncated": lambda src, dst: dst.write_bytes(src.read_bytes()[: len(src.read_bytes()) // 2]) or dst,
    "empty": lambda src, dst: dst.write_bytes(b"") or dst,
    "no_manifest": lambda src, dst: _rezip(src, dst, lambda f: f.pop("manifest.json")),
    "tampered_parquet": lambda src, dst: _rezip(src, dst, lambda f: f.__setitem__(
        "data/heroes.parquet", f["data/heroes.parquet"][:-20] + b"x" * 20)),
    "missing_table_file": lambda src, dst: _rezip(src, dst, lambda f: f.pop("data/recognitions.parquet")),
    "newer_schema": lambda src, dst: _rezip(src, dst, _manifest_edit(
        lambda m: m.__setitem__("schema_version", store.LATEST_VERSION + 1))),
    "other_format": lambda src, dst: _rezip(src, dst, _manifest_edit(lambda m: m.__setitem__("format", "x"))),
    "hostile_table_name": lambda src, dst: _rezip(src, dst, _manifest_edit(
        lambda m: m["tables"].__setitem__("heroes; DROP TABLE heroes", 1))),
    "path_traversal": lambda src, dst: _rezip(src, dst, _manifest_edit(
        lambda m: m["files"].__setitem__("../../etc/passwd", "0" * 64))),
    "wrong_row_count": lambda src, dst: _rezip(src, dst, _manifest_edit(
        lambda m: m["tables"].__setitem__("heroes", 5))),
    "unknown_table": lambda src, dst: _rezip(src, dst, _fix_checksum("data/evil.parquet", b"PAR1")),
    "garbage_parquet_valid_sum": lambda src, dst: _rezip(src, dst, _fix_checksum("data/heroes.parquet",
                                                                                 b"garbage")),
}


@pytest.mark.parametrize("kind", list(BAD))
def test_bad_snapshot_refused_db_untouched(snapshot, demo_db, tmp_path, capsys, kind):
    if kind == "unknown_table":
        bad = tmp_path / "bad.zip"
        BAD[kind](snapshot, bad)
        with zipfile.ZipFile(bad, "a") as zf:   # list the extra table in the manifest too
            pass
        files = {n: zipfile.ZipFile(bad).read(n) for n in zipfile.ZipFile(bad).namelist()}
        m = json.loads(files["manifest.json"])
        m["tables"]["evil"] = 0
        files["manifest.json"] = json.dumps(m).encode()
        with zipfile.ZipFile(bad, "w") as zf:
            for n, b in files.items():
                zf.writestr(n, b)
    else:
        bad = BAD[kind](snapshot, tmp_path / "bad.zip")
    before = digest(demo_db)
    rc = main(["restore", str(bad), "--db", str(demo_db)])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.startswith("错误：") and "数据库未作任何改动" in err and "Traceback" not in err
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err)
    assert digest(demo_db) == before
    assert not (demo_db.parent / (demo_db.name + ".before-restore")).exists()
    assert not [p for p in demo_db.parent.iterdir() if p.name.startswith(".restore-")]


def test_backup_of_missing_db(tmp_path, capsys):
    assert main(["backup", "--db", str(tmp_path / "none.duckdb"), "--to", str(tmp_path / "bk")]) == 2
    assert "不存在" in capsys.readouterr().err


def test_restore_refused_while_database_in_use(snapshot, demo_db, tmp_path):
    """Another process (the running dashboard) holds the file: refused, exit 2, untouched."""
    holder = subprocess.Popen([sys.executable, "-c",
                               "import duckdb,sys,time; c=duckdb.connect(sys.argv[1]); print('ok', flush=True);"
                               " time.sleep(30)", str(demo_db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        before = digest(demo_db)
        proc = subprocess.run([sys.executable, "-m", "analytics", "restore", str(snapshot), "--db", str(demo_db)],
                              cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2 and "占用" in proc.stderr and "Traceback" not in proc.stderr
        assert digest(demo_db) == before
    finally:
        holder.kill()
        holder.wait()


def test_restore_through_page(demo_db, snapshot):
    """The admin page: upload, verify, confirm, restore; the app then shows the restored figures."""
    from tests.pages.apptest_util import app
    con = store.connect(demo_db)
    with store.transaction(con) as cur:
        cid = store.begin_change(cur, "edit", "test", "删除部分人员")
        for hid in range(1, 40):
            changes.delete_row(cur, cid, "test", "heroes", hid)
    con.close()
    at = app(demo_db, "pages/backup.py", as_of="2024-07-31")
    assert not at.exception
    at.file_uploader(key="restore_upload").set_value(
        [("snap.zip", snapshot.read_bytes(), "application/zip")]).run()
    assert any("校验通过" in i.value for i in at.info), [e.value for e in at.error]
    at.checkbox(key="restore_confirm").check().run()
    at.button(key="restore_button").click().run()
    assert not at.exception
    assert any("已从备份恢复数据" in s.value for s in at.success) or not at.error, [e.value for e in at.error]
    from ui import db as uidb
    cur = uidb.cursor()
    try:
        assert key_figures(cur, dt.date(2024, 7, 31))["registered"] == 704
    finally:
        cur.close()


def test_backup_page_download(demo_db):
    from tests.pages.apptest_util import app
    at = app(demo_db, "pages/backup.py")
    at.button(key="make_backup").click().run()
    assert not at.exception
    name, data, manifest = at.session_state["backup_zip"]
    assert name.startswith("yiyong-backup-") and backup.verify(data)["tables"]["heroes"] == 864
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
