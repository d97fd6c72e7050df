"""Each page's script time under AppTest (the real app.py frame switched to the page, as the demo admin):
uncached (st.cache_data cleared before the run) and cached (the run right after), median of N. Scripts are
compiled once and reused, as by a running server (see _server_like_script_cache).

Worker: python -m scripts.bench_pages --db PATH --data "scale 100" --budgets 0.5,0.15 [--runs 5]
The pages come from ui/nav.py, so a new page is measured without touching the bench.
"""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from scripts.bench_proc import ROOT, emit
from scripts.bench_table import ERROR, Row, median

AT_TIMEOUT = 60


def pages() -> list[tuple[str, str]]:
    from ui import nav
    return [(path, title) for entries in nav.SECTIONS.values() for path, title, *_ in entries]


def _app(db: Path, page: str):
    """app.py switched to `page`, logged in as admin (tests/pages/apptest_util.app does the login part)."""
    from tests.pages.apptest_util import app
    return app(db, page, timeout=AT_TIMEOUT)


def _server_like_script_cache() -> None:
    """Compile each script once, as a server does. AppTest builds a new ScriptCache on every run, so without this
    every "cached" run also re-parses app.py and the page and rewrites their AST for Streamlit's magic (measured:
    0.10 s of the 名录 page's 0.16 s), a cost a running server pays once per page per process."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test

    shared = ScriptCache()
    app_test.ScriptCache = lambda: shared


def _timed(at) -> float:
    t0 = time.perf_counter()
    at.run(timeout=AT_TIMEOUT)
    return time.perf_counter() - t0


def _failure(at) -> str | None:
    if at.exception:
        return str(at.exception[0].value if hasattr(at.exception[0], "value") else at.exception[0])[:160]
    bad = [e.value for e in at.error if "页面加载时出现问题" in str(e.value)]
    return bad[0][:160] if bad else None


def apptest_overhead(runs: int) -> Row:
    """What AppTest itself costs per run (a one-line script), so the page figures can be read against it."""
    import tempfile

    from streamlit.testing.v1 import AppTest
    with tempfile.TemporaryDirectory() as d:
        script = Path(d) / "empty.py"
        script.write_text("import streamlit as st\nst.write('x')\n")
        at = AppTest.from_file(str(script))
        at.run()
        times = [_timed(at) for _ in range(runs)]
    return Row("AppTest 单次运行开销 (参考) AppTest overhead", "—", median(times),
               note="一行脚本的 at.run()，页面耗时中包含这一部分")


def measure(db: Path, data: str, budgets: tuple[float, float], runs: int, sources: tuple[str, str]) -> list[Row]:
    import streamlit as st
    rows: list[Row] = []
    for path, title in pages():
        name = f"页面 {title} ({Path(path).stem})"
        try:
            at = _app(db, path)
            problem = _failure(at)
            if problem:
                rows.append(Row(f"{name} 未缓存 uncached", data, status=ERROR, note=problem))
                continue
            uncached, cached = [], []
            n = runs
            while len(uncached) < n:
                st.cache_data.clear()
                uncached.append(_timed(at))
                cached.append(_timed(at))
                if len(uncached) == 1 and uncached[0] > 4 * budgets[0]:
                    n = min(runs, 3)  # far over budget: 3 runs tell as much and keep the bench under 10 min
            problem = _failure(at)
        except Exception as exc:  # a page that cannot run is a row, not a dead bench
            rows.append(Row(f"{name} 未缓存 uncached", data, status=ERROR, note=f"{type(exc).__name__}: {exc}"[:160]))
            continue
        runs_done = len(uncached)
        note = f"中位数/{runs_done}次 (min {min(uncached):.3f}, max {max(uncached):.3f})"
        rows.append(Row(f"{name} 未缓存 uncached", data, median(uncached), budget=budgets[0], source=sources[0],
                        note=problem or note))
        rows.append(Row(f"{name} 已缓存 cached", data, median(cached), budget=budgets[1], source=sources[1],
                        note=problem or f"中位数/{runs_done}次 (min {min(cached):.3f}, max {max(cached):.3f})"))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True, help="database file, or a postgresql:// URL (server mode)")
    ap.add_argument("--data", required=True)
    ap.add_argument("--budgets", required=True, help="uncached,cached seconds")
    ap.add_argument("--sources", default="issue 4,issue 4")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--overhead", action="store_true", help="also measure AppTest's own cost")
    a = ap.parse_args()
    os.chdir(ROOT)
    _server_like_script_cache()
    b = tuple(float(x) for x in a.budgets.split(","))
    rows = [apptest_overhead(a.runs)] if a.overhead else []
    rows += measure(a.db, a.data, b, a.runs, tuple(a.sources.split(",")))
    emit(rows)


if __name__ == "__main__":
    main()
