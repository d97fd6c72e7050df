"""The app's database access: reads from a private copy of the file, writes open the file briefly.

DuckDB lets one process hold a file read-write, or many read-only, never both; so the app must not keep the
file open, or every command (`stats`, the nightly `backup` …) would be locked out. See analytics/shared.py:
- `cursor()` and `call()` read from this process's private copy of the file, refreshed at the start of a
  read when any process has committed since (two stat() calls tell);
- `connection()` is for writes: it opens the file read-write on first use, waits a few seconds when another
  program holds it (and then says so in Chinese and stops the run, keeping what the user typed), and lets go
  of it after a second without use.

`run(figures.key_figures, as_of, county)` runs an analytics function on a cursor of the copy and caches the
result keyed on plain values: the database path, its data version, the function's name and the arguments
(pages call it through the typed wrappers of ui/queries.py).
`read(func, ...)` is the same call uncached (账号管理: logins and sessions change without a change set).
After any write, `after_write()` clears the caches and refreshes the copy, so every page shows the new data.
"""
from __future__ import annotations

from typing import Callable, TypeVar

import streamlit as st

from analytics import backup, backup_schedule, shared, store

T = TypeVar("T")


def db_path() -> str:
    """The database file's absolute path, or (server mode) the PostgreSQL URL."""
    target = store.resolve_db_path()
    return target if store.is_server(target) else str(target.resolve())


class _Files:
    """Per database path and process: the read-write access, the read copy, the scheduled backup."""

    def __init__(self, path: str):
        backup.remove_interrupted_restores(path)    # what a restore killed midway left beside the file
        self.access = shared.FileAccess(path)
        self.copy = shared.ReadCopy(self.access)
        backup_schedule.start(path, self.access.connection)
        _ALL.append(self)


class _Server:
    """Server mode, per URL and process: the DuckDB copy fed from PostgreSQL (analytics/server.py), which serves
    reads and writes alike; the scheduled backup."""

    def __init__(self, url: str):
        from analytics import server
        self.access = None
        self.versions: tuple = (None, "")
        self.copy = server.ServerCopy(url)
        backup_schedule.start(url, lambda: self.copy.connection(fresh=True))
        _ALL.append(self)


_ALL: list = []     # every _Files/_Server of this process (reset_for_tests closes them)


@st.cache_resource(show_spinner=False)
def _files(path: str):
    return _Server(path) if store.is_server(path) else _Files(path)


def _stop_with(exc: store.StoreError) -> None:
    """Inside a script run: one Chinese sentence where the write was asked for, then the run stops (widgets keep
    their values, so nothing the user typed is lost; a transaction under way rolls back). Elsewhere: re-raise."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx
    if get_script_run_ctx() is None:
        raise exc
    st.error(f"{exc}您填写的内容仍保留在页面上，可稍后再次提交。")
    st.stop()


class _AppWriteConnection(shared.WriteConnection):
    """Embedded: a write that cannot get the file within the wait stops the run with one Chinese sentence."""

    def _raw(self):
        try:
            return super()._raw()
        except store.StoreError as exc:
            _stop_with(exc)


class _AppServerConnection:
    """Server mode: a write another user's commit overtook (analytics/server.py) stops the run with the Chinese
    sentence asking to reload; nothing was written."""

    server = True

    def __init__(self, con):
        self._con = con

    def __getattr__(self, name):
        return getattr(self._con, name)

    def commit_changes(self, txn) -> None:
        try:
            self._con.commit_changes(txn)
        except store.StoreError as exc:
            _stop_with(exc)


def connection():
    """For writes (store.transaction, accounts, corrections, imports): the file, opened on first use; in server
    mode the process's up-to-date copy, whose commits go to PostgreSQL."""
    files = _files(db_path())
    if files.access is None:
        return _AppServerConnection(files.copy.connection(fresh=True))
    return _AppWriteConnection(files.access)


def cursor():
    """For reads: a cursor on this process's copy of the database."""
    return _files(db_path()).copy.cursor()


def data_version() -> str:
    return version_of(db_path())


def version_of(path: str) -> str:
    """The data version of the database at `path` (part of every cache key)."""
    files = _files(path)
    if files.access is not None:
        files.copy.connection()
        return files.copy.data_version
    # Server mode: PostgreSQL's version moves with every write, logins included; the cache key moves only with
    # the data (change sets), as in embedded mode. Worked out once per version.
    con = files.copy.connection()
    seen = files.versions
    if seen[0] != con.version:
        cur = con.cursor()
        try:
            seen = files.versions = (con.version, store.data_version(cur))
        finally:
            cur.close()
    return seen[1]


@st.cache_data(show_spinner=False, max_entries=512)
def _cached_call(path: str, version: str, module: str, name: str, args: tuple, kwargs: tuple, _func: Callable):
    """The cache key is every argument but `_func` (Streamlit leaves out names starting with "_"): the function is
    named by its module and name."""
    cur = _files(path).copy.cursor()
    try:
        return _func(cur, *args, **dict(kwargs))
    finally:
        cur.close()


def run(func: Callable[..., T], *args, path: str | None = None, **kwargs) -> T:
    """Cached `func(cursor, *args, **kwargs)` on this process's copy of the database (ui/queries.py wraps each
    analytics function a page uses). The cache key is plain values: the database path, its data version, the
    function's module and name, and the arguments (which must be hashable). `path` pins another database (a
    background thread keeps the one it started on)."""
    path = path or db_path()
    return _cached_call(path, version_of(path), func.__module__, func.__qualname__, tuple(args),
                        tuple(sorted(kwargs.items())), func)


def read(func: Callable[..., T], *args, **kwargs) -> T:
    """`func(cursor, *args, **kwargs)` on this process's copy of the database, uncached: for what changes without
    a change set and must be current at every run (logins, sessions, locks: 账号管理)."""
    cur = cursor()
    try:
        return func(cur, *args, **kwargs)
    finally:
        cur.close()


def after_write() -> None:
    """Call after every commit or undo."""
    st.cache_data.clear()
    files = _files(db_path())
    if files.access is not None:       # server mode: the copy already holds the commit
        files.copy.refresh()


def drop_connection() -> None:
    """Let go of the file now (before a restore swaps it); the next read copies the new file."""
    files = _files(db_path())
    if files.access is not None:
        files.access.close()
    st.cache_data.clear()


def reset_for_tests() -> None:
    from ui import prefetch
    prefetch.wait()                    # a background head start must not be reading what is closed here
    while _ALL:
        files = _ALL.pop()
        if files.access is not None:
            files.access.close()
        files.copy.close()
    st.cache_data.clear()
    st.cache_resource.clear()

