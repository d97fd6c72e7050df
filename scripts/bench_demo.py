"""The demo databases the bench measures on: the normal demo (built fresh each run, timed) and a scaled one
(`python -m analytics demo --scale N`), cached in bench-output/ keyed by a hash of what decides its content
(analytics/demo.py, the schema migrations, the reference data), so repeated runs skip the build.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import sys
import time
from pathlib import Path

from scripts.bench_proc import ROOT, run_measured
from scripts.bench_table import ERROR, Row

OUT = ROOT / "bench-output"
BUILD_BUDGET = {1: 10.0}            # ours: seconds for `demo` at scale 1; scaled: 1.2 s per unit of scale + 10 s
MEMORY_BUDGET_MB = 2048.0           # ours: the scale-100 build must fit a 4 GB office PC with the app running


def build_budget(scale: int) -> float:
    return BUILD_BUDGET.get(scale, 10.0 + 1.2 * scale)


def content_key() -> str:
    h = hashlib.sha256()
    files = [ROOT / "analytics" / "demo.py", *sorted((ROOT / "analytics" / "schema").glob("*.sql")),
             *sorted(p for p in (ROOT / "data").glob("*") if p.is_file() and "duckdb" not in p.suffix)]
    for f in files:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:12]


def build(db: Path, scale: int) -> tuple[Row, Row]:
    """Build a demo DB with the CLI; rows for its time and its peak memory."""
    db.parent.mkdir(parents=True, exist_ok=True)
    for p in (db, Path(str(db) + ".wal")):
        p.unlink(missing_ok=True)
    m = run_measured([sys.executable, "-m", "analytics", "demo", "--db", str(db), "--scale", str(scale), "--force"])
    data = f"scale {scale}"
    if m.returncode != 0:
        tail = (m.stderr.strip().splitlines() or ["?"])[-1]
        return (Row("演示库构建 demo build", data, status=ERROR, note=tail[:160]),
                Row("演示库构建峰值内存 demo build peak RSS", data, unit="MB", status=ERROR))
    t = Row("演示库构建 demo build", data, m.seconds, budget=build_budget(scale), source="ours",
            note="python -m analytics demo --scale %d" % scale)
    mem = Row("演示库构建峰值内存 demo build peak RSS", data, m.peak_mb, unit="MB", budget=MEMORY_BUDGET_MB,
              source="ours")
    return t, mem


def scaled(scale: int, *, rebuild: bool = False) -> tuple[Path, list[Row]]:
    """The cached scale-N demo DB (built when missing or stale) and its build rows (from the cache when hit)."""
    key = content_key()
    db = OUT / f"demo-s{scale}-{key}.duckdb"
    meta = db.with_suffix(".json")
    if not rebuild and db.exists() and meta.exists():
        rows = [Row(**d) for d in json.loads(meta.read_text())]
        built = time.strftime("%m-%d %H:%M", time.localtime(meta.stat().st_mtime))
        for r in rows:
            r.note = f"缓存命中 cached ({built} 构建时测得)"
        return db, rows
    for old in OUT.glob(f"demo-s{scale}-*"):
        old.unlink()
    rows = list(build(db, scale))
    if rows[0].value is not None:
        from dataclasses import asdict
        meta.write_text(json.dumps([{k: v for k, v in asdict(r).items()} for r in rows], ensure_ascii=False))
    return db, rows


def copy(db: Path, dest: Path) -> Path:
    """A private copy (a measurement that writes, or a server that locks the file, never touches the cache)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(db, dest)
    return dest
