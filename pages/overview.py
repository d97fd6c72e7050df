"""总览, the leader's cockpit: a headline band, a trend and the county ranking in the first laptop screen; the
other key figures grouped by theme, each against the same date a year earlier; the county map."""
from __future__ import annotations

import streamlit as st

from analytics import reference
from analytics.metrics.figures import key_figures
from analytics.metrics.levels import levels_by_county
from analytics.metrics.scope import same_day_last_year
from analytics.metrics.scope import is_part_year
from ui import auth, charts, figures, queries
from ui.filters import current

auth.require_page(__file__)

f = current()
before_day = same_day_last_year(f.as_of)
st.title("见义勇为工作总览")
st.caption(f"{f.scope} · {f.as_of_note} · 卡片下方为与上年同期（{before_day:%Y年%m月%d日}）相比的增减；"
           f"“今年以来”为{f.as_of.year}年1月1日至截至日期")

now = queries.key_figures(f.as_of, f.county)
before = queries.key_figures(before_day, f.county)
extra_now, extra_before = queries.overview_extras_with_change(f.as_of, f.county)


def card(col, label: str, key: str, unit: str, help_text: str | None = None) -> None:
    value, old = now, before
    for part in key.split("."):
        value, old = value[part], old[part]
    charts.compare_metric(col, label, value, old, unit, help_text)


def extra_card(col, label: str, key: str, unit: str, help_text: str | None = None) -> None:
    charts.compare_metric(col, label, extra_now[key], extra_before[key], unit, help_text)


# ---- the headline band: at most six figures, larger than the rest -------------------------------------------
band = charts.metric_columns(6, "headline")
card(band[0], "登记在册", "registered", "人", "基金会成立以来登记在册的见义勇为人员")
card(band[1], "国家级表扬", "recognized_people.national", "人", "截至当日受到国家级表扬的人数（去重）")
card(band[2], "省级表扬", "recognized_people.provincial", "人", "截至当日受到省级表扬的人数（去重）")
card(band[3], "市级表扬", "recognized_people.municipal", "人", "截至当日受到市级表扬的人数（去重）")
card(band[4], "英模工作室", "studios", "个", "截至当日已成立的英模工作室")
card(band[5], "今年以来宣传活动", "activities.publicity_events", "场次",
     "见义勇为工作站今年以来开展的宣传活动场次（当年1月1日至截至日期）")

# ---- a trend and the county ranking, side by side ------------------------------------------------------------
by_county = queries.levels_by_county(f.as_of)
left, right = st.columns([3, 2])
with left:
    per_year = queries.heroes_by_year(f.as_of, f.county, f.years, "none")
    data = per_year.rename(columns={"year": "年份", "people": "新确认人数（人）"})[["年份", "新确认人数（人）"]]
    data["县市区"] = f.scope
    title = f"各年度新确认见义勇为人员（{f.scope}）"
    fig = figures.bar(data, "年份", "新确认人数（人）", color="县市区", title=title, x_title="年份",
                      y_title="人数（人）", unit="人", text=True, height=330)
    charts.chart_with_downloads(fig, data, "各年度新确认见义勇为人员", key="ov_new_per_year",
                                value_cols=["新确认人数（人）"])
    if is_part_year(f.as_of) and not data.empty and int(data["年份"].max()) == f.as_of.year:
        st.caption(f"{f.as_of.year}年为部分年度（1月1日至{f.as_of.month}月{f.as_of.day}日）。")
with right:
    rank = by_county[["unit", "registered"]].sort_values("registered", ascending=False, kind="stable")
    rank = rank.rename(columns={"unit": "县市区", "registered": "登记在册（人）"})
    rank.insert(0, "排名", range(1, len(rank) + 1))
    fig = figures.bar(rank, "登记在册（人）", "县市区", title="各县市区登记在册人数排名", x_title="人数（人）",
                      y_title="县市区", horizontal=True, unit="人", text=True, height=330)
    charts.chart_with_downloads(fig, rank, "各县市区登记在册人数排名", key="ov_rank", value_cols=["登记在册（人）"])

# ---- the other figures, grouped by theme ---------------------------------------------------------------------
st.subheader("分类指标")
coverage = now["plaques"] / now["registered"] if now["registered"] else 0
top_left, top_right = st.columns(2, gap="medium")
with top_left:
    st.html('<div class="yy-theme">表扬</div>')
    c = charts.metric_columns(3, "group_praise")
    card(c[0], "县级表扬", "recognized_people.county", "人", "截至当日受到县级表扬的人数（去重）")
    card(c[1], "表扬总人次", "recognitions", "人次", "各级表扬记录数，同一人多次受表扬分别计算")
    extra_card(c[2], "本年新确认", "new_this_year", "人", "当年1月1日至截至日期新确认（登记在册）的见义勇为人员")
with top_right:
    st.html('<div class="yy-theme">工作站</div>')
    c = charts.metric_columns(3, "group_stations")
    card(c[0], "见义勇为工作站", "workstations", "个", "截至当日已成立的镇街见义勇为工作站")
    card(c[1], "今年以来发现上报", "activities.reports", "人次", "工作站今年以来发现并上报的见义勇为线索人次")
    card(c[2], "今年以来慰问帮扶", "activities.assistance_visits", "人次",
         "工作站今年以来走访慰问见义勇为人员的人次（工作站活动记录）")
    st.caption("慰问帮扶：工作站走访慰问的人次（活动记录），不同于“帮扶”组的帮扶优抚（基金会发放的帮扶记录）。")
low_left, low_right = st.columns([3, 4], gap="medium")
with low_left:
    st.html('<div class="yy-theme">帮扶</div>')
    c = charts.metric_columns(3, "group_assistance")
    card(c[0], "今年以来帮扶优抚", "assistance.times", "人次",
         "今年以来的帮扶优抚记录（医疗救治、抚恤慰问、困难救助等），每条记录计一人次")
    money_now, money_before = now["assistance"]["amount_yuan"], before["assistance"]["amount_yuan"]
    charts.compare_money(c[1], "今年以来帮扶金额", money_now, money_before, "今年以来帮扶优抚记录的发放金额")
    card(c[2], "已挂光荣牌", "plaques", "户", f"光荣牌覆盖率 {coverage:.1%}（已挂光荣牌户数 ÷ 登记在册人数）")
    st.caption("帮扶优抚：基金会帮扶记录的人次与金额，不同于“工作站”组的慰问帮扶（工作站走访）。")
with low_right:
    st.html('<div class="yy-theme">人员状况</div>')
    c = charts.metric_columns(4, "group_people")
    card(c[0], "牺牲", "sacrificed", "人", "登记在册人员中因见义勇为牺牲的人数")
    extra_card(c[1], "受伤", "injured", "人", "登记在册人员中因见义勇为受伤的人数")
    extra_card(c[2], "致残", "disabled", "人", "登记在册人员中因见义勇为致残的人数")
    card(c[3], "市域外见义勇为", "outside_city", "人", "聊城籍人员在市域外见义勇为（聊城义士）")

# ---- the county map -----------------------------------------------------------------------------------------
st.subheader("各县市区分布")
st.caption("点击地图上的县市区，即可按该县市区筛选本页数据。")
map_col, zone_col = st.columns([2, 1])
with map_col:
    map_data = by_county[["unit", "registered"]]
    if not map_data["registered"].any():
        st.info(f"各县市区登记在册人数分布图：{charts.EMPTY}")
    else:
        charts.county_map_with_downloads(map_data, "registered", title="各县市区登记在册人数分布",
                                         value_title="登记在册", unit="人", selected=f.county,
                                         name="各县市区登记在册人数分布", key="ov_map")
with zone_col:
    st.markdown("**功能区**（无单独行政边界，位于东昌府区内）")
    zone_names = [z.name for z in reference.zones()]
    zones = by_county[by_county["unit"].isin(zone_names)][["unit", "registered"]].rename(
        columns={"unit": "功能区", "registered": "登记在册（人）"})
    st.dataframe(zones, hide_index=True, width="stretch", column_config=charts.number_formats(zones))
    if f.county:
        def _show_city() -> None:
            st.session_state["county"] = "全市"
        st.button("查看全市", on_click=_show_city, icon=":material/public:")
