"""Helpers for AppTest: run the real app.py frame on a given database and page."""
from __future__ import annotations

import os
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


def app(db: Path, page: str | None = None, *, as_of: str | None = None, county: str | None = None,
        session: dict | None = None, timeout: float = 60) -> AppTest:
    """An AppTest of app.py on `db`, switched to `page` (e.g. "pages/overview.py"), already run."""
    os.environ["YIYONG_DB"] = str(db)
    from ui import db as uidb
    uidb.reset_for_tests()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
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
