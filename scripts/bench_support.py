"""Benchmark support: a large registry workbook like a county's full export (one person per row, every column)
and the timings the import is held to (end to end ≤ 1.5 × python-calamine's own read; peak memory < 1 GB).

    python -m scripts.bench_support 100000      # writes /tmp/registry_100000.xlsx and measures
"""
from __future__ import annotations

import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time

import xlsxwriter

from analytics import reference
from analytics.idnumber import make_id_number
from analytics.ingest.headers import FIELDS

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰志红国建文辉力永春海林成东亮宁波"


def make_registry_xlsx(path: str, n_rows: int, seed: int = 7) -> str:
    """Write an n-row registry .xlsx (all 25 registry columns, text IDs, date cells) with xlsxwriter's
    constant_memory mode; return the path."""
    rng = random.Random(seed)
    counties = [c for c in reference.counties() if c.code]
    towns = {c.name: reference.towns_of(c.name) or [""] for c in counties}
    wb = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_formulas": False,
                                    "strings_to_numbers": False})
    ws = wb.add_worksheet("登记表")
    datefmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, [label for _, _, label, _ in FIELDS["registry"]])
    base = dt.datetime(1950, 1, 1)
    for i in range(1, n_rows + 1):
        c = counties[i % len(counties)]
        birth = base + dt.timedelta(days=rng.randint(0, 20000))
        male = rng.random() < 0.8
        seq = (i % 500) * 2 + (1 if male else 0)
        idn = make_id_number(c.code, birth.date(), seq)
        deed = dt.datetime(2013, 1, 1) + dt.timedelta(days=rng.randint(0, 4000))
        row = [
            rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN), "男" if male else "女", "汉族", birth, idn,
            rng.choice(reference.POLITICAL_STATUSES), rng.choice(reference.EDUCATION), rng.choice(reference.OCCUPATIONS),
            "某某公司", c.name, rng.choice(towns[c.name]), f"13{rng.randint(0, 999999999):09d}",
            rng.choice(reference.STATUSES), deed, f"{c.short_name}某河段", "否", rng.choice(reference.DEED_TYPES),
            f"{deed.year}年在{c.short_name}奋不顾身救助群众，事迹编号{i}。", deed + dt.timedelta(days=40),
            rng.choice(reference.LEVELS), deed + dt.timedelta(days=60), rng.choice(reference.TITLES),
            rng.choice(reference.RECOGNITION_FORMS), rng.choice([0, 2000, 5000, 10000]), deed + dt.timedelta(days=90),
        ]
        for col, v in enumerate(row):
            if isinstance(v, dt.datetime):
                ws.write_datetime(i, col, v, datefmt)
            elif isinstance(v, str):
                ws.write_string(i, col, v)
            else:
                ws.write_number(i, col, v)
    wb.close()
    return path


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(what: str, path: str, db: str | None) -> dict:
    """One measurement in a fresh process (so peak memory is that of this work alone)."""
    t0 = time.perf_counter()
    if what == "calamine":
        from python_calamine import CalamineWorkbook

        rows = CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()
        n = len(rows)
    elif what == "openpyxl":
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        n = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
    else:
        from analytics import store
        from analytics.ingest.plan import analyze_file, run

        with open(path, "rb") as fh:
            data = fh.read()
        con = store.connect(db)
        t0 = time.perf_counter()  # database creation is not part of an import
        plan = analyze_file(os.path.basename(path), data)
        t_read = time.perf_counter() - t0
        result = run(con, [plan], "bench", commit=True)
        con.close()
        assert result.committed, result.file_errors or result.row_errors
        n = result.totals()
        return {"seconds": time.perf_counter() - t0, "read_normalize_s": t_read, "peak_mb": _peak_mb(), "n": n}
    return {"seconds": time.perf_counter() - t0, "peak_mb": _peak_mb(), "n": n}


def measure(path: str, repeat: int = 1) -> dict:
    """Median seconds and peak memory of: calamine alone, openpyxl (read-only), the full import (into a fresh
    database), and a second import of the same file into that database (everything unchanged)."""
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for what in ("calamine", "openpyxl", "import", "reimport"):
            runs = []
            for k in range(repeat if what != "openpyxl" else 1):
                db = os.path.join(tmp, f"bench{k}.duckdb") if what != "reimport" else os.path.join(tmp, "bench0.duckdb")
                mode = "import" if what == "reimport" else what
                proc = subprocess.run([sys.executable, "-m", "scripts.bench_support", "--child", mode, path,
                                       db], capture_output=True, text=True, check=True)
                runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
                if what == "import" and k > 0:
                    pass
            runs.sort(key=lambda r: r["seconds"])
            out[what] = runs[len(runs) // 2]
    out["ratio_import_vs_calamine"] = out["import"]["seconds"] / out["calamine"]["seconds"]
    return out


if __name__ == "__main__":
    if sys.argv[1] == "--child":
        print(json.dumps(_child(sys.argv[2], sys.argv[3], sys.argv[4]), ensure_ascii=False, default=str))
    else:
        n = int(sys.argv[1])
        path = sys.argv[2] if len(sys.argv) > 2 else f"/tmp/registry_{n}.xlsx"
        if not os.path.exists(path):
            t0 = time.perf_counter()
            make_registry_xlsx(path, n)
            print(f"wrote {path} ({os.path.getsize(path) / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f} s")
        print(json.dumps(measure(path), ensure_ascii=False, indent=1, default=str))
