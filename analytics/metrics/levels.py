"""Recognition levels by county-level unit (or town) and year, under two counting rules.

Rules (RULES; their Chinese names are labels.LEVEL_RULES):
- "people" (按人数): for each level, the distinct people recognized at that level on or before `as_of`;
  a person recognized at two levels counts at both (the rule of key_figures' recognized_people). The person
  is counted in the year of their FIRST recognition at that level, so summing the years gives the distinct
  count again.
- "highest" (按最高级别): each recognized person once, at the highest level reached by `as_of`, in the year
  of their first recognition at that level.
Units are the heroes' household-registration units (heroes.county), as in key_figures; None when not filled in.
DuckDB aggregates to (unit, year, level, people); pandas pivots.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics import reference
from analytics.metrics.scope import county_clause, level_order_sql, units

RULES = ("people", "highest")
COLUMNS = ["unit", "year", "level", "people"]


def _levels(con, as_of: dt.date, county: str | None, rule: str, unit_col: str) -> pd.DataFrame:
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}")
    hc, hp = county_clause("h.county", county)
    levels = ", ".join(f"'{lv}'" for lv in reference.LEVELS)
    chosen = "firsts" if rule == "people" else \
        "(SELECT * FROM firsts QUALIFY row_number() OVER (PARTITION BY hero_id ORDER BY rank) = 1)"
    rows = con.execute(
        f"""WITH firsts AS (
                SELECT r.hero_id, {unit_col} AS unit, r.level, {level_order_sql('r.level')} AS rank,
                       min(r.recognized_on) AS first_on
                FROM recognitions r JOIN heroes h USING (hero_id)
                WHERE r.recognized_on <= ? AND r.level IN ({levels}) {hc}
                GROUP BY ALL)
            SELECT unit, year(first_on) AS year, level, count(*) AS people
            FROM {chosen} GROUP BY ALL""",
        [as_of, *hp],
    ).fetchall()
    return pd.DataFrame(rows, columns=COLUMNS).astype({"year": "int64", "people": "int64"})


def levels_by_county_year(con, as_of: dt.date, county: str | None = None, rule: str = "people") -> pd.DataFrame:
    """Long table (unit, year, level, people); see the module docstring for the rules."""
    return _levels(con, as_of, county, rule, "h.county")


def levels_by_town_year(con, as_of: dt.date, county: str, rule: str = "people") -> pd.DataFrame:
    """The same for the towns (镇街) of one county-level unit (drill-down); unit = town."""
    return _levels(con, as_of, county, rule, "h.town")


def filter_years(long: pd.DataFrame, years: tuple[int, int] | None) -> pd.DataFrame:
    if years is None or long.empty:
        return long
    return long[(long["year"] >= years[0]) & (long["year"] <= years[1])]


def pivot(long: pd.DataFrame, columns: str = "level", rows: list[str] | None = None,
          years: tuple[int, int] | None = None, level: str | None = None) -> pd.DataFrame:
    """Pivot the long table: one row per unit (in `rows` order, zero-filled), one column per level (LEVELS order)
    or per year; optional single level. No total row or column (the pages add 合计: labels.with_pivot_total)."""
    df = filter_years(long, years)
    if level is not None:
        df = df[df["level"] == level]
    if columns == "level":
        cols = list(reference.LEVELS)
    else:
        lo, hi = years if years else ((int(df["year"].min()), int(df["year"].max())) if not df.empty else (0, -1))
        cols = list(range(lo, hi + 1))
    table = df.pivot_table(index="unit", columns=columns, values="people", aggfunc="sum", fill_value=0)
    index = list(rows) if rows is not None else sorted(table.index)
    extra = [u for u in table.index if u not in index]
    table = table.reindex(index=index + extra, columns=cols, fill_value=0).fillna(0).astype("int64")
    table.index.name, table.columns.name = "unit", None
    return table


def county_level_table(con, as_of: dt.date, county: str | None = None, rule: str = "people",
                       years: tuple[int, int] | None = None) -> pd.DataFrame:
    """Unit × level pivot (units in official order), no totals."""
    return pivot(levels_by_county_year(con, as_of, county, rule), "level", units(county), years)


def levels_by_county(con, as_of: dt.date, county: str | None = None):
    """Per county-level unit: registered people and distinct people recognized at each level, cumulative."""
    reg = dict(con.execute(
        "SELECT county, count(*) FROM heroes WHERE registered_on <= ? GROUP BY county", [as_of]).fetchall())
    lv = con.execute(
        """SELECT h.county, r.level, count(DISTINCT r.hero_id)
           FROM recognitions r JOIN heroes h USING (hero_id)
           WHERE r.recognized_on <= ? GROUP BY 1, 2""", [as_of]).fetchall()
    rows = {u: {"unit": u, "registered": int(reg.get(u, 0)), "national": 0, "provincial": 0, "municipal": 0,
                "county_level": 0} for u in units(county)}
    keymap = {**reference.LEVEL_KEYS, "县级": "county_level"}       # the table's column for each level
    for unit, level, n in lv:
        if unit in rows and level in keymap:
            rows[unit][keymap[level]] = int(n)
    return pd.DataFrame(list(rows.values()))
