"""表扬等级分析: recognition levels by county-level unit and year (heatmap, stacked bars, table), two counting
rules, drill-down from a county to its towns."""
from __future__ import annotations

import streamlit as st

from analytics import labels, reference
from analytics.metrics.levels import RULES, filter_years, pivot
from ui import auth, charts, figures, queries
from ui.filters import Filters, current, years_text

ALL_LEVELS = "全部等级"
RULE_HELP = ("按人数：每个等级统计受到该等级表扬的人数，同一人受到多个等级表扬的，在各等级分别计算（与新闻发布口径一致）；"
             "按最高级别：每人只计一次，计入其截至统计日受到的最高等级表扬。人员按首次受到该等级表扬的年份计入年度。")


def drill_key(f: Filters) -> str:
    return f"lv_drill_{f.county or 'all'}"


def choose_rule_and_level() -> tuple[str, str]:
    c1, c2 = st.columns([2, 1])
    rule = c1.radio("统计口径", list(RULES), format_func=labels.LEVEL_RULES.get, horizontal=True, key="lv_rule",
                    help=RULE_HELP)
    level = c2.selectbox("热力图表扬等级", [ALL_LEVELS, *reference.LEVELS], key="lv_level")
    return rule, level


def level_bars(long, place: str):
    """(place, 表扬等级, 人数): people per unit (or town) and level, summed over the years."""
    bars = long.groupby(["unit", "level"], as_index=False)["people"].sum()
    return bars.rename(columns={**labels.LEVEL_COLUMNS, "unit": place})


def draw_county_bars(f: Filters, long, units: list[str], rule_name: str) -> None:
    def drill_from_chart() -> None:
        state = st.session_state.get("chart_lv_stack")
        try:
            points = state["selection"]["points"]
        except (KeyError, TypeError):
            return
        for p in points:
            if p.get("x") in reference.county_names():
                st.session_state[drill_key(f)] = p["x"]
                return

    unit, level, people = (labels.LEVEL_COLUMNS[k] for k in ("unit", "level", "people"))
    bars = level_bars(long, unit)
    title = f"各县市区受表扬人数（{rule_name}）"
    fig = figures.bar(bars, unit, people, color=level, family=figures.LEVEL_COLORS, title=title, x_title=unit,
                      y_title="人数（人）", unit="人", category_orders={unit: units, level: reference.LEVELS})
    charts.chart_with_downloads(fig, bars, title, key="lv_stack", value_cols=[people], on_select=drill_from_chart,
                                selection_mode="points")
    if not f.county:
        st.caption("点击柱形可下钻查看该县市区各镇街的情况。")


def draw_heatmap(f: Filters, long, units: list[str], level: str, rule_name: str) -> None:
    years = (f.years[0], max(f.years[0], min(f.years[1], f.as_of.year)))   # no columns after the cut-off year
    table = pivot(long, "year", units, years, level=None if level == ALL_LEVELS else level)
    title = f"各县市区{'' if level == ALL_LEVELS else level}受表扬人数年度分布（{rule_name}）"
    fig = figures.heatmap(table, title=title, x_title=labels.YEAR, y_title=labels.UNIT, value_title="人数")
    data = labels.pivot_labelled(table)
    charts.chart_with_downloads(fig, data, title, key="lv_heat", value_cols=list(data.columns[1:]))


def draw_table(long, units: list[str], rule: str, rule_name: str) -> None:
    title = f"各县市区表扬等级统计表（{rule_name}）"
    st.subheader(title)
    table = labels.with_pivot_total(pivot(long, "level", units))
    charts.table_with_downloads(labels.pivot_labelled(table, total=labels.LEVEL_TOTAL_COLUMN[rule]), title,
                                key="lv_table")
    if rule == "people":
        st.caption("按人数口径下，同一人受到多个等级表扬的在各等级分别计算，“各级合计”为各等级人数之和。")


def draw_towns(f: Filters, units: list[str], rule: str, rule_name: str) -> None:
    st.subheader("镇街下钻")
    drill = st.selectbox("选择县市区", units, index=0 if f.county else None, key=drill_key(f),
                         placeholder="请选择县市区，查看其各镇街情况")
    if not drill:
        return
    towns_long = labels.filled(filter_years(queries.levels_by_town_year(f.as_of, drill, rule), f.years), "unit")
    found = set(towns_long["unit"])
    town_order = [t for t in reference.towns_of(drill) if t in found] + \
        sorted(found - set(reference.towns_of(drill)))
    level, people = labels.LEVEL_COLUMNS["level"], labels.LEVEL_COLUMNS["people"]
    bars = level_bars(towns_long, labels.TOWN)
    title = f"{drill}各镇街受表扬人数（{rule_name}）"
    fig = figures.bar(bars, labels.TOWN, people, color=level, family=figures.LEVEL_COLORS, title=title,
                      x_title=labels.TOWN, y_title="人数（人）", unit="人",
                      category_orders={labels.TOWN: town_order, level: reference.LEVELS})
    charts.chart_with_downloads(fig, bars, title, key="lv_towns", value_cols=[people])
    table = labels.with_pivot_total(pivot(towns_long, "level", town_order))
    charts.table_with_downloads(labels.pivot_labelled(table, labels.TOWN, labels.LEVEL_TOTAL_COLUMN[rule]),
                                f"{drill}各镇街表扬等级统计表（{rule_name}）", key="lv_town_table")


def main() -> None:
    auth.require_page(__file__)
    f = current()
    st.title("表扬等级分析")
    st.caption(f"{f.scope} · {f.as_of_note} · 表扬日期 {years_text(f)}")
    rule, level = choose_rule_and_level()
    rule_name = labels.LEVEL_RULES[rule]
    units = [f.county] if f.county else reference.county_names()
    long = labels.filled(filter_years(queries.levels_by_county_year(f.as_of, f.county, rule), f.years), "unit")
    draw_county_bars(f, long, units, rule_name)
    draw_heatmap(f, long, units, level, rule_name)
    draw_table(long, units, rule, rule_name)
    draw_towns(f, units, rule, rule_name)


main()
