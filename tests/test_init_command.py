"""`python -m analytics init` and the refusal of a database path that does not exist (no silent empty database)."""
from __future__ import annotations

import io
import subprocess
import sys

import pytest

from analytics import accounts, store
from analytics.cli import main
from tests.conftest import ROOT


@pytest.fixture(autouse=True)
def _no_admin_env(monkeypatch):
    monkeypatch.delenv("YIYONG_ADMIN_PASSWORD", raising=False)
    monkeypatch.delenv("YIYONG_ADMIN_USER", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))          # not a terminal: nobody to ask


def _read(db, sql):
    con = store.connect(db, read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_init_makes_an_empty_database_with_reference_data(tmp_path, capsys):
    db = tmp_path / "new" / "yiyong.duckdb"
    assert main(["init", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert f"已新建空数据库：{db}（数据结构版本 {store.LATEST_VERSION}" in out and "首次打开看板时" in out
    assert _read(db, "SELECT max(version) FROM schema_version") == [(store.LATEST_VERSION,)]
    assert _read(db, "SELECT count(*) FROM sessions") == [(0,)]      # schema 004 is there
    assert _read(db, "SELECT count(*) FROM counties") == [(11,)]     # 8 counties/districts + 3 functional zones
    assert _read(db, "SELECT count(*) FROM heroes") == [(0,)]
    assert _read(db, "SELECT count(*) FROM users") == [(0,)]
    assert _read(db, "SELECT value FROM settings WHERE key = 'awaiting_first_admin'") == [("1",)]


def test_init_reads_the_admin_password_from_the_environment(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("YIYONG_ADMIN_PASSWORD", "Chief-pass-2024")
    monkeypatch.setenv("YIYONG_ADMIN_USER", "zhangke")
    db = tmp_path / "y.duckdb"
    assert main(["init", "--db", str(db)]) == 0
    assert "已设置系统管理员账号 zhangke" in capsys.readouterr().out
    con = store.connect(db)
    try:
        assert accounts.authenticate(con, "zhangke", "Chief-pass-2024").role == "admin"
        assert not accounts.first_run_allowed(con)
    finally:
        con.close()


def test_init_refuses_a_weak_password_and_creates_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("YIYONG_ADMIN_PASSWORD", "short")
    db = tmp_path / "y.duckdb"
    assert main(["init", "--db", str(db)]) == 2
    assert "管理员账号不符合要求：密码至少8位" in capsys.readouterr().err
    assert not db.exists()


def test_init_never_touches_an_existing_database(demo_db, capsys):
    before = demo_db.read_bytes()
    assert main(["init", "--db", str(demo_db)]) == 2
    assert f"数据库文件“{demo_db}”已存在，未作任何改动" in capsys.readouterr().err
    assert demo_db.read_bytes() == before


@pytest.mark.parametrize("command", [["stats"], ["history"], ["users", "list"], ["undo", "1"]])
def test_commands_refuse_a_missing_database(tmp_path, capsys, command):
    missing = tmp_path / "typo.duckdb"
    assert main(command + ["--db", str(missing)]) == 2
    err = capsys.readouterr().err
    assert f"数据库文件“{missing}”不存在" in err and f"python -m analytics init --db {missing}" in err
    assert not missing.exists()


def test_store_creates_only_when_asked(tmp_path):
    with pytest.raises(store.StoreError, match="不存在"):
        store.connect(tmp_path / "a.duckdb")
    store.connect(tmp_path / "a.duckdb", create=True).close()
    assert (tmp_path / "a.duckdb").exists()


def test_init_as_a_process(tmp_path):
    db = tmp_path / "p.duckdb"
    p = subprocess.run([sys.executable, "-m", "analytics", "init", "--db", str(db)], cwd=ROOT, capture_output=True,
                       text=True, stdin=subprocess.DEVNULL, env={"PATH": "/usr/bin:/bin"}, timeout=120)
    assert p.returncode == 0, p.stderr
    assert db.exists() and "已新建空数据库" in p.stdout
