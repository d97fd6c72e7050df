"""Backup and restore: a consistent snapshot of the whole database as one zip file.

A snapshot (yiyong-backup-YYYYMMDD-HHMMSS.zip) holds
    manifest.json   format, created_at, schema_version, row count of every table, next value of every
                    sequence, SHA-256 of every other file
    SHA256SUMS      the same checksums in `sha256sum -c` format (for a manual check)
    data/*.parquet  DuckDB EXPORT DATABASE (FORMAT parquet), taken inside one read transaction
    schema.sql, load.sql   DuckDB's own export scripts (kept for a manual restore; restore() does not run them)

restore() checks the zip, every checksum and the schema version before touching anything; it then builds a
new database file next to the target from our own migrations plus the Parquet data (it never executes SQL
from the snapshot), checks the row counts, sets every sequence past the largest id in use, and swaps the
file into place with one atomic rename. The replaced file is kept as <name>.before-restore. Any problem
raises BackupError with one Chinese sentence and leaves the database untouched.

A snapshot whose zip entries declare more than restore_limit() bytes in all (YIYONG_RESTORE_MAX_MB, else the
larger of 2 GB and 10 x the live database) is refused from the zip directory alone, before anything is hashed or
written. The work folder is ".restore-<pid>-…" beside the database; remove_interrupted_restores() deletes those
of processes that no longer run (a restore killed midway) when the next restore starts and when the app opens
the database.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Callable

import duckdb

from analytics import store

FORMAT = "yiyong-backup"
FORMAT_VERSION = 1
PREFIX = "yiyong-backup-"
MAX_UNPACKED_BYTES = 8 * 1024 ** 3
# Restore limit on a snapshot's declared total uncompressed size, checked before anything is hashed or written:
# YIYONG_RESTORE_MAX_MB when set, else the larger of 2 GB and 10 x the live database file.
RESTORE_LIMIT_ENV = "YIYONG_RESTORE_MAX_MB"
RESTORE_LIMIT_DEFAULT = 2 * 1024 ** 3
RESTORE_LIMIT_FACTOR = 10
MAX_MANIFEST_BYTES = 16 * 1024 ** 2
RESTORE_DIR_PREFIX = ".restore-"
_NAME_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_FILE_RE = re.compile(r"^(data/[a-z_][a-z0-9_]{0,62}\.parquet|schema\.sql|load\.sql)$")
# sequence -> (table, id column): restore() never lets a sequence start at or below an id in use
SEQUENCE_KEYS = {
    "seq_change": ("changes", "change_id"), "seq_hero": ("heroes", "hero_id"), "seq_deed": ("deeds", "deed_id"),
    "seq_recognition": ("recognitions", "recognition_id"), "seq_assistance": ("assistance", "assistance_id"),
    "seq_station": ("workstations", "station_id"), "seq_studio": ("studios", "studio_id"),
    "seq_activity": ("activities", "activity_id"), "seq_audit": ("audit_log", "audit_id"),
    "seq_login_event": ("login_events", "event_id"),
}


class BackupError(Exception):
    """A snapshot that cannot be made or restored, in one Chinese sentence."""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _tables(con) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND NOT temporary ORDER BY table_name").fetchall()]


def _sequences(con) -> dict[str, int]:
    """Next value of every sequence (what nextval() would return)."""
    rows = con.execute(
        "SELECT sequence_name, start_value, last_value, increment_by FROM duckdb_sequences() "
        "WHERE database_name = current_database() AND schema_name = 'main' ORDER BY sequence_name").fetchall()
    return {name: int(start if last is None else last + inc) for name, start, last, inc in rows}


# ---- snapshot ---------------------------------------------------------------------------------------

def snapshot_bytes(con) -> tuple[bytes, dict]:
    """A snapshot of the database behind `con`, as zip bytes, and its manifest."""
    work = Path(tempfile.mkdtemp(prefix="yiyong-backup-"))
    try:
        export_dir = work / "export"
        with store.WRITE_LOCK:      # no writer of this process in between; DuckDB's MVCC does the rest
            cur = con.cursor()
            try:
                cur.execute("BEGIN TRANSACTION")
                tables = _tables(cur)
                counts = {t: cur.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
                sequences = _sequences(cur)
                version = store.schema_version(cur)
                cur.execute(f"EXPORT DATABASE '{export_dir.as_posix()}' (FORMAT parquet)")
                cur.execute("COMMIT")
            finally:
                cur.close()
        files: dict[str, Path] = {}
        for t in tables:
            src = export_dir / f"{t}.parquet"
            if not src.exists():
                raise BackupError(f"备份失败：数据表 {t} 未能导出。")
            files[f"data/{t}.parquet"] = src
        for extra in ("schema.sql", "load.sql"):
            if (export_dir / extra).exists():
                files[extra] = export_dir / extra
        checksums = {name: _sha256_file(path) for name, path in files.items()}
        manifest = {
            "format": FORMAT, "format_version": FORMAT_VERSION,
            "created_at": dt.datetime.now().replace(microsecond=0).isoformat(),
            "schema_version": version, "tables": counts, "sequences": sequences, "files": checksums,
        }
        manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
        sums = "".join(f"{h}  {n}\n" for n, h in sorted(
            {**checksums, "manifest.json": _sha256(manifest_bytes)}.items()))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("manifest.json", manifest_bytes)
            zf.writestr("SHA256SUMS", sums)
            for name, path in files.items():
                zf.write(path, name)
        return buf.getvalue(), manifest
    finally:
        shutil.rmtree(work, ignore_errors=True)


def snapshot_name(created_at: str | None = None) -> str:
    stamp = dt.datetime.fromisoformat(created_at) if created_at else dt.datetime.now()
    return f"{PREFIX}{stamp:%Y%m%d-%H%M%S}.zip"


_SNAPSHOT_RE = re.compile(re.escape(PREFIX) + r"(\d{8}-\d{6})(?:-(\d+))?\.zip$")


def snapshot_order(path: Path) -> tuple[str, int] | None:
    """Sort key of a snapshot file name (oldest first); None for other files, which --keep never deletes."""
    m = _SNAPSHOT_RE.match(path.name)
    return (m.group(1), int(m.group(2) or 1)) if m else None


def backup_to_dir(con, directory: str | os.PathLike, keep: int | None = None) -> tuple[Path, dict, list[Path]]:
    """Write a snapshot into `directory`; with `keep`, delete all but the newest `keep` snapshots there.
    Returns (snapshot path, manifest, deleted paths)."""
    if keep is not None and keep < 1:
        raise BackupError("--keep 须为正整数（保留最近几份备份）。")
    target_dir = Path(directory)
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
    except OSError:
        raise BackupError(f"无法创建备份目录 {target_dir}。") from None
    data, manifest = snapshot_bytes(con)
    path = target_dir / snapshot_name(manifest["created_at"])
    n = 1
    while path.exists():
        n += 1
        path = target_dir / snapshot_name(manifest["created_at"]).replace(".zip", f"-{n}.zip")
    tmp = path.with_name(path.name + ".part")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise BackupError(f"无法写入备份目录 {target_dir}（磁盘已满或没有写权限）。") from None
    deleted = []
    if keep is not None:
        snapshots = sorted((p for p in target_dir.glob(f"{PREFIX}*.zip") if p.is_file() and snapshot_order(p)), key=snapshot_order)
        for old in snapshots[:-keep]:
            old.unlink()
            deleted.append(old)
    return path, manifest, deleted


# ---- verify -------------------------------------------------------------------------------------------

def _open_zip(snapshot) -> zipfile.ZipFile:
    try:
        if isinstance(snapshot, (bytes, bytearray)):
            return zipfile.ZipFile(io.BytesIO(snapshot))
        return zipfile.ZipFile(Path(snapshot))
    except FileNotFoundError:
        raise BackupError(f"备份文件 {Path(snapshot).name} 不存在。") from None
    except (zipfile.BadZipFile, OSError, ValueError):
        raise BackupError("该文件不是本系统的备份文件（无法作为ZIP压缩包打开），可能已损坏。") from None


def restore_limit(db_path: str | os.PathLike | None = None) -> int:
    """Largest declared uncompressed size (bytes) of a snapshot that may be restored over `db_path`."""
    raw = os.environ.get(RESTORE_LIMIT_ENV, "").strip()
    if raw:
        try:
            mb = float(raw)
        except ValueError:
            mb = 0
        if mb > 0:
            return int(mb * 1024 ** 2)
    try:
        target = store.resolve_db_path(db_path)
        live = 0 if store.is_server(target) else target.stat().st_size
    except OSError:
        live = 0
    return max(RESTORE_LIMIT_DEFAULT, RESTORE_LIMIT_FACTOR * live)


def _size_text(n: int) -> str:
    return f"{n / 1024 ** 3:.1f} GB" if n >= 1024 ** 3 else f"{n / 1024 ** 2:.0f} MB"


def _check_declared_size(zf: zipfile.ZipFile, limit: int) -> None:
    """Refuse a snapshot whose entries declare more than `limit` bytes in all, from the zip directory alone
    (zipfile never returns more than an entry declares, so the check holds for what is later read)."""
    total = sum(max(int(i.file_size), 0) for i in zf.infolist())
    if total > limit:
        raise BackupError(f"备份文件解压后共 {_size_text(total)}，超过允许恢复的上限 {_size_text(limit)}，"
                          "已拒绝恢复。")
    info = {i.filename: i for i in zf.infolist()}.get("manifest.json")
    if info is not None and info.file_size > MAX_MANIFEST_BYTES:
        raise BackupError("备份文件的清单（manifest.json）异常庞大，不是本系统生成的备份，已拒绝恢复。")


def verify(snapshot, db_path: str | os.PathLike | None = None) -> dict:
    """Check a snapshot (path or bytes) without touching any database: declared size against
    restore_limit(db_path), zip, manifest, every checksum, schema version. Returns the manifest; raises
    BackupError."""
    with _open_zip(snapshot) as zf:
        return _verify_open(zf, restore_limit(db_path))


def _verify_open(zf: zipfile.ZipFile, limit: int | None = None) -> dict:
    _check_declared_size(zf, RESTORE_LIMIT_DEFAULT if limit is None else limit)
    names = set(zf.namelist())
    if "manifest.json" not in names:
        raise BackupError("该文件不是本系统的备份文件（缺少 manifest.json）。")
    try:
        manifest = json.loads(zf.read("manifest.json").decode("utf-8"))
    except (ValueError, UnicodeDecodeError, zipfile.BadZipFile, OSError):
        raise BackupError("备份文件的清单（manifest.json）已损坏。") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("该文件不是本系统的备份文件。")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"备份文件格式版本（{manifest.get('format_version')}）不受本程序支持。")
    version = manifest.get("schema_version")
    if not isinstance(version, int) or version < 1:
        raise BackupError("备份文件的清单中缺少有效的数据结构版本。")
    if version > store.LATEST_VERSION:
        raise BackupError(f"备份的数据结构版本（{version}）高于本程序支持的版本（{store.LATEST_VERSION}），"
                          "请先升级程序再恢复。")
    files, tables = manifest.get("files"), manifest.get("tables")
    if not isinstance(files, dict) or not isinstance(tables, dict) or not tables:
        raise BackupError("备份文件的清单不完整。")
    for t, n in tables.items():
        if not _NAME_RE.match(str(t)) or not isinstance(n, int) or n < 0:
            raise BackupError("备份文件的清单中有无效的数据表记录。")
        if f"data/{t}.parquet" not in files:
            raise BackupError(f"备份文件缺少数据表 {t} 的数据。")
    seqs = manifest.get("sequences", {})
    if not isinstance(seqs, dict) or any(not _NAME_RE.match(str(k)) or not isinstance(v, int) or v < 1
                                         for k, v in seqs.items()):
        raise BackupError("备份文件的清单中有无效的序列记录。")
    total = 0
    for name, expected in files.items():
        if not _FILE_RE.match(str(name)) or name not in names:
            raise BackupError(f"备份文件不完整：缺少 {name}。" if _FILE_RE.match(str(name))
                              else "备份文件的清单中有无效的文件名。")
        info = zf.getinfo(name)
        total += info.file_size
        if total > MAX_UNPACKED_BYTES:
            raise BackupError("备份文件解压后过大，已拒绝恢复。")
        h = hashlib.sha256()
        try:
            with zf.open(name) as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    h.update(block)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            raise BackupError(f"备份文件中的 {name} 已损坏，无法读取。") from None
        if h.hexdigest() != expected:
            raise BackupError(f"备份文件中的 {name} 校验失败（SHA-256 不符），文件可能已损坏或被改动。")
    return manifest


# ---- restore ------------------------------------------------------------------------------------------

def _build(work: Path, zf: zipfile.ZipFile, manifest: dict, new_db: Path) -> None:
    """Create `new_db` at the snapshot's schema version from our migrations, then load the Parquet data."""
    data_dir = work / "data"
    data_dir.mkdir()
    for t in manifest["tables"]:
        with zf.open(f"data/{t}.parquet") as src, open(data_dir / f"{t}.parquet", "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
    con = duckdb.connect(str(new_db))
    try:
        con.execute("BEGIN TRANSACTION")
        con.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                    "version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)")
        for version, _name, sql in store.migrations():
            if version <= manifest["schema_version"]:
                con.execute(sql)
        existing = set(_tables(con))
        missing = existing - set(manifest["tables"])
        if missing:
            raise BackupError(f"备份文件缺少数据表：{'、'.join(sorted(missing))}。")
        unknown = set(manifest["tables"]) - existing
        if unknown:
            raise BackupError(f"备份文件中有本系统不认识的数据表：{'、'.join(sorted(unknown))}。")
        for t in sorted(existing):
            con.execute(f'DELETE FROM "{t}"')          # reference rows some migrations insert
            con.execute(f'INSERT INTO "{t}" BY NAME SELECT * FROM read_parquet(?)',
                        [str(data_dir / f"{t}.parquet")])
            n = con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
            if n != manifest["tables"][t]:
                raise BackupError(f"数据表 {t} 恢复后为 {n} 行，与备份清单的 {manifest['tables'][t]} 行不符。")
        wanted = manifest.get("sequences", {})
        for name in _sequences(con):
            start = int(wanted.get(name, 1))
            if name in SEQUENCE_KEYS and SEQUENCE_KEYS[name][0] in existing:
                table, key = SEQUENCE_KEYS[name]
                start = max(start, con.execute(f'SELECT coalesce(max("{key}"), 0) + 1 FROM "{table}"').fetchone()[0])
            con.execute(f"CREATE OR REPLACE SEQUENCE {name} START {int(start)}")
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
    except BackupError:
        raise
    except duckdb.Error:
        raise BackupError("备份文件中的数据无法读入（文件可能已损坏或与本系统的数据结构不符）。") from None
    finally:
        con.close()


def restore(snapshot, db_path: str | os.PathLike | None = None, *, actor: str = "system",
            before_swap: Callable[[], None] | None = None) -> dict:
    """Replace the database at `db_path` with the snapshot (path or bytes). Returns the manifest.

    `before_swap` runs just before the swap (the app closes its cached connection there); when the swap
    fails the database is untouched."""
    if store.is_server(store.resolve_db_path(db_path)):
        return _restore_to_server(snapshot, str(store.resolve_db_path(db_path)), actor)
    target = store.resolve_db_path(db_path).resolve()
    remove_interrupted_restores(target)
    with _open_zip(snapshot) as zf:
        manifest = _verify_open(zf, restore_limit(target))
        _check_not_in_use(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f"{RESTORE_DIR_PREFIX}{os.getpid()}-", dir=target.parent))
        new_db = work / "restored.duckdb"
        token = os.urandom(8).hex()
        try:
            _build(work, zf, manifest, new_db)
            con = store.connect(new_db)       # later migrations, if the snapshot is older; reference data
            try:
                with store.transaction(con) as cur:
                    _end_sessions(cur)
                    store.set_setting(cur, "last_restore", json.dumps(
                        {"token": token, "snapshot_created_at": manifest["created_at"], "actor": actor},
                        ensure_ascii=False))
                    store.begin_change(cur, "restore", actor,
                                       f"从备份恢复数据（备份时间 {manifest['created_at'].replace('T', ' ')}，"
                                       f"数据结构版本 {manifest['schema_version']}）")
                con.execute("CHECKPOINT")
            finally:
                con.close()
            if new_db.with_name(new_db.name + ".wal").exists():
                raise BackupError("恢复失败：新数据库未能完整写入磁盘。")
            if before_swap is not None:
                before_swap()
            _check_not_in_use(target)
            if target.exists():
                keep = target.with_name(target.name + ".before-restore")
                keep.unlink(missing_ok=True)
                try:
                    os.link(target, keep)
                except OSError:
                    shutil.copy2(target, keep)
                wal = target.with_name(target.name + ".wal")
                if wal.exists():
                    os.replace(wal, keep.with_name(keep.name + ".wal"))
            os.replace(new_db, target)         # the atomic swap
        finally:
            shutil.rmtree(work, ignore_errors=True)
    _check_swapped(target, token)
    return manifest


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True            # exists (another user's process), or we cannot tell: keep its folder
    return True


def remove_interrupted_restores(db_path: str | os.PathLike | None = None) -> list[Path]:
    """Delete what restores that were killed midway left beside the database (".restore-<pid>-…" folders of
    processes that no longer run, and any older-style ".restore-…" entry); a restore still running in a live
    process, this one included, is left alone. Called when a restore starts and when the app first opens the
    database. Returns the removed paths."""
    target = store.resolve_db_path(db_path).resolve()
    removed = []
    try:
        entries = list(target.parent.glob(f"{RESTORE_DIR_PREFIX}*"))
    except OSError:
        return removed
    for entry in entries:
        m = re.match(re.escape(RESTORE_DIR_PREFIX) + r"(\d+)-", entry.name)
        if m and (int(m.group(1)) == os.getpid() or _pid_alive(int(m.group(1)))):
            continue
        try:
            shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
            removed.append(entry)
        except OSError:
            pass
    return removed


def _end_sessions(cur) -> None:
    """A restored database starts with nobody logged in: the snapshot's sessions (token hashes of logins at
    the time of the backup) must not come back to life."""
    cur.execute("DELETE FROM sessions")


def _restore_to_server(snapshot, url: str, actor: str) -> dict:
    """Server mode: build the snapshot into a temporary file exactly as restore() does, record the restore
    there, then replace the PostgreSQL database's content with it in one transaction (analytics/server.py)."""
    from analytics import server
    with _open_zip(snapshot) as zf:
        manifest = _verify_open(zf, restore_limit(url))
        work = Path(tempfile.mkdtemp(prefix="yiyong-restore-"))
        try:
            new_db = work / "restored.duckdb"
            _build(work, zf, manifest, new_db)
            con = store.connect(new_db)
            try:
                with store.transaction(con) as cur:
                    _end_sessions(cur)
                    store.begin_change(cur, "restore", actor,
                                       f"从备份恢复数据（备份时间 {manifest['created_at'].replace('T', ' ')}，"
                                       f"数据结构版本 {manifest['schema_version']}）")
                try:
                    server.push_all(con, url)
                except store.StoreError as exc:
                    raise BackupError(str(exc)) from None
            finally:
                con.close()
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return manifest


def _check_swapped(target: Path, token: str) -> None:
    """After the swap, a fresh connection must see the restored file (not a database instance that some
    connection of this process still holds on the old file)."""
    con = duckdb.connect(str(target))
    try:
        seen = store.get_setting(con, "last_restore") or "{}"
    finally:
        con.close()
    if json.loads(seen).get("token") != token:
        raise BackupError("数据已恢复到数据库文件，但本程序仍连接着旧数据，请重新启动看板程序后再使用。")


def _check_not_in_use(target: Path) -> None:
    """Refuse when another process has the database open (its file lock)."""
    if not target.exists():
        return
    try:
        con = duckdb.connect(str(target))
    except duckdb.Error:
        raise BackupError(f"数据库文件 {target.name} 正被另一个程序（例如正在运行的看板）占用，"
                          "请先关闭它再恢复。") from None
    con.execute("CHECKPOINT")
    con.close()
