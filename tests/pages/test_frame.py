"""ui/frame.py: every page runs inside app.py, even on a fresh server, although the pages live in pages/.

The end-to-end proof (a first request straight to /registry on a freshly started `streamlit run` gets the login
form) is tests/browser/test_login.py::test_fresh_server_asks_for_login_on_a_direct_page_url; the rerun of a run
that started in Streamlit's old pages/ mode is tests/test_hostile_input.py::
test_page_started_without_the_frame_reruns_through_it. Here: the two steps that make it so, without a browser."""
from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT
from tests.pages.apptest_util import app

# What `streamlit run app.py` does before the first session: uvicorn imports app.py as a module (it holds st.App);
# then every new session builds a PagesManager, the first of which decides the pages/ mode for the process.
SERVER_START = """
import app
from streamlit.runtime.pages_manager import PagesManager
PagesManager(app.__file__)
print(PagesManager.uses_pages_directory)
"""


def test_the_server_start_switches_pages_discovery_off_before_the_first_session():
    out = subprocess.run([sys.executable, "-c", SERVER_START], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "False"       # Streamlit alone says True: pages/ exists


def test_a_page_opened_by_url_without_login_gets_the_login_form(demo_db):
    at = app(demo_db, "pages/registry.py", role=None)
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["聊城市见义勇为数据分析系统"]
    assert "用户登录" in [s.value for s in at.subheader]
    assert not at.dataframe                                            # no registry rows
