"""趋势: deeds per year / month by type and place, heroes by status, occupation and political status
(党员 share), year-over-year comparison."""
from __future__ import annotations

import streamlit as st

from analytics import reference
from ui import charts, figures
from ui.filters import current, years_text
from ui import auth, queries


def yoy_table(frame, value_label: str, unit: str, heading: str, title: str, key: str) -> None:
    """A year-over-year table (year, range, value, previous, change, change_pct), newest year first."""
    table = frame.rename(columns={
        "year": "年份", "range": "比较期间", "value": value_label, "previous": f"上年同期（{unit}）",
        "change": f"同比增减（{unit}）", "change_pct": "同比增减（%）"})
    table = table[["年份", "比较期间", value_label, f"上年同期（{unit}）", f"同比增减（{unit}）", "同比增减（%）"]]
    st.html(f'<div class="yy-chart-title">{heading}</div>')
    st.caption("不满一年的年份与上年同一期间相比（见“比较期间”），其余年份为全年相比。")
    charts.table_with_downloads(table.iloc[::-1], title, key=key, height=360,
                                column_config={"比较期间": st.column_config.TextColumn(width="medium")})


auth.require_page(__file__)

f = current()
st.title("趋势分析")
st.caption(f"{f.scope} · {f.as_of_note} · 统计范围 {years_text(f)} · "
           "事迹按发生时间统计（截至统计日已确认的），人员按确认登记时间统计")
freq = st.session_state.get("tr_freq", "year")
t = queries.trend_tables_fair(f.as_of, f.county, f.years, freq)
now_before = t["same_period"]
cols = charts.metric_columns(4, "trends")
for col, key, label, unit in ((cols[0], "deeds", "今年以来见义勇为事迹", "件"), (cols[1], "people", "今年以来新确认人员", "人")):
    now, before = now_before[key]
    charts.compare_metric(col, label, now, before, unit,
                          f"{f.as_of.year}年1月1日至{f.as_of.month}月{f.as_of.day}日，与上年同期（{before:,}{unit}）相比")
# Two tabs, and only the open one is drawn (fewer charts per page switch; the other is built when chosen).
deeds_tab, people_tab = st.tabs(["见义勇为事迹", "见义勇为人员构成"], key="tr_tab", on_change="rerun")

with deeds_tab:
    if deeds_tab.open:
        freq = st.radio("时间粒度", ["year", "month"], format_func={"year": "按年", "month": "按月"}.get, horizontal=True,
                        key="tr_freq")
        period_name = "年份" if freq == "year" else "月份"

        # ---- deeds ----------------------------------------------------------------------------------------------
        data = t["deeds_type"].rename(columns={"period": period_name, "category": "事迹类型", "deeds": "事迹（件）"})
        title = f"见义勇为事迹数量（按类型，{'逐年' if freq == 'year' else '逐月'}）"
        fig = figures.bar(data, period_name, "事迹（件）", color="事迹类型", family=figures.DEED_TYPE_COLORS, title=title,
                          x_title=period_name,
                          y_title="事迹（件）", unit="件", category_orders={"事迹类型": reference.DEED_TYPES})
        charts.chart_with_downloads(fig, data, title, key="tr_type", value_cols=["事迹（件）"])

        left, right = st.columns(2)
        with left:
            data = t["deeds_place"].rename(columns={"period": period_name, "category": "发生地", "deeds": "事迹（件）"})
            title = "市域内、市域外见义勇为事迹"
            fig = figures.bar(data, period_name, "事迹（件）", color="发生地", family=figures.PLACE_COLORS, title=title,
                              x_title=period_name, y_title="事迹（件）", unit="件",
                              category_orders={"发生地": ["市域内", "市域外"]})
            charts.chart_with_downloads(fig, data, title, key="tr_place", value_cols=["事迹（件）"])
            st.caption("市域外事迹由见义勇为人员户籍地县市区统计（聊城义士）。")
        with right:
            yoy_table(t["deeds_yoy"].rename(columns={"period": "year", "deeds": "value"}), "事迹（件）", "件",
                      "事迹数量同比", "见义勇为事迹数量同比", key="tr_yoy")

        if not f.county:
            data = t["deeds_unit"].rename(columns={"period": "年份", "category": "县市区", "deeds": "事迹（件）"})
            title = "各县市区见义勇为事迹逐年变化"
            fig = figures.line(data, "年份", "事迹（件）", color="县市区", title=title, x_title="年份", y_title="事迹（件）",
                               unit="件")
            charts.chart_with_downloads(fig, data, title, key="tr_units", value_cols=["事迹（件）"])

with people_tab:
    if people_tab.open:
        # ---- people ---------------------------------------------------------------------------------------------
        left, right = st.columns(2)
        with left:
            data = t["status"].rename(columns={"year": "年份", "category": "人员状况", "people": "人数（人）"})
            title = "各年度确认人员状况（健在、受伤、致残、牺牲）"
            fig = figures.bar(data, "年份", "人数（人）", color="人员状况", family=figures.STATUS_COLORS, title=title,
                              x_title="年份", y_title="人数（人）", unit="人", category_orders={"人员状况": reference.STATUSES})
            charts.chart_with_downloads(fig, data, title, key="tr_status", value_cols=["人数（人）"])
        with right:
            yoy_table(t["people_yoy"].rename(columns={"people": "value"}), "确认人数（人）", "人",
                      "确认人数同比", "见义勇为人员确认人数同比", key="tr_people_yoy")

        left, right = st.columns(2)
        with left:
            data = t["occupation"].rename(columns={"category": "职业", "people": "人数（人）"})
            title = "见义勇为人员职业分布"
            fig = figures.bar(data, "人数（人）", "职业", title=title, x_title="人数（人）", y_title="职业", horizontal=True,
                              unit="人", text=True, family={c: "#2E86C1" for c in data["职业"]})
            charts.chart_with_downloads(fig, data, title, key="tr_occ", value_cols=["人数（人）"])
        with right:
            share = t["party"].rename(columns={"year": "年份", "people": "确认人数（人）", "party": "党员（人）",
                                                     "share": "党员占比"})
            title = "党员（含预备党员）占比逐年变化"
            fig = figures.line(share, "年份", "党员占比", title=title, x_title="年份", y_title="党员占比", percent=True)
            charts.chart_with_downloads(fig, share, title, key="tr_party", value_cols=["确认人数（人）"])
            if not share.empty:
                total = share["党员（人）"].sum() / share["确认人数（人）"].sum()
                st.caption(f"所选范围内党员（中共党员、中共预备党员）共 {share['党员（人）'].sum():,} 人，占 {total:.1%}。")

        data = t["political"].rename(columns={"category": "政治面貌", "people": "人数（人）"})
        title = "见义勇为人员政治面貌分布"
        fig = figures.bar(data, "政治面貌", "人数（人）", title=title, x_title="政治面貌", y_title="人数（人）", unit="人",
                          text=True, family={p: ("#C0392B" if p in reference.PARTY_MEMBERS else "#7FA7C9")
                                             for p in data["政治面貌"]})
        charts.chart_with_downloads(fig, data, title, key="tr_pol", value_cols=["人数（人）"])
