"""The DuckDB file: where it is, opening it, migrations, and the one write-transaction helper.

Every write goes through `transaction()` and belongs to a change set (`begin_change`), so that it is
recorded and can be undone (analytics/changes.py).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
import time
from importlib import resources
from pathlib import Path
from typing import Iterator

import duckdb

from analytics import reference
from analytics.paths import DATA_DIR

DEFAULT_DB = DATA_DIR / "yiyong.duckdb"
ENV_VAR = "YIYONG_DB"
WAIT_ENV_VAR = "YIYONG_DB_WAIT_SECONDS"
DEFAULT_WAIT_SECONDS = 8.0

# One writer at a time inside a process (Streamlit sessions run on threads).
WRITE_LOCK = threading.RLock()


class StoreError(Exception):
    """A database problem explained in one Chinese sentence."""


def resolve_db_path(path: str | os.PathLike | None = None) -> Path:
    """--db PATH, else $YIYONG_DB, else data/yiyong.duckdb.
    A postgresql:// URL (server mode) is returned as the string itself: see is_server()."""
    text = path or os.environ.get(ENV_VAR)
    if is_server(text):
        return str(text)
    if text:
        return Path(text)
    return DEFAULT_DB


def is_server(target) -> bool:
    """True for a PostgreSQL URL (server mode), False for a file path (embedded mode)."""
    return bool(target) and str(target).lower().startswith(("postgresql://", "postgres://"))


def migrations() -> list[tuple[int, str, str]]:
    """(version, file name, sql) for every numbered file in analytics/schema/, in order."""
    out = []
    for entry in resources.files("analytics.schema").iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:3].isdigit():
            out.append((int(name[:3]), name, entry.read_text(encoding="utf-8")))
    return sorted(out)


LATEST_VERSION = max(v for v, _, _ in migrations())


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()[0]
    if not exists:
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Bring the database to the latest schema; return the versions applied (empty if current)."""
    applied = []
    current = schema_version(con)
    if current > LATEST_VERSION:
        raise StoreError(
            f"数据库结构版本（{current}）高于本程序支持的版本（{LATEST_VERSION}），请升级程序后再打开。"
        )
    for version, name, sql in migrations():
        if version <= current:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(
                "CREATE TABLE IF NOT EXISTS schema_version ("
                "version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)"
            )
            con.execute(sql)
            con.execute(
                "INSERT INTO schema_version VALUES (?, ?, ?)", [version, name, _now()]
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(version)
    if applied:
        reference.ensure_reference_data(con)
    return applied


def lock_wait_seconds() -> float:
    """How long opening the file waits for another process to let go of it ($YIYONG_DB_WAIT_SECONDS, default 8)."""
    try:
        return max(0.0, float(os.environ.get(WAIT_ENV_VAR, DEFAULT_WAIT_SECONDS)))
    except ValueError:
        return DEFAULT_WAIT_SECONDS


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text or "conflict" in text or "resource in use" in text


def _open(db: Path, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
    """duckdb.connect, retried while another process holds the file (DuckDB: one writer or many readers)."""
    deadline = time.monotonic() + wait
    delay = 0.05
    while True:
        try:
            return duckdb.connect(str(db), read_only=read_only)
        except duckdb.Error as exc:
            if not _is_lock_error(exc):
                if isinstance(exc, duckdb.IOException):
                    raise StoreError(f"无法打开数据库文件 {db.name}：文件可能已损坏。") from exc
                raise StoreError(f"无法打开数据库文件 {db.name}：文件可能已损坏或不是本系统的数据库。") from exc
            if time.monotonic() >= deadline:
                raise StoreError(
                    f"数据库文件 {db.name} 正被另一个程序（例如正在运行的看板或命令）占用，"
                    f"等待 {wait:.0f} 秒后仍未释放，请稍后重试。"
                ) from exc
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


def connect(path: str | os.PathLike | None = None, read_only: bool = False,
            wait: float | None = None, *, create: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the database and bring it to the current schema. A path that does not exist is refused with
    StoreError (a typo or an unmounted disk must not become an empty database), unless `create`: then it
    becomes an empty database (schema and reference data, no people).
    While another process holds the file (the app writing, a command importing), wait up to `wait` seconds
    (default: lock_wait_seconds()) before giving up with a Chinese sentence.
    """
    db = resolve_db_path(path)
    if is_server(db):
        from analytics import server
        return server.open_copy(db)
    if not db.exists() and (read_only or not create):
        raise StoreError(missing_database(db))
    if not read_only:
        db.parent.mkdir(parents=True, exist_ok=True)
    con = _open(db, read_only, lock_wait_seconds() if wait is None else wait)
    if not read_only:
        try:
            migrate(con)
        except BaseException:
            con.close()
            raise
    return con


def missing_database(db: Path) -> str:
    return (f"数据库文件“{db}”不存在。如需新建空数据库，请运行 python -m analytics init --db {db}；"
            f"如需演示数据库，请运行 make run 或 python -m analytics demo --db {db}。")


def file_signature(path: str | os.PathLike) -> tuple:
    """(inode, mtime, size) of the database file and of its write-ahead log: it changes with every commit of
    any process (the log grows), every checkpoint and every restore (a new file). Two stat() calls."""
    db = Path(path)
    out = []
    for f in (db, db.with_name(db.name + ".wal")):
        try:
            st = f.stat()
            out.append((st.st_ino, st.st_mtime_ns, st.st_size))
        except FileNotFoundError:
            out.append(None)
    return tuple(out)


def connect_for_reading(path: str | os.PathLike | None = None) -> duckdb.DuckDBPyConnection:
    """Open read-only when the file exists and is current (so several readers can share it);
    otherwise create or upgrade it first."""
    db = resolve_db_path(path)
    if is_server(db):
        return connect(db)
    if db.exists():
        try:
            con = connect(db, read_only=True)
            if schema_version(con) == LATEST_VERSION:
                return con
            con.close()
        except StoreError:
            pass
    return connect(db)


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """One write transaction on a cursor of `con`: all or nothing."""
    server = getattr(con, "server", None) is True      # server mode: each commit also goes to PostgreSQL
    with WRITE_LOCK:
        cur = con.cursor()
        if server:
            from analytics.server import RecordingCursor
            cur = RecordingCursor(cur)
        cur.execute("BEGIN TRANSACTION")
        try:
            yield cur
            if server:
                con.commit_changes(cur)
        except BaseException:
            cur.execute("ROLLBACK")
            cur.close()
            raise
        cur.execute("COMMIT")
        cur.close()


def begin_change(
    cur: duckdb.DuckDBPyConnection,
    kind: str,
    actor: str,
    summary: str | None = None,
    *,
    file_names: str | None = None,
    sha256: str | None = None,
    counts_json: str | None = None,
    undo_of: int | None = None,
) -> int:
    """Open a change set inside the current transaction; return its id."""
    change_id = cur.execute("SELECT nextval('seq_change')").fetchone()[0]
    cur.execute(
        "INSERT INTO changes (change_id, kind, actor, created_at, summary, file_names, sha256, counts_json, undo_of)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [change_id, kind, actor, _now(), summary, file_names, sha256, counts_json, undo_of],
    )
    return change_id


def data_version(con: duckdb.DuckDBPyConnection) -> str:
    """A token that changes whenever the data changes; part of every cache key."""
    row = con.execute(
        "SELECT coalesce(max(change_id), 0), count(undone_at) FROM changes"
    ).fetchone()
    return f"{row[0]}-{row[1]}"


def get_setting(con: duckdb.DuckDBPyConnection, key: str, default: str | None = None) -> str | None:
    row = con.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def set_setting(cur: duckdb.DuckDBPyConnection, key: str, value: str | None) -> None:
    cur.execute("DELETE FROM settings WHERE key = ?", [key])
    if value is not None:
        cur.execute("INSERT INTO settings VALUES (?, ?)", [key, value])


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)
