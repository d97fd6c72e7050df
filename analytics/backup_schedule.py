"""The app's own daily backup: settings, the job, and its status for the 备份与恢复 page.

Settings (environment variables, read when the app process starts):
    YIYONG_BACKUP_TIME   time of day, HH:MM (default 02:00); "off" switches the job off
    YIYONG_BACKUP_DIR    folder for the snapshots (default: backups/ next to the database file; in server mode
                         data/backups)
    YIYONG_BACKUP_KEEP   how many snapshots to keep in that folder (default 30; older ones are deleted)

Every app process starts the job once per database (a daemon thread), when its server starts (app.py's
lifespan, ui/lifespan.py); the first page run would start it otherwise (ui/db.py). When several processes serve one
database, a lock file in the folder lets one of them run and the others skip that day's run. The outcome of
the last run is kept in the folder as yiyong-backup-status.json (started/finished, file, size, or the reason
it failed), which the page reads.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import fcntl
import json
import os
import threading
import time
from pathlib import Path

from analytics import backup, store

TIME_VAR, DIR_VAR, KEEP_VAR = "YIYONG_BACKUP_TIME", "YIYONG_BACKUP_DIR", "YIYONG_BACKUP_KEEP"
DEFAULT_TIME, DEFAULT_KEEP = "02:00", 30
STATUS_FILE, LOCK_FILE = "yiyong-backup-status.json", ".yiyong-backup.lock"


@dataclasses.dataclass(frozen=True)
class Settings:
    at: dt.time | None          # None: switched off
    directory: Path
    keep: int
    problem: str | None = None  # a setting that could not be read, in Chinese (the default is used instead)


def settings(db_path: str | os.PathLike, env: dict | None = None) -> Settings:
    env = os.environ if env is None else env
    problems = []
    text = (env.get(TIME_VAR) or DEFAULT_TIME).strip()
    at: dt.time | None
    if text.lower() in ("off", "no", "none", "0", "关闭"):
        at = None
    else:
        try:     # HH:MM; HH:MM:SS is accepted too (tests start a server a few seconds before its run)
            at = dt.datetime.strptime(text, "%H:%M:%S" if text.count(":") == 2 else "%H:%M").time()
        except ValueError:
            at = dt.time(2, 0)
            problems.append(f"定时备份时间“{text[:20]}”格式不正确（应为 时:分，例如 02:00），已按 02:00 执行")
    beside = store.DATA_DIR if store.is_server(db_path) else Path(db_path).resolve().parent
    directory = Path(env.get(DIR_VAR) or beside / "backups")
    try:
        keep = int(env.get(KEEP_VAR) or DEFAULT_KEEP)
        if keep < 1:
            raise ValueError
    except ValueError:
        keep = DEFAULT_KEEP
        problems.append(f"保留份数“{str(env.get(KEEP_VAR))[:20]}”不是正整数，已按 {DEFAULT_KEEP} 份执行")
    return Settings(at, directory, keep, "；".join(problems) + "。" if problems else None)


def next_run(now: dt.datetime, at: dt.time) -> dt.datetime:
    """The next time of day `at` strictly after `now`."""
    today = dt.datetime.combine(now.date(), at)
    return today if today > now else today + dt.timedelta(days=1)


def run_once(con, conf: Settings, now: dt.datetime | None = None) -> dict | None:
    """One scheduled backup on `con`; returns the status written, or None when another process is running it
    or has already made this slot's backup."""
    now = now or dt.datetime.now()
    try:
        conf.directory.mkdir(parents=True, exist_ok=True)
        lock = open(conf.directory / LOCK_FILE, "a+")
    except OSError as exc:
        return _write_status(conf, {"ok": False, "started_at": _iso(now), "finished_at": _iso(dt.datetime.now()),
                                    "error": f"无法创建或写入备份目录 {conf.directory}（{_reason(exc)}）。"})
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return None
        last = read_status(conf)
        if conf.at is not None and last and last.get("ok") and last.get("slot") == _iso(_slot(now, conf.at)):
            return None
        started = dt.datetime.now()
        status = {"started_at": _iso(started), "slot": _iso(_slot(now, conf.at)) if conf.at else None}
        try:
            path, manifest, deleted = backup.backup_to_dir(con, conf.directory, conf.keep)
        except (backup.BackupError, store.StoreError) as exc:
            status.update(ok=False, error=str(exc))
        except Exception as exc:  # noqa: BLE001 - the reason is shown on the page; the app keeps running
            status.update(ok=False, error=f"备份时出现程序错误（{type(exc).__name__}），请查看服务器日志。")
        else:
            status.update(ok=True, file=path.name, size_bytes=path.stat().st_size,
                          rows=sum(manifest["tables"].values()), deleted=[p.name for p in deleted])
        status["finished_at"] = _iso(dt.datetime.now())
        status["seconds"] = round((dt.datetime.now() - started).total_seconds(), 1)
        return _write_status(conf, status)


def _slot(now: dt.datetime, at: dt.time) -> dt.datetime:
    """The scheduled time this run belongs to: today's `at`, or yesterday's when `now` is before it."""
    today = dt.datetime.combine(now.date(), at)
    return today if now >= today else today - dt.timedelta(days=1)


def _iso(t: dt.datetime) -> str:
    return t.replace(microsecond=0).isoformat()


def _reason(exc: OSError) -> str:
    import errno
    return {errno.EACCES: "没有写权限", errno.ENOSPC: "磁盘空间不足", errno.EROFS: "磁盘只读"}.get(exc.errno, "系统拒绝访问")


def _write_status(conf: Settings, status: dict) -> dict:
    try:
        tmp = conf.directory / (STATUS_FILE + ".part")
        tmp.write_text(json.dumps(status, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, conf.directory / STATUS_FILE)
    except OSError:
        pass
    return status


def read_status(conf: Settings) -> dict | None:
    try:
        return json.loads((conf.directory / STATUS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def snapshots(conf: Settings) -> list[dict]:
    """The snapshots in the folder, newest first: name, size_bytes, modified (datetime)."""
    try:
        files = [p for p in conf.directory.glob(f"{backup.PREFIX}*.zip") if p.is_file()]
    except OSError:
        return []
    out = []
    for p in files:
        try:
            st = p.stat()
        except OSError:
            continue
        out.append({"name": p.name, "size_bytes": st.st_size, "modified": dt.datetime.fromtimestamp(st.st_mtime),
                    "order": backup.snapshot_order(p) or ("", 0)})
    # newest first by the name's time stamp and its -N suffix (several snapshots in one second: -2, -3 …)
    out.sort(key=lambda d: d.pop("order"), reverse=True)
    return out


# ---- the job ------------------------------------------------------------------------------------------

_started: set[str] = set()
_started_lock = threading.Lock()


def start(db_path: str, connection_factory, env: dict | None = None) -> threading.Thread | None:
    """Start the daily job for this database once per process (a daemon thread); None when switched off or
    already started. `connection_factory()` gives the connection to back up from."""
    conf = settings(db_path, env)
    key = str(Path(db_path))
    with _started_lock:
        if conf.at is None or key in _started:
            return None
        _started.add(key)
    thread = threading.Thread(target=_loop, args=(conf, connection_factory), name="yiyong-backup", daemon=True)
    thread.start()
    return thread


def _loop(conf: Settings, connection_factory) -> None:
    while True:
        due = next_run(dt.datetime.now(), conf.at)
        while (left := (due - dt.datetime.now()).total_seconds()) > 0:
            time.sleep(min(left, 30))
        try:
            run_once(connection_factory(), conf, due)
        except Exception:  # noqa: BLE001 - never let the job thread die; run_once records its own failures
            pass
