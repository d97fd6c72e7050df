"""The ready-to-paste Chinese statement, phrased like the 2024 press conference (seed 001):

"聊城市见义勇为基金会成立以来，全市共登记在册见义勇为人员704人，其中受到国家级表扬3人、省级表扬49人、市级表扬307人。"

then 典型事迹 names (when chosen), studios and workstations, this year's activity, assistance, sacrificed
heroes, deeds outside the city, glory plaques, and the change against the same date a year earlier. A
sentence (or clause) whose figure is zero is left out. Figures come from key_figures only, with the units of
the figure catalogue (analytics.metrics.figures.FIGURES).
"""
from __future__ import annotations

import datetime as dt

from analytics import numbers, reference
from analytics.metrics.figures import FIGURES, figure, key_figures_with_change, value
from analytics.metrics.scope import same_day_last_year
from analytics.deeds import HIGH_LEVELS

# The year-over-year clause names these catalogue figures, in the statement's words: (before an increase or a
# decrease, before 持平). Units and values come from the catalogue.
CHANGE_WORDS = {"registered": ("登记在册见义勇为人员", "登记在册人数"),
                "activities.publicity_events": ("宣传活动", "宣传活动场次"),
                "assistance.times": ("帮扶优抚", "帮扶优抚人次"),
                "assistance.amount_yuan": ("帮扶资金", "帮扶资金")}


def amount(f: dict, key: str) -> str:
    """A count with the catalogue's unit, in the press writing of numbers: "704人", "20处", "1.2万人次"."""
    return numbers.count(value(f, key)) + figure(key).unit


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


def level_clauses(f: dict, keep_zero: bool = False) -> list[str]:
    """"国家级表扬3人", "省级表扬49人", "市级表扬307人" (市级 and up; zero ones left out unless keep_zero)."""
    keys = {level: f"recognized_people.{reference.LEVEL_KEYS[level]}" for level in HIGH_LEVELS}
    return [f"{level}表扬{amount(f, key)}" for level, key in keys.items() if keep_zero or value(f, key) > 0]


def registry_sentence(f: dict, county: str | None) -> str | None:
    if f["registered"] <= 0:
        return None
    lead = "聊城市见义勇为基金会成立以来，" if county is None else ""
    text = f"{lead}{subject(county)}共登记在册见义勇为人员{amount(f, 'registered')}"
    levels = level_clauses(f)
    if levels:
        text += "，其中受到" + "、".join(levels)
    return text + "。"


def cases_sentence(names: list[str], county: str | None) -> str | None:
    if not names:
        return None
    place = reference.CITY if county is None else county
    return f"近年来，{place}相继涌现出了{'、'.join(names)}等见义勇为先进典型。"


# The clauses of the facilities and activity sentences: catalogue figure → the words before its amount.
FACILITY_WORDS = {"studios": "以英模名字命名的见义勇为英模工作室", "workstations": "镇街见义勇为工作站"}
ACTIVITY_WORDS = {"activities.publicity_events": "组织开展见义勇为宣传活动",
                  "activities.reports": "发现上报见义勇为行为",
                  "activities.assistance_visits": "慰问帮扶见义勇为人员"}


def clauses(f: dict, words: dict[str, str]) -> list[str]:
    """words + amount for each figure that is not zero."""
    return [text + amount(f, key) for key, text in words.items() if value(f, key) > 0]


def facilities_sentence(f: dict, county: str | None) -> str | None:
    parts = clauses(f, FACILITY_WORDS)
    if not parts:
        return None
    return f"{subject(county)}已建成{'、'.join(parts)}。"


def activity_sentence(f: dict, county: str | None, period: str) -> str | None:
    parts = clauses(f, ACTIVITY_WORDS)
    if not parts:
        return None
    return f"{period}，{subject(county)}各见义勇为工作站和英模工作室{'，'.join(parts)}。"


def assistance_sentence(f: dict, county: str | None, lead: str) -> str | None:
    if value(f, "assistance.times") <= 0:
        return None
    text = f"{lead}，{subject(county)}开展见义勇为人员帮扶优抚{amount(f, 'assistance.times')}"
    paid = value(f, "assistance.amount_yuan")
    if paid > 0:
        text += f"，发放各类帮扶资金{numbers.money(paid)}"
    return text + "。"


def sacrificed_sentence(f: dict, county: str | None) -> str | None:
    if f["sacrificed"] <= 0:
        return None
    return f"{subject(county)}登记在册的见义勇为人员中，有{amount(f, 'sacrificed')}英勇牺牲。"


def outside_sentence(f: dict, county: str | None) -> str | None:
    if f["outside_city"] <= 0:
        return None
    origin = "聊城籍" if county is None else f"{reference.county_by_name(county).short_name}籍"
    return f"{origin}人员中，有{amount(f, 'outside_city')}在市域外见义勇为，均已纳入表扬优抚范围。"


def plaques_sentence(f: dict, county: str | None) -> str | None:
    plaques, registered = f["plaques"], f["registered"]
    if plaques <= 0:
        return None
    if plaques >= registered:
        return f"{subject(county)}{numbers.count(registered)}名见义勇为人员家庭全部挂上“光荣牌”。"
    return f"{subject(county)}已为{amount(f, 'plaques')}见义勇为人员家庭挂上“光荣牌”。"


def change_sentence(now: dict, before: dict, as_of: dt.date, county: str | None) -> str | None:
    """Against the same date a year earlier; left out when that date precedes the foundation."""
    before_date = same_day_last_year(as_of)
    if before_date < reference.FOUNDATION_DATE:
        return None
    items = []
    for fig in (fig for fig in FIGURES if fig.key in CHANGE_WORDS):
        text = numbers.change(value(now, fig.key), value(before, fig.key), fig.unit, money_unit=fig.money)
        if text is None:
            continue
        moved, flat = CHANGE_WORDS[fig.key]
        items.append(flat + text if text == "持平" else moved + text)
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
