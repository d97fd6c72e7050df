"""Every figure the dashboards, the press exports and the CLI show.

`key_figures` is the one function behind the landing page's metric cards, `python -m analytics stats` and the
press statement. Counting rules (DOMAIN.md):
- registry figures are cumulative up to `as_of` (heroes by 登记日期, recognitions by 表扬日期, plaques by
  挂牌日期, studios and workstations by 成立日期);
- level figures count distinct people with at least one recognition at that level dated on or before
  `as_of`; a person recognized at two levels counts at both;
- activity and assistance figures are year-to-date: 1 January of `as_of`'s year to `as_of` ("今年以来").
`county` restricts every figure to one county-level unit (its full name; resolve user input with
`reference.resolve_county` first). 东昌府区 does not include the three functional zones.
"""
from __future__ import annotations

import datetime as dt

from analytics import reference
from analytics.metrics.scope import county_clause, same_day_last_year, year_start


def key_figures(con, as_of: dt.date, county: str | None = None) -> dict:
    """The key figures as of a date, for the city or one county. Keys are a contract (issue 2)."""
    if county is not None and county not in reference.county_names():
        raise ValueError(f"不是聊城市的县市区：{county}")
    ys = year_start(as_of)
    hc, hp = county_clause("h.county", county)

    registered, sacrificed, plaques = con.execute(
        f"""SELECT count(*),
                   count(*) FILTER (WHERE h.status = '牺牲'),
                   count(*) FILTER (WHERE h.plaque_on <= ?)
            FROM heroes h WHERE h.registered_on <= ? {hc}""",
        [as_of, as_of, *hp],
    ).fetchone()

    level_rows = con.execute(
        f"""SELECT r.level, count(DISTINCT r.hero_id), count(*)
            FROM recognitions r JOIN heroes h USING (hero_id)
            WHERE r.recognized_on <= ? {hc}
            GROUP BY r.level""",
        [as_of, *hp],
    ).fetchall()
    people = {key: 0 for key in reference.LEVEL_KEYS.values()}
    recognitions = 0
    for level, n_people, n_records in level_rows:
        if level in reference.LEVEL_KEYS:
            people[reference.LEVEL_KEYS[level]] = n_people
        recognitions += n_records

    outside_city = con.execute(
        f"""SELECT count(DISTINCT dh.hero_id)
            FROM deed_heroes dh JOIN deeds d USING (deed_id) JOIN heroes h USING (hero_id)
            WHERE d.outside_city AND h.registered_on <= ? {hc}""",
        [as_of, *hp],
    ).fetchone()[0]

    sc, sp = county_clause("county", county)
    studios = con.execute(
        f"SELECT count(*) FROM studios WHERE established_on <= ? {sc}", [as_of, *sp]).fetchone()[0]
    workstations = con.execute(
        f"SELECT count(*) FROM workstations WHERE established_on <= ? {sc}", [as_of, *sp]).fetchone()[0]

    act = dict(con.execute(
        f"""SELECT type, sum(count) FROM activities
            WHERE activity_date BETWEEN ? AND ? {sc} GROUP BY type""",
        [ys, as_of, *sp],
    ).fetchall())

    times, amount = con.execute(
        f"""SELECT count(*), coalesce(sum(a.amount_yuan), 0)
            FROM assistance a JOIN heroes h USING (hero_id)
            WHERE a.assisted_on BETWEEN ? AND ? {hc}""",
        [ys, as_of, *hp],
    ).fetchone()

    return {
        "as_of": as_of.isoformat(),
        "county": county,
        "registered": int(registered),
        "recognized_people": {k: int(v) for k, v in people.items()},
        "recognitions": int(recognitions),
        "studios": int(studios),
        "workstations": int(workstations),
        "activities": {
            "publicity_events": int(act.get("宣传活动") or 0),
            "reports": int(act.get("发现上报") or 0),
            "assistance_visits": int(act.get("慰问帮扶") or 0),
        },
        "assistance": {"times": int(times), "amount_yuan": money(amount)},
        "sacrificed": int(sacrificed),
        "outside_city": int(outside_city),
        "plaques": int(plaques),
    }


def money(value) -> int | float:
    """Yuan as an int when whole, else a float with 2 decimals (JSON-friendly)."""
    value = round(float(value), 2)
    return int(value) if value.is_integer() else value


def key_figures_with_change(con, as_of: dt.date, county: str | None = None) -> tuple[dict, dict]:
    """(figures as of the date, figures as of the same date a year earlier)."""
    return key_figures(con, as_of, county), key_figures(con, same_day_last_year(as_of), county)


