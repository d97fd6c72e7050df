"""`make bench` (python -m scripts.bench [--quick]): one table of the product's speeds against their budgets.

Rows: the demo database builds (normal and --scale N, the scaled one cached in bench-output/ by a hash of
analytics/demo.py + schema + reference data), each page's script time under AppTest (from ui/nav.py; uncached
and cached, median of N) on both databases, server start → first page rendered in Chromium, the import of a
large registry .xlsx beside python-calamine's and openpyxl's raw read, the press statement and exports, server mode
beside embedded mode, and the load test (20 browser sessions switching pages; scripts/bench_load.py).
Budgets marked "issue N" come from the issues; "ours" were chosen here (README 性能 explains them).

Full: scale 100, a 100,000-row workbook, 5 runs (< 10 min on 2 cores, first run included).
--quick: scale 10, a 10,000-row workbook, 3 runs (< 2 min).
The table is also written to bench-output/latest.txt, .md and .json. Exit status 0 even with OVER rows (the
bench measures, it does not gate); 1 when a measurement failed (ERROR) and --strict makes OVER fail too.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scripts import bench_demo, bench_import
from scripts.bench_proc import ROOT, worker
from scripts.bench_table import ERROR, OVER, Row, format_markdown, format_table, summary, to_json

OUT = ROOT / "bench-output"
GROUPS = ("demo", "pages", "browser", "import", "press", "server", "load")
PAGE_BUDGETS = {  # (uncached, cached) seconds and where they come from
    "demo": ((0.3, "issue 4"), (0.15, "ours")),
    "scaled": ((0.5, "issue 4"), (0.15, "issue 4")),
}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def header(args, scale: int) -> str:
    rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True,
                           text=True).stdout.strip()
    load = os.getloadavg()
    text = (f"基准测试 bench  {dt.datetime.now():%Y-%m-%d %H:%M}  git {rev or '?'}{'（有未提交改动）' if dirty else ''}  "
            f"{'--quick ' if args.quick else ''}scale {scale}  CPU {os.cpu_count()} 核  "
            f"负载 load {load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f}")
    if load[0] > (os.cpu_count() or 1) * 0.75:
        text += "\n注意：机器负载较高，计时偏慢（其他进程在运行）。"
    return text


def run(args) -> list[Row]:
    scale = args.scale or (10 if args.quick else 100)
    n_rows = args.rows or (10_000 if args.quick else 100_000)
    runs = args.runs or (3 if args.quick else 5)
    groups = set(args.only.split(",")) if args.only else set(GROUPS)
    rows: list[Row] = []
    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        t = time.perf_counter()
        log(f"演示库 demo（scale 1，每次重建）…")
        demo_db = tmp / "demo.duckdb"
        rows += bench_demo.build(demo_db, 1)
        log(f"演示库 demo（scale {scale}，缓存于 bench-output/）…")
        scaled_db, scaled_rows = bench_demo.scaled(scale, rebuild=args.rebuild)
        rows += scaled_rows
        log(f"  {time.perf_counter() - t:.0f} s")
        if not demo_db.exists() or not scaled_db.exists():
            return rows
        dbs = [("demo", "demo", demo_db), ("scaled", f"scale {scale}", scaled_db)]

        if "pages" in groups:
            for key, data, db in dbs:
                t = time.perf_counter()
                log(f"页面 pages（{data}，AppTest，{runs} 次）…")
                (bu, su), (bc, sc) = PAGE_BUDGETS[key]
                copy = bench_demo.copy(db, tmp / f"pages-{key}.duckdb")  # apptest_util adds its test accounts
                rows += worker("scripts.bench_pages", ["--db", str(copy), "--data", data, "--runs", str(runs),
                                                       "--budgets", f"{bu},{bc}", "--sources", f"{su},{sc}",
                                                       *(["--overhead"] if key == "demo" else [])],
                               what=f"页面 pages ({data})", timeout=900)
                log(f"  {time.perf_counter() - t:.0f} s")
        if "browser" in groups:
            for key, data, db in dbs:
                t = time.perf_counter()
                log(f"浏览器 browser（{data}）…")
                copy = bench_demo.copy(db, tmp / f"browser-{key}" / "db.duckdb")
                rows += worker("scripts.bench_browser", ["--db", str(copy), "--data", data,
                                                         *(["--switch-budgets"] if key == "scaled" else [])],
                               what=f"浏览器 browser ({data})", timeout=600)
                log(f"  {time.perf_counter() - t:.0f} s")
        if "import" in groups:
            t = time.perf_counter()
            log(f"导入 import（{n_rows:,} 行）…")
            rows += bench_import.measure(n_rows, runs=3, log=log)
            log(f"  {time.perf_counter() - t:.0f} s")
        if "press" in groups:
            for key, data, db in dbs:
                t = time.perf_counter()
                log(f"发布会 press（{data}）…")
                copy = bench_demo.copy(db, tmp / f"press-{key}.duckdb")
                rows += worker("scripts.bench_press", ["--db", str(copy), "--data", data, "--runs", str(runs)],
                               what=f"发布会 press ({data})", timeout=300)
                log(f"  {time.perf_counter() - t:.0f} s")
        if "server" in groups:
            t = time.perf_counter()
            key, data, db = dbs[1]
            log(f"服务器模式 server mode（{data}，PostgreSQL 对比嵌入式）…")
            copy = bench_demo.copy(db, tmp / "server" / "db.duckdb")
            rows += worker("scripts.bench_server", ["--db", str(copy), "--data", data, "--rows", str(n_rows),
                                                    "--runs", str(runs), *(["--pages"] if not args.quick else [])],
                           what=f"服务器模式 server ({data})", timeout=3600)
            log(f"  {time.perf_counter() - t:.0f} s")
        if "load" in groups:
            t = time.perf_counter()
            key, data, db = dbs[1]
            seconds = args.load_seconds or float(os.environ.get("YIYONG_BENCH_LOAD_SECONDS") or
                                                 (20 if args.quick else 120))
            log(f"负载 load（{data}，20 个浏览器会话 × {seconds:.0f} s × 3 种部署）…")
            rows += worker("scripts.bench_load", ["--db", str(db), "--data", data, "--seconds", str(seconds)],
                           what=f"负载 load ({data})", timeout=3 * seconds + 1800)
            log(f"  {time.perf_counter() - t:.0f} s")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m scripts.bench", description="性能基准：实测与预算")
    ap.add_argument("--quick", action="store_true", help="小规模（scale 10、1万行、3次），2分钟内完成")
    ap.add_argument("--scale", type=int, help="放大倍数（默认 100，--quick 为 10）")
    ap.add_argument("--rows", type=int, help="导入测试文件行数（默认 100000，--quick 为 10000）")
    ap.add_argument("--runs", type=int, help="每个页面/导出的重复次数（默认 5，--quick 为 3）")
    ap.add_argument("--only", help=f"只测这些组（逗号分隔）：{','.join(GROUPS[1:])}")
    ap.add_argument("--load-seconds", type=float,
                    help="负载测试每种部署的时长（秒；默认 120，--quick 为 20；也可用 YIYONG_BENCH_LOAD_SECONDS）")
    ap.add_argument("--rebuild", action="store_true", help="忽略缓存，重建放大的演示库")
    ap.add_argument("--strict", action="store_true", help="有 OVER 时退出码为 1")
    args = ap.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    t0 = time.perf_counter()
    scale = args.scale or (10 if args.quick else 100)
    head = header(args, scale)
    log(head)
    rows = run(args)
    total = time.perf_counter() - t0
    table = format_table(rows)
    foot = f"共 {len(rows)} 项：{summary(rows)}。用时 {total:.0f} s。预算来源：issue N = 需求中的预算；ours = 本基准自定。"
    print(f"\n{head}\n\n{table}\n\n{foot}")
    name = "latest-quick" if args.quick else "latest"
    (OUT / f"{name}.txt").write_text(f"{head}\n\n{table}\n\n{foot}\n")
    (OUT / f"{name}.md").write_text(f"{head}\n\n{format_markdown(rows)}\n\n{foot}\n")
    (OUT / f"{name}.json").write_text(to_json(rows))
    if any(r.result == ERROR for r in rows):
        return 1
    return 1 if args.strict and any(r.result == OVER for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
