"""One cached DuckDB connection per process, a cursor per use, and cached calls into analytics/.

`call("metrics.key_figures", as_of, county)` runs an analytics function on a fresh cursor and caches the
result keyed on plain values: the database path, its data version, the function name and the arguments.
After any write, `after_write()` clears the caches so every page shows the new data at once.
"""
from __future__ import annotations

import importlib
from pathlib import Path

import streamlit as st

from analytics import store


def db_path() -> str:
    return str(store.resolve_db_path().resolve())


@st.cache_resource(show_spinner=False)
def _connection(path: str):
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


def _route_through_frame() -> None:
    """Every page must run inside app.py (login, role check, filters). Because our pages live in pages/,
    Streamlit serves them as a "v1" multipage app -- each file run directly, without app.py -- until app.py's
    st.navigation has run once in the process. So a first request straight to /registry on a fresh server
    would show the page without a login. Every page imports this module: if it is first imported during
    such a run, switch the v1 mode off and rerun, which goes through app.py."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
        from streamlit.runtime.scriptrunner import get_script_run_ctx
    except ImportError:  # pragma: no cover - other Streamlit versions
        return
    if PagesManager.uses_pages_directory and get_script_run_ctx() is not None:
        PagesManager.uses_pages_directory = False
        st.rerun()


_route_through_frame()
