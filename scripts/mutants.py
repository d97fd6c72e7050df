"""Mutation check of the metrics modules: `make mutants` (or `.venv/bin/python -m scripts.mutants`).

Each mutant is one deliberate mistake in analytics/metrics/ (a cut-off `<=` turned into `<`, a DISTINCT
dropped, the year start moved a day, a county filter removed, a wrong level key …), or in the 合计 row the pages
add to the level table (analytics/labels.py). The project is copied to a
temporary directory once; each mutant is written into that copy, the figure tests are run there (stopping at
the first failure; each run forked from this process, which imported the heavy libraries once but never the
project's own modules), and the copy's file is restored. The working tree is never modified.

A mutant is KILLED when a test fails, SURVIVED when every test passes (the tests miss that mistake: add one).
Exit code: 0 when every mutant is killed; 1 when one survived, could not be applied (its text is no longer in
the source: update the list) or the tests failed before any mutation.

Options: --list (print the mutants), --only ID [ID …] (run some), --no-pages (only tests/metrics/).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
METRICS_TESTS = ["tests/metrics"]
PAGE_TESTS = ["tests/pages/test_pages_on_fixture.py"]   # the pages' figures on the same fixture
IGNORE = shutil.ignore_patterns(".git", ".venv", "__pycache__", ".pytest_cache", "bench-output", "test-output",
                                "*.duckdb", "*.duckdb.wal", "*.pyc")


@dataclass(frozen=True)
class Mutant:
    id: str
    file: str          # under analytics/
    old: str           # must occur exactly `count` times in the file
    new: str
    what: str
    nth: int = 1       # which occurrence to replace (1-based)
    count: int = 1


M = "metrics/figures.py"
SCOPE = "metrics/scope.py"
LV = "metrics/levels.py"
ACT = "metrics/activity.py"
ASST = "metrics/assistance.py"
TL = "metrics/timeliness.py"
TR = "metrics/trends.py"
LABELS = "labels.py"                 # the pages' 合计 row (the metrics return none)

MUTANTS = [
    # ---- key_figures (metrics/figures.py), the year start and the shared tables
    Mutant("kf-registered-cutoff", M, "FROM heroes h WHERE h.registered_on <= ?",
           "FROM heroes h WHERE h.registered_on < ?", "登记在册: <= → < on the registration cut-off"),
    Mutant("kf-recognized-cutoff", M, "WHERE r.recognized_on <= ? {hc}", "WHERE r.recognized_on < ? {hc}",
           "level figures: <= → < on the recognition date"),
    Mutant("kf-levels-distinct", M, "count(DISTINCT r.hero_id), count(*)", "count(r.hero_id), count(*)",
           "level figures: DISTINCT dropped (a person with two 市级 recognitions counted twice)"),
    Mutant("kf-outside-distinct", M, "count(DISTINCT dh.hero_id)", "count(dh.hero_id)",
           "outside_city: DISTINCT dropped (a hero with two deeds outside the city counted twice)"),
    Mutant("year-start-plus-day", SCOPE, "return dt.date(as_of.year, 1, 1)", "return dt.date(as_of.year, 1, 2)",
           "year_start: 2 January instead of 1 January"),
    Mutant("year-start-minus-day", SCOPE, "return dt.date(as_of.year, 1, 1)",
           "return dt.date(as_of.year - 1, 12, 31)", "year_start: 31 December of the year before"),
    Mutant("kf-county-filter-heroes", M, 'hc, hp = county_clause("h.county", county)',
           'hc, hp = county_clause("h.county", None)', "key_figures: county filter removed (heroes)"),
    Mutant("kf-county-filter-units", M, 'sc, sp = county_clause("county", county)',
           'sc, sp = county_clause("county", None)',
           "key_figures: county filter removed (studios, stations, activities)"),
    Mutant("kf-plaque-cutoff", M, "h.plaque_on <= ?", "h.plaque_on < ?", "plaques: <= → < on the plaque date"),
    Mutant("kf-sacrificed-status", M, "h.status = '牺牲'", "h.status = '致残'", "sacrificed: the wrong status"),
    Mutant("kf-activity-key", M, 'int(act.get("宣传活动") or 0)', 'int(act.get("培训") or 0)',
           "publicity_events read from the wrong activity type"),
    Mutant("kf-same-day-last-year", SCOPE, "return as_of.replace(year=as_of.year - 1)\n",
           "return as_of.replace(year=as_of.year - 1) - dt.timedelta(days=1)\n",
           "same_day_last_year: a day too early"),
    Mutant("table-level-key", LV, '{**reference.LEVEL_KEYS, "县级": "county_level"}',
           '{**reference.LEVEL_KEYS, "省级": "municipal", "市级": "provincial", "县级": "county_level"}',
           "levels_by_county: the wrong level key (省级 ↔ 市级)"),
    Mutant("table-levels-distinct", LV, "SELECT h.county, r.level, count(DISTINCT r.hero_id)",
           "SELECT h.county, r.level, count(r.hero_id)", "levels_by_county: DISTINCT dropped"),
    Mutant("table-registered-cutoff", LV, "WHERE registered_on <= ? GROUP BY county",
           "WHERE registered_on < ? GROUP BY county", "levels_by_county: <= → < on registration"),
    Mutant("table-assistance-county", ASST, 'hc, hp = county_clause("h.county", county)',
           'hc, hp = county_clause("h.county", None)', "assistance_by_type: county filter removed",
           nth=4, count=4),
    # ---- the figure catalogue (FIGURES in metrics/figures.py)
    Mutant("catalogue-wrong-key", M, 'Figure("recognized_people.provincial"', 'Figure("recognized_people.municipal"',
           "FIGURES: 省级表扬人数 reads the 市级 figure"),
    Mutant("catalogue-wrong-unit", M, 'Figure("studios", "英模工作室", "处"', 'Figure("studios", "英模工作室", "个"',
           "FIGURES: studios in 个, not the published 处"),
    # ---- scope (metrics/scope.py)
    Mutant("scope-period-year-start", SCOPE, "return year_start(as_of), as_of",
           "return year_start(as_of) + dt.timedelta(days=1), as_of", "period: 今年以来 starts on 2 January"),
    Mutant("scope-county-clause", SCOPE, 'return f" AND {column} = ?", [county]', 'return "", []',
           "county_clause: filter removed in every dashboard module"),
    Mutant("scope-level-order", SCOPE, "enumerate(reference.LEVELS, start=1)",
           "enumerate(reversed(reference.LEVELS), start=1)", "level_order_sql: levels ranked lowest first"),
    Mutant("scope-outside-unit", SCOPE, "coalesce(d.county, dh.home_unit) AS unit", "d.county AS unit",
           "DEED_SCOPE: a deed outside the city loses its hero's unit"),
    Mutant("scope-confirmed-fallback", SCOPE, "coalesce(d.confirmed_on, dh.first_registered)", "d.confirmed_on",
           "DEED_SCOPE: an unconfirmed deed not dated by its hero's registration"),
    # ---- 表扬等级分析 (metrics/levels.py)
    Mutant("levels-cutoff", LV, "WHERE r.recognized_on <= ? AND", "WHERE r.recognized_on < ? AND",
           "表扬等级: <= → < on the recognition date"),
    Mutant("levels-first-year", LV, "min(r.recognized_on) AS first_on", "max(r.recognized_on) AS first_on",
           "表扬等级: a person counted in the year of the latest, not the first, recognition at that level"),
    Mutant("levels-highest-rank", LV, "ORDER BY rank) = 1", "ORDER BY rank DESC) = 1",
           "按最高级别: the lowest level kept instead of the highest"),
    Mutant("levels-county-filter", LV, 'hc, hp = county_clause("h.county", county)',
           'hc, hp = county_clause("h.county", None)', "表扬等级: county filter removed"),
    Mutant("levels-total-row", LABELS, "table.loc[TOTAL] = table.sum(axis=0)", "table.loc[TOTAL] = table.max(axis=0)",
           "表扬等级 table: 合计 row as a maximum (labels.with_pivot_total)"),
    # ---- 工作站与工作室 (metrics/activity.py)
    Mutant("activity-county-filter", ACT, 'cc, cp = county_clause("county", county)',
           'cc, cp = county_clause("county", None)', "activity_breakdown: county filter removed", nth=1, count=2),
    Mutant("inactive-window", ACT, "dt.timedelta(days=days - 1)", "dt.timedelta(days=days)",
           "inactive_stations: a 91-day window"),
    Mutant("inactive-boundary", ACT, "l.last_on < ?", "l.last_on <= ?",
           "inactive_stations: activity on the window's first day ignored"),
    Mutant("five-has-null", ACT, 'all5 = " AND ".join(f"coalesce({k}, false)"',
           'all5 = " AND ".join(f"coalesce({k}, true)"', "五有: an unknown item counted as met"),
    Mutant("studios-cutoff", ACT, "WHERE s.established_on <= ?", "WHERE s.established_on < ?",
           "studios_activity: <= → < on the establishment date"),
    Mutant("station-ranking-type", ACT, "sum(a.count) FILTER (WHERE a.type = '发现上报')",
           "sum(a.count) FILTER (WHERE a.type = '慰问帮扶')", "station ranking: reports read from the wrong type"),
    # ---- 帮扶优抚 (metrics/assistance.py)
    Mutant("assistance-county-filter", ASST, 'hc, hp = county_clause("h.county", county)',
           'hc, hp = county_clause("h.county", None)', "assistance_breakdown: county filter removed",
           nth=1, count=4),
    Mutant("twelve-months-day", ASST, "return start + dt.timedelta(days=1)", "return start",
           "twelve_months_before: a window of 12 months and a day"),
    Mutant("unvisited-cutoff", ASST, "WHERE h.registered_on <= ? {hc}\n            ORDER BY",
           "WHERE h.registered_on < ? {hc}\n            ORDER BY", "unvisited_heroes: <= → < on registration"),
    # ---- 及时性 (metrics/timeliness.py)
    Mutant("timeliness-step-cutoff", TL, "CASE WHEN {col} <= ? THEN", "CASE WHEN {col} < ? THEN",
           "及时性: a step dated on the cut-off not counted as done"),
    Mutant("timeliness-deed-cutoff", TL, "WHERE deed_date <= ? AND year(deed_date) BETWEEN ? AND ? {uc}),\n        unpivoted",
           "WHERE deed_date < ? AND year(deed_date) BETWEEN ? AND ? {uc}),\n        unpivoted",
           "及时性: a deed dated on the cut-off day left out"),
    Mutant("overdue-deed-cutoff", TL, "FROM scoped_deeds WHERE deed_date <= ? AND year(deed_date) BETWEEN ? AND ? {uc}),\n        over",
           "FROM scoped_deeds WHERE deed_date < ? AND year(deed_date) BETWEEN ? AND ? {uc}),\n        over",
           "overdue_cases: a deed dated on the cut-off day left out"),
    Mutant("timeliness-p90", TL, "0.9 * (total - 1) AS p90", "0.8 * (total - 1) AS p90",
           "及时性: the 80th instead of the 90th percentile"),
    Mutant("timeliness-median-no-interpolation", TL, "n, a50 + f50 * (b50 - a50),", "n, a50,",
           "及时性: median without interpolation (lower value)"),
    Mutant("timeliness-ceil", TL, "max(days) FILTER (WHERE lo <= ceil(p90)) AS b90",
           "max(days) FILTER (WHERE lo <= floor(p90)) AS b90", "及时性: p90 upper neighbour wrong"),
    Mutant("timeliness-county-filter", TL, 'uc, up = county_clause("unit", county)\n    ords',
           'uc, up = county_clause("unit", None)\n    ords', "step_stats: county filter removed"),
    Mutant("overdue-threshold", TL, "coalesce(step_on, ?)) > ?", "coalesce(step_on, ?)) >= ?",
           "overdue_cases: a deed exactly at the threshold listed"),
    # ---- 趋势 (metrics/trends.py)
    Mutant("trends-deeds-cutoff", TR, "WHERE confirmed_or_registered <= ?", "WHERE confirmed_or_registered < ?",
           "deeds_by_period: <= → < on the confirmation date"),
    Mutant("trends-heroes-cutoff", TR, "WHERE registered_on <= ? AND year(registered_on)",
           "WHERE registered_on < ? AND year(registered_on)", "heroes_by_year: <= → < on registration"),
    Mutant("trends-new-this-year", TR, "count(*) FILTER (WHERE registered_on >= ?)",
           "count(*) FILTER (WHERE registered_on > ?)", "本年新确认: a hero registered on 1 January missed"),
    Mutant("trends-party", TR, "isin(reference.PARTY_MEMBERS)", "isin(reference.PARTY_MEMBERS[:1])",
           "党员 share without 中共预备党员"),
    Mutant("trends-yoy-shift", TR, "tot[value].shift(1)", "tot[value].shift(-1)",
           "year_over_year: compared with the next year"),
    Mutant("trends-county-filter", TR, 'uc, up = county_clause("unit", county)',
           'uc, up = county_clause("unit", None)', "deeds_by_period: county filter removed"),
    Mutant("trends-extras-county-filter", TR, 'hc, hp = county_clause("county", county)',
           'hc, hp = county_clause("county", None)', "overview_extras: county filter removed", nth=2, count=2),
]


def apply(source: str, m: Mutant) -> str:
    found = source.count(m.old)
    if found != m.count:
        raise LookupError(f"{m.id}: expected {m.count} occurrence(s) of {m.old!r} in {m.file}, found {found}")
    at = -1
    for _ in range(m.nth):
        at = source.index(m.old, at + 1)
    return source[:at] + m.new + source[at + len(m.old):]


def ordered(tests: list[str], m: Mutant | None) -> list[str]:
    """Every test file, the mutated module's own tests (tests/metrics/test_<module>.py) first, so that a mutant
    is usually killed within seconds (-x stops at the first failure)."""
    files = []
    for t in tests:
        path = ROOT / t
        files += sorted(str(p.relative_to(ROOT)) for p in path.glob("test_*.py")) if path.is_dir() else [t]
    if m is not None:
        own = f"tests/metrics/test_{Path(m.file).name}"
        files.sort(key=lambda f: f != own)
    return files


WARM = ("numpy", "pandas", "duckdb", "pyarrow", "plotly.graph_objects", "pytest", "streamlit",
        "streamlit.testing.v1")


def warm_up() -> None:
    """Import the heavy libraries once in this process, so that every forked test run starts warm (the project's
    own modules are never imported here: each run imports them afresh from the copy)."""
    import importlib

    for name in WARM:
        importlib.import_module(name)


def run_tests(copy: Path, tests: list[str]) -> tuple[int, str]:
    """pytest on `tests` inside the copy, in a forked child of this warm process: (exit code, output)."""
    log = copy.parent / "pytest.log"
    pid = os.fork()
    if pid == 0:                                          # the child: never returns
        code = 3
        try:
            fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            os.chdir(copy)
            sys.dont_write_bytecode = True
            os.environ.pop("YIYONG_DB", None)
            sys.path[:] = [str(copy)] + [p for p in sys.path if p not in ("", str(ROOT))]
            for name in [n for n in sys.modules if n == "scripts" or n.startswith("scripts.")]:
                del sys.modules[name]
            import pytest

            code = int(pytest.main([*tests, "-x", "-q", "-p", "no:cacheprovider", "-o", "addopts=", "-rf",
                                    "--timeout", "300"]))
        except BaseException as exc:  # noqa: BLE001 - report anything in the log, exit non-zero
            print(f"mutants: the test run failed to start: {exc!r}", flush=True)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    return code, log.read_text(encoding="utf-8", errors="replace")


def first_failure(output: str) -> str:
    hit = re.search(r"^FAILED (\S+)", output, re.M)
    return hit.group(1).split("::", 1)[-1] if hit else output.strip().splitlines()[-1][:80] if output.strip() else ""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--only", nargs="+", metavar="ID")
    ap.add_argument("--no-pages", action="store_true")
    args = ap.parse_args(argv)
    chosen = [m for m in MUTANTS if not args.only or m.id in args.only]
    if args.list:
        for m in chosen:
            print(f"{m.id:38} analytics/{m.file:24} {m.what}")
        return 0
    if args.only and len(chosen) != len(set(args.only)):
        print(f"unknown mutant: {sorted(set(args.only) - {m.id for m in chosen})}", file=sys.stderr)
        return 1
    pages = [] if args.no_pages else [t for t in PAGE_TESTS if (ROOT / t).exists()]
    tests = METRICS_TESTS + pages
    started = time.monotonic()
    warm_up()
    with tempfile.TemporaryDirectory(prefix="mutants-") as tmp:
        copy = Path(tmp) / "project"
        shutil.copytree(ROOT, copy, ignore=IGNORE)
        print(f"tests: {' '.join(tests)}  (a copy of the project in {copy})")
        code, out = run_tests(copy, ordered(tests, None))
        if code != 0:
            print("the tests fail without any mutation:\n" + out[-3000:])
            return 1
        print(f"baseline: all tests pass ({time.monotonic() - started:.0f} s)\n")
        results = []
        for m in chosen:
            target = copy / "analytics" / m.file
            original = target.read_text(encoding="utf-8")
            t0 = time.monotonic()
            try:
                target.write_text(apply(original, m), encoding="utf-8")
                code, out = run_tests(copy, ordered(METRICS_TESTS, m))
                if code == 0 and pages:      # the page tests (Streamlit's import is slow) only when needed
                    code, out = run_tests(copy, pages)
                verdict = "killed" if code == 1 else "SURVIVED" if code == 0 else f"ERROR (pytest exit {code})"
                detail = first_failure(out) if code == 1 else "" if code == 0 else out.strip()[-200:]
            except LookupError as exc:
                verdict, detail = "NOT APPLIED", str(exc)
            finally:
                target.write_text(original, encoding="utf-8")
            results.append((m, verdict))
            print(f"{verdict:9} {m.id:36} {time.monotonic() - t0:5.1f} s  {m.what}"
                  + (f"\n          ↳ {detail}" if detail else ""), flush=True)
    bad = [(m, v) for m, v in results if v != "killed"]
    print(f"\n{len(results) - len(bad)} of {len(results)} mutants killed in {time.monotonic() - started:.0f} s"
          + ("" if not bad else "; not killed: " + ", ".join(m.id for m, _ in bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
