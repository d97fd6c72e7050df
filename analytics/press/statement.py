"""The ready-to-paste Chinese statement, phrased like the 2024 press conference (seed 001):

"聊城市见义勇为基金会成立以来，全市共登记在册见义勇为人员704人，其中受到国家级表扬3人、省级表扬49人、市级表扬307人。"

then 典型事迹 names (when chosen), studios and workstations, this year's activity, assistance, sacrificed
heroes, deeds outside the city, glory plaques, and the change against the same date a year earlier. A
sentence (or clause) whose figure is zero is left out. Figures come from key_figures only.
"""
from __future__ import annotations

import datetime as dt

from analytics import reference
from analytics.metrics.figures import key_figures, key_figures_with_change
from analytics.metrics.scope import same_day_last_year
from analytics import numbers

LEVEL_CLAUSES = [("national", "国家级"), ("provincial", "省级"), ("municipal", "市级")]


def subject(county: str | None) -> str:
    return "全市" if county is None else county


def period_phrase(as_of: dt.date, today: dt.date | None = None) -> str:
    """"今年以来" in the cut-off's own year; otherwise the explicit period ("2023年全年", "2023年1月1日至7月31日")."""
    today = today or dt.date.today()
    if as_of.year == today.year:
        return "今年以来"
    if (as_of.month, as_of.day) == (12, 31):
        return f"{as_of.year}年全年"
    if (as_of.month, as_of.day) == (1, 1):
        return f"{as_of.year}年1月1日"
    return f"{as_of.year}年1月1日至{numbers.month_day(as_of)}"


def registry_sentence(f: dict, county: str | None) -> str | None:
    if f["registered"] <= 0:
        return None
    lead = "聊城市见义勇为基金会成立以来，" if county is None else ""
    text = f"{lead}{subject(county)}共登记在册见义勇为人员{numbers.count(f['registered'])}人"
    levels = [f"{label}表扬{numbers.count(f['recognized_people'][key])}人"
              for key, label in LEVEL_CLAUSES if f["recognized_people"][key] > 0]
    if levels:
        text += "，其中受到" + "、".join(levels)
    return text + "。"


def cases_sentence(names: list[str], county: str | None) -> str | None:
    if not names:
        return None
    place = reference.CITY if county is None else county
    return f"近年来，{place}相继涌现出了{'、'.join(names)}等见义勇为先进典型。"


def facilities_sentence(f: dict, county: str | None) -> str | None:
    parts = []
    if f["studios"] > 0:
        parts.append(f"以英模名字命名的见义勇为英模工作室{numbers.count(f['studios'])}处")
    if f["workstations"] > 0:
        parts.append(f"镇街见义勇为工作站{numbers.count(f['workstations'])}个")
    if not parts:
        return None
    return f"{subject(county)}已建成{'、'.join(parts)}。"


def activity_sentence(f: dict, county: str | None, period: str) -> str | None:
    a = f["activities"]
    parts = []
    if a["publicity_events"] > 0:
        parts.append(f"组织开展见义勇为宣传活动{numbers.count(a['publicity_events'])}场次")
    if a["reports"] > 0:
        parts.append(f"发现上报见义勇为行为{numbers.count(a['reports'])}人次")
    if a["assistance_visits"] > 0:
        parts.append(f"慰问帮扶见义勇为人员{numbers.count(a['assistance_visits'])}人次")
    if not parts:
        return None
    return f"{period}，{subject(county)}各见义勇为工作站和英模工作室{'，'.join(parts)}。"


def assistance_sentence(f: dict, county: str | None, lead: str) -> str | None:
    times, amount = f["assistance"]["times"], f["assistance"]["amount_yuan"]
    if times <= 0:
        return None
    text = f"{lead}，{subject(county)}开展见义勇为人员帮扶优抚{numbers.count(times)}人次"
    if amount > 0:
        text += f"，发放各类帮扶资金{numbers.money(amount)}"
    return text + "。"


def sacrificed_sentence(f: dict, county: str | None) -> str | None:
    if f["sacrificed"] <= 0:
        return None
    return f"{subject(county)}登记在册的见义勇为人员中，有{numbers.count(f['sacrificed'])}人英勇牺牲。"


def outside_sentence(f: dict, county: str | None) -> str | None:
    if f["outside_city"] <= 0:
        return None
    origin = "聊城籍" if county is None else f"{reference.county_by_name(county).short_name}籍"
    return f"{origin}人员中，有{numbers.count(f['outside_city'])}人在市域外见义勇为，均已纳入表扬优抚范围。"


def plaques_sentence(f: dict, county: str | None) -> str | None:
    plaques, registered = f["plaques"], f["registered"]
    if plaques <= 0:
        return None
    if plaques >= registered:
        return f"{subject(county)}{numbers.count(registered)}名见义勇为人员家庭全部挂上“光荣牌”。"
    return f"{subject(county)}已为{numbers.count(plaques)}户见义勇为人员家庭挂上“光荣牌”。"


# (label for an increase, label for 持平, unit, getter, money?)
CHANGE_ITEMS = [
    ("登记在册见义勇为人员", "登记在册人数", "人", lambda f: f["registered"], False),
    ("宣传活动", "宣传活动场次", "场次", lambda f: f["activities"]["publicity_events"], False),
    ("帮扶优抚", "帮扶优抚人次", "人次", lambda f: f["assistance"]["times"], False),
    ("帮扶资金", "帮扶资金", "", lambda f: f["assistance"]["amount_yuan"], True),
]


def change_sentence(now: dict, before: dict, as_of: dt.date, county: str | None) -> str | None:
    """Against the same date a year earlier; left out when that date precedes the foundation."""
    before_date = same_day_last_year(as_of)
    if before_date < reference.FOUNDATION_DATE:
        return None
    items = []
    for label, flat_label, unit, get, is_money in CHANGE_ITEMS:
        text = numbers.change(get(now), get(before), unit, money_unit=is_money)
        if text is None:
            continue
        items.append(flat_label + text if text == "持平" else label + text)
    if not items:
        return None
    return f"与上年同期（{numbers.date(before_date)}）相比，{subject(county)}{'；'.join(items)}。"


def sentences(now: dict, before: dict, as_of: dt.date, county: str | None, case_names: list[str] = (),
              today: dt.date | None = None) -> list[str]:
    """The statement as a list of sentences, zero-figure ones left out."""
    period = period_phrase(as_of, today)
    act = activity_sentence(now, county, period)
    out = [
        registry_sentence(now, county),
        cases_sentence(list(case_names), county),
        facilities_sentence(now, county),
        act,
        assistance_sentence(now, county, "同期" if act else period),
        sacrificed_sentence(now, county),
        outside_sentence(now, county),
        plaques_sentence(now, county),
        change_sentence(now, before, as_of, county),
    ]
    out = [s for s in out if s]
    if not out:
        out = [f"截至{numbers.date(as_of)}，{subject(county)}暂无可发布的见义勇为统计数据。"]
    return out


def build_statement(con, as_of: dt.date, county: str | None = None, case_names: tuple[str, ...] = (),
                    today: dt.date | None = None) -> str:
    """The statement as one paragraph (what the press office pastes)."""
    now, before = key_figures_with_change(con, as_of, county)
    return "".join(sentences(now, before, as_of, county, list(case_names), today))
