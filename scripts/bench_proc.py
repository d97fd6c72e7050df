"""Run a command and measure it: wall time and peak resident memory of the whole process tree (psutil, polled).

Each bench group also runs as its own worker process (`python -m scripts.bench_pages …`) that prints its rows
as JSON on the last line of stdout: one group cannot hold another's DuckDB file lock, leak its caches or its
memory into the next measurement, and a crash in one page shows as an ERROR row, not a dead bench.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from scripts.bench_table import ERROR, Row

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024


@dataclass
class Measured:
    seconds: float
    peak_mb: float
    returncode: int
    stdout: str
    stderr: str


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def run_measured(cmd: list[str], *, env: dict | None = None, timeout: float = 600, poll: float = 0.02) -> Measured:
    """Run `cmd` (cwd = project root); wall time from start to exit, peak RSS summed over the process tree."""
    out_path = Path(ROOT / "bench-output" / ".stdout.tmp")
    out_path.parent.mkdir(exist_ok=True)
    with open(out_path, "w+") as out, open(out_path.with_suffix(".err"), "w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=err)
        ps = psutil.Process(proc.pid)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, _tree_rss(ps))
            if time.perf_counter() - t0 > timeout:
                proc.kill()
                proc.wait()
                break
            time.sleep(poll)
        seconds = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        return Measured(seconds, peak / MB, proc.returncode, out.read(), err.read())


def worker(module: str, args: list[str], *, timeout: float = 600, what: str = "") -> list[Row]:
    """Run `python -m module args` and return the rows it printed (last stdout line, JSON)."""
    try:
        proc = subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return [Row(what or module, status=ERROR, note=f"超时（> {timeout:.0f} s）")]
    lines = [line for line in proc.stdout.splitlines() if line.startswith("[")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or ["(无输出)"])[-1]
        return [Row(what or module, status=ERROR, note=f"退出码 {proc.returncode}: {tail[:160]}")]
    return [Row(**{k: v for k, v in d.items() if k != "result"}) for d in json.loads(lines[-1])]


def emit(rows: list[Row]) -> None:
    """A worker's last stdout line: its rows as JSON."""
    from dataclasses import asdict
    print(json.dumps([asdict(r) for r in rows], ensure_ascii=False), flush=True)
