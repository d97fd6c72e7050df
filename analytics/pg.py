"""Server mode, first part: a PostgreSQL database with the same numbered migrations as the DuckDB file.

`connect(url)` opens a psycopg 3 connection and brings the database to the current schema: every pending
migration of analytics/schema/ runs, translated by analytics/dialect.py, in its own transaction together with
its schema_version row; a database newer than this program is refused; the reference data (counties, towns)
is filled from the same code that fills a DuckDB file (built in an in-memory DuckDB and copied over).
"""
from __future__ import annotations

import datetime as dt
import re

from analytics import dialect, store

URL_RE = re.compile(r"^postgres(ql)?://", re.IGNORECASE)
REFERENCE_TABLES = ("counties", "towns")


def is_url(text) -> bool:
    return bool(text) and bool(URL_RE.match(str(text)))


def connect(url: str, *, migrate_schema: bool = True):
    import psycopg
    try:
        con = psycopg.connect(url, connect_timeout=10)
    except psycopg.OperationalError as exc:
        raise store.StoreError("无法连接数据库服务器，请检查地址、端口、用户名和密码，以及服务器是否已启动。") from exc
    if migrate_schema:
        try:
            migrate(con)
        except BaseException:
            con.close()
            raise
    return con


def schema_version(con) -> int:
    exists = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() "
                         "AND table_name = 'schema_version'").fetchone()[0]
    con.commit()
    if not exists:
        return 0
    version = con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]
    con.commit()
    return version


def migrate(con) -> list[int]:
    """Apply pending migrations, each in its own transaction; return the versions applied."""
    current = schema_version(con)
    if current > store.LATEST_VERSION:
        raise store.StoreError(
            f"数据库结构版本（{current}）高于本程序支持的版本（{store.LATEST_VERSION}），请升级程序后再打开。")
    applied = []
    for version, name, sql in store.migrations():
        if version <= current:
            continue
        with con.transaction():
            con.execute(dialect.SCHEMA_VERSION_DDL)
            con.execute(dialect.to_postgres(sql))
            con.execute("INSERT INTO schema_version VALUES (%s, %s, %s)",
                        [version, name, dt.datetime.now().replace(microsecond=0)])
        applied.append(version)
    if applied:
        _ensure_reference_data(con)
    return applied


def _ensure_reference_data(con) -> None:
    """Counties and towns, from the same code that fills a DuckDB file."""
    import duckdb
    mem = duckdb.connect()
    try:
        for _, _, sql in store.migrations():
            mem.execute(sql)
        from analytics import reference
        reference.ensure_reference_data(mem)
        with con.transaction():
            for table in REFERENCE_TABLES:
                if con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]:
                    continue
                res = mem.execute(f"SELECT * FROM {table}")
                cols = [d[0] for d in res.description]
                rows = res.fetchall()
                with con.cursor() as cur:
                    cur.executemany(f"INSERT INTO {table} ({', '.join(cols)}) "
                                    f"VALUES ({', '.join(['%s'] * len(cols))})", rows)
    finally:
        mem.close()
