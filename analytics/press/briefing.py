"""见义勇为工作简报 for a period (a month, a quarter, a year or any range): the content, computed once.

Sections: 一、主要数据 (key figures at the end of the period, what the period added, the same period a year
before); 二、英模登记和表扬 (new heroes and recognitions by county and level); 三、工作站（室）活动和帮扶优抚
(场次/人次, 五进, 人次/元); 四、事迹确认及时性 (deeds confirmed in the period); 五、典型事迹 (3–5 heroes
recognized in the period; name, county, summary only); 六、各县市区情况 (a county table).
Every figure comes from analytics.metrics.period, which builds on the dashboards' own functions. The Word
file (briefing_docx) and the text (render_text) print the same Briefing.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from analytics import labels, numbers, reference
from analytics.labels import NUMERALS
from analytics.metrics import period as mp
from analytics.metrics.figures import KEY_FIGURES, money, of_source, value
from analytics.metrics.activity import activity_breakdown
from analytics.deeds import HIGH_LEVELS
from analytics.press import cases as cases_mod
from analytics.press.material import ORG, SOURCE, scope_name
from analytics.press.statement import amount, level_clauses
from analytics.press.tables import cell_text

MAX_CASES, MIN_CASES = 5, 3
CASE_WINDOW = 300


@dataclass
class Table:
    caption: str
    labels: list[str]
    rows: list[list[str]]
    total_last: bool = False
    note: str = ""
    first_width_cm: float = 4.2
    widths_cm: list[float] | None = None


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    cases: list = field(default_factory=list)


@dataclass
class Briefing:
    date_from: dt.date
    date_to: dt.date
    county: str | None
    label: str
    figures: dict
    sections: list[Section]
    notes: list[str]
    generated_at: dt.datetime

    @property
    def subject(self) -> str:
        return "全市" if self.county is None else self.county

    @property
    def title(self) -> str:
        return f"{'聊城市' if self.county is None else self.county}见义勇为工作简报"

    @property
    def title_lines(self) -> list[str]:
        return [self.title, f"（{self.label}）"]

    @property
    def subtitle(self) -> str:
        return f"{numbers.date(self.date_from)}至{numbers.date(self.date_to)}"

    @property
    def scope_note(self) -> str:
        scope = scope_name(self.county)
        return (f"统计范围：{scope}；统计期间{self.subtitle}，截至{numbers.date(self.date_to)}。登记在册、各级表扬、"
                "工作站（室）为截至期末的累计数，本期新增为期末与期初之差，表扬人数按人去重；活动、帮扶优抚为本期数据；"
                f"上年同期指{numbers.date(self.figures['last_year']['from'])}至"
                f"{numbers.date(self.figures['last_year']['to'])}。数据来源：{SOURCE}，与系统看板同一数据源、同一口径。")

    def file_stem(self) -> str:
        scope = "" if self.county is None else f"_{reference.county_by_name(self.county).short_name}"
        return f"见义勇为工作简报{scope}_{self.label}"


def _new_people(n: int) -> str:
    return f"新增登记在册见义勇为人员{numbers.count(n)}人" if n else "无新增登记在册见义勇为人员"


def _change(now, before, unit: str, money: bool = False) -> str:
    text = numbers.change(now, before, unit, money_unit=money)
    return "—" if text is None else text


def _num(v, money: bool = False) -> str:
    return cell_text("amount_yuan" if money else "n", v)


def _delta(now, before, money: bool = False) -> list[str]:
    """[同比增减, 同比增幅] as table cells: "+314" / "-8" / "0", "253.2%" / "-66.7%" / "—" (no base)."""
    d = round(now - before, 2) if money else now - before
    sign = "+" if d > 0 else "-" if d < 0 else ""
    pct = "—" if not before else ("-" if d < 0 else "") + numbers.percent(abs(d) / before)
    return [sign + _num(abs(d), money), pct]


def _key_section(f: dict, subject: str, label: str) -> Section:
    end, ly, added = f["end"], f["last_year"], f["added"]
    day_before = f["from"] - dt.timedelta(days=1)
    paras = [
        f"截至{numbers.date(f['to'])}，{subject}共登记在册见义勇为人员{amount(end, 'registered')}，其中受到"
        f"{'、'.join(level_clauses(end, keep_zero=True))}；建成英模工作室{amount(end, 'studios')}、"
        f"见义勇为工作站{amount(end, 'workstations')}。",
        f"{label}，{subject}{_new_people(added['registered'])}"
        f"（上年同期{numbers.count(ly['added']['registered'])}人）；登记在册人数较期初"
        f"（{numbers.date(day_before)}）{_change(end['registered'], f['start']['registered'], '人')}，"
        f"较上年同期末{_change(end['registered'], ly['end']['registered'], '人')}。",
    ]
    figures = of_source(KEY_FIGURES)
    cumulative = [fig for fig in figures if fig.tile and not fig.ytd]     # the main cumulative figures
    flows = [fig for fig in figures if fig.ytd]                            # within the period
    rows = []
    for fig in cumulative:
        now, start, before = (value(d, fig.key) for d in (end, f["start"], ly["end"]))
        rows.append([f"{fig.name}（{fig.unit}）", _num(now), _num(now - start), _num(before), *_delta(now, before)])
    for fig in flows:
        now, before = value(f, fig.key), value(ly, fig.key)
        rows.append([f"{fig.name}（{fig.unit}）", _num(now, fig.money), "—", _num(before, fig.money),
                     *_delta(now, before, fig.money)])
    table = Table("表1 主要指标", ["指标", "期末数 / 本期数", "本期增减", "上年同期", "同比增减", "同比增幅"], rows,
                  note=f"前{NUMERALS[len(cumulative) - 1]}项为截至期末的累计数，“本期增减”为期末与期初之差；"
                       f"后{NUMERALS[len(flows) - 1]}项为本期数据。同比与上年同期比较，上年同期为零时不计算增幅。",
                  widths_cm=[4.4, 2.4, 1.9, 2.2, 2.3, 2.4])
    return Section("主要数据", paras, [table])


def _levels_section(con, f: dict, subject: str, label: str) -> Section:
    added = f["added"]
    r = added["recognized_people"]
    keys = {level: reference.LEVEL_KEYS[level] for level in HIGH_LEVELS}
    high = sum(r[k] for k in keys.values())
    parts = [f"{level}{numbers.count(r[k])}人" for level, k in keys.items() if r[k] > 0]
    text = f"{label}，{subject}{_new_people(added['registered'])}；"
    if high:
        text += f"新增受到市级及以上表扬{numbers.count(high)}人（{'、'.join(parts)}），"
    else:
        text += "本期无新增市级及以上表扬人员，"
    text += (f"新增受到县级表扬{numbers.count(r['county'])}人；全期共作出表扬{numbers.count(added['recognitions'])}人次"
             f"（上年同期{numbers.count(f['last_year']['added']['recognitions'])}人次）。")
    df = mp.levels_added_by_county(con, f["from"], f["to"], f["county"])
    cols = ["unit", "registered", "national", "provincial", "municipal", "county_level"]
    rows = [[cell_text(c, row[c]) for c in cols] for _, row in df.iterrows()]
    total_last = False
    if len(rows) > 1:
        rows.append(["合计"] + [cell_text(c, df[c].sum()) for c in cols[1:]])
        total_last = True
    tables = []
    if rows:
        tables.append(Table("表2 本期新增登记和表扬人员（按县市区、级别）",
                            ["县市区", "新增登记（人）", "国家级（人）", "省级（人）", "市级（人）", "县级（人）"], rows,
                            total_last, "表扬人数按人去重，为本期首次受到该级别表扬的人数；本期无新增的县市区不列。"))
    else:
        text += "本期各县市区无新增登记和表扬人员。"
    return Section("英模登记和表扬", [text], tables)


def _activity_section(con, f: dict, subject: str, label: str) -> Section:
    a, ly = f["activities"], f["last_year"]
    venues = mp.venues(con, f["from"], f["to"], f["county"], f["_activity"])
    five = "、".join(f"进{v}{numbers.count(n)}场次" for v, n in venues.items() if v in reference.VENUES and n)
    paras = []
    if a["publicity_events"] or a["reports"] or a["assistance_visits"]:
        paras.append(
            f"{label}，{subject}各见义勇为工作站和英模工作室开展宣传活动{numbers.count(a['publicity_events'])}场次"
            + (f"（其中{five}）" if five else "")
            + f"，发现上报见义勇为行为{numbers.count(a['reports'])}人次，慰问帮扶见义勇为人员"
            f"{numbers.count(a['assistance_visits'])}人次。与上年同期相比，宣传活动"
            f"{_change(a['publicity_events'], ly['activities']['publicity_events'], '场次')}。")
    else:
        paras.append(f"{label}，{subject}各见义勇为工作站和英模工作室暂无活动记录。")
    s = f["assistance"]
    if s["times"]:
        paras.append(f"{label}，{subject}开展见义勇为人员帮扶优抚{numbers.count(s['times'])}人次，发放各类帮扶资金"
                     f"{numbers.money(s['amount_yuan'])}；与上年同期相比，帮扶人次"
                     f"{_change(s['times'], ly['assistance']['times'], '人次')}，帮扶资金"
                     f"{_change(s['amount_yuan'], ly['assistance']['amount_yuan'], '', True)}。")
    else:
        paras.append(f"{label}，{subject}暂无帮扶优抚记录。")
    return Section("工作站（室）活动和帮扶优抚", paras)


def _timeliness_section(con, f: dict, subject: str, label: str) -> Section:
    df = mp.timeliness_confirmed(con, f["from"], f["to"], f["county"])
    n = mp.deeds_confirmed(con, f["from"], f["to"], f["county"])
    if n == 0:
        return Section("事迹确认及时性", [f"{label}，{subject}无新确认的见义勇为事迹。"])
    conf = df[df["step"] == "confirmed_on"].iloc[0]
    text = f"{label}，{subject}确认见义勇为事迹{numbers.count(n)}件"
    if conf["deeds"]:
        text += (f"，从事发到确认用时中位数{_days(conf['median_days'])}天，"
                 f"90%的事迹在{_days(conf['p90_days'])}天内确认")
    text += "。"
    rows = [[labels.STEP_LABELS[r["step"]], cell_text("n", r["deeds"]), _days(r["median_days"]), _days(r["p90_days"])]
            for _, r in df.iterrows()]
    table = Table("表3 本期确认事迹各环节用时", ["环节", "已完成（件）", "中位数（天）", "90%分位（天）"], rows,
                  note="按本期确认的事迹统计，自事发之日起计算；期末尚未完成的环节不计。")
    return Section("事迹确认及时性", [text], [table])


def _days(v) -> str:
    return "—" if v is None or v != v else numbers.grouped(float(v))


def _cases(con, f: dict) -> list:
    """3–5 heroes recognized in the period: municipal-or-higher first, newest first."""
    def inside(limit):
        frame = cases_mod.candidates(con, f["to"], f["county"], limit=limit)
        keep = [d is not None and f["from"] <= d <= f["to"] for d in frame["recognized_on"]]
        return frame, frame[keep] if len(frame) else frame
    # candidates come municipal-or-higher first, newest first: the period's high-level heroes are at the top;
    # the whole list is read only when fewer than MAX_CASES of them are found there.
    frame, chosen = inside(CASE_WINDOW)
    if len(chosen) < MAX_CASES and len(frame) == CASE_WINDOW:
        frame, chosen = inside(None)
    if chosen.empty:
        return []
    ids = [int(h) for h in chosen["hero_id"].head(MAX_CASES)]
    return cases_mod.pick(con, f["to"], f["county"], ids)


def _county_table(con, f: dict) -> Table:
    df = mp.county_table(con, f["from"], f["to"], f["county"], f["_activity"])
    cols = ["unit", "registered", "new_registered", "new_municipal_up", "publicity_events", "reports",
            "assistance_visits", "times", "amount_yuan"]
    rows = [[cell_text(c, row[c]) for c in cols] for _, row in df.iterrows()]
    total_last = len(rows) > 1
    if total_last:
        rows.append(["合计"] + [cell_text(c, money(df[c].sum()) if c == "amount_yuan" else df[c].sum())
                               for c in cols[1:]])
    return Table("表4 各县市区见义勇为工作情况",
                 ["县市区", "登记在册（人）", "本期新增（人）", "新增市级及以上表扬（人）", "宣传活动（场次）",
                  "发现上报（人次）", "慰问帮扶（人次）", "帮扶（人次）", "帮扶金额（元）"], rows, total_last,
                 "登记在册为截至期末的累计数，其余为本期数据。", widths_cm=[3.3] + [1.45] * 7 + [2.15])


def notes(f: dict) -> list[str]:
    return [
        "登记在册人数按见义勇为人员户籍地县市区统计；聊城经济技术开发区、聊城高新技术产业开发区、江北水城旅游度假区单独列示。",
        "各级表扬人数按人去重：同一人受到同一级别多次表扬只计1人，受到不同级别表扬的在各级别分别计算；本期新增为期末人数减期初人数。",
        "活动按活动所在县市区统计，宣传活动以场次计，发现上报、慰问帮扶以人次计；帮扶优抚每条记录计1人次，金额为各类帮扶资金合计。",
        "事迹确认及时性按本期确认的事迹统计（确认日期缺失的以登记日期计），各环节用时自事发之日起计算。",
        "典型事迹仅列姓名、县市区和事迹概要，不含身份证号码、联系电话、出生日期、住址等个人信息。",
        f"数据来源：{SOURCE}，与系统看板同一数据源、同一统计口径。",
    ]


def build_briefing(con, date_from: dt.date, date_to: dt.date, county: str | None = None) -> Briefing:
    activity = activity_breakdown(con, date_from, date_to, county)
    f = mp.period_figures(con, date_from, date_to, county, activity) | {"_activity": activity}
    subject = "全市" if county is None else county
    label = labels.period_label(date_from, date_to)
    lead = label if label[-1] in "年月度" else f"{label}期间"
    chosen = _cases(con, f)
    sections = [
        _key_section(f, subject, lead),
        _levels_section(con, f, subject, lead),
        _activity_section(con, f, subject, lead),
        _timeliness_section(con, f, subject, lead),
    ]
    if chosen:
        sections.append(Section("典型事迹", [] if len(chosen) >= MIN_CASES else
                                ["本期受到表扬的见义勇为人员较少，列出全部。"], cases=chosen))
    sections.append(Section("各县市区情况", [], [_county_table(con, f)]))
    n = 0
    for s in sections:                      # 表1, 表2 … in order of appearance
        for t in s.tables:
            n += 1
            t.caption = f"表{n} " + t.caption.split(" ", 1)[1]
    figures = {k: v for k, v in f.items() if k != "_activity"}
    return Briefing(date_from, date_to, county, label, figures, sections, notes(f),
                    dt.datetime.now().replace(microsecond=0))


def render_text(b: Briefing) -> str:
    lines = ["".join(b.title_lines), b.subtitle, "", b.scope_note, ""]
    for i, s in enumerate(b.sections):
        lines.append(f"{NUMERALS[i]}、{s.title}")
        lines += s.paragraphs
        for k, c in enumerate(s.cases, 1):
            lines.append(f"{k}. {c.name}（{c.county}）：{c.summary}")
        for t in s.tables:
            lines += ["", t.caption, "\t".join(t.labels)] + ["\t".join(r) for r in t.rows]
            if t.note:
                lines.append(f"注：{t.note}")
        lines.append("")
    lines.append("说明")
    lines += [f"{i}. {n}" for i, n in enumerate(b.notes, 1)]
    lines.append(f"{ORG}　{b.generated_at.year}年{b.generated_at.month}月{b.generated_at.day}日")
    return "\n".join(lines) + "\n"
