"""表扬等级分析: recognition levels by county-level unit and year (heatmap, stacked bars, table), two counting
rules, drill-down from a county to its towns."""
from __future__ import annotations

import streamlit as st

from analytics import reference
from analytics.metrics.levels import RULES, filter_years, pivot
from ui import charts, figures
from ui.filters import current, years_text
from ui import auth, queries

auth.require_page(__file__)

f = current()
years = (f.years[0], max(f.years[0], min(f.years[1], f.as_of.year)))   # no columns after the cut-off year
st.title("表扬等级分析")
st.caption(f"{f.scope} · {f.as_of_note} · 表扬日期 {years_text(f)}")

c1, c2 = st.columns([2, 1])
rule = c1.radio(
    "统计口径", list(RULES), format_func=RULES.get, horizontal=True, key="lv_rule",
    help="按人数：每个等级统计受到该等级表扬的人数，同一人受到多个等级表扬的，在各等级分别计算（与新闻发布口径一致）；"
         "按最高级别：每人只计一次，计入其截至统计日受到的最高等级表扬。人员按首次受到该等级表扬的年份计入年度。")
level = c2.selectbox("热力图表扬等级", ["全部等级", *reference.LEVELS], key="lv_level")
rule_name = RULES[rule]

units = [f.county] if f.county else reference.county_names()
long = filter_years(queries.levels_by_county_year(f.as_of, f.county, rule), f.years)
table = pivot(long, "level", units)
LEVEL_COLS = {lv: f"{lv}（人）" for lv in reference.LEVELS}


def labelled(t, first: str):
    out = t.reset_index().rename(columns={"unit": first, **LEVEL_COLS})
    out.columns = [str(c) if not isinstance(c, str) else c for c in out.columns]
    return out


# stacked bars: unit × level
DRILL_KEY = f"lv_drill_{f.county or 'all'}"


def _drill_from_chart() -> None:
    state = st.session_state.get("chart_lv_stack")
    try:
        points = state["selection"]["points"]
    except (KeyError, TypeError):
        return
    for p in points:
        if p.get("x") in reference.county_names():
            st.session_state[DRILL_KEY] = p["x"]
            return


bars = long.groupby(["unit", "level"], as_index=False)["people"].sum()
bars = bars.rename(columns={"unit": "县市区", "level": "表扬等级", "people": "人数"})
fig = figures.bar(bars, "县市区", "人数", color="表扬等级", family=figures.LEVEL_COLORS,
                  title=f"各县市区受表扬人数（{rule_name}）", x_title="县市区", y_title="人数（人）", unit="人",
                  category_orders={"县市区": units, "表扬等级": reference.LEVELS})
charts.chart_with_downloads(fig, bars, f"各县市区受表扬人数（{rule_name}）", key="lv_stack", value_cols=["人数"],
                            on_select=_drill_from_chart, selection_mode="points")
if not f.county:
    st.caption("点击柱形可下钻查看该县市区各镇街的情况。")

# heatmap: unit × year for one level (or all)
years_table = pivot(long, "year", units, years, level=None if level == "全部等级" else level, total=False)
heat_title = f"各县市区{'' if level == '全部等级' else level}受表扬人数年度分布（{rule_name}）"
fig = figures.heatmap(years_table, title=heat_title, x_title="年份", y_title="县市区", value_title="人数")
heat_data = labelled(years_table, "县市区")
charts.chart_with_downloads(fig, heat_data, heat_title, key="lv_heat", value_cols=list(heat_data.columns[1:]))

# the table itself
st.subheader(f"各县市区表扬等级统计表（{rule_name}）")
table_df = labelled(table, "县市区").rename(columns={"合计": "合计（人）" if rule == "highest" else "各级合计（人次）"})
charts.table_with_downloads(table_df, f"各县市区表扬等级统计表（{rule_name}）", key="lv_table")
if rule == "people":
    st.caption("按人数口径下，同一人受到多个等级表扬的在各等级分别计算，“各级合计”为各等级人数之和。")

# drill-down to towns
st.subheader("镇街下钻")
options = units
drill = st.selectbox("选择县市区", options, index=0 if f.county else None, key=DRILL_KEY,
                     placeholder="请选择县市区，查看其各镇街情况")
if drill:
    towns_long = filter_years(queries.levels_by_town_year(f.as_of, drill, rule), f.years)
    town_order = [t for t in reference.towns_of(drill) if t in set(towns_long["unit"])] + \
        sorted(set(towns_long["unit"]) - set(reference.towns_of(drill)))
    town_bars = towns_long.groupby(["unit", "level"], as_index=False)["people"].sum().rename(
        columns={"unit": "镇街", "level": "表扬等级", "people": "人数"})
    title = f"{drill}各镇街受表扬人数（{rule_name}）"
    fig = figures.bar(town_bars, "镇街", "人数", color="表扬等级", family=figures.LEVEL_COLORS, title=title,
                      x_title="镇街", y_title="人数（人）", unit="人",
                      category_orders={"镇街": town_order, "表扬等级": reference.LEVELS})
    charts.chart_with_downloads(fig, town_bars, title, key="lv_towns", value_cols=["人数"])
    town_table = labelled(pivot(towns_long, "level", town_order), "镇街").rename(
        columns={"合计": "合计（人）" if rule == "highest" else "各级合计（人次）"})
    charts.table_with_downloads(town_table, f"{drill}各镇街表扬等级统计表（{rule_name}）", key="lv_town_table")
