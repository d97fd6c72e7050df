"""Helpers for AppTest: run the real app.py frame on a given database and page."""
from __future__ import annotations

import os
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from ui import frame

frame.use_in_apptest()      # every AppTest run goes through the real app.py, as on the server (ui/frame.py)


# One account per role, created in the test database on demand (no change set is recorded for them).
TEST_USERS = {"admin": "test-admin", "editor": "test-editor", "viewer": "test-viewer"}
TEST_PASSWORD = "Test-pass-2024"
_ROLE_NAMES = {"admin": "测试管理员", "editor": "测试录入员", "viewer": "测试查看员"}


def ensure_test_user(db: Path, role: str) -> str:
    """Create the test account for `role` in `db` if missing; return its user name."""
    from analytics import accounts, store
    name = TEST_USERS[role]
    con = store.connect(db)
    try:
        if accounts.get_user(con, name) is None:
            accounts.create_user(con, name, TEST_PASSWORD, role, actor="test", display_name=_ROLE_NAMES[role],
                                 record=False, rounds=4)
    finally:
        con.close()
    return name


def login_session(username: str, db: Path | None = None) -> dict:
    """A session started in the database (as the login endpoint does) and what ui/auth.py then keeps in
    st.session_state["auth"] for it (AppTest has no cookies, so the test puts the session id there)."""
    from analytics import sessions, store
    con = store.connect(db)
    try:
        _token, session = sessions.start(con, username, ip="127.0.0.1", user_agent="AppTest")
    finally:
        con.close()
    return {"session_id": session.session_id}


def app(db: Path, page: str | None = None, *, as_of: str | None = None, county: str | None = None,
        session: dict | None = None, timeout: float = 60, role: str | None = "admin") -> AppTest:
    """An AppTest of app.py on `db`, switched to `page` (e.g. "pages/overview.py"), already run.

    role: "admin" (default), "editor" or "viewer" runs logged in as a test account of that role;
    None runs without a login (the login form, or the first-run page on a database without accounts)."""
    os.environ["YIYONG_DB"] = str(db)
    os.environ.setdefault("YIYONG_PREFETCH", "0")   # no background head start in page tests (ui/prefetch.py)
    from ui import db as uidb
    uidb.reset_for_tests()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    if role is not None:
        at.session_state["auth"] = login_session(ensure_test_user(db, role), db)
    if as_of:
        at.session_state["as_of"] = __import__("datetime").date.fromisoformat(as_of)
    if county:
        at.session_state["county"] = county
    for k, v in (session or {}).items():
        at.session_state[k] = v
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}
