"""Compute the other 看板 pages' data in the background while a leader looks at one, so that the first click on
each page (a "cold" switch) costs what a second one does.

Measured in Chromium at scale 100 (scripts/bench_browser.py): a warm page switch took 0.7–0.9 s, a cold one
1.8–3.0 s — the difference is the pages' analytics queries, run while the user waited. After each run the footer
calls `start(filters)`: once per data version and filter combination, a daemon thread fills the same cache
(ui/queries.py, keyed on the same arguments) with each page's default view. A page that changes its calls only
loses the head start; nothing is shown from here."""
from __future__ import annotations

import logging
import os
import threading

log = logging.getLogger("yiyong")
ENV_VAR = "YIYONG_PREFETCH"            # "0" switches the head start off (page tests: one run, nothing after)
_started: set[tuple] = set()
_threads: list[threading.Thread] = []
_lock = threading.Lock()


def default_calls(f) -> list[tuple]:
    """(query, *args) of each 看板 page's first view under the filters `f`, as the pages call ui/queries.py."""
    from ui import queries
    from analytics.metrics.scope import period

    lo, hi = period(f.as_of, f.years, ytd=True)        # 统计期间 今年以来, the pages' default
    step = "confirmed_on"                               # 及时确认, the 及时性 page's default step
    return [
        (queries.levels_by_county_year, f.as_of, f.county, "people"),
        (queries.trend_tables_fair, f.as_of, f.county, f.years, "year"),
        (queries.activity_breakdown, lo, hi, f.county),
        (queries.five_has, f.as_of, f.county),
        (queries.studios_activity, f.as_of, lo, hi, f.county),
        (queries.step_stats, f.as_of, f.county, f.years, step),
        (queries.overdue_cases, f.as_of, f.county, f.years, step, 60, 1000),
        (queries.assistance_breakdown, lo, hi, f.county),
        (queries.unvisited_by_unit, f.as_of, f.county),
    ]


def start(f) -> None:
    """Start the background computation for these filters, once per data version (quietly does nothing when it
    cannot run)."""
    from ui import db

    if os.environ.get(ENV_VAR, "1").strip() == "0":
        return
    try:
        path = db.db_path()
        key = (path, db.version_of(path), f.as_of, f.county, f.years)
    except Exception:  # noqa: BLE001 - a head start must never break a page
        return
    with _lock:
        if key in _started:
            return
        _started.add(key)
    calls = default_calls(f)

    def run() -> None:
        for query, *args in calls:
            try:
                query(*args, path=path)
            except Exception:  # noqa: BLE001
                log.debug("prefetch %s failed", query.__name__, exc_info=True)

    thread = threading.Thread(target=run, name="yiyong-prefetch", daemon=True)
    with _lock:
        _threads[:] = [t for t in _threads if t.is_alive()] + [thread]
    thread.start()


def wait(timeout: float = 30) -> None:
    """Until the background computations started so far have finished (tests, before closing the database)."""
    with _lock:
        threads = list(_threads)
    for t in threads:
        t.join(timeout)
