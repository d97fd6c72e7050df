"""帮扶优抚: assistance by type, year and county in 人次 and 元; heroes with no assistance in the last 12 months."""
from __future__ import annotations

import streamlit as st

from analytics import reference
from analytics.metrics.assistance import twelve_months_before
from ui import charts, figures
from ui.filters import current
from ui import auth, queries

auth.require_page(__file__)

f = current()
st.title("帮扶优抚")
date_from, date_to, period_label = charts.period_picker(f, "as_period")
st.caption(f"{f.scope} · {f.as_of_note} · 统计期间 {period_label} · 人次为帮扶记录数，金额为慰问金、救助金等发放金额")

df = queries.assistance_breakdown(date_from, date_to, f.county)
per_unit = queries.unvisited_by_unit(f.as_of, f.county)
unvisited_total = int(per_unit["people"].sum())
cols = charts.metric_columns(3, "assistance")
charts.metric(cols[0], "帮扶优抚", int(df["times"].sum()), "人次")
charts.metric(cols[1], "发放金额", round(float(df["amount_yuan"].sum()), 2), "元")
charts.metric(cols[2], "近12个月未走访慰问", unvisited_total, "人", "截至统计日前12个月内没有任何帮扶优抚记录的登记在册人员")
FAM = figures.ASSISTANCE_COLORS

# Two tabs, and only the open one is drawn (fewer charts and tables per page switch).
tab_charts, tab_unvisited = st.tabs(["帮扶情况", "近12个月未走访慰问人员"], key="as_tab", on_change="rerun")
with tab_charts:
    if tab_charts.open:
        TYPE_ORDER = {"帮扶类型": reference.ASSISTANCE_TYPES}
        by_type = df.groupby("type", as_index=False)[["times", "amount_yuan"]].sum()
        by_type = by_type.rename(columns={"type": "帮扶类型", "times": "帮扶（人次）", "amount_yuan": "金额（元）"})
        left, right = st.columns(2)
        with left:
            title = "各类型帮扶人次"
            fig = figures.bar(by_type, "帮扶类型", "帮扶（人次）", title=title, x_title="帮扶类型", y_title="人次", unit="人次",
                              text=True, category_orders=TYPE_ORDER)
            charts.chart_with_downloads(fig, by_type, "各类型帮扶人次与金额", key="as_type_times", value_cols=["帮扶（人次）"])
        with right:
            title = "各类型帮扶金额"
            fig = figures.bar(by_type, "帮扶类型", "金额（元）", title=title, x_title="帮扶类型", y_title="金额（元）",
                              unit="元", text=True, category_orders=TYPE_ORDER)
            charts.chart_with_downloads(fig, by_type, "各类型帮扶金额", key="as_type_amount", value_cols=["金额（元）"])

        by_unit = df.groupby(["unit", "type"], as_index=False)[["times", "amount_yuan"]].sum()
        by_unit = by_unit.rename(columns={"unit": "县市区", "type": "帮扶类型", "times": "帮扶（人次）", "amount_yuan": "金额（元）"})
        left, right = st.columns(2)
        with left:
            title = "各县市区帮扶人次"
            fig = figures.bar(by_unit, "县市区", "帮扶（人次）", color="帮扶类型", family=FAM, title=title, x_title="县市区", y_title="人次",
                              unit="人次", category_orders={**TYPE_ORDER, "县市区": reference.county_names()})
            charts.chart_with_downloads(fig, by_unit, "各县市区各类型帮扶人次与金额", key="as_unit", value_cols=["帮扶（人次）"])
        with right:
            amount = by_unit.groupby("县市区", as_index=False)["金额（元）"].sum()
            title = "各县市区帮扶金额"
            fig = figures.bar(amount, "县市区", "金额（元）", title=title, x_title="县市区", y_title="金额（元）", unit="元",
                              category_orders={"县市区": reference.county_names()})
            charts.chart_with_downloads(fig, amount, title, key="as_unit_amount", value_cols=["金额（元）"])

        by_year = df.groupby(["year", "type"], as_index=False)[["times", "amount_yuan"]].sum()
        by_year = by_year.rename(columns={"year": "年份", "type": "帮扶类型", "times": "帮扶（人次）", "amount_yuan": "金额（元）"})
        title = "各年度帮扶人次（按类型）"
        if by_year["年份"].nunique() > 1:
            fig = figures.bar(by_year, "年份", "帮扶（人次）", color="帮扶类型", family=FAM, title=title, x_title="年份",
                              y_title="人次", unit="人次", category_orders=TYPE_ORDER)
            charts.chart_with_downloads(fig, by_year, "各年度各类型帮扶人次与金额", key="as_year", value_cols=["帮扶（人次）"])
        elif not by_year.empty:
            st.caption("如需查看逐年变化，请将统计期间切换为“年份范围内”。")

with tab_unvisited:
    if tab_unvisited.open:
        LIMIT = 2000
        unvisited = queries.unvisited_heroes(f.as_of, f.county, LIMIT)
        total = unvisited_total
        since = twelve_months_before(f.as_of)
        st.caption(f"{since:%Y年%m月%d日}至{f.as_of:%Y年%m月%d日}期间没有任何帮扶优抚记录的登记在册人员，共 {total:,} 人"
                   + (f"（名单列出前 {LIMIT:,} 人，请按县市区筛选查看完整名单）" if total > LIMIT else "")
                   + "。本表仅列姓名和所在县市区、镇街，供安排走访使用。")
        if total:
            left, right = st.columns([1, 2])
            with left:
                charts.table_with_downloads(per_unit.rename(columns={"unit": "县市区", "people": "人数（人）"}),
                                            "近12个月未走访慰问人员（分县市区）", key="as_unvisited_units")
            with right:
                table = unvisited.drop(columns=["total"]).rename(columns={"name": "姓名", "unit": "县市区", "town": "镇街"})
                charts.table_with_downloads(table, "近12个月未走访慰问人员名单", key="as_unvisited", height=400)
        else:
            st.success("所有登记在册人员近12个月内均有帮扶优抚记录。")
