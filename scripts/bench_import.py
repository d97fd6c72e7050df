"""Import of a large registry .xlsx, side by side with python-calamine's and openpyxl's raw read of the same file.

Each measurement runs in a fresh process through the import helper's own harness
(`python -m scripts.bench_support --child calamine|openpyxl|import FILE DB`: time from reading the
file's bytes to the committed transaction, and the process's peak RSS), plus the command line end to end
(`python -m analytics import FILE --json`, interpreter start included, peak RSS of the process tree).
The workbook (scripts.bench_support.make_registry_xlsx) is cached in bench-output/.
"""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scripts.bench_proc import ROOT, run_measured
from scripts.bench_table import ERROR, Row, median

OUT = ROOT / "bench-output"
RATIO = 1.5               # issue 3: import end to end ≤ 1.5 × calamine's read
MEMORY_MB = 1024.0        # issue 3: peak memory < 1 GB


def workbook(n_rows: int, log=print) -> Path:
    """The n-row registry workbook, written once per version of the generator."""
    from scripts import bench_support
    key = hashlib.sha256(Path(bench_support.__file__).read_bytes()).hexdigest()[:10]
    path = OUT / f"registry-{n_rows}-{key}.xlsx"
    if not path.exists():
        OUT.mkdir(exist_ok=True)
        for old in OUT.glob(f"registry-{n_rows}-*.xlsx"):
            old.unlink()
        t0 = time.perf_counter()
        bench_support.make_registry_xlsx(str(path.with_suffix(".tmp.xlsx")), n_rows)
        path.with_suffix(".tmp.xlsx").rename(path)
        log(f"  已生成 {path.name}（{path.stat().st_size / 1e6:.1f} MB，{time.perf_counter() - t0:.1f} s）")
    return path


def _child(mode: str, path: Path, db: Path) -> dict:
    proc = subprocess.run([sys.executable, "-m", "scripts.bench_support", "--child", mode, str(path),
                           str(db)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["?"])[-1]
        raise RuntimeError(tail[:200])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure(n_rows: int, runs: int = 3, log=print) -> list[Row]:
    try:
        path = workbook(n_rows, log)
    except Exception as exc:  # the generator is the import helper's; its absence is a row, not a crash
        return [Row("导入 import", f"{n_rows:,} 行 registry .xlsx", status=ERROR, note=f"无法生成测试文件：{exc}"[:160])]
    data = f"{n_rows:,} 行 .xlsx ({path.stat().st_size / 1e6:.1f} MB)"
    rows: list[Row] = []
    results: dict[str, list[dict]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        plan = [("calamine", runs), ("openpyxl", 1), ("import", runs), ("reimport", runs)]
        for mode, n in plan:
            results[mode] = []
            for k in range(n):
                db = Path(tmp) / (f"import{k}.duckdb" if mode == "import" else "import0.duckdb")
                if mode == "import":                  # an empty database to import into (not timed)
                    from analytics import store
                    store.connect(db, create=True).close()
                try:
                    results[mode].append(_child("import" if mode == "reimport" else mode, path, db))
                except Exception as exc:
                    results[mode] = []
                    rows.append(Row(f"导入 {mode}", data, status=ERROR, note=str(exc)[:160]))
                    break
        cli_db = Path(tmp) / "cli.duckdb"
        from analytics import store
        store.connect(cli_db, create=True).close()
        cli = run_measured([sys.executable, "-m", "analytics", "import", str(path), "--db", str(cli_db), "--json"])

    def med(mode: str, key: str = "seconds") -> float | None:
        vals = [r[key] for r in results.get(mode, []) if key in r]
        return median(vals) if vals else None

    cal = med("calamine")
    budget = RATIO * cal if cal else None
    if cal is not None:
        rows.append(Row("python-calamine 原始读取 raw read", data, cal,
                        note=f"参考；中位数/{runs}次，峰值 {med('calamine', 'peak_mb'):,.0f} MB"))
    if med("openpyxl") is not None:
        rows.append(Row("openpyxl 原始读取 raw read (read_only)", data, med("openpyxl"),
                        note=f"参考；1次，峰值 {med('openpyxl', 'peak_mb'):,.0f} MB"
                             + (f"，为 calamine 的 {med('openpyxl') / cal:.1f} 倍" if cal else "")))
    if med("import") is not None:
        rn = med("import", "read_normalize_s")
        rows.append(Row("导入 import 端到端 (读取→校验→写入)", data, med("import"), budget=budget, source="issue 3",
                        budget_text=f"≤ {RATIO}×calamine",
                        note=f"新库；中位数/{runs}次" + (f"；其中读取+规范化 {rn:.2f} s" if rn else "")))
        rows.append(Row("导入峰值内存 import peak RSS", data, med("import", "peak_mb"), unit="MB", budget=MEMORY_MB,
                        source="issue 3", note="整个进程（含 Python、pandas、DuckDB）"))
    if med("reimport") is not None:
        rows.append(Row("再次导入同一文件 re-import (全部未变)", data, med("reimport"), budget=budget, source="ours",
                        budget_text=f"≤ {RATIO}×calamine", note=f"中位数/{runs}次"))
    if cli.returncode in (0, 1):
        rows.append(Row("命令行导入 python -m analytics import --json", data, cli.seconds,
                        note=f"参考；含解释器启动和模块加载，进程树峰值 {cli.peak_mb:,.0f} MB"))
        rows.append(Row("命令行导入峰值内存 CLI peak RSS", data, cli.peak_mb, unit="MB", budget=MEMORY_MB,
                        source="issue 3"))
    else:
        tail = (cli.stderr.strip().splitlines() or ["?"])[-1]
        rows.append(Row("命令行导入 python -m analytics import --json", data, status=ERROR,
                        note=f"退出码 {cli.returncode}: {tail[:140]}"))
    return rows
