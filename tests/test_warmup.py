"""ui/warmup.py finds the bundle it preloads in the installed Streamlit (a renamed bundle after an upgrade
would silently drop the preload: this test says so instead)."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui import warmup


def test_the_plotly_chart_bundle_is_found_in_streamlits_static_files():
    bundle = warmup._chart_bundle()
    assert bundle is not None and bundle.startswith("static/js/PlotlyChart.") and bundle.endswith(".js")
    assert (Path(st.__file__).parent / "static" / bundle).is_file()


def test_background_import_runs_once_per_process(monkeypatch):
    calls = []
    monkeypatch.setattr(warmup, "_import_analytics", lambda: calls.append(1))
    monkeypatch.setattr(warmup, "_started", type(warmup._started)())
    monkeypatch.setattr(warmup, "DELAY", 0.0)
    warmup.import_in_background()
    warmup.import_in_background()
    import time
    for _ in range(50):
        if calls:
            break
        time.sleep(0.02)
    assert calls == [1]
