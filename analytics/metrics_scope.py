"""Shared scoping for the dashboard metric modules (no Streamlit).

- `county_clause(column, county)`: an SQL filter on a county-level unit (full name) or nothing for 全市.
- `DEED_SCOPE`: a CTE `scoped_deeds` giving every deed its county-level unit and its confirmation date.
  A deed belongs to the unit where it happened (deeds.county); a deed outside the city (市域外) belongs to the
  household-registration unit of its first hero, which keeps the file (DOMAIN.md). Its confirmation date is
  deeds.confirmed_on, else the earliest registration date of its heroes.
- `period(as_of, years, ytd)`: the date range of the activity / assistance figures.
"""
from __future__ import annotations

import datetime as dt

from analytics import reference

DEED_SCOPE = """
WITH deed_home AS (
    SELECT dh.deed_id, min(h.registered_on) AS first_registered, arg_min(h.county, h.hero_id) AS home_unit
    FROM deed_heroes dh JOIN heroes h USING (hero_id)
    GROUP BY dh.deed_id
),
scoped_deeds AS (
    SELECT d.*, coalesce(d.county, dh.home_unit) AS unit,
           coalesce(d.confirmed_on, dh.first_registered) AS confirmed_or_registered
    FROM deeds d LEFT JOIN deed_home dh USING (deed_id)
)
"""


def county_clause(column: str, county: str | None) -> tuple[str, list]:
    if county is None:
        return "", []
    return f" AND {column} = ?", [county]


def units(county: str | None) -> list[str]:
    """The county-level units in official order (one when a county is chosen)."""
    return [county] if county else reference.county_names()


def period(as_of: dt.date, years: tuple[int, int] | None = None, ytd: bool = True) -> tuple[dt.date, dt.date]:
    """今年以来 (1 January of as_of's year … as_of), or the year range cut at as_of."""
    if ytd or years is None:
        return dt.date(as_of.year, 1, 1), as_of
    return dt.date(years[0], 1, 1), min(dt.date(years[1], 12, 31), as_of)


def level_order_sql(column: str = "level") -> str:
    cases = " ".join(f"WHEN '{lv}' THEN {i}" for i, lv in enumerate(reference.LEVELS, start=1))
    return f"CASE {column} {cases} END"
