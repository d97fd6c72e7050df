"""帮扶优抚: assistance by type, year and unit in 人次 and 元; heroes not visited lately.

人次 = assistance records; 元 = sum(amount_yuan). Unit = the hero's household-registration unit (heroes.county),
as in key_figures. Aggregation in DuckDB.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics import reference
from analytics.metrics.figures import money
from analytics.metrics.scope import county_clause, same_day_last_year, year_start


def assistance_breakdown(con, date_from: dt.date, date_to: dt.date, county: str | None = None) -> pd.DataFrame:
    """(year, unit, type, times, amount_yuan) for assistance dated in [date_from, date_to]."""
    hc, hp = county_clause("h.county", county)
    rows = con.execute(
        f"""SELECT year(a.assisted_on), h.county, a.type, count(*), coalesce(sum(a.amount_yuan), 0)::DOUBLE
            FROM assistance a JOIN heroes h USING (hero_id)
            WHERE a.assisted_on BETWEEN ? AND ? {hc} GROUP BY ALL ORDER BY 1, 2, 3""",
        [date_from, date_to, *hp]).fetchall()
    df = pd.DataFrame(rows, columns=["year", "unit", "type", "times", "amount_yuan"])
    df["amount_yuan"] = df["amount_yuan"].round(2)
    return df


def twelve_months_before(as_of: dt.date) -> dt.date:
    """The first day of the 12-month window ending on as_of (same day a year earlier, plus one day)."""
    start = same_day_last_year(as_of)
    return start + dt.timedelta(days=1)


def unvisited_heroes(con, as_of: dt.date, county: str | None = None, limit: int | None = None) -> pd.DataFrame:
    """Heroes registered on or before as_of with no assistance record in the 12 months up to as_of, in official
    county order, then town and name; at most `limit` rows. Only name, unit and town (no ID numbers, phones or
    addresses), plus `total`: the number of such heroes (also when limited)."""
    hc, hp = county_clause("h.county", county)
    lim = f"LIMIT {int(limit)}" if limit else ""
    rows = con.execute(
        f"""WITH visited AS (SELECT DISTINCT hero_id FROM assistance WHERE assisted_on BETWEEN ? AND ?)
            SELECT h.name, h.county, coalesce(h.town, ''), count(*) OVER () AS total
            FROM heroes h ANTI JOIN visited v USING (hero_id) LEFT JOIN counties c ON c.name = h.county
            WHERE h.registered_on <= ? {hc}
            ORDER BY c.sort_order NULLS LAST, 3, 1, h.hero_id {lim}""",
        [twelve_months_before(as_of), as_of, as_of, *hp]).fetchall()
    return pd.DataFrame(rows, columns=["name", "unit", "town", "total"])


def unvisited_by_unit(con, as_of: dt.date, county: str | None = None) -> pd.DataFrame:
    """(unit, people): how many heroes per unit had no assistance in the 12 months up to as_of."""
    hc, hp = county_clause("h.county", county)
    rows = con.execute(
        f"""WITH visited AS (SELECT DISTINCT hero_id FROM assistance WHERE assisted_on BETWEEN ? AND ?)
            SELECT h.county, count(*) FROM heroes h ANTI JOIN visited v USING (hero_id)
            LEFT JOIN counties c ON c.name = h.county
            WHERE h.registered_on <= ? {hc} GROUP BY h.county, c.sort_order ORDER BY c.sort_order NULLS LAST""",
        [twelve_months_before(as_of), as_of, as_of, *hp]).fetchall()
    return pd.DataFrame(rows, columns=["unit", "people"])


def assistance_by_type(con, as_of: dt.date, county: str | None = None):
    """This year's assistance (1 Jan … as_of) by type: 人次 and 元, in the standard type order."""
    hc, hp = county_clause("h.county", county)
    got = {r[0]: (int(r[1]), money(r[2])) for r in con.execute(
        f"""SELECT a.type, count(*), coalesce(sum(a.amount_yuan), 0)
            FROM assistance a JOIN heroes h USING (hero_id)
            WHERE a.assisted_on BETWEEN ? AND ? {hc} GROUP BY 1""",
        [year_start(as_of), as_of, *hp]).fetchall()}
    order = reference.ASSISTANCE_TYPES + sorted(set(got) - set(reference.ASSISTANCE_TYPES))
    return pd.DataFrame([{"type": t, "times": got[t][0], "amount_yuan": got[t][1]} for t in order if t in got],
                        columns=["type", "times", "amount_yuan"])
