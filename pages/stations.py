"""工作站与工作室: activity by county / town / station / month / type / 五进 venue, station ranking, inactive
stations, 五有 compliance, hero studios and their activity."""
from __future__ import annotations

import streamlit as st

from analytics import reference
from ui import charts, figures
from ui.filters import current
from ui import auth, queries
from ui.text import chart_text

auth.require_page(__file__)

f = current()
st.title("工作站与工作室")
date_from, date_to, period_label = charts.period_picker(f, "st_period")
st.caption(f"{f.scope} · {f.as_of_note} · 活动统计期间 {period_label} · 工作站、工作室按截至日期已成立的计")

b = queries.activity_breakdown(date_from, date_to, f.county)
fh = queries.five_has(f.as_of, f.county)
studios = queries.studios_activity(f.as_of, date_from, date_to, f.county)
tot = b["totals"]

cols = charts.metric_columns(5, "stations")
charts.metric(cols[0], "见义勇为工作站", int(fh["stations"].sum()), "个")
charts.metric(cols[1], "英模工作室", len(studios), "个")
charts.metric(cols[2], "宣传活动", tot["宣传活动"], "场次")
charts.metric(cols[3], "发现上报", tot["发现上报"], "人次")
charts.metric(cols[4], "慰问帮扶", tot["慰问帮扶"], "人次")
st.caption("活动数量：宣传活动、培训按场次计，发现上报、慰问帮扶按人次计。")

# Four tabs, and only the open one is drawn (fewer charts per page switch; the others are built when chosen).
TABS = ["活动情况", "工作站排名", "“五有”达标", "英模工作室"]
tab_activity, tab_rank, tab_five, tab_studios = st.tabs(TABS, key="st_tab", on_change="rerun")
with tab_activity:
    if tab_activity.open:
        TYPE_ORDER = {"活动类型": reference.ACTIVITY_TYPES}

        left, right = st.columns(2)
        with left:
            if f.county:
                data = b["by_town"].rename(columns={"town": "镇街", "type": "活动类型", "count": "数量"})[["镇街", "活动类型", "数量"]]
                town_order = [t for t in reference.towns_of(f.county) if t in set(data["镇街"])]
                town_order += sorted(set(data["镇街"]) - set(town_order))
                title = f"{f.county}各镇街工作站活动情况"
                fig = figures.bar(data, "镇街", "数量", color="活动类型", family=figures.ACTIVITY_COLORS, title=title,
                                  x_title="镇街", y_title="数量（场次/人次）", category_orders={**TYPE_ORDER, "镇街": town_order})
            else:
                data = b["by_unit"].rename(columns={"unit": "县市区", "type": "活动类型", "count": "数量"})
                title = "各县市区工作站活动情况"
                fig = figures.bar(data, "县市区", "数量", color="活动类型", family=figures.ACTIVITY_COLORS, title=title,
                                  x_title="县市区", y_title="数量（场次/人次）",
                                  category_orders={**TYPE_ORDER, "县市区": reference.county_names()})
            charts.chart_with_downloads(fig, data, title, key="st_units", value_cols=["数量"])
        with right:
            data = b["by_month"].rename(columns={"month": "月份", "type": "活动类型", "count": "数量"})
            title = "各月份活动情况"
            fig = figures.bar(data, "月份", "数量", color="活动类型", family=figures.ACTIVITY_COLORS, title=title,
                              x_title="月份", y_title="数量（场次/人次）", category_orders=TYPE_ORDER)
            charts.chart_with_downloads(fig, data, title, key="st_months", value_cols=["数量"])

        left, right = st.columns(2)
        with left:
            venues = b["by_venue"].set_index("venue")["count"]
            data = venues.reindex(reference.VENUES + [v for v in venues.index if v not in reference.VENUES],
                                  fill_value=0).rename_axis("宣传场所").reset_index(name="宣传活动（场次）")
            data["宣传场所"] = data["宣传场所"].map(lambda v: f"进{v}" if v in reference.VENUES else v)
            title = "宣传活动“五进”情况"
            fig = figures.bar(data, "宣传场所", "宣传活动（场次）", title=title, x_title="宣传场所", y_title="场次",
                              unit="场次", text=True)
            charts.chart_with_downloads(fig, data, title, key="st_venues", value_cols=["宣传活动（场次）"])
        with right:
            top = b["stations"].head(15).rename(columns={"name": "工作站", "unit": "县市区", "total": "活动合计"})
            short = top.assign(工作站=top["工作站"].str.removesuffix("见义勇为工作站").map(chart_text))
            title = "工作站活动排名（前15名）"
            fig = figures.bar(short, "活动合计", "工作站", color="县市区", title=title, x_title="活动合计（场次/人次）",
                              y_title="工作站", horizontal=True, text=True, height=480,
                              category_orders={"工作站": list(short["工作站"])})
            charts.chart_with_downloads(fig, top, title, key="st_rank_chart", value_cols=["活动合计"])

with tab_rank:
    if tab_rank.open:
        ranking = b["stations"].rename(columns={
            "name": "工作站", "unit": "县市区", "town": "镇街", "publicity_events": "宣传活动（场次）",
            "reports": "发现上报（人次）", "assistance_visits": "慰问帮扶（人次）", "total": "活动合计"})
        ranking.insert(0, "排名", range(1, len(ranking) + 1))
        charts.table_with_downloads(ranking, "工作站活动排名", key="st_rank", height=360)

        st.html('<div class="yy-chart-title">近90天无活动的工作站</div>')
        inactive = queries.inactive_stations(f.as_of, f.county, 90)
        st.caption(f"截至 {f.as_of:%Y年%m月%d日} 前90天内（含当日）未记录任何活动的工作站，共 {len(inactive)} 个。")
        if not inactive.empty:
            inactive = inactive.rename(columns={"name": "工作站", "unit": "县市区", "town": "镇街", "established_on": "成立日期",
                                                "last_activity": "最近一次活动", "days_since": "距今天数"})
            inactive["最近一次活动"] = inactive["最近一次活动"].map(lambda d: "无记录" if d is None or d != d else d)
            charts.table_with_downloads(inactive, "近90天无活动的工作站", key="st_inactive")
        else:
            st.success("所有工作站近90天内均有活动记录。")

with tab_five:
    if tab_five.open:
        if fh.empty:
            st.info(f"工作站“五有”达标情况：{charts.EMPTY}")
        else:
            data = fh.rename(columns={"unit": "县市区", "stations": "工作站（个）", **{k: f"{v}（个）" for k, v in reference.FIVE_HAS.items()},
                                      "all_five": "“五有”全部达标（个）", "rate": "达标率"})
            chart = data[["县市区", "达标率"]]
            fig = figures.bar(chart, "县市区", "达标率", title="各县市区工作站“五有”达标率", x_title="县市区", y_title="达标率",
                              percent=True, text=True, category_orders={"县市区": list(chart["县市区"])})
            charts.chart_with_downloads(fig, data, "各县市区工作站“五有”达标情况", key="st_fivehas")
            st.dataframe(data, hide_index=True, width="stretch", height="content", column_config={
                "达标率": st.column_config.NumberColumn(format="percent")})

with tab_studios:
    if tab_studios.open:
        if studios.empty:
            st.info(f"英模工作室：{charts.EMPTY}")
        else:
            sd = studios.rename(columns={"name": "工作室", "unit": "县市区", "town": "镇街", "hero_name": "命名英模",
                                         "established_on": "成立日期", "publicity_events": "宣传活动（场次）",
                                         "reports": "发现上报（人次）", "assistance_visits": "慰问帮扶（人次）",
                                         "total": "活动合计"})
            title = "英模工作室活动情况"
            ranked = sd.sort_values("活动合计", ascending=False, kind="stable")
            ranked = ranked.assign(工作室=ranked["工作室"].str.removeprefix("见义勇为"))
            fig = figures.bar(ranked, "活动合计", "工作室", color="县市区", title=title,
                              x_title="活动合计（场次/人次）", y_title="工作室", horizontal=True, text=True,
                              height=max(360, 26 * len(sd) + 120))
            charts.chart_with_downloads(fig, sd, title, key="st_studios_chart", value_cols=["活动合计"])
            st.dataframe(sd, hide_index=True, width="stretch")
