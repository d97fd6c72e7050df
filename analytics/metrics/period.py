"""Figures for a period (工作简报): what happened between two dates, built on the dashboards' own functions.

No counting rule is written twice: cumulative figures come from `figures.key_figures` at the period's end and
at the day before it starts (their difference is what the period added: new registrations, people newly
recognized at each level, new studios and stations); per-county figures likewise from
`levels.levels_by_county`; activity from `activity.activity_breakdown` and assistance from
`assistance.assistance_breakdown`, both over the period itself. The one new figure is the 及时性 of
the deeds confirmed within the period (confirmation date as in `scope.DEED_SCOPE`: deeds.confirmed_on,
else the heroes' registration date): days from the deed to each of the five steps done by the period's end,
count, median and 90th percentile (quantile_cont, as the 及时性 page).
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics import reference
from analytics.metrics.activity import activity_breakdown
from analytics.metrics.assistance import assistance_breakdown
from analytics.metrics.figures import key_figures, money
from analytics.metrics.levels import levels_by_county
from analytics.metrics.scope import DEED_SCOPE, county_clause, same_period_a_year_earlier, units

LEVEL_COLUMNS = {"national": "national", "provincial": "provincial", "municipal": "municipal",
                 "county": "county_level"}        # key_figures key → levels_by_county column


def month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return nxt - dt.timedelta(days=1)


def _flows(con, date_from: dt.date, date_to: dt.date, county: str | None, activity: dict | None = None) -> dict:
    """Activity and assistance within the period, from the dashboards' breakdowns."""
    act = (activity or activity_breakdown(con, date_from, date_to, county))["totals"]
    asst = assistance_breakdown(con, date_from, date_to, county)
    amount = float(asst["amount_yuan"].sum()) if len(asst) else 0.0
    return {
        "activities": {"publicity_events": act.get("宣传活动", 0), "reports": act.get("发现上报", 0),
                       "assistance_visits": act.get("慰问帮扶", 0)},
        "assistance": {"times": int(asst["times"].sum()) if len(asst) else 0,
                       "amount_yuan": money(amount)},
    }


def _added(end: dict, start: dict) -> dict:
    """What the period added to the cumulative figures (end − day before the start)."""
    return {
        "registered": end["registered"] - start["registered"],
        "recognized_people": {k: end["recognized_people"][k] - start["recognized_people"][k]
                              for k in end["recognized_people"]},
        "recognitions": end["recognitions"] - start["recognitions"],
        "studios": end["studios"] - start["studios"],
        "workstations": end["workstations"] - start["workstations"],
    }


def period_figures(con, date_from: dt.date, date_to: dt.date, county: str | None = None,
                   activity: dict | None = None) -> dict:
    """{"from", "to", "county", "label",
        "end": key_figures at date_to (cumulative), "start": key_figures the day before date_from,
        "added": what the period added (registered, recognized_people by level, recognitions, studios,
                 workstations), "activities" / "assistance": within the period,
        "last_year": the same for the same period a year earlier (end, added, activities, assistance)}."""
    if date_from > date_to:
        raise ValueError("date_from after date_to")
    day_before = date_from - dt.timedelta(days=1)
    end, start = key_figures(con, date_to, county), key_figures(con, day_before, county)
    ly_from, ly_to = same_period_a_year_earlier(date_from, date_to)
    ly_end = key_figures(con, ly_to, county)
    ly_start = key_figures(con, ly_from - dt.timedelta(days=1), county)
    return {
        "from": date_from, "to": date_to, "county": county,
        "end": end, "start": start, "added": _added(end, start),
        **_flows(con, date_from, date_to, county, activity),
        "last_year": {"from": ly_from, "to": ly_to, "end": ly_end, "added": _added(ly_end, ly_start),
                      **_flows(con, ly_from, ly_to, county)},
    }
    # `activity`: activity_breakdown(con, date_from, date_to, county) when the caller has it already (the
    # briefing computes it once for the figures, the venues and the county table).


def county_table(con, date_from: dt.date, date_to: dt.date, county: str | None = None,
                 activity: dict | None = None) -> pd.DataFrame:
    """Per county-level unit: registered (end), added registrations and people newly recognized at each level
    in the period, the period's activity (场次/人次) and assistance (人次, 元). Official county order."""
    day_before = date_from - dt.timedelta(days=1)
    end = levels_by_county(con, date_to, county).set_index("unit")
    start = levels_by_county(con, day_before, county).set_index("unit")
    added = end - start
    act = (activity or activity_breakdown(con, date_from, date_to, county))["by_unit"]
    act = act.pivot_table(index="unit", columns="type", values="count", aggfunc="sum") if len(act) else pd.DataFrame()
    asst = assistance_breakdown(con, date_from, date_to, county).groupby("unit")[["times", "amount_yuan"]].sum()
    rows = []
    for u in units(county):
        def a(t):
            return int(act.at[u, t]) if u in act.index and t in act.columns and pd.notna(act.at[u, t]) else 0
        rows.append({
            "unit": u, "registered": int(end.at[u, "registered"]), "new_registered": int(added.at[u, "registered"]),
            "new_municipal_up": int(added.at[u, "national"] + added.at[u, "provincial"] + added.at[u, "municipal"]),
            "new_county_level": int(added.at[u, "county_level"]),
            "publicity_events": a("宣传活动"), "reports": a("发现上报"), "assistance_visits": a("慰问帮扶"),
            "times": int(asst.at[u, "times"]) if u in asst.index else 0,
            "amount_yuan": money(asst.at[u, "amount_yuan"]) if u in asst.index else 0,
        })
    return pd.DataFrame(rows)


def levels_added_by_county(con, date_from: dt.date, date_to: dt.date, county: str | None = None) -> pd.DataFrame:
    """Per unit: registrations and people newly recognized at each level in the period (levels_by_county at the
    end minus the day before the start), units with nothing new left out."""
    end = levels_by_county(con, date_to, county).set_index("unit")
    start = levels_by_county(con, date_from - dt.timedelta(days=1), county).set_index("unit")
    added = (end - start).reset_index()
    nums = [c for c in added.columns if c != "unit"]
    return added[added[nums].sum(axis=1) > 0].reset_index(drop=True)


def venues(con, date_from: dt.date, date_to: dt.date, county: str | None = None,
           activity: dict | None = None) -> dict:
    """宣传活动 场次 by 五进 venue in the period, in the standard venue order (others after, then None: not filled
    in)."""
    df = (activity or activity_breakdown(con, date_from, date_to, county))["by_venue"]
    got = {None if v != v else v: int(c) for v, c in zip(df["venue"], df["count"])}
    order = reference.VENUES + sorted(set(got) - set(reference.VENUES), key=lambda v: (v is None, v or ""))
    return {v: got[v] for v in order if v in got}


def timeliness_confirmed(con, date_from: dt.date, date_to: dt.date, county: str | None = None) -> pd.DataFrame:
    """(step, deeds, median_days, p90_days) over the deeds confirmed in the period, the five steps in order
    (step: the deed column, e.g. confirmed_on);
    a step counts when its date is on or before date_to."""
    uc, up = county_clause("unit", county)
    parts = " UNION ALL ".join(
        f"SELECT {i} AS ord, CASE WHEN {col} <= ? THEN datediff('day', deed_date, {col}) END AS days FROM base"
        for i, (col, _) in enumerate(reference.FIVE_STEPS))
    rows = con.execute(
        f"""{DEED_SCOPE},
            base AS (SELECT * FROM scoped_deeds
                     WHERE confirmed_or_registered BETWEEN ? AND ? AND deed_date IS NOT NULL {uc}),
            steps AS ({parts})
            SELECT ord, count(days), quantile_cont(days, 0.5), quantile_cont(days, 0.9)
            FROM steps WHERE days IS NOT NULL GROUP BY ord ORDER BY ord""",
        [date_from, date_to, *up, *([date_to] * len(reference.FIVE_STEPS))]).fetchall()
    got = {r[0]: r[1:] for r in rows}
    out = []
    for i, (column, _) in enumerate(reference.FIVE_STEPS):
        n, med, p90 = got.get(i, (0, None, None))
        out.append({"step": column, "deeds": int(n),
                    "median_days": None if med is None else round(float(med), 1),
                    "p90_days": None if p90 is None else round(float(p90), 1)})
    return pd.DataFrame(out, columns=["step", "deeds", "median_days", "p90_days"])


def deeds_confirmed(con, date_from: dt.date, date_to: dt.date, county: str | None = None) -> int:
    """Deeds confirmed in the period (the base of timeliness_confirmed)."""
    uc, up = county_clause("unit", county)
    return int(con.execute(
        f"""{DEED_SCOPE} SELECT count(*) FROM scoped_deeds
            WHERE confirmed_or_registered BETWEEN ? AND ? AND deed_date IS NOT NULL {uc}""",
        [date_from, date_to, *up]).fetchone()[0])


def period_bounds(kind: str, year: int, n: int = 1) -> tuple[dt.date, dt.date]:
    """(first day, last day) of month n, quarter n or the year."""
    if kind == "month":
        return dt.date(year, n, 1), month_end(year, n)
    if kind == "quarter":
        return dt.date(year, 3 * n - 2, 1), month_end(year, 3 * n)
    if kind == "year":
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    raise ValueError(f"unknown period kind {kind!r}")


def last_full_period(kind: str, as_of: dt.date) -> tuple[int, int]:
    """(year, n) of the latest month / quarter / year that has ended by as_of (the current one if none)."""
    y = as_of.year
    if kind == "month":
        return (y, as_of.month) if as_of == month_end(y, as_of.month) else \
            ((y, as_of.month - 1) if as_of.month > 1 else (y - 1, 12))
    if kind == "quarter":
        q = (as_of.month - 1) // 3 + 1
        if as_of == month_end(y, 3 * q):
            return y, q
        return (y, q - 1) if q > 1 else (y - 1, 4)
    return (y, 1) if (as_of.month, as_of.day) == (12, 31) else (y - 1, 1)
