"""工作站与工作室名录 (reads): the workstation and hero-studio directories with their 五有 checks."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics import reference

FIVE = list(reference.FIVE_HAS)


def workstations(con, county: str | None = None, as_of: dt.date | None = None) -> pd.DataFrame:
    """One row per workstation (the county's official order, then town): 五有 columns as booleans, plus
    five_has (how many of the five are met, NULL counted as not met) and complete (all five)."""
    cond, params = "TRUE", []
    if county:
        cond += " AND w.county = ?"
        params.append(county)
    if as_of is not None:
        cond += " AND (w.established_on IS NULL OR w.established_on <= ?)"
        params.append(as_of)
    checks = " + ".join(f"coalesce(w.{c}, FALSE)::INT" for c in FIVE)
    return con.execute(f"""
        SELECT w.station_id, w.name, w.county, w.town, w.established_on, w.head,
               {', '.join('w.' + c for c in FIVE)},
               ({checks}) AS five_has, ({checks}) = 5 AS complete
        FROM workstations w LEFT JOIN counties c ON c.name = w.county
        WHERE {cond}
        ORDER BY c.sort_order NULLS LAST, w.town NULLS LAST, w.name, w.station_id""", params).df()


def studios(con, county: str | None = None, as_of: dt.date | None = None) -> pd.DataFrame:
    """One row per hero studio, oldest first."""
    cond, params = "TRUE", []
    if county:
        cond += " AND s.county = ?"
        params.append(county)
    if as_of is not None:
        cond += " AND (s.established_on IS NULL OR s.established_on <= ?)"
        params.append(as_of)
    return con.execute(f"""
        SELECT s.studio_id, s.name, s.county, s.town, s.hero_id, coalesce(h.name, s.hero_name) AS hero_name,
               s.established_on, s.head
        FROM studios s LEFT JOIN heroes h USING (hero_id)
        WHERE {cond}
        ORDER BY s.established_on NULLS LAST, s.studio_id""", params).df()


def five_has_by_county(con, county: str | None = None, as_of: dt.date | None = None) -> pd.DataFrame:
    """Per county-level unit: workstations, how many meet all five (complete), and how many meet each check
    (the 五有 columns). English keys; the page labels them (analytics.labels.FIVE_HAS_SUMMARY)."""
    df = workstations(con, county, as_of)
    if df.empty:
        return pd.DataFrame(columns=["unit", "workstations", "complete", *FIVE])
    g = df.groupby("county", sort=False)
    out = pd.DataFrame({"workstations": g.size(), "complete": g["complete"].sum()})
    for col in FIVE:
        out[col] = g[col].apply(lambda s: int(s.fillna(False).astype(bool).sum()))
    out = out.reset_index().rename(columns={"county": "unit"})
    return out.astype({c: int for c in out.columns if c != "unit"})
