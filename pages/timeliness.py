"""及时性: days from the deed to each of the five 及时 steps — median and 90th percentile, by county and year;
the cases over a threshold."""
from __future__ import annotations

import streamlit as st

from analytics import labels, reference
from analytics.metrics.timeliness import STEP_COLUMNS
from ui import auth, charts, figures, queries
from ui.filters import Filters, current, years_text

COLS = labels.TIMELINESS_COLUMNS
STEP, DEEDS, MEDIAN, P90 = COLS["step"], COLS["deeds"], COLS["median_days"], COLS["p90_days"]
DEFAULT_STEP = STEP_COLUMNS.index("confirmed_on")      # 及时确认
STAT_COLORS = {MEDIAN: "#2E86C1", P90: "#C0392B"}
LIMIT = 1000


def step_name(step: str) -> str:
    return labels.STEP_LABELS[step]


def labelled(stats):
    """A step_stats table with the steps named and its columns labelled."""
    return stats.assign(step=stats["step"].map(labels.STEP_LABELS)).rename(columns=COLS)


def draw_overall(overall) -> None:
    if overall.empty:
        st.info(charts.EMPTY)
        return
    st.caption("各环节用时中位数（自事迹发生之日起，天）：")
    cols = charts.metric_columns(5, "timeliness")
    by_step = overall.set_index("step")
    for col, step in zip(cols, STEP_COLUMNS):
        if step in by_step.index:
            r = by_step.loc[step]
            col.metric(step_name(step), f"{r['median_days']:g}天", border=True,
                       help=f"共 {int(r['deeds']):,} 件事迹已完成该环节；90%的事迹在 {r['p90_days']:g} 天内完成")
        else:
            col.metric(step_name(step), "—", border=True)

    data = labelled(overall)
    long = data.melt(id_vars=[STEP], value_vars=[MEDIAN, P90], var_name=labels.STATISTIC, value_name="天数")
    title = "“五个及时”各环节用时（自事迹发生之日起）"
    fig = figures.bar(long, STEP, "天数", color=labels.STATISTIC, barmode="group", title=title, x_title=STEP,
                      y_title="天数（天）", unit="天", text=True,
                      category_orders={STEP: [step_name(s) for s in STEP_COLUMNS]}, family=STAT_COLORS)
    charts.chart_with_downloads(fig, data, title, key="tl_overall")


def draw_step(stats: dict, step: str) -> None:
    name = step_name(step)
    left, right = st.columns(2)
    with left:
        by_unit = stats["by_unit"]
        data = labelled(by_unit[by_unit["step"] == step])
        title = f"各县市区{name}用时（中位数）"
        fig = figures.bar(data, labels.UNIT, MEDIAN, title=title, x_title=labels.UNIT, y_title=MEDIAN, unit="天",
                          text=True, category_orders={labels.UNIT: reference.county_names()})
        charts.chart_with_downloads(fig, data, title, key="tl_units", value_cols=[DEEDS])
    with right:
        by_year = stats["by_year"]
        data = labelled(by_year[by_year["step"] == step])
        long = data.melt(id_vars=[labels.YEAR], value_vars=[MEDIAN, P90], var_name=labels.STATISTIC,
                         value_name="天数")
        title = f"{name}用时逐年变化"
        fig = figures.line(long, labels.YEAR, "天数", color=labels.STATISTIC, title=title, x_title="事迹发生年份",
                           y_title="天数（天）", unit="天", family=STAT_COLORS)
        charts.chart_with_downloads(fig, data, title, key="tl_years", value_cols=[DEEDS])


def draw_overdue(f: Filters) -> None:
    st.subheader("超时事迹")
    c1, c2 = st.columns(2)
    step = c1.selectbox("环节", STEP_COLUMNS, index=DEFAULT_STEP, format_func=step_name, key="tl_over_step")
    threshold = int(c2.number_input(
        "超过天数", min_value=1, max_value=3650, value=60, step=5, key="tl_threshold",
        help="列出自事迹发生之日起超过该天数才完成（或截至统计日仍未完成）该环节的事迹"))
    name = step_name(step)
    cases = queries.overdue_cases(f.as_of, f.county, f.years, step, threshold, LIMIT)
    total = int(cases["total"].iloc[0]) if not cases.empty else 0
    st.caption(f"自事迹发生之日起超过 {threshold} 天才{name.removeprefix('及时')}（或截至统计日仍未完成）的事迹共 "
               f"{total:,} 件" + (f"，下表列出用时最长的 {LIMIT:,} 件。" if total > LIMIT else "。"))
    if cases.empty:
        return
    cases = cases.drop(columns=["total"])
    cases = cases.assign(step_on=cases["step_on"].map(lambda d: labels.NOT_DONE if d is None or d != d else d))
    charts.table_with_downloads(cases.rename(columns=labels.overdue_columns(step)), f"{name}超过{threshold}天的事迹",
                                key="tl_cases", height=400)


def main() -> None:
    auth.require_page(__file__)
    f = current()
    st.title("及时性分析")
    st.caption(f"{f.scope} · {f.as_of_note} · 事迹发生日期 {years_text(f)} · "
               "“五个及时”：及时发现、及时调查、及时确认、及时表扬、及时帮扶，均自事迹发生之日起计算天数")
    stats = queries.step_stats(f.as_of, f.county, f.years, st.session_state.get("tl_step", STEP_COLUMNS[DEFAULT_STEP]))
    draw_overall(stats["overall"])
    step = st.selectbox("分析环节", STEP_COLUMNS, index=DEFAULT_STEP, format_func=step_name, key="tl_step")
    draw_step(stats, step)
    draw_overdue(f)


main()
