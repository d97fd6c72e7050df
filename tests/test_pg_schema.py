"""Server mode's schema: the same numbered migrations on PostgreSQL as on the DuckDB file (each in its own
transaction, a newer schema refused), the same tables, columns and reference data."""
from __future__ import annotations

import pytest

from analytics import dialect, pg, store


def test_migrations_give_the_same_tables_and_reference_data(pg_url, tmp_db):
    con = pg.connect(pg_url)
    try:
        assert pg.schema_version(con) == store.LATEST_VERSION
        pg_tables = [r[0] for r in con.execute(dialect.TABLES_SQL["postgresql"]).fetchall()]
        assert con.execute("SELECT count(*) FROM counties").fetchone()[0] == 11
        assert con.execute("SELECT count(*) FROM counties WHERE code IS NULL").fetchone()[0] == 3
        assert con.execute("SELECT count(*) FROM towns").fetchone()[0] == 136
        aliases = con.execute("SELECT aliases FROM counties WHERE name = '茌平区'").fetchone()[0]
        assert isinstance(aliases, list) and "茌平县" in aliases
        pg_cols = con.execute("SELECT table_name, column_name FROM information_schema.columns "
                              "WHERE table_schema = current_schema() ORDER BY 1, ordinal_position").fetchall()
        assert pg.migrate(con) == []          # reopening a current database changes nothing
    finally:
        con.close()
    duck = store.connect(tmp_db)
    try:
        duck_tables = [r[0] for r in duck.execute(dialect.TABLES_SQL["duckdb"]).fetchall()]
        duck_cols = duck.execute("SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'main' "
                                 "AND database_name = current_database() AND NOT internal "
                                 "ORDER BY 1, column_index").fetchall()
    finally:
        duck.close()
    assert pg_tables == duck_tables
    assert "heroes" in pg_tables and "audit_log" in pg_tables and "users" in pg_tables
    assert pg_cols == duck_cols


def test_newer_schema_is_refused(pg_url):
    pg.connect(pg_url).close()
    import psycopg
    with psycopg.connect(pg_url) as con:
        con.execute("INSERT INTO schema_version VALUES (999, 'future', now())")
    with pytest.raises(store.StoreError, match="高于本程序支持的版本"):
        pg.connect(pg_url)


def test_failed_migration_leaves_database_as_it_was(pg_url, monkeypatch):
    pg.connect(pg_url).close()
    bad = (store.LATEST_VERSION + 1, "bad.sql", "CREATE TABLE half_done (x INTEGER); SELECT * FROM no_such_table;")
    real = store.migrations()
    monkeypatch.setattr(store, "migrations", lambda: [*real, bad])
    monkeypatch.setattr(store, "LATEST_VERSION", bad[0])
    import psycopg
    with pytest.raises(psycopg.errors.UndefinedTable):
        pg.connect(pg_url)
    monkeypatch.undo()
    con = pg.connect(pg_url)
    try:
        assert pg.schema_version(con) == store.LATEST_VERSION
        assert con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'half_done'"
                           ).fetchone()[0] == 0
    finally:
        con.close()


def test_unreachable_server_gives_chinese_sentence(pg_cluster):
    url = pg_cluster.url("postgres").replace("yiyong-test-pw", "wrong-password")
    with pytest.raises(store.StoreError, match="无法连接数据库服务器"):
        pg.connect(url)


@pytest.mark.parametrize("duck,pgsql", [
    ("updated_at = now()::TIMESTAMP", "updated_at = LOCALTIMESTAMP"),
    ("score DOUBLE, raw BLOB", "score DOUBLE PRECISION, raw BYTEA"),
    ("x DOUBLE PRECISION", "x DOUBLE PRECISION"),
    ("CREATE OR REPLACE SEQUENCE seq_x START 5", "DROP SEQUENCE IF EXISTS seq_x; CREATE SEQUENCE seq_x START 5"),
    ("CREATE TABLE IF NOT EXISTS sessions (token VARCHAR PRIMARY KEY, expires_at TIMESTAMP NOT NULL)",
     "CREATE TABLE IF NOT EXISTS sessions (token VARCHAR PRIMARY KEY, expires_at TIMESTAMP NOT NULL)"),
])
def test_dialect_rewrites(duck, pgsql):
    assert dialect.to_postgres(duck) == pgsql
