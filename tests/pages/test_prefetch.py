"""ui/prefetch.py computes each 看板 page's first view in the background: its calls must be the very calls the
pages make (same qualname, same arguments), or the head start is lost without anyone noticing."""
from __future__ import annotations

import datetime as dt

from tests.pages.apptest_util import app

PAGES = ["pages/levels.py", "pages/trends.py", "pages/stations.py", "pages/timeliness.py", "pages/assistance.py"]


def test_prefetched_calls_are_the_pages_calls(demo_db, monkeypatch):
    from ui import db, prefetch
    from ui.filters import Filters

    made: list[tuple] = []
    real = db.run

    def recording(func, *args, path=None, **kwargs):
        made.append((func.__module__, func.__qualname__, args, tuple(sorted(kwargs.items()))))
        return real(func, *args, path=path, **kwargs)

    monkeypatch.setattr(db, "run", recording)
    monkeypatch.setattr(prefetch, "start", lambda f: None)     # only the pages' own calls are recorded
    for page in PAGES:
        at = app(demo_db, page, as_of="2024-07-31")
        assert not at.exception
    by_pages = set(made)
    made.clear()
    f = Filters(as_of=dt.date(2024, 7, 31), county=None, years=(2012, 2026))
    expected = prefetch.default_calls(f)
    assert len(expected) == 9
    for query, *args in expected:
        query(*args, path=str(demo_db))
    assert len(made) == 9
    missing = [c[1] for c in made if c not in by_pages]
    assert missing == [], f"预取的调用与页面不一致：{missing}"
