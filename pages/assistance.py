"""帮扶优抚: assistance by type, year and county in 人次 and 元; heroes with no assistance in the last 12 months."""
from __future__ import annotations

import streamlit as st

from analytics import labels, reference
from analytics.metrics.assistance import twelve_months_before
from ui import auth, charts, figures, queries
from ui.filters import Filters, current

COLS = labels.ASSISTANCE_COLUMNS
TYPE, TIMES, AMOUNT = COLS["type"], COLS["times"], COLS["amount_yuan"]
TYPE_ORDER = {TYPE: reference.ASSISTANCE_TYPES}
UNIT_ORDER = {labels.UNIT: reference.county_names()}
FAM = figures.ASSISTANCE_COLORS
LIMIT = 2000


def summed(df, by: list[str]):
    """人次 and 元 per `by`, labelled."""
    return df.groupby(by, as_index=False)[["times", "amount_yuan"]].sum().rename(columns=COLS)


def draw_cards(df, unvisited: int) -> None:
    cols = charts.metric_columns(3, "assistance")
    charts.metric(cols[0], "帮扶优抚", int(df["times"].sum()), "人次")
    charts.metric(cols[1], "发放金额", round(float(df["amount_yuan"].sum()), 2), "元")
    charts.metric(cols[2], "近12个月未走访慰问", unvisited, "人", "截至统计日前12个月内没有任何帮扶优抚记录的登记在册人员")


def draw_by_type(df) -> None:
    by_type = summed(df, ["type"])
    left, right = st.columns(2)
    with left:
        fig = figures.bar(by_type, TYPE, TIMES, title="各类型帮扶人次", x_title=TYPE, y_title="人次", unit="人次",
                          text=True, category_orders=TYPE_ORDER)
        charts.chart_with_downloads(fig, by_type, "各类型帮扶人次与金额", key="as_type_times", value_cols=[TIMES])
    with right:
        title = "各类型帮扶金额"
        fig = figures.bar(by_type, TYPE, AMOUNT, title=title, x_title=TYPE, y_title=AMOUNT, unit="元", text=True,
                          category_orders=TYPE_ORDER)
        charts.chart_with_downloads(fig, by_type, title, key="as_type_amount", value_cols=[AMOUNT])


def draw_by_unit(df) -> None:
    by_unit = summed(df, ["unit", "type"])
    left, right = st.columns(2)
    with left:
        fig = figures.bar(by_unit, labels.UNIT, TIMES, color=TYPE, family=FAM, title="各县市区帮扶人次",
                          x_title=labels.UNIT, y_title="人次", unit="人次", category_orders={**TYPE_ORDER, **UNIT_ORDER})
        charts.chart_with_downloads(fig, by_unit, "各县市区各类型帮扶人次与金额", key="as_unit", value_cols=[TIMES])
    with right:
        amount = by_unit.groupby(labels.UNIT, as_index=False)[AMOUNT].sum()
        title = "各县市区帮扶金额"
        fig = figures.bar(amount, labels.UNIT, AMOUNT, title=title, x_title=labels.UNIT, y_title=AMOUNT, unit="元",
                          category_orders=UNIT_ORDER)
        charts.chart_with_downloads(fig, amount, title, key="as_unit_amount", value_cols=[AMOUNT])


def draw_by_year(df) -> None:
    by_year = summed(df, ["year", "type"])
    if by_year[labels.YEAR].nunique() > 1:
        fig = figures.bar(by_year, labels.YEAR, TIMES, color=TYPE, family=FAM, title="各年度帮扶人次（按类型）",
                          x_title=labels.YEAR, y_title="人次", unit="人次", category_orders=TYPE_ORDER)
        charts.chart_with_downloads(fig, by_year, "各年度各类型帮扶人次与金额", key="as_year", value_cols=[TIMES])
    elif not by_year.empty:
        st.caption("如需查看逐年变化，请将统计期间切换为“年份范围内”。")


def draw_assistance(df) -> None:
    draw_by_type(df)
    draw_by_unit(df)
    draw_by_year(df)


def draw_unvisited(f: Filters, per_unit, total: int) -> None:
    unvisited = queries.unvisited_heroes(f.as_of, f.county, LIMIT)
    since = twelve_months_before(f.as_of)
    st.caption(f"{since:%Y年%m月%d日}至{f.as_of:%Y年%m月%d日}期间没有任何帮扶优抚记录的登记在册人员，共 {total:,} 人"
               + (f"（名单列出前 {LIMIT:,} 人，请按县市区筛选查看完整名单）" if total > LIMIT else "")
               + "。本表仅列姓名和所在县市区、镇街，供安排走访使用。")
    if not total:
        st.success("所有登记在册人员近12个月内均有帮扶优抚记录。")
        return
    left, right = st.columns([1, 2])
    with left:
        charts.table_with_downloads(per_unit.rename(columns=COLS), "近12个月未走访慰问人员（分县市区）",
                                    key="as_unvisited_units")
    with right:
        table = unvisited.drop(columns=["total"]).rename(columns=COLS)
        charts.table_with_downloads(table, "近12个月未走访慰问人员名单", key="as_unvisited", height=400)


def main() -> None:
    auth.require_page(__file__)
    f = current()
    st.title("帮扶优抚")
    date_from, date_to, period_label = charts.period_picker(f, "as_period")
    st.caption(f"{f.scope} · {f.as_of_note} · 统计期间 {period_label} · 人次为帮扶记录数，金额为慰问金、救助金等发放金额")
    df = queries.assistance_breakdown(date_from, date_to, f.county)
    per_unit = queries.unvisited_by_unit(f.as_of, f.county)
    unvisited = int(per_unit["people"].sum())
    draw_cards(df, unvisited)
    charts.open_tab_only({"帮扶情况": lambda: draw_assistance(df),
                          "近12个月未走访慰问人员": lambda: draw_unvisited(f, per_unit, unvisited)}, key="as_tab")


main()
