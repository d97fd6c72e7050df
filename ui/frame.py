"""Every page runs inside app.py (login, role check, filters): Streamlit's old pages/ discovery, switched off in
one place, for the app and the tests alike.

Why it is needed. Our pages live in pages/ (the project's layout). Streamlit 1.67 treats an app with a pages/
folder next to its main script as a "v1" multipage app: each file is run on its own, without app.py, with a
sidebar listing every file name in English -- until some run calls st.navigation.

What the installed Streamlit offers (checked in its source, 1.67):
- no setting: no config option turns pages/ discovery off (`client.showSidebarNavigation` only hides the v1
  menu; the files are still run on their own), and the folder name is fixed (`_mpa_v1` in
  runtime/scriptrunner/script_runner.py globs main_script_parent / "pages");
- the switch is one process-wide class attribute, `PagesManager.uses_pages_directory`
  (runtime/pages_manager.py): None at start, set to "pages/ exists" when the first session's PagesManager is
  built, and set to False by `st.navigation` (commands/navigation.py: the supported API, by which an app says
  it is a v2 app) -- but only once a run reaches that call, i.e. after the first session has started;
- `streamlit run app.py` imports app.py as a module before any session when it holds an ASGI app (`st.App`,
  web/server/app_discovery.py), and AppTest resets the attribute to None before every run.

So, with the one public attribute st.navigation itself writes:
1. `frame_only()` sets it to False. It runs when the `ui` package is first imported (ui/__init__.py): on the
   server that is app.py's import as a module (it imports ui.routes for st.App), before the first session, so
   even a first request straight to a page URL on a fresh server goes through app.py and its login
   (tests/browser/test_login.py::test_fresh_server_asks_for_login_on_a_direct_page_url);
2. `route_through_frame()` (ui.auth.require calls it on every page run) reruns a run that nevertheless started
   in v1 mode (should the attribute have been set before ui was imported), which then goes through app.py;
   tests/test_hostile_input.py exercises it with Streamlit's own PagesManager;
3. `use_in_apptest()` installs `FramePagesManager` in AppTest (tests/pages/apptest_util.py), so that every test
   run goes through app.py as on the server.
"""
from __future__ import annotations

import sys

from streamlit.runtime.pages_manager import PagesManager


def frame_only() -> None:
    """Switch Streamlit's old pages/ discovery off for this process (what st.navigation does on its first call)."""
    PagesManager.uses_pages_directory = False


def _v1_page_run() -> bool:
    """Is this script run a file in pages/ started directly by Streamlit's old pages/ runner (`_mpa_v1`),
    i.e. without app.py? Read from the run's own call stack, so it holds for each run on its own, whatever
    other sessions have done to the process-wide attribute meanwhile."""
    frame = sys._getframe(1)
    while frame is not None:
        code = frame.f_code
        if code.co_name == "_mpa_v1" and "streamlit" in code.co_filename:
            return True
        frame = frame.f_back
    return False


def route_through_frame() -> None:
    """On every page run (ui.auth.require calls this first, after the page's imports): a run that started in v1
    mode is rerun, which now goes through app.py. Such a run is a session's first: it has no widget input to
    lose. Never rerun while a module is being imported: a rerun raised inside an import leaves the module
    half-imported for a concurrent session ("cannot import name 'db' from 'ui'"), so an import only clears the
    attribute."""
    import streamlit as st
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    frame_only()
    if get_script_run_ctx() is not None and _v1_page_run():
        st.rerun()


class FramePagesManager(PagesManager):
    """Streamlit's PagesManager with pages/ discovery off from the start (AppTest resets the attribute to None
    before every run and then builds a PagesManager)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        frame_only()


def use_in_apptest() -> None:
    """Every AppTest run goes through the real app.py, as on the server."""
    from streamlit.testing.v1 import app_test

    app_test.PagesManager = FramePagesManager


frame_only()
