"""One embedded DuckDB file, many processes: how a long-running process (the app) holds it.

DuckDB lets one process open a file read-write, or any number of processes read-only, never both. A process that
kept the file open for its whole life would lock out every command (`stats`, `backup` from cron …). So a
long-running process here
- reads from a private copy of the file (`ReadCopy`): taken under a short read-only open, refreshed when the
  file's signature (inode, mtime, size of the file and its write-ahead log) moves, i.e. after any commit of
  any process. Copying the file takes ~25 ms for the 45 MB scale-100 demo; reads then run on a file-backed
  DuckDB exactly as before, and never wait for another process;
- writes through `FileAccess.connection()`: a stand-in for a DuckDB connection that opens the file read-write
  on first use (waiting a few seconds if another process holds it, see store.connect) and closes it again
  once it has been idle for `idle_seconds` with no write transaction running.

Nothing here imports Streamlit: the app (ui/db.py) and the scheduled backup use it alike.
"""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

import duckdb

from analytics import store

IDLE_SECONDS = 1.0


class FileAccess:
    """The read-write side of one database file in this process, opened only while it is used."""

    def __init__(self, path: str | os.PathLike, idle_seconds: float = IDLE_SECONDS, wait: float | None = None):
        self.path = Path(path)
        self.idle_seconds = idle_seconds
        self.wait = wait
        self.lock = threading.RLock()      # guards opening and closing
        self._raw: duckdb.DuckDBPyConnection | None = None
        self._last_used = 0.0
        self._reaper: threading.Thread | None = None
        self._closed_event = threading.Event()

    # -- the read-write connection -------------------------------------------------------------------
    def raw(self) -> duckdb.DuckDBPyConnection:
        """The open read-write connection (opening it, and migrating the file, if needed)."""
        with self.lock:
            if self._raw is None:
                self._raw = store.connect(self.path, wait=self.wait)
                self._start_reaper()
            self._last_used = time.monotonic()
            return self._raw

    def is_open(self) -> bool:
        return self._raw is not None

    def connection(self) -> "WriteConnection":
        return WriteConnection(self)

    def close(self) -> None:
        """Let go of the file now (waits for a running write transaction of this process to finish)."""
        with store.WRITE_LOCK, self.lock:     # the order of store.transaction (see ReadCopy._take)
            self._close_locked()

    def _close_locked(self) -> None:
        if self._raw is not None:
            try:
                self._raw.close()
            except duckdb.Error:
                pass
            self._raw = None

    def close_if_idle(self) -> bool:
        """Close when unused for idle_seconds and no write transaction runs; True when closed (or not open)."""
        with self.lock:
            if self._raw is None:
                return True
            if time.monotonic() - self._last_used < self.idle_seconds:
                return False
            if not store.WRITE_LOCK.acquire(blocking=False):
                return False
            try:
                self._close_locked()
            finally:
                store.WRITE_LOCK.release()
            return True

    def _start_reaper(self) -> None:
        if self._reaper is not None and self._reaper.is_alive():
            return
        self._reaper = threading.Thread(target=self._reap, name="yiyong-db-idle-close", daemon=True)
        self._reaper.start()

    def _reap(self) -> None:
        while True:
            time.sleep(max(0.05, self.idle_seconds / 4))
            if self.close_if_idle():
                with self.lock:
                    if self._raw is None:
                        self._reaper = None
                        return


class WriteConnection:
    """Stands in for a DuckDB connection in code that writes (store.transaction, accounts, corrections, ingest):
    every attribute is taken from FileAccess.raw(), which opens the file on first use."""

    def __init__(self, access: FileAccess):
        self._access = access

    def _raw(self) -> duckdb.DuckDBPyConnection:
        return self._access.raw()

    def __getattr__(self, name):
        return getattr(self._raw(), name)


def private_dir(prefix: str) -> Path:
    """A temp folder `<prefix>-<pid>-…` for this process's copies, removed at exit. Folders of the same prefix
    whose process is gone (killed, or left without running exit handlers) are removed first."""
    base = Path(tempfile.gettempdir())
    for old in base.glob(f"{prefix}-*"):
        try:
            pid = int(old.name[len(prefix) + 1:].split("-", 1)[0])
        except ValueError:
            continue
        if pid != os.getpid() and not _alive(pid):
            shutil.rmtree(old, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{prefix}-{os.getpid()}-"))
    atexit.register(shutil.rmtree, folder, True)
    return folder


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class ReadCopy:
    """A private, read-only copy of the database file, refreshed when the file changes."""

    def __init__(self, access: FileAccess):
        self.access = access
        self._dir = private_dir("yiyong-read")
        self._refresh_lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._signature: tuple | None = None
        self._generation = 0
        self.data_version = ""
        self.refreshed_at = 0.0
        self.last_refresh_seconds = 0.0

    def connection(self) -> duckdb.DuckDBPyConnection:
        """The current copy; refreshed first when the file changed. A thread that finds another thread already
        refreshing goes on with the current copy (reads never queue behind a refresh)."""
        if self._con is None or store.file_signature(self.access.path) != self._signature:
            self.refresh(blocking=self._con is None)
        return self._con

    def cursor(self) -> duckdb.DuckDBPyConnection:
        return self.connection().cursor()

    def close(self) -> None:
        """Forget the copy and remove its folder (tests; a process that stops serving this database)."""
        con, self._con, self._signature = self._con, None, None
        if con is not None:
            con.close()
        shutil.rmtree(self._dir, ignore_errors=True)

    def refresh(self, blocking: bool = True) -> bool:
        """Take a new copy now; False when another thread was refreshing and blocking is False."""
        if not self._refresh_lock.acquire(blocking=blocking):
            return False
        try:
            if self._con is not None and store.file_signature(self.access.path) == self._signature:
                return True
            t0 = time.perf_counter()
            self._generation += 1
            self._dir.mkdir(parents=True, exist_ok=True)
            copy = self._dir / f"copy-{self._generation}.duckdb"
            signature = self._take(copy)
            con = duckdb.connect(str(copy), read_only=True)
            version = store.data_version(con)
            old = self._con
            self._con, self._signature, self.data_version = con, signature, version
            self.refreshed_at = time.time()
            self.last_refresh_seconds = time.perf_counter() - t0
            if old is not None:
                # Sessions may still be reading the old copy: its connection closes when the last cursor is
                # gone; the file can be unlinked now (POSIX keeps it until then).
                for f in self._dir.glob(f"copy-{self._generation - 1}.duckdb*"):
                    f.unlink(missing_ok=True)
            return True
        finally:
            self._refresh_lock.release()

    def _take(self, copy: Path) -> tuple:
        """Copy the file (and its write-ahead log) while no process can commit to it; return its signature."""
        src = self.access.path
        # Locks in the order store.transaction takes them: WRITE_LOCK, then the file's (a transaction opens the
        # file inside WRITE_LOCK). The other order deadlocked a serving app: a session's write held WRITE_LOCK
        # and waited for the file's lock, which a refresh held while it waited for WRITE_LOCK — every later
        # page run of every session then hung (seen with 6 browser sessions switching pages).
        with store.WRITE_LOCK, self.access.lock:
            if self._con is None or self.access.is_open():
                # First copy in this process (create or migrate the file first), or this process holds the
                # file read-write anyway: no other process can write; this process's writers are held off.
                self.access.raw()
                return self._copy_files(src, copy)
            ro = store.connect(src, read_only=True, wait=self.access.wait)
            try:
                return self._copy_files(src, copy)
            finally:
                ro.close()

    def _copy_files(self, src: Path, copy: Path) -> tuple:
        signature = store.file_signature(src)
        _copy_keeping_locks(src, copy)
        wal = src.with_name(src.name + ".wal")
        try:
            shutil.copyfile(wal, copy.with_name(copy.name + ".wal"))
        except FileNotFoundError:
            pass
        return signature


# DuckDB locks the database file with POSIX record locks (fcntl), which belong to the process: closing *any*
# descriptor of the file in the process drops them all. A plain shutil.copyfile() of the database file would
# therefore silently release this process's own lock (seen: a command then read the file while this process
# checkpointed it). So the file is read through one descriptor per inode that stays open for the life of the
# process (a descriptor of a replaced file, e.g. after a restore, may be closed: the locks are per inode).
_FDS: dict[str, tuple[int, int]] = {}     # path -> (inode, fd)
_FDS_LOCK = threading.Lock()


def _copy_keeping_locks(src: Path, dest: Path) -> None:
    key = str(src)
    with _FDS_LOCK:
        ino = os.stat(src).st_ino
        held = _FDS.get(key)
        if held is None or held[0] != ino:
            fd = os.open(src, os.O_RDONLY)
            if os.fstat(fd).st_ino != ino:      # replaced between stat and open: read what we opened
                ino = os.fstat(fd).st_ino
            if held is not None:
                os.close(held[1])               # an older inode: closing it does not touch this one's locks
            _FDS[key] = held = (ino, fd)
        fd = held[1]
        size = os.fstat(fd).st_size
        with open(dest, "wb") as out:
            offset = 0
            while offset < size:
                sent = os.sendfile(out.fileno(), fd, offset, size - offset)
                if sent == 0:
                    break
                offset += sent
