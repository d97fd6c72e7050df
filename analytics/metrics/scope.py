"""Shared scoping for the dashboard metric modules (no Streamlit).

- `year_start(as_of)`, `same_day_last_year(as_of)`: the 今年以来 start and the year-over-year base day;
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


def year_start(as_of: dt.date) -> dt.date:
    """1 January of as_of's year: the start of every 今年以来 figure."""
    return dt.date(as_of.year, 1, 1)


def same_day_last_year(as_of: dt.date) -> dt.date:
    """The same calendar day a year earlier (29 February becomes 28 February)."""
    try:
        return as_of.replace(year=as_of.year - 1)
    except ValueError:  # 29 February
        return as_of.replace(year=as_of.year - 1, day=28)


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
        return year_start(as_of), as_of
    return dt.date(years[0], 1, 1), min(dt.date(years[1], 12, 31), as_of)


def level_order_sql(column: str = "level") -> str:
    cases = " ".join(f"WHEN '{lv}' THEN {i}" for i, lv in enumerate(reference.LEVELS, start=1))
    return f"CASE {column} {cases} END"


def same_period_a_year_earlier(date_from: dt.date, date_to: dt.date) -> tuple[dt.date, dt.date]:
    """The same stretch of the calendar one year earlier (29 February becomes 28 February): the fair base of a
    year-over-year figure, e.g. 2024-01-01…2024-07-31 → 2023-01-01…2023-07-31."""
    return same_day_last_year(date_from), same_day_last_year(date_to)


def is_part_year(as_of: dt.date) -> bool:
    """True when as_of's year is not complete at as_of (anything before 31 December)."""
    return (as_of.month, as_of.day) != (12, 31)


def years_in_range(as_of: dt.date, years: tuple[int, int], first: dt.date = reference.FOUNDATION_DATE
                   ) -> tuple[dt.date, dt.date] | None:
    """The real date range a year filter covers once cut at as_of and at the first possible date: (2012, 2026)
    with as_of 2024-07-31 is 2012-06-29 … 2024-07-31. None when nothing of the range lies before as_of."""
    lo = max(dt.date(years[0], 1, 1), first)
    hi = min(dt.date(years[1], 12, 31), as_of)
    return (lo, hi) if lo <= hi else None

