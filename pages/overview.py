"""总览: the key figures at a glance, each against the same date a year earlier."""
from __future__ import annotations

import streamlit as st

from analytics import metrics
from ui import charts, db
from ui.filters import current
from ui import auth

auth.require_page(__file__)

f = current()
st.title("见义勇为工作总览")
st.caption(f"{f.scope} · 截至 {f.as_of:%Y年%m月%d日} · 卡片下方为与上年同期（{metrics.same_day_last_year(f.as_of):%Y年%m月%d日}）相比的增减")

now = db.call("metrics.key_figures", f.as_of, f.county)
before = db.call("metrics.key_figures", metrics.same_day_last_year(f.as_of), f.county)


def card(col, label: str, key: str, unit: str, help_text: str | None = None) -> None:
    value, old = now, before
    for part in key.split("."):
        value, old = value[part], old[part]
    charts.compare_metric(col, label, value, old, unit, help_text)


row1 = st.columns(5)
card(row1[0], "登记在册", "registered", "人", "基金会成立以来登记在册的见义勇为人员")
card(row1[1], "国家级表扬", "recognized_people.national", "人", "截至当日受到国家级表扬的人数（去重）")
card(row1[2], "省级表扬", "recognized_people.provincial", "人")
card(row1[3], "市级表扬", "recognized_people.municipal", "人")
card(row1[4], "县级表扬", "recognized_people.county", "人")
row2 = st.columns(5)
card(row2[0], "英模工作室", "studios", "个")
card(row2[1], "见义勇为工作站", "workstations", "个")
card(row2[2], "今年以来宣传活动", "activities.publicity_events", "场次")
card(row2[3], "今年以来发现上报", "activities.reports", "人次")
card(row2[4], "今年以来慰问帮扶", "activities.assistance_visits", "人次")
row3 = st.columns(5)
card(row3[0], "牺牲人员", "sacrificed", "人")
card(row3[1], "市域外见义勇为", "outside_city", "人", "聊城籍人员在市域外见义勇为（聊城义士）")
card(row3[2], "已挂光荣牌", "plaques", "户")
card(row3[3], "今年以来帮扶优抚", "assistance.times", "人次")
coverage = now["plaques"] / now["registered"] if now["registered"] else 0
row3[4].metric("光荣牌覆盖率", f"{coverage:.1%}", border=True)

# ---- additions (issue 4): more cards, new heroes per year, county ranking, county map ----------------------
from analytics import reference  # noqa: E402
from ui import figures  # noqa: E402

extra_now, extra_before = db.call("metrics_trends.overview_extras_with_change", f.as_of, f.county)


def extra_card(col, label: str, key: str, unit: str, help_text: str | None = None) -> None:
    charts.compare_metric(col, label, extra_now[key], extra_before[key], unit, help_text)


row4 = st.columns(5)
extra_card(row4[0], "本年新确认", "new_this_year", "人", "当年1月1日至截至日期新确认（登记在册）的见义勇为人员")
extra_card(row4[1], "受伤人员", "injured", "人", "登记在册人员中因见义勇为受伤的人数")
extra_card(row4[2], "致残人员", "disabled", "人", "登记在册人员中因见义勇为致残的人数")

st.divider()
left, right = st.columns(2)
with left:
    per_year = db.call("metrics_trends.heroes_by_year", f.as_of, f.county, f.years, "none")
    data = per_year.rename(columns={"year": "年份", "people": "新确认人数（人）"})[["年份", "新确认人数（人）"]]
    data["县市区"] = f.scope
    fig = figures.bar(data, "年份", "新确认人数（人）", color="县市区", title=f"各年度新确认见义勇为人员（{f.scope}）",
                      x_title="年份", y_title="人数（人）", unit="人", text=True)
    charts.chart_with_downloads(fig, data, "各年度新确认见义勇为人员", key="ov_new_per_year",
                                value_cols=["新确认人数（人）"])
with right:
    by_county = db.call("metrics.levels_by_county", f.as_of)
    rank = by_county[["unit", "registered"]].sort_values("registered", ascending=False, kind="stable")
    rank = rank.rename(columns={"unit": "县市区", "registered": "登记在册（人）"})
    rank.insert(0, "排名", range(1, len(rank) + 1))
    fig = figures.bar(rank, "登记在册（人）", "县市区", title="各县市区登记在册人数排名", x_title="人数（人）",
                      y_title="县市区", horizontal=True, unit="人", text=True)
    charts.chart_with_downloads(fig, rank, "各县市区登记在册人数排名", key="ov_rank", value_cols=["登记在册（人）"])

st.subheader("各县市区分布")
st.caption("点击地图上的县市区，即可按该县市区筛选本页数据。")
map_col, zone_col = st.columns([2, 1])
with map_col:
    map_data = by_county.rename(columns={"unit": "unit", "registered": "registered"})[["unit", "registered"]]
    export = map_data.rename(columns={"unit": "县市区", "registered": "登记在册（人）"})
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
    st.dataframe(zones, hide_index=True, width="stretch")
    if f.county:
        def _show_city() -> None:
            st.session_state["county"] = "全市"
        st.button("查看全市", on_click=_show_city, icon=":material/public:")
