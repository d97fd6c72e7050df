"""Moving a whole database between the modes: a DuckDB file and a PostgreSQL database, either direction.

copy_database(source, target) reads the source (a file is opened read-only, so the app may keep serving it;
a URL is read in one repeatable-read transaction), writes the target in one step (PostgreSQL: one transaction
that empties and refills every table; a file: built next to the target and swapped in with one rename, the old
file kept as <name>.before-copy), then checks it: row counts of every table, and equal key figures at three
dates. A target that already holds people is refused unless force=True.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

from analytics import store

CHECK_DATES = (dt.date(2018, 12, 31), dt.date(2024, 7, 31))


class TransferError(Exception):
    """A copy that cannot be done, in one Chinese sentence."""


def describe(target) -> str:
    """A database for messages: the file name, or the URL without its password."""
    if store.is_server(target):
        from urllib.parse import urlsplit
        u = urlsplit(str(target))
        host = u.hostname or ""
        port = f":{u.port}" if u.port else ""
        user = f"{u.username}@" if u.username else ""
        return f"{u.scheme}://{user}{host}{port}{u.path}"
    return str(target)


def check_dates(today: dt.date | None = None) -> tuple[dt.date, ...]:
    return (*CHECK_DATES, today or dt.date.today())


def _people(target) -> int:
    """How many people the target holds (0 when it does not exist or is empty)."""
    if store.is_server(target):
        from analytics import pg
        con = pg.connect(str(target))
        try:
            n = con.execute("SELECT count(*) FROM heroes").fetchone()[0]
            con.commit()
            return n
        finally:
            con.close()
    path = Path(target)
    if not path.exists():
        return 0
    con = store.connect(path, read_only=True)
    try:
        return con.execute("SELECT count(*) FROM heroes").fetchall()[0][0]
    except Exception:  # noqa: BLE001 - not one of our databases: treat as holding data
        return 1
    finally:
        con.close()


def _counts(con) -> dict[str, int]:
    from analytics import dialect
    tables = [r[0] for r in con.execute(dialect.TABLES_SQL["duckdb"]).fetchall()]
    return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0] for t in tables}


def _figures(con, dates) -> list[dict]:
    from analytics.metrics.figures import key_figures
    return [key_figures(con, d) for d in dates]


def copy_database(source, target, *, force: bool = False) -> dict:
    """Copy everything from `source` to `target` (each a file path or a PostgreSQL URL); returns
    {"tables": {table: rows}, "dates": [...], "seconds": s}. Raises TransferError."""
    import time
    t0 = time.perf_counter()
    if str(source) == str(target):
        raise TransferError("源数据库和目标数据库相同，无需复制。")
    if not store.is_server(source) and not Path(source).exists():
        raise TransferError(f"源数据库文件 {source} 不存在。")
    people = _people(target)
    if people and not force:
        raise TransferError(f"目标数据库 {describe(target)} 中已有 {people} 名人员的数据；"
                            "如确需用源数据库整体覆盖，请加 --force。")
    src = store.connect_for_reading(source)
    try:
        counts = _counts(src)
        dates = check_dates()
        figures = _figures(src, dates)
        if store.is_server(target):
            from analytics import server
            server.push_all(src, str(target))
        else:
            _write_file(src, source, Path(target))
        dst = store.connect_for_reading(target)
        try:
            got = _counts(dst)
            if got != counts:
                bad = [t for t in counts if got.get(t) != counts[t]]
                raise TransferError(f"复制后数据表 {'、'.join(bad)} 的行数与源数据库不符，请检查目标数据库。")
            if _figures(dst, dates) != figures:
                raise TransferError("复制后目标数据库的关键数据与源数据库不一致，请检查目标数据库。")
        finally:
            dst.close()
    finally:
        src.close()
    return {"tables": counts, "dates": [d.isoformat() for d in dates], "seconds": time.perf_counter() - t0}


def _write_file(src, source, target: Path) -> None:
    """Build the target file next to it, then swap it in with one rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".copy-", dir=target.parent))
    try:
        new = work / "new.duckdb"
        if store.is_server(source):
            from analytics import server
            duck, _ = server.load(str(source), new)
            duck.close()
        else:
            from analytics import shared
            shared._copy_keeping_locks(Path(source), new)  # noqa: SLF001 - the source is open read-only here
            wal = Path(source).with_name(Path(source).name + ".wal")
            if wal.exists():
                shutil.copyfile(wal, new.with_name(new.name + ".wal"))
            store.connect(new).close()         # replays and folds in any log; current schema
        if target.exists():
            keep = target.with_name(target.name + ".before-copy")
            keep.unlink(missing_ok=True)
            os.replace(target, keep)
        os.replace(new, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
