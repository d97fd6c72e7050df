"""及时性: days from the deed to each of the five 及时 steps (reference.FIVE_STEPS).

Deeds counted: deed_date on or before `as_of`, in `years` (by deed year), unit as in scope.DEED_SCOPE.
A step counts as done when its date is on or before `as_of`. Statistics: number of deeds with the step done,
median and 90th percentile (linear interpolation) of the days, computed in DuckDB.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics import reference
from analytics.metrics.scope import DEED_SCOPE, county_clause

STEP_COLUMNS = [c for c, _ in reference.FIVE_STEPS]   # the steps' keys (deed columns) in order (labels.STEP_LABELS)
STAT_COLUMNS = ["step", "deeds", "median_days", "p90_days"]


def _steps_sql(county: str | None) -> tuple[str, list]:
    """CTE `steps` (unit, year, ord, days; ord indexes STEP_COLUMNS): one row per deed and completed step, in one
    pass (unnest)."""
    uc, up = county_clause("unit", county)
    ords = ", ".join(str(i) for i in range(len(STEP_COLUMNS)))
    days = ", ".join(f"CASE WHEN {col} <= ? THEN datediff('day', deed_date, {col}) END" for col in STEP_COLUMNS)
    sql = f"""{DEED_SCOPE},
        base AS (SELECT * FROM scoped_deeds WHERE deed_date <= ? AND year(deed_date) BETWEEN ? AND ? {uc}),
        unpivoted AS (SELECT unit, year(deed_date) AS year, unnest([{ords}]) AS ord, unnest([{days}]) AS days
                      FROM base),
        steps AS (SELECT * FROM unpivoted WHERE days IS NOT NULL)"""
    return sql, up


def _quantiles(source: str, keys: str) -> str:
    """count, median and 90th percentile of `days` per `keys`, exactly as quantile_cont (linear interpolation),
    computed from `source`, a histogram (…, days, n) of the integer days: window sums over a few hundred rows per
    group instead of sorting every deed; the deeds are read once for all three groupings."""
    return f"""(WITH h AS (SELECT {keys}, days, sum(n) AS n FROM {source} GROUP BY ALL),
                   c AS (SELECT *, sum(n) OVER (PARTITION BY {keys} ORDER BY days) - n AS lo,
                                sum(n) OVER (PARTITION BY {keys}) AS total FROM h),
                   k AS (SELECT *, 0.5 * (total - 1) AS p50, 0.9 * (total - 1) AS p90 FROM c)
               SELECT {keys}, any_value(total) AS n,
                      max(days) FILTER (WHERE lo <= floor(p50)) AS a50, max(days) FILTER (WHERE lo <= ceil(p50)) AS b50,
                      any_value(p50 - floor(p50)) AS f50,
                      max(days) FILTER (WHERE lo <= floor(p90)) AS a90, max(days) FILTER (WHERE lo <= ceil(p90)) AS b90,
                      any_value(p90 - floor(p90)) AS f90
               FROM k GROUP BY ALL)"""


def step_stats(con, as_of: dt.date, county: str | None, years: tuple[int, int], step: str | None = None) -> dict:
    """{"overall": (step, deeds, median_days, p90_days) for the five steps, "by_unit": unit + those,
    "by_year": year + those}; step is the step's key (its deed column, e.g. confirmed_on). `step` restricts
    by_unit and by_year to one step."""
    if step is not None and step not in STEP_COLUMNS:
        raise ValueError(f"unknown step {step!r}")
    sql, up = _steps_sql(county)
    params = [as_of, years[0], years[1], *up] + [as_of] * len(STEP_COLUMNS)
    detail = "" if step is None else f"WHERE ord = {STEP_COLUMNS.index(step)}"
    stats = "n, a50 + f50 * (b50 - a50), a90 + f90 * (b90 - a90)"
    rows = con.execute(
        f"""{sql},
        hist AS MATERIALIZED (SELECT unit, year, ord, days, count(*) AS n FROM steps GROUP BY ALL),
        detail AS (SELECT * FROM hist {detail})
        SELECT 1, 1, NULL, NULL, ord, {stats} FROM {_quantiles('hist', 'ord')}
        UNION ALL SELECT 0, 1, unit, NULL, ord, {stats} FROM {_quantiles('detail', 'unit, ord')}
        UNION ALL SELECT 1, 0, NULL, year, ord, {stats} FROM {_quantiles('detail', 'year, ord')}""",
        params).fetchall()
    df = pd.DataFrame([(*r[:5], STEP_COLUMNS[r[4]], r[5], round(float(r[6]), 1), round(float(r[7]), 1))
                       for r in rows],
                      columns=["g_unit", "g_year", "unit", "year", "ord", *STAT_COLUMNS])
    order = {u: i for i, u in enumerate(reference.county_names())}
    df["unit_ord"] = df["unit"].map(order).fillna(99)
    overall = df[(df.g_unit == 1) & (df.g_year == 1)].sort_values("ord")[STAT_COLUMNS].reset_index(drop=True)
    by_unit = df[(df.g_unit == 0)].sort_values(["unit_ord", "ord"])[["unit", *STAT_COLUMNS]].reset_index(drop=True)
    by_year = df[(df.g_year == 0)].sort_values(["year", "ord"])[["year", *STAT_COLUMNS]].astype(
        {"year": "int64"}).reset_index(drop=True)
    return {"overall": overall, "by_unit": by_unit, "by_year": by_year}


def overdue_cases(con, as_of: dt.date, county: str | None, years: tuple[int, int],
                  step: str = "confirmed_on", threshold_days: int = 60, limit: int | None = None) -> pd.DataFrame:
    """Deeds whose step took longer than `threshold_days`, or is still not done by as_of although that many days
    have passed; longest first, at most `limit` rows. Columns: deed_date, unit, deed_type, place, heroes (names),
    step_on (None = 未完成), days, total (the number of such deeds, also when limited)."""
    if step not in STEP_COLUMNS:
        raise ValueError(f"unknown step {step!r}")
    uc, up = county_clause("unit", county)
    lim = f"LIMIT {int(limit)}" if limit else ""
    rows = con.execute(
        f"""{DEED_SCOPE},
        base AS (SELECT deed_id, deed_date, unit, deed_type, place,
                        CASE WHEN {step} <= ? THEN {step} END AS step_on
                 FROM scoped_deeds WHERE deed_date <= ? AND year(deed_date) BETWEEN ? AND ? {uc}),
        over AS (SELECT *, datediff('day', deed_date, coalesce(step_on, ?)) AS days, count(*) OVER () AS total
                 FROM base WHERE datediff('day', deed_date, coalesce(step_on, ?)) > ?
                 ORDER BY days DESC, deed_date, deed_id {lim}),
        names AS (SELECT dh.deed_id, string_agg(h.name, '、' ORDER BY h.hero_id) AS heroes
                  FROM deed_heroes dh JOIN heroes h USING (hero_id)
                  WHERE dh.deed_id IN (SELECT deed_id FROM over) GROUP BY 1)
        SELECT o.deed_date, o.unit, o.deed_type, o.place, n.heroes, o.step_on, o.days, o.total
        FROM over o LEFT JOIN names n USING (deed_id) ORDER BY o.days DESC, o.deed_date, o.deed_id""",
        [as_of, as_of, years[0], years[1], *up, as_of, as_of, threshold_days]).fetchall()
    return pd.DataFrame(rows, columns=["deed_date", "unit", "deed_type", "place", "heroes", "step_on", "days",
                                       "total"])
