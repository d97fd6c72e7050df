"""Make the first overview after a login appear sooner, using the seconds the user spends typing a password.

Measured on a fresh server (scripts/bench_browser.py, demo data): of the time from 登录 to a fully drawn 总览,
about 2 s went to the browser fetching and evaluating Streamlit's Plotly chart bundle (≈ 4.6 MB of JavaScript,
loaded only when the first chart appears), and about 0.5 s to importing pandas for the first dashboard run.
Both start a second after the login form is on screen (so the form itself is not slowed down):
- `preload_charts()` has the browser import the bundle in the background (the very module Streamlit loads
  later, so the later load is instant; nothing is drawn and the login form does not wait for it);
- `import_in_background()` imports the analytics modules in a daemon thread, once per server process.
Either step is skipped quietly when it does not apply (no bundle found, already done)."""
from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

import streamlit as st

_started = threading.Event()
DELAY = 1.0     # seconds: both start after the login page itself has been drawn, so they do not slow it down


@lru_cache(maxsize=1)
def _chart_bundle() -> str | None:
    """The Plotly chart bundle's path under Streamlit's static root ("static/js/PlotlyChart.<hash>.js")."""
    static = Path(st.__file__).parent / "static"
    found = sorted(static.glob("static/js/PlotlyChart.*.js"))
    return found[0].relative_to(static).as_posix() if len(found) == 1 else None


def preload_charts() -> None:
    bundle = _chart_bundle()
    if bundle is None:
        return
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    url = f"/{base}/{bundle}" if base else f"/{bundle}"
    st.html(f"<script>setTimeout(() => import({url!r}).catch(() => {{}}), {int(DELAY * 1000)});</script>",
            unsafe_allow_javascript=True, width="content")


def _import_analytics() -> None:
    try:
        import analytics.metrics  # noqa: F401  (pulls in pandas and pyarrow)
        import analytics.metrics.trends  # noqa: F401
        import ui.figures  # noqa: F401
    except Exception:  # noqa: BLE001 - a warm-up must never break the login page
        pass


def import_in_background() -> None:
    if not _started.is_set():
        _started.set()
        timer = threading.Timer(DELAY, _import_analytics)
        timer.name, timer.daemon = "yiyong-warmup", True
        timer.start()
