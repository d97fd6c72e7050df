"""Migrations and the store: a new file gets the schema and reference data; reopening changes nothing;
an older database is upgraded in place."""
from __future__ import annotations

import duckdb
import pytest

from analytics import reference, store


def test_new_database_has_schema_and_reference(tmp_db):
    con = store.connect(tmp_db)
    try:
        assert store.schema_version(con) == store.LATEST_VERSION
        assert con.execute("SELECT count(*) FROM counties").fetchone()[0] == 11
        assert con.execute("SELECT count(*) FROM counties WHERE code IS NULL").fetchone()[0] == 3
        assert con.execute("SELECT count(*) FROM towns").fetchone()[0] == 136  # 135 (2022) + 九州街道
        assert con.execute("SELECT count(*) FROM heroes").fetchone()[0] == 0
    finally:
        con.close()


def test_reopening_current_database_changes_nothing(tmp_db):
    con = store.connect(tmp_db)
    try:
        assert store.migrate(con) == []
        assert con.execute("SELECT count(*) FROM schema_version").fetchone()[0] == store.LATEST_VERSION
    finally:
        con.close()


def test_older_database_is_upgraded_in_place(tmp_db, monkeypatch):
    con = store.connect(tmp_db)
    con.execute("INSERT INTO settings VALUES ('keep', 'me')")
    con.close()
    extra = (store.LATEST_VERSION + 1, f"{store.LATEST_VERSION + 1:03d}_test.sql",
             "CREATE TABLE upgrade_probe (x INTEGER); INSERT INTO upgrade_probe VALUES (42);")
    real = store.migrations()
    monkeypatch.setattr(store, "migrations", lambda: [*real, extra])
    monkeypatch.setattr(store, "LATEST_VERSION", extra[0])
    con = store.connect(tmp_db)
    try:
        assert store.schema_version(con) == extra[0]
        assert con.execute("SELECT x FROM upgrade_probe").fetchone()[0] == 42
        assert con.execute("SELECT value FROM settings WHERE key = 'keep'").fetchone()[0] == "me"
        assert store.migrate(con) == []
    finally:
        con.close()


def test_failed_migration_leaves_database_as_it_was(tmp_db, monkeypatch):
    bad = (store.LATEST_VERSION + 1, "bad.sql", "CREATE TABLE half_done (x INTEGER); SELECT * FROM no_such_table;")
    real = store.migrations()
    monkeypatch.setattr(store, "migrations", lambda: [*real, bad])
    monkeypatch.setattr(store, "LATEST_VERSION", bad[0])
    with pytest.raises(duckdb.Error):
        store.connect(tmp_db)
    monkeypatch.undo()
    con = store.connect(tmp_db)
    try:
        assert store.schema_version(con) == store.LATEST_VERSION
        assert not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name='half_done'"
                               ).fetchone()[0]
    finally:
        con.close()


def test_newer_database_is_refused(tmp_db):
    con = duckdb.connect(str(tmp_db))
    con.execute("INSERT INTO schema_version VALUES (999, 'future', now()::TIMESTAMP)")
    con.close()
    with pytest.raises(store.StoreError, match="高于本程序支持的版本"):
        store.connect(tmp_db)


def test_locked_database_gives_chinese_sentence(tmp_db):
    import subprocess, sys, time
    holder = subprocess.Popen([sys.executable, "-c",
                               f"import duckdb,time; c=duckdb.connect({str(tmp_db)!r}); print('ok', flush=True); time.sleep(30)"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        with pytest.raises(store.StoreError, match="占用"):
            store.connect(tmp_db)
    finally:
        holder.kill()


def test_db_path_resolution(monkeypatch, tmp_path):
    monkeypatch.delenv("YIYONG_DB", raising=False)
    assert store.resolve_db_path() == store.DEFAULT_DB
    monkeypatch.setenv("YIYONG_DB", str(tmp_path / "x.duckdb"))
    assert store.resolve_db_path() == tmp_path / "x.duckdb"
    assert store.resolve_db_path(tmp_path / "y.duckdb") == tmp_path / "y.duckdb"


@pytest.mark.parametrize("text,expected", [
    ("东昌府区", "东昌府区"), ("东昌府", "东昌府区"), ("聊城市东昌府区", "东昌府区"), ("茌平县", "茌平区"),
    ("临清", "临清市"), ("开发区", "聊城经济技术开发区"), ("经开区", "聊城经济技术开发区"),
    ("高新区", "聊城高新技术产业开发区"), ("度假区", "江北水城旅游度假区"), (" 冠县 ", "冠县"),
    ("３７１５０２", "东昌府区"), ("济南市", None), ("", None), (None, None), ("历城区", None),
])
def test_resolve_county(text, expected):
    assert reference.resolve_county(text) == expected
