"""Server mode (PostgreSQL) beside embedded mode, same data: copy file → PostgreSQL, loading a process's DuckDB
copy from PostgreSQL, a commit until another process shows it, a 100k-row import, and the page times.

Worker: python -m scripts.bench_server --db SCALED.duckdb --data "scale 100" --rows 100000 [--pages --runs 3]
A throwaway PostgreSQL cluster is started for the run (tests/pg_cluster.py) and removed afterwards; without
PostgreSQL every row is SKIP.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scripts.bench_proc import ROOT, emit, run_measured, worker
from scripts.bench_table import SKIP, Row, median

WRITER = """
import sys, time
from analytics import store, changes
con = store.connect(sys.argv[1])
with store.transaction(con) as cur:
    cid = store.begin_change(cur, "edit", "bench", "bench")
    changes.update_row(cur, cid, "bench", "heroes", 1, {"name": sys.argv[2]})
print(time.time(), flush=True)
con.close()
"""


def _visible_after_commit(target: str, runs: int) -> list[float]:
    """Seconds from another process's commit until this process's copy shows it (reads polled every 20 ms, as
    page runs would; the copy refreshes itself, readers never wait)."""
    from analytics import server, shared, store
    if store.is_server(target):
        live = server.ServerCopy(target)
        read = live.cursor
    else:
        access = shared.FileAccess(target)
        live = shared.ReadCopy(access)
        read = live.cursor
    read().close()
    out = []
    for i in range(runs):
        name = f"基准{i}-{time.time_ns()}"
        proc = subprocess.run([sys.executable, "-c", WRITER, target, name], cwd=ROOT, capture_output=True,
                              text=True, timeout=300)
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr[-300:])
        committed = float(proc.stdout.strip().splitlines()[-1])
        deadline = time.time() + 60
        while time.time() < deadline:
            cur = read()
            try:
                if cur.execute("SELECT name FROM heroes WHERE hero_id = 1").fetchall()[0][0] == name:
                    break
            finally:
                cur.close()
            time.sleep(0.02)
        out.append(max(0.0, time.time() - committed))
    return out


def measure(db: Path, data: str, n_rows: int, pages: bool, runs: int) -> list[Row]:
    from tests import pg_cluster
    reason = pg_cluster.available()
    if reason:
        return [Row("服务器模式 server mode", data, status=SKIP, note=reason)]
    rows: list[Row] = []
    cluster = pg_cluster.Cluster().start()
    tmp = Path(tempfile.mkdtemp(prefix="bench-server-"))
    try:
        url = cluster.new_database("bench")
        m = run_measured([sys.executable, "-m", "analytics", "copy", "--from", str(db), "--to", url], timeout=1200)
        rows.append(Row("copy 文件 → PostgreSQL（含核对）", data, m.seconds if m.returncode == 0 else None,
                        note="行数逐表核对 + 3个日期的关键数据" if m.returncode == 0 else m.stderr[-160:]))
        from analytics import server
        t = []
        for i in range(3):
            t0 = time.perf_counter()
            duck, _ = server.load(url, tmp / f"load-{i}.duckdb")
            t.append(time.perf_counter() - t0)
            duck.close()
        rows.append(Row("服务器模式：进程副本加载 PostgreSQL → DuckDB", data, median(t),
                        note=f"ADBC（Arrow）→ DuckDB，中位数/3次 (min {min(t):.2f})"))
        file_copy = tmp / "embedded.duckdb"
        shutil.copy(db, file_copy)
        for mode, target in (("嵌入式 embedded", str(file_copy)), ("PostgreSQL", url)):
            lat = _visible_after_commit(target, 3)
            rows.append(Row(f"提交后另一进程可见 commit → visible（{mode}）", data, median(lat), budget=2.0,
                            source="issue 12", note=f"中位数/3次 (max {max(lat):.2f})"))
        from scripts.bench_support import make_registry_xlsx
        book = tmp / f"registry_{n_rows}.xlsx"
        make_registry_xlsx(str(book), n_rows)
        times = {}
        for mode, target in (("嵌入式 embedded", str(file_copy)), ("PostgreSQL", url)):
            m = run_measured([sys.executable, "-m", "analytics", "import", str(book), "--db", target, "--json"],
                             timeout=1800)
            ok = m.returncode in (0, 1)
            times[mode] = m.seconds if ok else None
            rows.append(Row(f"导入 {n_rows:,} 行（{mode}，命令行全程）", data, times[mode],
                            budget=2 * times["嵌入式 embedded"] if mode == "PostgreSQL" and times.get("嵌入式 embedded")
                            else None, source="issue 12" if mode == "PostgreSQL" else "",
                            budget_text="≤ 2×嵌入式" if mode == "PostgreSQL" else "",
                            note=f"峰值内存 {m.peak_mb:.0f} MB" if ok else m.stderr[-160:]))
        if pages:
            for mode, target in (("embedded", str(file_copy)), ("postgresql", url)):
                got = worker("scripts.bench_pages", ["--db", target, "--data", f"{data} {mode}", "--runs",
                                                     str(runs), "--budgets", "0.5,0.15"],
                             what=f"页面 pages ({mode})", timeout=1800)
                rows += got
    finally:
        cluster.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True, type=Path)
    ap.add_argument("--data", required=True)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--pages", action="store_true", help="也在两种模式下测页面耗时（较慢）")
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    emit(measure(a.db, a.data, a.rows, a.pages, a.runs))


if __name__ == "__main__":
    main()
