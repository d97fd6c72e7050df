"""Trends: deeds per year / month by type and place; heroes per registration year by status, occupation,
political status; year-over-year comparison; extra overview figures.

Deeds counted: confirmed on or before `as_of` (deeds.confirmed_on, else the heroes' registration date), by the
year (or month) the deed happened, within `years`; unit as in scope.DEED_SCOPE.
Heroes counted: registered on or before `as_of`, by registration year, within `years`; unit = heroes.county.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics import reference
from analytics.metrics.scope import DEED_SCOPE, county_clause, is_part_year, same_day_last_year, year_start

# The category of each grouping: a stored value (None when not filled in), or (place) "inside" / "outside" the
# city (labels.PLACES), or "all" (no grouping).
DEED_BY = {"type": "deed_type", "place": "CASE WHEN outside_city THEN 'outside' ELSE 'inside' END", "unit": "unit",
           "none": "'all'"}
HERO_BY = {"status": "status", "occupation": "occupation", "political": "political_status", "unit": "county",
           "none": "'all'"}


def deeds_by_period(con, as_of: dt.date, county: str | None, years: tuple[int, int], freq: str = "year",
                    by: str = "type") -> pd.DataFrame:
    """(period, category, deeds): period is the year (int) or 'YYYY-MM'."""
    period = "year(deed_date)" if freq == "year" else "strftime(deed_date, '%Y-%m')"
    uc, up = county_clause("unit", county)
    rows = con.execute(
        f"""{DEED_SCOPE}
            SELECT {period} AS period, {DEED_BY[by]} AS category, count(*) AS deeds
            FROM scoped_deeds
            WHERE confirmed_or_registered <= ? AND deed_date IS NOT NULL
              AND year(deed_date) BETWEEN ? AND ? {uc}
            GROUP BY ALL ORDER BY 1, 2""",
        [as_of, years[0], years[1], *up]).fetchall()
    return pd.DataFrame(rows, columns=["period", "category", "deeds"])


def heroes_by_year(con, as_of: dt.date, county: str | None, years: tuple[int, int],
                   by: str = "none") -> pd.DataFrame:
    """(year, category, people): heroes registered on or before as_of, by registration year."""
    hc, hp = county_clause("county", county)
    rows = con.execute(
        f"""SELECT year(registered_on) AS year, {HERO_BY[by]} AS category, count(*) AS people
            FROM heroes WHERE registered_on <= ? AND year(registered_on) BETWEEN ? AND ? {hc}
            GROUP BY ALL ORDER BY 1, 2""",
        [as_of, years[0], years[1], *hp]).fetchall()
    return pd.DataFrame(rows, columns=["year", "category", "people"])


def party_share(by_political: pd.DataFrame) -> pd.DataFrame:
    """(year, people, party, share) from heroes_by_year(by="political"); 党员 = 中共党员 + 中共预备党员."""
    if by_political.empty:
        return pd.DataFrame(columns=["year", "people", "party", "share"])
    df = by_political.assign(party=by_political["category"].isin(reference.PARTY_MEMBERS) * by_political["people"])
    out = df.groupby("year", as_index=False)[["people", "party"]].sum()
    out["share"] = (out["party"] / out["people"]).round(4)
    return out


def year_over_year(df: pd.DataFrame, period: str, value: str) -> pd.DataFrame:
    """Totals per period with the previous period's total, the change and the change in % (None when no base)."""
    cols = [period, value, "previous", "change", "change_pct"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    tot = df.groupby(period, as_index=False)[value].sum().sort_values(period)
    if tot[period].dtype.kind in "iu":  # fill missing years with 0
        full = pd.DataFrame({period: range(int(tot[period].min()), int(tot[period].max()) + 1)})
        tot = full.merge(tot, how="left").fillna({value: 0}).astype({value: "int64"})
    tot["previous"] = tot[value].shift(1).astype("Int64")
    tot["change"] = (tot[value] - tot["previous"]).astype("Int64")
    tot["change_pct"] = [None if pd.isna(p) or p == 0 else round(float(c) / float(p) * 100, 1)
                         for c, p in zip(tot["change"], tot["previous"])]
    return tot[cols].reset_index(drop=True)


def same_period_comparison(con, as_of: dt.date, county: str | None = None) -> dict:
    """Deeds (by deed date, confirmed by the cut-off) and newly confirmed heroes from 1 January to as_of, and the
    same for the same period a year earlier: {"deeds": (now, before), "people": (now, before)}."""
    out = {"deeds": [], "people": []}
    for day in (as_of, same_day_last_year(as_of)):
        years = (day.year, day.year)
        deeds = deeds_by_period(con, day, county, years, "year", "none")
        out["deeds"].append(int(deeds["deeds"].sum()))
        people = heroes_by_year(con, day, county, years)
        out["people"].append(int(people["people"].sum()))
    return {k: tuple(v) for k, v in out.items()}


def overview_extras(con, as_of: dt.date, county: str | None = None) -> dict:
    """Figures for the extra overview cards: newly confirmed this year (1 Jan … as_of), injured, disabled,
    sacrificed (registered on or before as_of)."""
    hc, hp = county_clause("county", county)
    new, injured, disabled, sacrificed = con.execute(
        f"""SELECT count(*) FILTER (WHERE registered_on >= ?),
                   count(*) FILTER (WHERE status = '受伤'), count(*) FILTER (WHERE status = '致残'),
                   count(*) FILTER (WHERE status = '牺牲')
            FROM heroes WHERE registered_on <= ? {hc}""", [year_start(as_of), as_of, *hp]).fetchone()
    return {"new_this_year": int(new), "injured": int(injured), "disabled": int(disabled),
            "sacrificed": int(sacrificed)}


def overview_extras_with_change(con, as_of: dt.date, county: str | None = None) -> tuple[dict, dict]:
    return overview_extras(con, as_of, county), overview_extras(con, same_day_last_year(as_of), county)


def _standard_first(value, rank: dict) -> tuple:
    """Sort key: the standard values in their order, then the others by name, then None (not filled in)."""
    if value is None or value != value:
        return (2, 0, "")
    return (0, rank[value], "") if value in rank else (1, 0, str(value))


def trend_tables(con, as_of: dt.date, county: str | None, years: tuple[int, int], freq: str = "year") -> dict:
    """Everything the 趋势 page draws, in one call (so it is computed and cached once):
    deeds_type / deeds_place (per `freq` period), deeds_unit (per year; 全市 only), deeds_yoy, status, people_yoy,
    occupation (totals, largest first), party (party_share), political (totals in the standard order),
    same_period (same_period_comparison)."""
    status = heroes_by_year(con, as_of, county, years, "status")
    political = heroes_by_year(con, as_of, county, years, "political")
    occupation = heroes_by_year(con, as_of, county, years, "occupation")
    yearly = deeds_by_period(con, as_of, county, years, "year", "type")
    occ = occupation.groupby("category", as_index=False, dropna=False)["people"].sum().sort_values(
        "people", ascending=False, kind="stable").reset_index(drop=True)
    pol = political.groupby("category", as_index=False, dropna=False)["people"].sum()
    rank = {p: i for i, p in enumerate(reference.POLITICAL_STATUSES)}
    pol = pol.iloc[sorted(range(len(pol)), key=lambda i: _standard_first(pol["category"].iat[i], rank))]
    pol = pol.reset_index(drop=True)
    return {
        "deeds_type": yearly if freq == "year" else deeds_by_period(con, as_of, county, years, freq, "type"),
        "deeds_place": deeds_by_period(con, as_of, county, years, freq, "place"),
        "deeds_unit": deeds_by_period(con, as_of, None, years, "year", "unit") if county is None else None,
        "deeds_yoy": year_over_year(yearly, "period", "deeds"),
        "status": status,
        "people_yoy": year_over_year(status, "year", "people"),
        "occupation": occ,
        "party": party_share(political),
        "political": pol,
        "same_period": same_period_comparison(con, as_of, county),
    }


def fair_year_over_year(yoy: pd.DataFrame, period: str, value: str, as_of: dt.date, same_period_before: int
                        ) -> pd.DataFrame:
    """A year_over_year table made fair for a part year: when its last row is as_of's year and as_of is before
    31 December, that row is compared with the same part of the previous year (`same_period_before`, counted
    from 1 January to the same day a year earlier) instead of the whole previous year. Adds `until`: None for a
    whole year, as_of for the part year (both figures of that row cover 1 January … that day;
    labels.comparison_range words it)."""
    out = yoy.copy()
    out["until"] = None
    if out.empty:
        return out
    last = out.index[-1]
    if int(out.at[last, period]) == as_of.year and is_part_year(as_of):
        before = int(same_period_before)
        now = int(out.at[last, value])
        out.at[last, "previous"] = before
        out.at[last, "change"] = now - before
        out.at[last, "change_pct"] = None if before == 0 else round((now - before) / before * 100, 1)
        out.at[last, "until"] = as_of
    return out


def trend_tables_fair(con, as_of: dt.date, county: str | None, years: tuple[int, int], freq: str = "year") -> dict:
    """trend_tables with fair year-over-year tables: deeds_yoy and people_yoy compare a part year with the same
    part of the previous year (fair_year_over_year)."""
    t = trend_tables(con, as_of, county, years, freq)
    deeds_before, people_before = t["same_period"]["deeds"][1], t["same_period"]["people"][1]
    t["deeds_yoy"] = fair_year_over_year(t["deeds_yoy"], "period", "deeds", as_of, deeds_before)
    t["people_yoy"] = fair_year_over_year(t["people_yoy"], "year", "people", as_of, people_before)
    return t
