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


def year_start(as_of: dt.date) -> dt.date:
    return dt.date(as_of.year, 1, 1)


def same_day_last_year(as_of: dt.date) -> dt.date:
    try:
        return as_of.replace(year=as_of.year - 1)
    except ValueError:  # 29 February
        return as_of.replace(year=as_of.year - 1, day=28)


def _county_clause(column: str, county: str | None) -> tuple[str, list]:
    if county is None:
        return "", []
    return f" AND {column} = ?", [county]


def key_figures(con, as_of: dt.date, county: str | None = None) -> dict:
    """The key figures as of a date, for the city or one county. Keys are a contract (issue 2)."""
    if county is not None and county not in reference.county_names():
        raise ValueError(f"不是聊城市的县市区：{county}")
    ys = year_start(as_of)
    hc, hp = _county_clause("h.county", county)

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

    sc, sp = _county_clause("county", county)
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
        "assistance": {"times": int(times), "amount_yuan": _money(amount)},
        "sacrificed": int(sacrificed),
        "outside_city": int(outside_city),
        "plaques": int(plaques),
    }


def _money(value) -> int | float:
    """Yuan as an int when whole, else a float with 2 decimals (JSON-friendly)."""
    value = round(float(value), 2)
    return int(value) if value.is_integer() else value


def key_figures_with_change(con, as_of: dt.date, county: str | None = None) -> tuple[dict, dict]:
    """(figures as of the date, figures as of the same date a year earlier)."""
    return key_figures(con, as_of, county), key_figures(con, same_day_last_year(as_of), county)


def data_bounds(con) -> tuple[dt.date | None, dt.date | None]:
    """Earliest and latest date that any record carries (for date pickers and the footer)."""
    row = con.execute(
        """SELECT min(d), max(d) FROM (
               SELECT registered_on AS d FROM heroes
               UNION ALL SELECT recognized_on FROM recognitions
               UNION ALL SELECT activity_date FROM activities
               UNION ALL SELECT assisted_on FROM assistance)"""
    ).fetchone()
    return row[0], row[1]


def last_import(con) -> dict | None:
    """The latest import still in force: {change_id, at, actor, file_names}."""
    row = con.execute(
        "SELECT change_id, created_at, actor, file_names FROM changes WHERE kind = 'import' AND undone_at IS NULL "
        "ORDER BY change_id DESC LIMIT 1"
    ).fetchone()
    if not row:
        return None
    return {"change_id": row[0], "created_at": row[1], "actor": row[2], "file_names": row[3]}


def is_demo(con) -> bool:
    row = con.execute("SELECT value FROM settings WHERE key = 'demo'").fetchone()
    return bool(row and row[0] == "1")


# ---- tables shared by the dashboards and the press exports -------------------------------------------
# Each returns a DataFrame with English column names; pages and press label them in Chinese
# (COLUMN_LABELS). Their city totals equal key_figures' (tested).

COLUMN_LABELS = {
    "unit": "县市区", "registered": "登记在册（人）", "national": "国家级表扬（人）", "provincial": "省级表扬（人）",
    "municipal": "市级表扬（人）", "county_level": "县级表扬（人）", "workstations": "工作站（个）",
    "publicity_events": "宣传活动（场次）", "reports": "发现上报（人次）", "assistance_visits": "慰问帮扶（人次）",
    "type": "帮扶类型", "times": "帮扶（人次）", "amount_yuan": "金额（元）",
}


def _units(county: str | None) -> list[str]:
    return [county] if county else reference.county_names()


def levels_by_county(con, as_of: dt.date, county: str | None = None):
    """Per county-level unit: registered people and distinct people recognized at each level, cumulative."""
    import pandas as pd

    reg = dict(con.execute(
        "SELECT county, count(*) FROM heroes WHERE registered_on <= ? GROUP BY county", [as_of]).fetchall())
    lv = con.execute(
        """SELECT h.county, r.level, count(DISTINCT r.hero_id)
           FROM recognitions r JOIN heroes h USING (hero_id)
           WHERE r.recognized_on <= ? GROUP BY 1, 2""", [as_of]).fetchall()
    rows = {u: {"unit": u, "registered": int(reg.get(u, 0)), "national": 0, "provincial": 0, "municipal": 0,
                "county_level": 0} for u in _units(county)}
    keymap = {"国家级": "national", "省级": "provincial", "市级": "municipal", "县级": "county_level"}
    for unit, level, n in lv:
        if unit in rows and level in keymap:
            rows[unit][keymap[level]] = int(n)
    return pd.DataFrame(list(rows.values()))


def activity_by_county(con, as_of: dt.date, county: str | None = None):
    """Per county-level unit: workstations (cumulative) and this year's activity (1 Jan … as_of)."""
    import pandas as pd

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
    for u in _units(county):
        p, r, v = by.get(u, (0, 0, 0))
        rows.append({"unit": u, "workstations": int(st.get(u, 0)), "publicity_events": int(p), "reports": int(r),
                     "assistance_visits": int(v)})
    return pd.DataFrame(rows)


def assistance_by_type(con, as_of: dt.date, county: str | None = None):
    """This year's assistance (1 Jan … as_of) by type: 人次 and 元, in the standard type order."""
    import pandas as pd

    hc, hp = _county_clause("h.county", county)
    got = {r[0]: (int(r[1]), _money(r[2])) for r in con.execute(
        f"""SELECT a.type, count(*), coalesce(sum(a.amount_yuan), 0)
            FROM assistance a JOIN heroes h USING (hero_id)
            WHERE a.assisted_on BETWEEN ? AND ? {hc} GROUP BY 1""",
        [year_start(as_of), as_of, *hp]).fetchall()}
    order = reference.ASSISTANCE_TYPES + sorted(set(got) - set(reference.ASSISTANCE_TYPES))
    return pd.DataFrame([{"type": t, "times": got[t][0], "amount_yuan": got[t][1]} for t in order if t in got],
                        columns=["type", "times", "amount_yuan"])


def with_total(df, label_col: str = "unit", label: str = "合计"):
    """The table with a 合计 row summing every numeric column."""
    import pandas as pd

    if df.empty:
        return df
    total = {c: df[c].sum() for c in df.columns if c != label_col}
    total[label_col] = label
    return pd.concat([df, pd.DataFrame([total])], ignore_index=True)


def latest_data_date(con) -> dt.date | None:
    """The latest date the data covers: the latest of registration, recognition, activity and assistance dates
    (None for an empty database). The dashboards' default 截至日期, so that opening them after the last import
    does not show the months without data as declines."""
    return data_bounds(con)[1]
