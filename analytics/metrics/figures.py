"""Every figure the dashboards, the press exports and the CLI show.

`key_figures` is the one function behind the landing page's metric cards, `python -m analytics stats` and the
press statement; `FIGURES` is the one ordered catalogue of those figures (key, 中文名, 单位, 说明, counting rule),
which the cards, `stats`, the press statement, the press tables and slides read. Adding a figure is one line in
`FIGURES` plus its SQL. Counting rules (DOMAIN.md):
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
from dataclasses import dataclass

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




# ---- the catalogue ------------------------------------------------------------------------------------------
KEY_FIGURES = "key_figures"           # Figure.source: a dotted key of key_figures (stats --json, press)
OVERVIEW_EXTRAS = "overview_extras"   # Figure.source: a key of metrics.trends.overview_extras (总览 cards only)

# 总览's groups, in the order the page draws them: the headline band, then the themes (their titles).
OVERVIEW_GROUPS = {"headline": "", "praise": "表扬", "stations": "工作站", "assistance": "帮扶", "people": "人员状况"}


@dataclass(frozen=True)
class Figure:
    """One key figure as every consumer shows it."""
    key: str            # dotted key in the source's dict ("recognized_people.national")
    name: str           # 中文名 without the period ("登记在册人数", "宣传活动")
    unit: str           # 单位 ("人", "处", "场次", "元" …)
    note: str           # 说明: what the figure is (the card's help text)
    rule: str           # the counting rule, in one sentence
    group: str          # the 总览 group it is drawn in (OVERVIEW_GROUPS)
    ytd: bool = False   # 今年以来 (1 January … the cut-off); otherwise cumulative up to the cut-off
    card: str = ""      # the 总览 card's short label, when it differs from `label`
    source: str = KEY_FIGURES
    tile: bool = False  # one of the main figures the press slides and the briefing lead with
    column: str = ""    # the column holding it per county in the shared tables (levels/activity/assistance)

    @property
    def label(self) -> str:
        """The name as `stats` prints it: "今年以来宣传活动" for a year-to-date figure."""
        return f"今年以来{self.name}" if self.ytd else self.name

    @property
    def card_label(self) -> str:
        return self.card or self.label

    @property
    def money(self) -> bool:
        return self.unit == "元"


_LEVEL_RULE = "表扬日期在截至日期当日或之前、受到{}表扬的人数，按人去重；同一人受到不同级别表扬的，在各级别分别计算。"
_YTD = "日期在当年1月1日至截至日期之间的"

FIGURES: tuple[Figure, ...] = (
    Figure("registered", "登记在册人数", "人", "基金会成立以来登记在册的见义勇为人员",
           "登记日期（确认时间）在截至日期当日或之前的见义勇为人员人数。", "headline", card="登记在册", tile=True,
           column="registered"),
    Figure("recognized_people.national", "国家级表扬人数", "人", "截至当日受到国家级表扬的人数（去重）",
           _LEVEL_RULE.format("国家级"), "headline", card="国家级表扬", tile=True, column="national"),
    Figure("recognized_people.provincial", "省级表扬人数", "人", "截至当日受到省级表扬的人数（去重）",
           _LEVEL_RULE.format("省级"), "headline", card="省级表扬", tile=True, column="provincial"),
    Figure("recognized_people.municipal", "市级表扬人数", "人", "截至当日受到市级表扬的人数（去重）",
           _LEVEL_RULE.format("市级"), "headline", card="市级表扬", tile=True, column="municipal"),
    Figure("recognized_people.county", "县级表扬人数", "人", "截至当日受到县级表扬的人数（去重）",
           _LEVEL_RULE.format("县级"), "praise", card="县级表扬", column="county_level"),
    Figure("recognitions", "表扬总人次", "人次", "各级表扬记录数，同一人多次受表扬分别计算",
           "表扬日期在截至日期当日或之前的各级表扬记录条数，每条记录计一人次。", "praise"),
    Figure("new_this_year", "新确认人员", "人", "当年1月1日至截至日期新确认（登记在册）的见义勇为人员",
           f"登记{_YTD}见义勇为人员人数。", "praise", ytd=True, card="本年新确认", source=OVERVIEW_EXTRAS),
    Figure("studios", "英模工作室", "处", "截至当日已成立的英模工作室",
           "成立日期在截至日期当日或之前的以英模名字命名的见义勇为英模工作室数。", "headline", tile=True),
    Figure("workstations", "见义勇为工作站", "个", "截至当日已成立的镇街见义勇为工作站",
           "成立日期在截至日期当日或之前的镇街见义勇为工作站数。", "stations", tile=True, column="workstations"),
    Figure("activities.publicity_events", "宣传活动", "场次",
           "见义勇为工作站今年以来开展的宣传活动场次（当年1月1日至截至日期）",
           f"活动{_YTD}宣传活动场次之和，含工作站和英模工作室开展的活动。", "headline", ytd=True, tile=True,
           column="publicity_events"),
    Figure("activities.reports", "发现上报", "人次", "工作站今年以来发现并上报的见义勇为线索人次",
           f"活动{_YTD}发现上报人次之和。", "stations", ytd=True, column="reports"),
    Figure("activities.assistance_visits", "慰问帮扶", "人次",
           "工作站今年以来走访慰问见义勇为人员的人次（工作站活动记录）",
           f"活动{_YTD}慰问帮扶人次之和（工作站活动记录，不同于帮扶优抚记录）。", "stations", ytd=True,
           column="assistance_visits"),
    Figure("assistance.times", "帮扶优抚", "人次",
           "今年以来的帮扶优抚记录（医疗救治、抚恤慰问、困难救助等），每条记录计一人次",
           f"帮扶{_YTD}帮扶优抚记录条数，每条记录计一人次，按受帮扶人员户籍地县市区统计。", "assistance", ytd=True,
           tile=True, column="times"),
    Figure("assistance.amount_yuan", "帮扶金额", "元", "今年以来帮扶优抚记录的发放金额",
           f"帮扶{_YTD}帮扶优抚记录的金额之和。", "assistance", ytd=True, column="amount_yuan"),
    Figure("sacrificed", "牺牲人员", "人", "登记在册人员中因见义勇为牺牲的人数",
           "截至日期登记在册、人员状况为牺牲的人数。", "people", card="牺牲"),
    Figure("injured", "受伤人员", "人", "登记在册人员中因见义勇为受伤的人数",
           "截至日期登记在册、人员状况为受伤的人数。", "people", card="受伤", source=OVERVIEW_EXTRAS),
    Figure("disabled", "致残人员", "人", "登记在册人员中因见义勇为致残的人数",
           "截至日期登记在册、人员状况为致残的人数。", "people", card="致残", source=OVERVIEW_EXTRAS),
    Figure("outside_city", "市域外见义勇为人员", "人", "聊城籍人员在市域外见义勇为（聊城义士）",
           "截至日期登记在册、有事迹发生在聊城市域以外的人数，按人去重。", "people", card="市域外见义勇为"),
    Figure("plaques", "已挂光荣牌家庭", "户", "已挂“光荣牌”的见义勇为人员家庭",
           "挂牌日期在截至日期当日或之前的登记在册人员家庭户数。", "assistance", card="已挂光荣牌"),
)


def figure(key: str) -> Figure:
    """The catalogue entry for a key (KeyError for an unknown one)."""
    for f in FIGURES:
        if f.key == key:
            return f
    raise KeyError(key)


def of_source(source: str = KEY_FIGURES) -> tuple[Figure, ...]:
    """The figures one function computes, in catalogue order (KEY_FIGURES: what stats and the press show)."""
    return tuple(f for f in FIGURES if f.source == source)


def in_group(group: str) -> tuple[Figure, ...]:
    """The 总览 cards of one group, in catalogue order."""
    return tuple(f for f in FIGURES if f.group == group)


def value(figures: dict, key: str) -> int | float:
    """A figure out of key_figures' (or overview_extras') dict by its dotted key: value(f, "assistance.times")."""
    out = figures
    for part in key.split("."):
        out = out[part]
    return out
