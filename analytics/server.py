"""Server mode: PostgreSQL is the system of record; DuckDB stays the analytic engine.

Each process keeps a private DuckDB file (a *copy*) with the same schema (the same migrations), loaded from
PostgreSQL with COPY … TO STDOUT (CSV) through psycopg and DuckDB's CSV reader. Every analytics function runs
on it unchanged, reads included.

Writes run unchanged too, on the copy, inside store.transaction(). The transaction records which tables the
statements touched; at commit it diffs those tables against the committed state of the copy (rows by primary
key and row hash) and applies the difference to PostgreSQL in one PostgreSQL transaction, which first locks the
one-row table `yiyong_sync` and checks that its version is still the one the copy was loaded at. If another
process committed meanwhile, nothing is written anywhere and the user is asked in Chinese to reload (no lost
update; the row lock serializes writers, `lock_timeout` keeps nothing hanging). On success the version moves
on, `NOTIFY yiyong_data` is sent, and the DuckDB transaction commits: the copy equals PostgreSQL again without a
reload. Other processes see the new version at their next read (one indexed one-row query) and reload their copy
in the background; their readers keep the previous copy until the new one is ready.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
import time
from pathlib import Path

import duckdb

from analytics import dialect, pg, store

SYNC_TABLE = "yiyong_sync"
CONFLICT = "数据已被其他用户或程序修改，本次操作未保存，请刷新页面（或重新运行命令）后再试。"
_TOUCH_RE = re.compile(r"\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+\"?"
                       r"([A-Za-z_][A-Za-z0-9_]*)", re.IGNORECASE)


class ConflictError(store.StoreError):
    """Another process committed since this copy was loaded."""


LOG_TABLE = "yiyong_sync_log"     # per version: the tables and primary keys it changed ('*': everything)
LOG_KEEP = 1000                  # versions kept in the log; a copy further behind reloads everything


def ensure_sync_table(con) -> None:
    with con.transaction():
        con.execute(f"CREATE TABLE IF NOT EXISTS {SYNC_TABLE} (id INTEGER PRIMARY KEY, version BIGINT NOT NULL)")
        con.execute(f"INSERT INTO {SYNC_TABLE} VALUES (1, 1) ON CONFLICT (id) DO NOTHING")
        con.execute(f"CREATE TABLE IF NOT EXISTS {LOG_TABLE} (version BIGINT NOT NULL, table_name VARCHAR NOT NULL, "
                    "keys JSONB)")
        con.execute(f"CREATE INDEX IF NOT EXISTS {LOG_TABLE}_version ON {LOG_TABLE} (version)")


def current_version(con) -> int:
    v = con.execute(f"SELECT version FROM {SYNC_TABLE} WHERE id = 1").fetchone()[0]
    con.commit()
    return v


# ---- schema of the DuckDB side ------------------------------------------------------------------------

def _tables(duck) -> list[str]:
    return [r[0] for r in duck.execute(dialect.TABLES_SQL["duckdb"]).fetchall()]


def _columns(duck, table: str) -> list[tuple[str, str]]:
    return duck.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = current_database() "
                        "AND schema_name = 'main' AND table_name = ? ORDER BY column_index", [table]).fetchall()


def _primary_key(duck, table: str) -> list[str]:
    rows = duck.execute("SELECT constraint_column_names FROM duckdb_constraints() WHERE database_name = "
                       "current_database() AND table_name = ? AND constraint_type = 'PRIMARY KEY'", [table]).fetchall()
    row = rows[0] if rows else None
    if not row:
        raise store.StoreError(f"数据表 {table} 没有主键，无法在服务器模式下同步。")
    return list(row[0])


def _sequences(duck) -> dict[str, int]:
    from analytics import backup
    return backup._sequences(duck)  # noqa: SLF001 - one definition of "next value of every sequence"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# ---- PostgreSQL -> DuckDB -----------------------------------------------------------------------------

class _Reader:
    """Reads from PostgreSQL as Arrow (ADBC PostgreSQL driver: binary COPY decoded in C++, no Python per row),
    all in one repeatable-read, read-only transaction, so the version and every table are one snapshot.
    Measured on the scale-100 demo (1.9 M rows): psycopg COPY CSV iterated in Python + DuckDB read_csv took
    ~34 s, most of it one Python iteration per row; Arrow batches take a fraction of that (see 性能)."""

    def __init__(self, url: str):
        import adbc_driver_postgresql.dbapi as adbc
        self.con = adbc.connect(url, autocommit=True)
        self.cur = self.con.cursor()
        self.cur.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")

    def rows(self, sql: str) -> list[tuple]:
        self.cur.execute(sql)
        return self.cur.fetchall()

    def arrow(self, sql: str):
        self.cur.execute(sql)
        return self.cur.fetch_arrow_table()

    def close(self) -> None:
        try:
            self.cur.execute("COMMIT")
        finally:
            self.cur.close()
            self.con.close()


def _pg_select(cols) -> str:
    """The select list that gives DuckDB plain Arrow types (NUMERIC arrives as text, cast back on insert)."""
    return ", ".join(f"{_q(c)}::text AS {_q(c)}" if t.startswith("DECIMAL") else _q(c) for c, t in cols)


def _insert_arrow(duck, table: str, data) -> None:
    if data.num_rows:
        duck.register("_src", data)
        try:
            duck.execute(f"INSERT INTO {_q(table)} SELECT * FROM _src")
        finally:
            duck.unregister("_src")


def _reader_sequences(reader: _Reader) -> dict[str, int]:
    out = {}
    for (name,) in reader.rows(dialect.SEQUENCES_SQL["postgresql"]):
        last, called = reader.rows(f"SELECT last_value, is_called FROM {_q(name)}")[0]
        out[name] = int(last) + 1 if called else int(last)
    return out


def load(url: str, target: Path, pgcon=None) -> tuple[duckdb.DuckDBPyConnection, int]:
    """A DuckDB file at `target` holding everything in the PostgreSQL database, and the version it reflects."""
    own = pgcon is None
    pgcon = pgcon or pg.connect(url)
    duck = duckdb.connect(str(target))
    duck.execute("SET enable_progress_bar = false")
    try:
        ensure_sync_table(pgcon)
        store.migrate(duck)
        reader = _Reader(url)
        try:
            version = reader.rows(f"SELECT version FROM {SYNC_TABLE} WHERE id = 1")[0][0]
            pg_seqs = _reader_sequences(reader)
            duck.execute("BEGIN TRANSACTION")
            for table in _tables(duck):
                cols = _columns(duck, table)
                data = reader.arrow(f"SELECT {_pg_select(cols)} FROM {_q(table)}")
                duck.execute(f"DELETE FROM {_q(table)}")
                _insert_arrow(duck, table, data)
            for name, nxt in _sequences(duck).items():
                duck.execute(f"CREATE OR REPLACE SEQUENCE {name} START {max(int(pg_seqs.get(name, nxt)), 1)}")
            duck.execute("COMMIT")
        finally:
            reader.close()
        duck.execute("CHECKPOINT")
        return duck, version
    except BaseException:
        duck.close()
        raise
    finally:
        if own:
            pgcon.close()


def apply_log(url: str, duck, since: int, pgcon=None) -> int | None:
    """Bring a copy at version `since` up to date in place, fetching only the rows the newer versions changed
    (yiyong_sync_log), in one DuckDB transaction (readers keep their snapshot until it commits). Returns the new
    version, or None when the log cannot tell (too far behind, a whole-database replace): reload everything."""
    reader = _Reader(url)
    try:
        version = reader.rows(f"SELECT version FROM {SYNC_TABLE} WHERE id = 1")[0][0]
        if version == since:
            return version
        entries = reader.rows(f"SELECT version, table_name, keys IS NULL FROM {LOG_TABLE} "
                              f"WHERE version > {int(since)}")
        if {v for v, _, _ in entries} != set(range(since + 1, version + 1)) or any(t == "*" for _, t, _ in entries):
            return None
        whole = {t for _, t, null in entries if null}
        partial = {t for _, t, null in entries if not null} - whole
        if not (whole | partial) <= set(_tables(duck)):
            return None
        pg_seqs = _reader_sequences(reader)
        duck.execute("BEGIN TRANSACTION")
        try:
            for table in sorted(whole | partial):
                cols = _columns(duck, table)
                if table in whole:
                    data = reader.arrow(f"SELECT {_pg_select(cols)} FROM {_q(table)}")
                    duck.execute(f"DELETE FROM {_q(table)}")
                else:
                    key = _primary_key(duck, table)[0]
                    cast = "bigint" if dict(cols)[key] in ("BIGINT", "INTEGER", "SMALLINT") else "text"
                    changed = (f"SELECT DISTINCT (jsonb_array_elements_text(keys))::{cast} AS k FROM {LOG_TABLE} "
                               f"WHERE version > {int(since)} AND table_name = '{table}'")
                    keys = reader.arrow(changed)
                    if not keys.num_rows:
                        continue
                    data = reader.arrow(f"SELECT {_pg_select(cols)} FROM {_q(table)} "
                                        f"WHERE {_q(key)} IN ({changed})")
                    duck.register("_keys", keys)
                    duck.execute(f"DELETE FROM {_q(table)} WHERE {_q(key)} IN (SELECT k FROM _keys)")
                    duck.unregister("_keys")
                _insert_arrow(duck, table, data)
            for name, nxt in _sequences(duck).items():
                if name in pg_seqs and pg_seqs[name] != nxt:
                    duck.execute(f"CREATE OR REPLACE SEQUENCE {name} START {max(int(pg_seqs[name]), 1)}")
            duck.execute("COMMIT")
        except BaseException:
            duck.execute("ROLLBACK")
            raise
        return version
    finally:
        reader.close()


def _pg_sequences(pgcon) -> dict[str, int]:
    out = {}
    for (name,) in pgcon.execute(dialect.SEQUENCES_SQL["postgresql"]).fetchall():
        last, called = pgcon.execute(f"SELECT last_value, is_called FROM {_q(name)}").fetchone()
        out[name] = int(last) + 1 if called else int(last)
    return out


# ---- DuckDB -> PostgreSQL -----------------------------------------------------------------------------

def _duck_out(col: str, typ: str) -> str:
    if typ.endswith("[]"):
        return (f"CASE WHEN {_q(col)} IS NULL THEN NULL ELSE '{{' || array_to_string(list_transform({_q(col)}, "
                "lambda x: '\"' || replace(replace(x, '\\', '\\\\'), '\"', '\\\"') || '\"'), ',') || '}' END")
    return _q(col)


def _copy_rows(duck, pgcur, table: str, cols: list[tuple[str, str]], where_sql: str, work: Path) -> int:
    """COPY the DuckDB rows `SELECT … FROM table t <where_sql>` into the PostgreSQL table."""
    path = work / f"{table}-{time.monotonic_ns()}.csv"
    duck.execute(f"COPY (SELECT {', '.join(_duck_out(c, t) for c, t in cols)} FROM {_q(table)} AS _r {where_sql}) "
                 f"TO '{path.as_posix()}' (FORMAT csv, HEADER false)")
    n = 0
    if path.stat().st_size:
        with pgcur.copy(f"COPY {_q(table)} ({', '.join(_q(c) for c, _ in cols)}) FROM STDIN (FORMAT csv)") as cp, \
                open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                cp.write(block)
        n = pgcur.rowcount
    path.unlink(missing_ok=True)
    return n


def push_all(duck, url: str, *, pgcon=None) -> int:
    """Replace everything in the PostgreSQL database by the DuckDB database's content, in one transaction;
    return the new version."""
    own = pgcon is None
    pgcon = pgcon or pg.connect(url)
    work = Path(tempfile.mkdtemp(prefix="yiyong-push-"))
    try:
        ensure_sync_table(pgcon)
        with pgcon.transaction():
            pgcon.execute("SET LOCAL lock_timeout = '10s'")
            pgcon.execute(f"SELECT version FROM {SYNC_TABLE} WHERE id = 1 FOR UPDATE")
            tables = _tables(duck)
            pgcon.execute("TRUNCATE " + ", ".join(_q(t) for t in tables))
            with pgcon.cursor() as cur:
                for table in tables:
                    _copy_rows(duck, cur, table, _columns(duck, table), "", work)
            _set_sequences(pgcon, duck)
            new = _bump(pgcon)
            _log(pgcon, new, [("*", None)])
            return new
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if own:
            pgcon.close()


def _log(pgcon, version: int, entries: list[tuple[str, list | None]]) -> None:
    import json
    with pgcon.cursor() as cur:
        cur.executemany(f"INSERT INTO {LOG_TABLE} VALUES (%s, %s, %s::jsonb)",
                        [(version, t, None if k is None else json.dumps(k, default=str)) for t, k in entries])
        cur.execute(f"DELETE FROM {LOG_TABLE} WHERE version <= %s", [version - LOG_KEEP])


def _set_sequences(pgcon, duck) -> None:
    """PostgreSQL's sequences move on to the copy's next values (never back)."""
    for name, nxt in _sequences(duck).items():
        pgcon.execute(f"SELECT setval(%s, greatest(%s, (SELECT CASE WHEN is_called THEN last_value + 1 "
                      f"ELSE last_value END FROM {_q(name)})), false)", [name, max(int(nxt), 1)])


def _bump(pgcon) -> int:
    version = pgcon.execute(f"UPDATE {SYNC_TABLE} SET version = version + 1 WHERE id = 1 RETURNING version"
                            ).fetchone()[0]
    pgcon.execute("NOTIFY yiyong_data")
    return version


# Tables where a write must be planned on the newest data (people, deeds, change sets …: an import matches people
# against them). Other tables (accounts, login attempts and events, settings, sessions) are keyed rows written
# without change sets: a write planned on a slightly older copy is applied when no newer version touched the
# same rows, so two logins at the same moment do not refuse each other.
def _strict(duck, table: str) -> bool:
    cols = {c for c, _ in _columns(duck, table)}
    return "created_change" in cols or table in ("changes", "audit_log", "import_files", "schema_version",
                                                 "counties", "towns")


def push_changes(url: str, txn, base, tables: set[str], expected: int) -> tuple[int, bool]:
    """Apply the difference between the transaction `txn` (uncommitted, on the copy) and the copy's committed
    state (`base`) in the touched `tables` to PostgreSQL, in one transaction. ConflictError when PostgreSQL's
    version is no longer `expected` and either a table that needs the newest data is touched, or a newer version
    changed one of the same rows. Returns (new version, whether the copy is otherwise current)."""
    work = Path(tempfile.mkdtemp(prefix="yiyong-push-"))
    try:
        with pg.connect(url, migrate_schema=False) as pgcon:
            with pgcon.transaction():
                pgcon.execute("SET LOCAL lock_timeout = '10s'")
                try:
                    version = pgcon.execute(f"SELECT version FROM {SYNC_TABLE} WHERE id = 1 FOR UPDATE").fetchone()[0]
                except Exception as exc:  # lock timeout: another writer holds it for too long
                    raise ConflictError(CONFLICT) from exc
                others = None
                if version != expected:
                    if any(_strict(txn, t) for t in tables):
                        raise ConflictError(CONFLICT)
                    others = _changed_since(pgcon, expected, version)
                logged = []
                with pgcon.cursor() as cur:
                    for table in sorted(tables):
                        logged.append((table, _push_table(txn, base, cur, table, work, others)))
                _set_sequences(pgcon, txn)
                new = _bump(pgcon)
                _log(pgcon, new, logged)
                _test_pause()
                return new, others is None
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _test_pause() -> None:
    """Test hook (atomicity test): with $YIYONG_PG_TEST_PAUSE set to a path, write that file once every row of a
    commit is written to PostgreSQL but before its COMMIT, then wait — so a test can SIGKILL the process there."""
    path = os.environ.get("YIYONG_PG_TEST_PAUSE")
    if path:
        with open(path, "w") as fh:
            fh.write("writing")
        time.sleep(60)


def _sequence_of(table: str, column: str) -> str | None:
    from analytics import backup
    for seq, (t, c) in backup.SEQUENCE_KEYS.items():
        if (t, c) == (table, column):
            return seq
    return None


def _changed_since(pgcon, since: int, version: int) -> dict[str, set | None]:
    """Per table, the keys (as text) versions after `since` changed; None: the whole table."""
    entries = pgcon.execute(f"SELECT version, table_name, keys FROM {LOG_TABLE} WHERE version > %s", [since]).fetchall()
    if {v for v, _, _ in entries} != set(range(since + 1, version + 1)) or any(t == "*" for _, t, _ in entries):
        raise ConflictError(CONFLICT)
    out: dict[str, set | None] = {}
    for _, table, keys in entries:
        if keys is None or out.get(table, set()) is None:
            out[table] = None
        else:
            out.setdefault(table, set()).update(str(k) for k in keys)
    return out


def _push_table(txn, base, cur, table: str, work: Path, others: dict | None = None) -> list | None:
    cols = _columns(txn, table)
    key = _primary_key(txn, table)
    keys = ", ".join(_q(k) for k in key)
    old = base.sql(f"SELECT {keys}, hash(_r) AS _h FROM {_q(table)} AS _r").to_arrow_table()
    txn.register("_old", old)
    try:
        match = " AND ".join(f"_o.{_q(k)} IS NOT DISTINCT FROM _r.{_q(k)}" for k in key)
        changed = f"WHERE NOT EXISTS (SELECT 1 FROM _old AS _o WHERE {match} AND _o._h = hash(_r))"
        gone = txn.execute(f"SELECT {keys} FROM _old AS _o WHERE NOT EXISTS "
                           f"(SELECT 1 FROM {_q(table)} AS _r WHERE {match})").fetchall()
        upd = txn.execute(f"SELECT {keys} FROM {_q(table)} AS _r {changed}").fetchall()
        stale = gone + upd
        if others is not None and table in others and stale:
            theirs = others[table]
            if theirs is None or len(key) != 1:
                raise ConflictError(CONFLICT)
            clash = {str(r[0]) for r in stale} & theirs
            if clash:
                # New rows whose id another process took meanwhile (both drew it from the same sequence value):
                # give them fresh ids from PostgreSQL's sequence; any other overlap is a real conflict.
                seq = _sequence_of(table, key[0])
                fresh = {str(r[0]) for r in upd} - {str(v) for v in old.column(key[0]).to_pylist()}
                if seq is None or not clash <= fresh:
                    raise ConflictError(CONFLICT)
                for k in sorted(clash):
                    new_id = cur.execute("SELECT nextval(%s)", [seq]).fetchone()[0]
                    txn.execute(f"UPDATE {_q(table)} SET {_q(key[0])} = ? WHERE {_q(key[0])}::VARCHAR = ?",
                                [new_id, k])
                gone = txn.execute(f"SELECT {keys} FROM _old AS _o WHERE NOT EXISTS "
                                   f"(SELECT 1 FROM {_q(table)} AS _r WHERE {match})").fetchall()
                upd = txn.execute(f"SELECT {keys} FROM {_q(table)} AS _r {changed}").fetchall()
                stale = gone + upd
        if stale:
            cur.execute(f"CREATE TEMP TABLE _k ON COMMIT DROP AS SELECT {keys} FROM {_q(table)} WITH NO DATA")
            with cur.copy(f"COPY _k ({keys}) FROM STDIN") as cp:
                for row in stale:
                    cp.write_row(row)
            cur.execute(f"DELETE FROM {_q(table)} AS _t USING _k WHERE "
                        + " AND ".join(f"_t.{_q(k)} = _k.{_q(k)}" for k in key))
            cur.execute("DROP TABLE _k")
        if upd:
            _copy_rows(txn, cur, table, cols, changed, work)
        # for readers (apply_log): the keys this version changed, or None (reload the whole table)
        return [r[0] for r in stale] if len(key) == 1 else None
    finally:
        txn.unregister("_old")


# ---- the connection a server-mode process works with ----------------------------------------------------

class RecordingCursor:
    """A DuckDB cursor that notes the tables its statements write to (for push_changes)."""

    def __init__(self, cur):
        self._cur = cur
        self.touched: set[str] = set()

    def _note(self, sql) -> None:
        if isinstance(sql, str):
            self.touched.update(m.lower() for m in _TOUCH_RE.findall(sql))

    def execute(self, sql, *args, **kwargs):
        self._note(sql)
        return self._cur.execute(sql, *args, **kwargs)

    def executemany(self, sql, *args, **kwargs):
        self._note(sql)
        return self._cur.executemany(sql, *args, **kwargs)

    def sql(self, sql, *args, **kwargs):
        self._note(sql)
        return self._cur.sql(sql, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._cur, name)


class ServerConnection:
    """Stands in for a DuckDB connection in server mode: reads and writes run on the process's DuckDB copy;
    store.transaction() pushes each commit to PostgreSQL (see the module docstring)."""

    def __init__(self, url: str, duck: duckdb.DuckDBPyConnection, version: int, path: Path | None = None,
                 owner: "ServerCopy | None" = None, meta: Path | None = None):
        self.url, self.duck, self.version, self.path, self.owner, self.meta = url, duck, version, path, owner, meta
        self.server = True

    def __getattr__(self, name):
        return getattr(self.duck, name)

    def close(self) -> None:
        import json
        try:
            self.duck.close()
        finally:
            if self.meta is not None:     # after a write others overtook, version is the older one: fine
                self.meta.write_text(json.dumps({"version": self.version}))
                _CACHES_IN_USE.discard(str(self.path))
            elif self.path is not None and self.owner is None:
                shutil.rmtree(self.path.parent, ignore_errors=True)

    def commit_changes(self, txn: RecordingCursor) -> None:
        """Called by store.transaction just before the DuckDB COMMIT."""
        if not txn.touched:
            return
        txn._cur.execute("SELECT 1").fetchall()    # finish any result the caller left pending
        tables = {t for t in txn.touched if t in set(_tables(txn._cur))}
        base = self.duck.cursor()
        try:
            try:
                version, current = push_changes(self.url, txn._cur, base, tables, self.version)
                if current:
                    self.version = version
                elif self.owner is not None:       # others committed meanwhile: catch up (own rows included)
                    self.owner.mark_stale()
            except ConflictError:
                if self.owner is not None:
                    self.owner.mark_stale()
                raise
        finally:
            base.close()


CACHE_DIR_VAR = "YIYONG_PG_CACHE_DIR"     # where commands keep their cached copies (default: temp folder)
_CACHES_IN_USE: set[str] = set()
_CACHE_LOCK = threading.Lock()


def _cache_path(url: str) -> Path:
    import hashlib
    key = hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]
    folder = Path(os.environ.get(CACHE_DIR_VAR) or Path(tempfile.gettempdir()) / f"yiyong-pgcache-{os.getuid()}")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder / f"{key}.duckdb"


def open_copy(url: str) -> ServerConnection:
    """The copy a command works on. Commands reuse one cached copy per database (in the temp folder, readable
    by this user only) and bring it up to date from the change log, so a command does not reload everything;
    when that copy is busy (another command) or cannot catch up, a fresh one is loaded (removed on close())."""
    import json
    cache = _cache_path(url)
    meta = cache.with_suffix(".json")
    duck = None
    with _CACHE_LOCK:
        if str(cache) not in _CACHES_IN_USE:      # DuckDB would share one instance within this process
            try:
                duck = duckdb.connect(str(cache))
                _CACHES_IN_USE.add(str(cache))
            except duckdb.Error:                  # another process's command has it
                duck = None
    if duck is not None:
        try:
            version = json.loads(meta.read_text())["version"] if meta.exists() else None
            if version is not None and store.schema_version(duck) == store.LATEST_VERSION:
                caught = apply_log(url, duck, int(version))
                if caught is not None:
                    meta.unlink(missing_ok=True)      # rewritten on close, once the copy is known good again
                    return ServerConnection(url, duck, caught, cache, meta=meta)
            duck.close()
            for f in (cache, cache.with_name(cache.name + ".wal")):
                f.unlink(missing_ok=True)
            duck, version = load(url, cache)
            return ServerConnection(url, duck, version, cache, meta=meta)
        except Exception:  # noqa: BLE001 - any trouble with the cache: fall back to a private copy
            try:
                duck.close()
            except Exception:  # noqa: BLE001
                pass
            _CACHES_IN_USE.discard(str(cache))
    folder = Path(tempfile.mkdtemp(prefix="yiyong-copy-"))
    duck, version = load(url, folder / "copy.duckdb")
    return ServerConnection(url, duck, version, folder / "copy.duckdb")


class ServerCopy:
    """A long-running process's copy: reloaded (in the background) when PostgreSQL's version moves."""

    CHECK_EVERY = 0.2     # seconds between version checks (one one-row query each)

    def __init__(self, url: str):
        self.url = url
        from analytics.shared import private_dir
        self._dir = private_dir("yiyong-pgcopy")
        self._check = pg.connect(url)
        ensure_sync_table(self._check)
        self._check_lock = threading.Lock()
        self._refresh_lock = threading.Lock()
        self._con: ServerConnection | None = None
        self._generation = 0
        self._checked_at = 0.0
        self._seen = None
        self.last_load_seconds = 0.0

    def mark_stale(self) -> None:
        self._checked_at = 0.0

    def latest_version(self) -> int:
        with self._check_lock:
            now = time.monotonic()
            if self._seen is None or now - self._checked_at >= self.CHECK_EVERY:
                try:
                    self._seen = current_version(self._check)
                except Exception:  # noqa: BLE001 - a dropped connection: reconnect once
                    self._check = pg.connect(self.url, migrate_schema=False)
                    self._seen = current_version(self._check)
                self._checked_at = now
            return self._seen

    def connection(self, fresh: bool = False) -> ServerConnection:
        if self._con is None:
            self.refresh()
        elif self.latest_version() != self._con.version:
            if fresh:
                self.refresh()
            elif not self._refresh_lock.locked():
                threading.Thread(target=self.refresh, kwargs={"blocking": False}, daemon=True,
                                 name="yiyong-pg-refresh").start()
        return self._con

    def cursor(self):
        return self.connection().cursor()

    def close(self) -> None:
        """Forget the copy and remove its folder (tests; a process that stops serving this database)."""
        con, self._con = self._con, None
        if con is not None:
            con.duck.close()
        shutil.rmtree(self._dir, ignore_errors=True)
        try:
            self._check.close()
        except Exception:  # noqa: BLE001
            pass

    def refresh(self, blocking: bool = True) -> bool:
        if not self._refresh_lock.acquire(blocking=blocking):
            return False
        try:
            if self._con is not None and self.latest_version() == self._con.version:
                return True
            with store.WRITE_LOCK:     # no write of this process half-way while the copy changes
                t0 = time.perf_counter()
                if self._con is not None:
                    version = apply_log(self.url, self._con.duck, self._con.version)
                    if version is not None:
                        self._con.version = version
                        self.last_load_seconds = time.perf_counter() - t0
                        return True
                self._generation += 1
                self._dir.mkdir(parents=True, exist_ok=True)
                path = self._dir / f"copy-{self._generation}.duckdb"
                duck, version = load(self.url, path)
                old, self._con = self._con, ServerConnection(self.url, duck, version, path, owner=self)
                self.last_load_seconds = time.perf_counter() - t0
            if old is not None:
                for f in self._dir.glob(f"copy-{self._generation - 1}.duckdb*"):
                    f.unlink(missing_ok=True)
            return True
        finally:
            self._refresh_lock.release()
