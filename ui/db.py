"""One cached DuckDB connection per process, a cursor per use, and cached calls into analytics/.

`call("metrics.key_figures", as_of, county)` runs an analytics function on a fresh cursor and caches the
result keyed on plain values: the database path, its data version, the function name and the arguments.
After any write, `after_write()` clears the caches so every page shows the new data at once.
"""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx

from analytics import backup, store


def db_path() -> str:
    return str(store.resolve_db_path().resolve())


@st.cache_resource(show_spinner=False)
def _connection(path: str):
    backup.remove_interrupted_restores(path)    # what a restore killed midway left beside the file
    return store.connect(path)


def connection():
    """The process-wide connection (use `cursor()` for reads; writes go through store.transaction)."""
    return _connection(db_path())


def cursor():
    return connection().cursor()


def data_version() -> str:
    cur = cursor()
    try:
        return store.data_version(cur)
    finally:
        cur.close()


@st.cache_data(show_spinner=False, max_entries=512)
def _cached_call(path: str, version: str, qualname: str, args: tuple, kwargs: tuple):
    module_name, func_name = qualname.rsplit(".", 1)
    func = getattr(importlib.import_module(f"analytics.{module_name}"), func_name)
    cur = _connection(path).cursor()
    try:
        return func(cur, *args, **dict(kwargs))
    finally:
        cur.close()


def call(qualname: str, *args, **kwargs):
    """Cached `analytics.<qualname>(cursor, *args, **kwargs)`; arguments must be plain hashable values."""
    return _cached_call(db_path(), data_version(), qualname, tuple(args), tuple(sorted(kwargs.items())))


def after_write() -> None:
    """Call after every commit or undo."""
    st.cache_data.clear()


def drop_connection() -> None:
    """Close and forget the process-wide connection (before a restore swaps the database file); the next
    `connection()` opens the file afresh. Sessions mid-query see one failed run and recover on the next."""
    path = db_path()
    try:
        _connection(path).close()
    except Exception:  # noqa: BLE001 - a connection that cannot even be closed is gone anyway
        pass
    _connection.clear()
    st.cache_data.clear()


def reset_for_tests() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()


def project_root() -> Path:
    return store.PROJECT_ROOT


def _v1_page_run() -> bool:
    """Is this script run a file in pages/ started directly by Streamlit's old pages/ runner (`_mpa_v1`),
    i.e. without app.py? Read from the run's own call stack, so it holds for each run on its own, whatever
    other sessions have done to the process-wide flag meanwhile."""
    frame = sys._getframe(1)
    while frame is not None:
        code = frame.f_code
        if code.co_name == "_mpa_v1" and "streamlit" in code.co_filename:
            return True
        frame = frame.f_back
    return False


def _frame_only() -> None:
    """Switch Streamlit's old pages/ discovery off for this process (the flag app.py's st.navigation clears)."""
    PagesManager.uses_pages_directory = False


class FramePagesManager(PagesManager):
    """Streamlit's PagesManager with pages/ discovery off from the start. AppTest resets the process-wide flag
    before every run and then builds a PagesManager, so tests/pages/apptest_util.py installs this class there:
    every test run then goes through app.py exactly as the server does after route_through_frame."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _frame_only()


def route_through_frame() -> None:
    """Every page must run inside app.py (login, role check, filters). Because our pages live in pages/,
    Streamlit 1.67 serves them as a "v1" multipage app -- each file run directly, without app.py, with a sidebar
    listing every file name in English -- until some run calls st.navigation; the switch is one process-wide
    flag (PagesManager.uses_pages_directory), set when the first session starts and cleared by st.navigation.
    Streamlit has no setting to turn pages/ discovery off, so:
    1. clear the flag as early as possible (this module's import, the first thing every page and app.py load),
       so that later runs go straight through app.py;
    2. on every page run (ui.auth.require calls this first, after the page's imports), a run that started in v1
       mode -- e.g. a second session that began on a fresh server before the first one cleared the flag, which
       showed a blank page listing the page files in English -- is rerun, which now goes through app.py. (Such a
       run is a session's first: it has no widget input to lose.)
    Never rerun while a module is being imported: a rerun raised inside an import leaves the module half-imported
    for a concurrent session ("cannot import name 'db' from 'ui'"), so the import only clears the flag."""
    _frame_only()
    if get_script_run_ctx() is not None and _v1_page_run():
        st.rerun()


_frame_only()
