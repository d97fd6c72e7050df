"""Restore limits: a snapshot declaring more than the limit is refused from the zip directory alone (no hashing,
nothing written), with one Chinese sentence; folders left by restores killed midway are removed at the next
restore and when the app opens the database."""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from analytics import backup
from analytics.cli import main
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def snapshot(demo_db_readonly, tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("snapshot")
    db = work / "demo.duckdb"
    shutil.copy(demo_db_readonly, db)
    assert main(["backup", "--db", str(db), "--to", str(work / "bk")]) == 0
    (path,) = (work / "bk").glob("yiyong-backup-*.zip")
    return path


_SHA256 = hashlib.sha256      # kept: _no_hashing() replaces hashlib.sha256 for the code under test


def _digest(path: Path) -> str:
    return _SHA256(path.read_bytes()).hexdigest()


def _declare(src: Path, dst: Path, name: str, size: int) -> Path:
    """A copy of `src` whose central directory says entry `name` unpacks to `size` bytes (the data is unchanged:
    a small file that claims to be huge, like the 4 GB snapshot of the probe)."""
    data = bytearray(src.read_bytes())
    pos = 0
    while True:
        pos = data.find(b"PK\x01\x02", pos)
        assert pos >= 0, f"{name} not found in the central directory"
        n_len = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46: pos + 46 + n_len].decode() == name:
            struct.pack_into("<I", data, pos + 24, size)
            break
        pos += 4
    dst.write_bytes(bytes(data))
    return dst


def _no_hashing(monkeypatch):
    def refuse(*_a, **_k):
        raise AssertionError("hashed before the size check")
    monkeypatch.setattr(backup.hashlib, "sha256", refuse)


def test_declared_3gb_refused_by_default_before_hashing_or_writing(snapshot, demo_db, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv(backup.RESTORE_LIMIT_ENV, raising=False)
    big = _declare(snapshot, tmp_path / "big.zip", "data/heroes.parquet", 3 * 1024 ** 3)
    with zipfile.ZipFile(big) as zf:
        assert sum(i.file_size for i in zf.infolist()) > 3 * 1024 ** 3
    before = _digest(demo_db)
    _no_hashing(monkeypatch)
    t0 = time.perf_counter()
    rc = main(["restore", str(big), "--db", str(demo_db)])
    assert time.perf_counter() - t0 < 2
    err = capsys.readouterr().err
    assert rc == 2
    assert "备份文件解压后共 3.0 GB，超过允许恢复的上限 2.0 GB，已拒绝恢复。" in err and "数据库未作任何改动" in err
    assert _digest(demo_db) == before
    assert not [p for p in demo_db.parent.iterdir() if p.name.startswith(".restore-")]
    with pytest.raises(backup.BackupError, match="超过允许恢复的上限 2.0 GB"):    # the page's check too
        backup.verify(big.read_bytes(), demo_db)


def test_limit_from_environment_and_from_live_database(snapshot, demo_db, tmp_path, monkeypatch):
    with zipfile.ZipFile(snapshot) as zf:
        declared = sum(i.file_size for i in zf.infolist())
    monkeypatch.setenv(backup.RESTORE_LIMIT_ENV, "0.01")                          # 10 KB
    assert backup.restore_limit(demo_db) == int(0.01 * 1024 ** 2)
    _no_hashing(monkeypatch)
    with pytest.raises(backup.BackupError, match="超过允许恢复的上限 0 MB"):
        backup.restore(snapshot, demo_db)
    monkeypatch.delenv(backup.RESTORE_LIMIT_ENV)
    assert backup.restore_limit(tmp_path / "none.duckdb") == 2 * 1024 ** 3        # no live database: 2 GB
    big_live = tmp_path / "big.duckdb"
    with open(big_live, "wb") as f:                                                # a sparse 300 MB file
        f.truncate(300 * 1024 ** 2)
    assert backup.restore_limit(big_live) == 3000 * 1024 ** 2                      # 10 x the live database
    assert declared < 2 * 1024 ** 3


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_leftovers_of_dead_restores_removed_live_ones_kept(demo_db):
    parent = demo_db.parent
    dead = parent / f".restore-{_dead_pid()}-abc123"
    old_style = parent / ".restore-k2j3h4l5"
    live = parent / f".restore-{os.getppid()}-def456"          # pytest's parent process is running
    for d in (dead, old_style, live):
        (d / "data").mkdir(parents=True)
        (d / "restored.duckdb").write_bytes(b"x" * 1000)
    removed = backup.remove_interrupted_restores(demo_db)
    assert sorted(p.name for p in removed) == sorted([dead.name, old_style.name])
    assert not dead.exists() and not old_style.exists() and live.exists()


def test_killed_restore_is_cleaned_up_at_next_start(snapshot, demo_db):
    """A restore killed midway (SIGKILL: no finally runs) leaves its folder; the next open by the app removes it,
    and the database is the one from before."""
    before = _digest(demo_db)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "analytics", "restore", str(snapshot), "--db", str(demo_db)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    left = []
    while time.time() < deadline and not left:
        left = [p for p in demo_db.parent.iterdir() if p.name.startswith(".restore-")]
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert left, "the restore never created its work folder"
    assert [p for p in demo_db.parent.iterdir() if p.name.startswith(".restore-")]   # left behind by the kill
    from ui import db as uidb
    os.environ["YIYONG_DB"] = str(demo_db)
    uidb.reset_for_tests()
    uidb.connection()                                             # what the app does when it starts
    uidb.reset_for_tests()
    assert not [p for p in demo_db.parent.iterdir() if p.name.startswith(".restore-")]
    assert _digest(demo_db) == before
