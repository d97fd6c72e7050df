"""The three press tables, built from analytics.metrics' shared tables (no query of their own).

Each PressTable keeps the English-column frame (with a 合计 row when it lists several rows), the Chinese
labels, and what its chart shows, so that Word, Excel and PowerPoint print and chart the same numbers.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from analytics.labels import COLUMN_LABELS, with_total
from analytics.metrics.figures import FIGURES
from analytics.metrics.activity import activity_by_county
from analytics.metrics.assistance import assistance_by_type
from analytics.metrics.levels import levels_by_county
from analytics import numbers


@dataclass
class Chart:
    title: str
    series: list[str]            # English column names, one series each
    axis_title: str              # value axis unit, e.g. "人"
    kind: str = "column"         # column / bar
    short: str = ""              # heading without the period (slides)


@dataclass
class PressTable:
    key: str                     # levels / activity / assistance
    title: str                   # "表1 …"
    frame: object                # pandas DataFrame, English columns, 合计 row last when several rows
    category: str                # the label column (unit / type)
    charts: list[Chart] = field(default_factory=list)
    note: str = ""

    @property
    def columns(self) -> list[str]:
        return list(self.frame.columns)

    @property
    def labels(self) -> list[str]:
        return [COLUMN_LABELS[c] for c in self.frame.columns]

    @property
    def body(self):
        """The rows without the 合计 row (what charts draw)."""
        f = self.frame
        if len(f) > 1 and str(f[self.category].iloc[-1]) == "合计":
            return f.iloc[:-1]
        return f

    def labelled(self):
        """The frame with Chinese column labels (for display)."""
        return self.frame.rename(columns=COLUMN_LABELS)


MONEY_COLUMNS = {f.column for f in FIGURES if f.column and f.money}


def unit_of(columns: list[str]) -> str:
    """The catalogue's unit(s) of the figures in these table columns: "人", "场次/人次"."""
    units = {f.column: f.unit for f in FIGURES if f.column}
    return "/".join(dict.fromkeys(units[c] for c in columns))


def chart(title: str, series: list[str], **kwargs) -> Chart:
    """A chart of table columns, its value axis titled with their units."""
    return Chart(title, series, unit_of(series), **kwargs)


def cell_text(col: str, v) -> str:
    """A table cell as printed in every file and on the page, in the dashboards' number format:
    counts "1,234", money in a 元 column "562,200" (fen only when there are some: "1,234.50")."""
    v = v.item() if hasattr(v, "item") else v          # numpy scalars → int / float
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return str(v)
    if col in MONEY_COLUMNS:
        return numbers.yuan(v).removesuffix("元")
    return numbers.grouped(v)


def rows_text(t: "PressTable") -> list[list[str]]:
    """All rows of a table (合计 last) as printed text."""
    return [[cell_text(c, v) for c, v in zip(t.columns, row)] for row in t.frame.itertuples(index=False)]


def period_text(as_of: dt.date) -> str:
    """"2024年1月1日至7月31日" — the year-to-date period of activity and assistance figures."""
    if as_of.month == 1 and as_of.day == 1:
        return f"{as_of.year}年1月1日"
    return f"{as_of.year}年1月1日至{numbers.month_day(as_of)}"


def _total(df, label_col: str):
    return with_total(df, label_col) if len(df) > 1 else df


def build_tables(con, as_of: dt.date, county: str | None = None) -> list[PressTable]:
    scope = "各县市区" if county is None else county
    period = period_text(as_of)
    levels = _total(levels_by_county(con, as_of, county), "unit")
    activity = _total(activity_by_county(con, as_of, county), "unit")
    assistance = _total(assistance_by_type(con, as_of, county), "type")
    return [
        PressTable(
            key="levels",
            title=f"表1 {scope}见义勇为人员登记在册及表扬情况（截至{numbers.date(as_of)}）",
            frame=levels, category="unit",
            charts=[chart(f"{scope}登记在册及受表扬人数", ["registered", "municipal", "provincial", "national"],
                          short=f"{scope}登记在册及受表扬人数")],
            note="表扬人数按人去重：同一人受到同一级别多次表扬只计1人，受到不同级别表扬的在各级别分别计算。",
        ),
        PressTable(
            key="activity",
            title=f"表2 {scope}见义勇为工作站（室）活动情况（{period}）",
            frame=activity, category="unit",
            charts=[chart(f"{scope}见义勇为活动情况（{period}）", ["publicity_events", "reports", "assistance_visits"],
                          short=f"{scope}见义勇为活动情况")],
            note="工作站数量为截至日期的累计数；活动为当年1月1日至截至日期的数据，含英模工作室开展的活动。",
        ),
        PressTable(
            key="assistance",
            title=f"表3 {'全市' if county is None else county}见义勇为人员帮扶优抚情况（按类型，{period}）",
            frame=assistance, category="type",
            charts=[chart(f"帮扶优抚人次（按类型，{period}）", ["times"], kind="bar", short="帮扶优抚人次（按类型）"),
                    chart(f"帮扶金额（按类型，{period}）", ["amount_yuan"], kind="bar", short="帮扶金额（按类型）")],
            note="每条帮扶记录计1人次；金额为慰问金、救助金等各类帮扶资金合计。",
        ),
    ]
