"""The press material: the statement (all figures and sentences, analytics.press.material.build_material) and
each export (text, docx, xlsx, pptx), timed in-process as the server runs them (modules already imported:
one warm-up, then the median of N), plus the command line end to end for reference.

Worker: python -m scripts.bench_press --db PATH --data "scale 100" [--as-of 2024-07-31] [--runs 5]
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from scripts.bench_proc import ROOT, emit, run_measured
from scripts.bench_table import ERROR, Row, median

STATEMENT_BUDGET = 1.0    # ours: the statement is one click on the page
EXPORT_BUDGET = 3.0       # ours: a download a user waits for
FORMATS = ("text", "docx", "xlsx", "pptx")


def _timed(fn, runs: int) -> tuple[float, object]:
    out = fn()  # warm-up (imports, first query plans)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return median(times), out


def measure(db: Path, data: str, as_of: dt.date, runs: int) -> list[Row]:
    from analytics import store
    from analytics.commands.press import export_bytes
    from analytics.press.material import build_material

    rows: list[Row] = []
    con = store.connect(db)
    try:
        secs, material = _timed(lambda: build_material(con, as_of), runs)
        rows.append(Row("发布会文字稿 press statement (全部数字)", data, secs, budget=STATEMENT_BUDGET, source="ours",
                        note=f"build_material，截至 {as_of}，中位数/{runs}次"))
        for fmt in FORMATS:
            try:
                secs, blob = _timed(lambda: export_bytes(material, fmt), runs)
                rows.append(Row(f"发布会导出 press export {fmt}", data, secs, budget=EXPORT_BUDGET, source="ours",
                                note=f"{len(blob) / 1024:,.0f} KB，中位数/{runs}次（另加文字稿时间）"))
            except Exception as exc:
                rows.append(Row(f"发布会导出 press export {fmt}", data, status=ERROR, note=str(exc)[:160]))
    finally:
        con.close()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "press.docx"
        m = run_measured([sys.executable, "-m", "analytics", "press", "--db", str(db), "--as-of", as_of.isoformat(),
                          "--format", "docx", "-o", str(out)])
    if m.returncode == 0:
        rows.append(Row("命令行 python -m analytics press --format docx", data, m.seconds,
                        note=f"参考；含解释器启动，峰值 {m.peak_mb:,.0f} MB"))
    else:
        rows.append(Row("命令行 python -m analytics press --format docx", data, status=ERROR,
                        note=(m.stderr.strip().splitlines() or ["?"])[-1][:160]))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True, type=Path)
    ap.add_argument("--data", required=True)
    ap.add_argument("--as-of", default="2024-07-31")
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    import os
    os.chdir(ROOT)
    emit(measure(a.db, a.data, dt.date.fromisoformat(a.as_of), a.runs))


if __name__ == "__main__":
    main()
