"""Everything one press export needs, computed once: figures, statement, tables, 典型事迹, 数据说明.

The page caches `build_material(cursor, as_of, county, case_ids)`; the CLI calls it directly; the three
exporters turn a Material into bytes without touching the database.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from analytics import reference
from analytics.metrics.figures import key_figures_with_change
from analytics.metrics.scope import same_day_last_year
from analytics.press import cases as cases_mod
from analytics import numbers
from analytics.press import statement, tables

ORG = "聊城市见义勇为基金会"
SOURCE = "聊城市见义勇为数据分析系统"


@dataclass
class Material:
    as_of: dt.date
    county: str | None
    figures: dict
    before: dict
    before_date: dt.date
    sentences: list[str]
    tables: list[tables.PressTable]
    cases: list[cases_mod.Case]
    notes: list[str]
    generated_at: dt.datetime
    period: str = field(default="")

    @property
    def scope(self) -> str:
        return "全市" if self.county is None else self.county

    @property
    def title(self) -> str:
        base = "聊城市见义勇为工作新闻发布会数据材料"
        return base if self.county is None else f"{base}（{self.county}）"

    @property
    def title_lines(self) -> list[str]:
        """The title as printed: the county (in parentheses) on a line of its own, never broken inside."""
        base = "聊城市见义勇为工作新闻发布会数据材料"
        return [base] if self.county is None else [base, f"（{self.county}）"]

    @property
    def scope_note(self) -> str:
        """What every file says about itself, in one short paragraph."""
        return scope_paragraph(self.as_of, self.county, self.period)

    @property
    def subtitle(self) -> str:
        return f"截至{numbers.date(self.as_of)}"

    @property
    def statement(self) -> str:
        return "".join(self.sentences)

    def file_stem(self) -> str:
        scope = "" if self.county is None else f"_{reference.county_by_name(self.county).short_name}"
        return f"发布会数据{scope}_截至{self.as_of:%Y%m%d}"


def scope_name(county: str | None) -> str:
    """The scope as the scope paragraph names it; 东昌府区 does not include the three functional zones."""
    if county is None:
        return "全市各县市区及三个功能区"
    return f"{county}（不含三个功能区）" if county == "东昌府区" else county


def scope_paragraph(as_of: dt.date, county: str | None, period: str) -> str:
    """截至日期, 县市区 and the counting rules in one short paragraph, with the source."""
    scope = scope_name(county)
    return (f"统计范围：{scope}；统计截至{numbers.date(as_of)}。登记在册、各级表扬、工作站（室）为截至该日的累计数，"
            f"表扬人数按人去重；活动和帮扶优抚为{period}的数据。数据来源：{SOURCE}，与系统看板同一数据源、同一口径。")


def counting_rules(as_of: dt.date) -> list[str]:
    """The 数据说明 paragraphs, in every export."""
    before = same_day_last_year(as_of)
    return [
        f"统计截至日期为{numbers.date(as_of)}（含当日）。登记在册人数、各级表扬人数、英模工作室、见义勇为工作站、"
        "牺牲人员、市域外见义勇为人员、光荣牌均为截至该日的累计数；宣传活动、发现上报、慰问帮扶和帮扶优抚为"
        f"{tables.period_text(as_of)}的数据（“今年以来”）。",
        "登记在册人数按见义勇为人员户籍地县市区统计；聊城经济技术开发区、聊城高新技术产业开发区、江北水城旅游度假区"
        "单独列示，不计入所在县区。",
        "各级表扬人数按人去重：同一人受到同一级别多次表扬只计1人；同一人受到不同级别表扬的，在各级别中分别计算。"
        "表扬日期在截至日期之后的不计入。",
        "英模工作室、见义勇为工作站按成立日期和所在县市区统计；活动数据按活动所在县市区统计，含工作站和英模工作室"
        "开展的活动，宣传活动以场次计，发现上报和慰问帮扶以人次计。",
        "帮扶优抚每条记录计1人次，按受帮扶人员户籍地县市区统计；金额为慰问金、救助金等各类帮扶资金合计。",
        "市域外见义勇为人员指在聊城市域以外实施见义勇为行为、已登记在册的聊城籍人员。",
        f"上年同期指{numbers.date(before)}：累计数比较两个日期的累计值，“今年以来”数据比较两年同一时段；"
        "上年同期为零时不计算增长率。",
        "数字写法：人数、场次、人次不足1万的写实数；1万及以上以“万”为单位，保留两位小数，舍去部分记“余”。"
        "金额不足1万元的写实数（元）；1万元及以上以“万元”为单位，四舍五入保留两位小数。数值为零的项目不在文字稿中表述。",
        "典型事迹仅列姓名、县市区和事迹概要，不含身份证号码、联系电话、出生日期、住址等个人信息。",
        f"数据来源：{SOURCE}。文字稿、统计表、图表与系统看板使用同一数据源、同一统计口径，数字一致。",
    ]


def build_material(con, as_of: dt.date, county: str | None = None, case_ids: tuple[int, ...] = (),
                   today: dt.date | None = None) -> Material:
    now, before = key_figures_with_change(con, as_of, county)
    chosen = cases_mod.pick(con, as_of, county, case_ids) if case_ids else []
    return Material(
        as_of=as_of, county=county, figures=now, before=before,
        before_date=same_day_last_year(as_of),
        sentences=statement.sentences(now, before, as_of, county, [c.name for c in chosen], today),
        tables=tables.build_tables(con, as_of, county),
        cases=chosen,
        notes=counting_rules(as_of),
        generated_at=dt.datetime.now().replace(microsecond=0),
        period=tables.period_text(as_of),
    )
