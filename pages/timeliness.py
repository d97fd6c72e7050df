"""及时性: days from the deed to each of the five 及时 steps — median and 90th percentile, by county and year;
the cases over a threshold."""
from __future__ import annotations

import streamlit as st

from analytics import reference
from analytics.metrics.timeliness import STEP_NAMES
from ui import charts, figures
from ui.filters import current, years_text
from ui import auth, queries

auth.require_page(__file__)

f = current()
st.title("及时性分析")
st.caption(f"{f.scope} · {f.as_of_note} · 事迹发生日期 {years_text(f)} · "
           "“五个及时”：及时发现、及时调查、及时确认、及时表扬、及时帮扶，均自事迹发生之日起计算天数")

STEPS = [name for _, name in reference.FIVE_STEPS]
step = st.session_state.get("tl_step", STEPS[2])
stats = queries.step_stats(f.as_of, f.county, f.years, step)
overall = stats["overall"]

if overall.empty:
    st.info(charts.EMPTY)
else:
    st.caption("各环节用时中位数（自事迹发生之日起，天）：")
    cols = charts.metric_columns(5, "timeliness")
    by_step = overall.set_index("step")
    for col, step in zip(cols, STEPS):
        if step in by_step.index:
            r = by_step.loc[step]
            col.metric(step, f"{r['median_days']:g}天", border=True,
                       help=f"共 {int(r['deeds']):,} 件事迹已完成该环节；90%的事迹在 {r['p90_days']:g} 天内完成")
        else:
            col.metric(step, "—", border=True)

    data = overall.rename(columns={"step": "环节", "deeds": "已完成事迹（件）", "median_days": "中位数（天）",
                                   "p90_days": "90%分位数（天）"})
    long = data.melt(id_vars=["环节"], value_vars=["中位数（天）", "90%分位数（天）"], var_name="统计量",
                     value_name="天数")
    title = "“五个及时”各环节用时（自事迹发生之日起）"
    fig = figures.bar(long, "环节", "天数", color="统计量", barmode="group", title=title, x_title="环节",
                      y_title="天数（天）", unit="天", text=True, category_orders={"环节": STEPS},
                      family={"中位数（天）": "#2E86C1", "90%分位数（天）": "#C0392B"})
    charts.chart_with_downloads(fig, data, title, key="tl_overall")

step = st.selectbox("分析环节", STEPS, index=2, key="tl_step")
left, right = st.columns(2)
with left:
    by_unit = stats["by_unit"]
    data = by_unit[by_unit["step"] == step].rename(columns={
        "unit": "县市区", "step": "环节", "deeds": "已完成事迹（件）", "median_days": "中位数（天）",
        "p90_days": "90%分位数（天）"})
    title = f"各县市区{step}用时（中位数）"
    fig = figures.bar(data, "县市区", "中位数（天）", title=title, x_title="县市区", y_title="中位数（天）", unit="天",
                      text=True, category_orders={"县市区": reference.county_names()})
    charts.chart_with_downloads(fig, data, title, key="tl_units", value_cols=["已完成事迹（件）"])
with right:
    by_year = stats["by_year"]
    data = by_year[by_year["step"] == step].rename(columns={
        "year": "年份", "step": "环节", "deeds": "已完成事迹（件）", "median_days": "中位数（天）",
        "p90_days": "90%分位数（天）"})
    long = data.melt(id_vars=["年份"], value_vars=["中位数（天）", "90%分位数（天）"], var_name="统计量",
                     value_name="天数")
    title = f"{step}用时逐年变化"
    fig = figures.line(long, "年份", "天数", color="统计量", title=title, x_title="事迹发生年份", y_title="天数（天）",
                       unit="天", family={"中位数（天）": "#2E86C1", "90%分位数（天）": "#C0392B"})
    charts.chart_with_downloads(fig, data, title, key="tl_years", value_cols=["已完成事迹（件）"])

st.subheader("超时事迹")
c1, c2 = st.columns(2)
step_col = {v: k for k, v in STEP_NAMES.items()}
over_step = c1.selectbox("环节", STEPS, index=2, key="tl_over_step")
threshold = c2.number_input("超过天数", min_value=1, max_value=3650, value=60, step=5, key="tl_threshold",
                            help="列出自事迹发生之日起超过该天数才完成（或截至统计日仍未完成）该环节的事迹")
LIMIT = 1000
cases = queries.overdue_cases(f.as_of, f.county, f.years, step_col[over_step], int(threshold),
                LIMIT)
total = int(cases["total"].iloc[0]) if not cases.empty else 0
st.caption(f"自事迹发生之日起超过 {int(threshold)} 天才{over_step.removeprefix('及时')}（或截至统计日仍未完成）的事迹共 "
           f"{total:,} 件" + (f"，下表列出用时最长的 {LIMIT:,} 件。" if total > LIMIT else "。"))
if not cases.empty:
    cases = cases.drop(columns=["total"])
    cases = cases.assign(step_on=cases["step_on"].map(lambda d: "未完成" if d is None or d != d else d))
    cases = cases.rename(columns={"deed_date": "事迹发生日期", "unit": "县市区", "deed_type": "事迹类型",
                                  "place": "发生地点", "heroes": "见义勇为人员", "step_on": f"{over_step}日期",
                                  "days": "用时（天）"})
    charts.table_with_downloads(cases, f"{over_step}超过{int(threshold)}天的事迹", key="tl_cases", height=400)
