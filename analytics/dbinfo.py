"""Which database the app is using, for administrators (备份与恢复): where it is (a path, or a server address
with the password hidden), its size, schema version, last import, last backup, and whether it is the demo.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from analytics import store
from analytics.metrics import status

BACKUP_FOLDER = "backups"          # the scheduled backup's default folder, next to the database file


@dataclass(frozen=True)
class DatabaseInfo:
    location: str                   # path, or server URL without its password
    size_bytes: int | None          # file size (with its .wal); None for a server
    schema_version: int
    last_import: dt.datetime | None
    last_backup: dt.datetime | None
    demo: bool


def redact(location: str) -> str:
    """A server address with its password replaced by ***; a path unchanged."""
    text = str(location)
    if "://" not in text:
        return text
    try:
        parts = urlsplit(text)
    except ValueError:
        return "（无法显示的地址）"
    if parts.password is None:
        return text
    netloc = f"{parts.username or ''}:***@{parts.hostname or ''}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _file_size(path: Path) -> int | None:
    try:
        size = path.stat().st_size
    except OSError:
        return None
    wal = Path(str(path) + ".wal")
    return size + (wal.stat().st_size if wal.exists() else 0)


def newest_snapshot(db_path: Path, folder: Path | None = None) -> dt.datetime | None:
    """The time of the newest snapshot zip in `folder` (default: backups/ next to the database file)."""
    from analytics import backup

    folder = folder or db_path.parent / BACKUP_FOLDER
    try:
        found = [p for p in folder.glob(f"{backup.PREFIX}*.zip") if p.is_file()]
    except OSError:
        return None
    if not found:
        return None
    return dt.datetime.fromtimestamp(max(p.stat().st_mtime for p in found)).replace(microsecond=0)


def describe(con, location: str, *, last_backup: dt.datetime | None = None) -> DatabaseInfo:
    """What 备份与恢复 shows about the database at `location` (a path or a server URL), read through `con`."""
    is_file = "://" not in str(location)
    last_import = con.execute("SELECT max(created_at) FROM changes WHERE kind = 'import'").fetchone()[0]
    demo = status.is_demo(con)
    if last_backup is None and is_file:
        last_backup = newest_snapshot(Path(location))
    return DatabaseInfo(location=redact(location), size_bytes=_file_size(Path(location)) if is_file else None,
                        schema_version=store.schema_version(con), last_import=last_import,
                        last_backup=last_backup, demo=demo)


def size_text(size: int | None) -> str:
    if size is None:
        return "—"
    if size >= 1024 ** 3:
        return f"{size / 1024 ** 3:.2f} GB"
    if size >= 1024 ** 2:
        return f"{size / 1024 ** 2:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"

