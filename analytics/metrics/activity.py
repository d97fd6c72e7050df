"""Workstations (工作站) and hero studios (英模工作室): activity, inactivity, 五有 compliance.

All aggregation runs in DuckDB over the activity table; pandas only receives the aggregates.
Activity counts are sum(count): 场次 for 宣传活动/培训, 人次 for 发现上报/慰问帮扶 (reference.ACTIVITY_UNITS).
Stations and studios count once established on or before `as_of`.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics import reference
from analytics.metrics.scope import county_clause, units, year_start


def _frame(con, sql: str, params: list, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(con.execute(sql, params).fetchall(), columns=columns)


def activity_breakdown(con, date_from: dt.date, date_to: dt.date, county: str | None = None) -> dict:
    """Activity in [date_from, date_to] as small frames:
    by_unit (unit, type, count), by_town (unit, town, type, count), by_month (month, type, count),
    by_venue (venue, count; 宣传活动 only), stations (station ranking), totals ({type: count}).
    A town or venue not filled in is None."""
    cc, cp = county_clause("county", county)
    where = f"activity_date BETWEEN ? AND ? {cc}"
    p = [date_from, date_to, *cp]
    out = {
        "by_unit": _frame(con, f"SELECT county, type, sum(count) FROM activities WHERE {where} GROUP BY ALL",
                          p, ["unit", "type", "count"]),
        "by_town": _frame(con, f"""SELECT county, town, type, sum(count)
                                    FROM activities WHERE {where} GROUP BY ALL""", p,
                          ["unit", "town", "type", "count"]),
        "by_month": _frame(con, f"""SELECT strftime(activity_date, '%Y-%m'), type, sum(count)
                                     FROM activities WHERE {where} GROUP BY ALL ORDER BY 1""", p,
                           ["month", "type", "count"]),
        "by_venue": _frame(con, f"""SELECT venue, sum(count) FROM activities
                                     WHERE {where} AND type = '宣传活动' GROUP BY ALL""", p, ["venue", "count"]),
    }
    stations = _frame(con, f"""
        SELECT coalesce(w.name, a.unit_name) AS name, a.county, coalesce(w.town, a.town),
               sum(a.count) FILTER (WHERE a.type = '宣传活动'), sum(a.count) FILTER (WHERE a.type = '发现上报'),
               sum(a.count) FILTER (WHERE a.type = '慰问帮扶'), sum(a.count)
        FROM activities a LEFT JOIN workstations w USING (station_id)
        WHERE a.station_id IS NOT NULL AND a.activity_date BETWEEN ? AND ? {county_clause('a.county', county)[0]}
        GROUP BY ALL ORDER BY 7 DESC, 1""", p,
        ["name", "unit", "town", "publicity_events", "reports", "assistance_visits", "total"])
    out["stations"] = stations.fillna({"publicity_events": 0, "reports": 0, "assistance_visits": 0}).astype(
        {"publicity_events": "int64", "reports": "int64", "assistance_visits": "int64", "total": "int64"})
    tot = out["by_unit"].groupby("type")["count"].sum()
    out["totals"] = {t: int(tot.get(t, 0)) for t in reference.ACTIVITY_TYPES} | \
        {t: int(v) for t, v in tot.items() if t not in reference.ACTIVITY_TYPES}
    return out


def inactive_stations(con, as_of: dt.date, county: str | None = None, days: int = 90) -> pd.DataFrame:
    """Workstations established on or before as_of with no activity in the `days` days up to as_of."""
    cc, cp = county_clause("w.county", county)
    since = as_of - dt.timedelta(days=days - 1)
    df = _frame(con, f"""
        WITH last AS (SELECT station_id, max(activity_date) AS last_on FROM activities
                      WHERE station_id IS NOT NULL AND activity_date <= ? GROUP BY 1)
        SELECT w.name, w.county, w.town, w.established_on, l.last_on,
               CASE WHEN l.last_on IS NULL THEN NULL ELSE datediff('day', l.last_on, ?) END
        FROM workstations w LEFT JOIN last l USING (station_id)
        WHERE w.established_on <= ? AND (l.last_on IS NULL OR l.last_on < ?) {cc}
        ORDER BY l.last_on NULLS FIRST, w.name""",
        [as_of, as_of, as_of, since, *cp], ["name", "unit", "town", "established_on", "last_activity", "days_since"])
    return df


def five_has(con, as_of: dt.date, county: str | None = None) -> pd.DataFrame:
    """五有 compliance per unit: stations, how many meet each item, how many meet all five, and the rate."""
    cc, cp = county_clause("county", county)
    items = list(reference.FIVE_HAS)
    cols = ", ".join(f"count(*) FILTER (WHERE coalesce({k}, false))" for k in items)
    all5 = " AND ".join(f"coalesce({k}, false)" for k in items)
    df = _frame(con, f"""SELECT county, count(*), {cols}, count(*) FILTER (WHERE {all5})
                         FROM workstations WHERE established_on <= ? {cc} GROUP BY county""",
                [as_of, *cp], ["unit", "stations", *items, "all_five"])
    order = {u: i for i, u in enumerate(reference.county_names())}
    df = df.sort_values("unit", key=lambda s: s.map(order).fillna(99)).reset_index(drop=True)
    df["rate"] = (df["all_five"] / df["stations"]).round(4)
    return df


def studios_activity(con, as_of: dt.date, date_from: dt.date, date_to: dt.date,
                     county: str | None = None) -> pd.DataFrame:
    """Studios established on or before as_of with their activity in [date_from, date_to] by type."""
    cc, cp = county_clause("s.county", county)
    df = _frame(con, f"""
        WITH act AS (SELECT studio_id, sum(count) FILTER (WHERE type = '宣传活动') AS p,
                            sum(count) FILTER (WHERE type = '发现上报') AS r,
                            sum(count) FILTER (WHERE type = '慰问帮扶') AS v, sum(count) AS t
                     FROM activities WHERE studio_id IS NOT NULL AND activity_date BETWEEN ? AND ? GROUP BY 1)
        SELECT s.name, s.county, s.town, s.hero_name, s.established_on,
               coalesce(a.p, 0), coalesce(a.r, 0), coalesce(a.v, 0), coalesce(a.t, 0)
        FROM studios s LEFT JOIN act a USING (studio_id)
        WHERE s.established_on <= ? {cc}
        ORDER BY s.established_on, s.name""",
        [date_from, date_to, as_of, *cp],
        ["name", "unit", "town", "hero_name", "established_on", "publicity_events", "reports",
         "assistance_visits", "total"])
    return df.astype({c: "int64" for c in ("publicity_events", "reports", "assistance_visits", "total")})


def activity_by_county(con, as_of: dt.date, county: str | None = None):
    """Per county-level unit: workstations (cumulative) and this year's activity (1 Jan … as_of)."""
    st = dict(con.execute("SELECT county, count(*) FROM workstations WHERE established_on <= ? GROUP BY 1",
                          [as_of]).fetchall())
    act = con.execute(
        """SELECT county,
                  coalesce(sum(count) FILTER (WHERE type = '宣传活动'), 0),
                  coalesce(sum(count) FILTER (WHERE type = '发现上报'), 0),
                  coalesce(sum(count) FILTER (WHERE type = '慰问帮扶'), 0)
           FROM activities WHERE activity_date BETWEEN ? AND ? GROUP BY county""",
        [year_start(as_of), as_of]).fetchall()
    by = {r[0]: r[1:] for r in act}
    rows = []
    for u in units(county):
        p, r, v = by.get(u, (0, 0, 0))
        rows.append({"unit": u, "workstations": int(st.get(u, 0)), "publicity_events": int(p), "reports": int(r),
                     "assistance_visits": int(v)})
    return pd.DataFrame(rows)
