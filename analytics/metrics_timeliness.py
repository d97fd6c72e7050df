"""及时性: days from the deed to each of the five 及时 steps (reference.FIVE_STEPS).

Deeds counted: deed_date on or before `as_of`, in `years` (by deed year), unit as in metrics_scope.DEED_SCOPE.
A step counts as done when its date is on or before `as_of`. Statistics: number of deeds with the step done,
median and 90th percentile (linear interpolation) of the days, computed in DuckDB.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics import reference
from analytics.metrics_scope import DEED_SCOPE, county_clause

STEP_COLUMNS = [c for c, _ in reference.FIVE_STEPS]
STEP_NAMES = dict(reference.FIVE_STEPS)
STAT_COLUMNS = ["step", "deeds", "median_days", "p90_days"]


def _steps_sql(county: str | None) -> tuple[str, list]:
    uc, up = county_clause("unit", county)
    parts = [f"""SELECT unit, year(deed_date) AS year, {i} AS ord, '{name}' AS step,
                        datediff('day', deed_date, {col}) AS days
                 FROM base WHERE {col} IS NOT NULL AND {col} <= ?"""
             for i, (col, name) in enumerate(reference.FIVE_STEPS)]
    sql = f"""{DEED_SCOPE},
        base AS (SELECT * FROM scoped_deeds WHERE deed_date <= ? AND year(deed_date) BETWEEN ? AND ? {uc}),
        steps AS ({' UNION ALL '.join(parts)})"""
    return sql, up


def step_stats(con, as_of: dt.date, county: str | None, years: tuple[int, int]) -> dict:
    """{"overall": (step, deeds, median_days, p90_days), "by_unit": unit + those, "by_year": year + those}."""
    sql, up = _steps_sql(county)
    params = [as_of, years[0], years[1], *up] + [as_of] * len(STEP_COLUMNS)
    rows = con.execute(
        f"""{sql}
        SELECT grouping(unit) AS g_unit, grouping(year) AS g_year, unit, year, ord, step, count(*),
               round(median(days), 1), round(quantile_cont(days, 0.9), 1)
        FROM steps GROUP BY GROUPING SETS ((ord, step), (unit, ord, step), (year, ord, step))
        ORDER BY ord""", params).fetchall()
    df = pd.DataFrame(rows, columns=["g_unit", "g_year", "unit", "year", "ord", *STAT_COLUMNS])
    order = {u: i for i, u in enumerate(reference.county_names())}
    df["unit_ord"] = df["unit"].map(order).fillna(99)
    overall = df[(df.g_unit == 1) & (df.g_year == 1)][STAT_COLUMNS].reset_index(drop=True)
    by_unit = df[(df.g_unit == 0)].sort_values(["unit_ord", "ord"])[["unit", *STAT_COLUMNS]].reset_index(drop=True)
    by_year = df[(df.g_year == 0)].sort_values(["year", "ord"])[["year", *STAT_COLUMNS]].astype(
        {"year": "int64"}).reset_index(drop=True)
    return {"overall": overall, "by_unit": by_unit, "by_year": by_year}


def overdue_cases(con, as_of: dt.date, county: str | None, years: tuple[int, int],
                  step: str = "confirmed_on", threshold_days: int = 60) -> pd.DataFrame:
    """Deeds whose step took longer than `threshold_days`, or is still not done by as_of although that many days
    have passed. Columns: deed_date, unit, deed_type, place, heroes (names), step_on (None = 未完成), days."""
    if step not in STEP_COLUMNS:
        raise ValueError(f"unknown step {step!r}")
    uc, up = county_clause("unit", county)
    rows = con.execute(
        f"""{DEED_SCOPE},
        names AS (SELECT dh.deed_id, string_agg(h.name, '、' ORDER BY h.hero_id) AS heroes
                  FROM deed_heroes dh JOIN heroes h USING (hero_id) GROUP BY 1),
        base AS (SELECT deed_id, deed_date, unit, deed_type, place,
                        CASE WHEN {step} <= ? THEN {step} END AS step_on
                 FROM scoped_deeds WHERE deed_date <= ? AND year(deed_date) BETWEEN ? AND ? {uc})
        SELECT b.deed_date, b.unit, b.deed_type, b.place, n.heroes, b.step_on,
               datediff('day', b.deed_date, coalesce(b.step_on, ?)) AS days
        FROM base b LEFT JOIN names n USING (deed_id)
        WHERE datediff('day', b.deed_date, coalesce(b.step_on, ?)) > ?
        ORDER BY days DESC, b.deed_date""",
        [as_of, as_of, years[0], years[1], *up, as_of, as_of, threshold_days]).fetchall()
    return pd.DataFrame(rows, columns=["deed_date", "unit", "deed_type", "place", "heroes", "step_on", "days"])
