"""总览, the leader's cockpit: a headline band, a trend and the county ranking in the first laptop screen; the
other key figures grouped by theme, each against the same date a year earlier; the county map.

Every card is an entry of the figure catalogue (analytics.metrics.figures.FIGURES), drawn in catalogue order
within its group: a new figure in the catalogue is a new card here."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from analytics import reference
from analytics.labels import OVERVIEW_LABELS, ZONE_LABELS, labelled
from analytics.metrics.figures import KEY_FIGURES, OVERVIEW_EXTRAS, OVERVIEW_GROUPS, Figure, in_group, value
from analytics.metrics.scope import is_part_year, same_day_last_year
from ui import auth, charts, figures, queries
from ui.filters import current

# Lines under a group's cards, saying how two look-alike figures differ.
GROUP_CAPTIONS = {
    "stations": "慰问帮扶：工作站走访慰问的人次（活动记录），不同于“帮扶”组的帮扶优抚（基金会发放的帮扶记录）。",
    "assistance": "帮扶优抚：基金会帮扶记录的人次与金额，不同于“工作站”组的慰问帮扶（工作站走访）。",
}


def figures_now_and_before(as_of: dt.date, county: str | None) -> dict[str, tuple[dict, dict]]:
    """Each catalogue source's figures at the cut-off and on the same day a year earlier."""
    return {KEY_FIGURES: (queries.key_figures(as_of, county), queries.key_figures(same_day_last_year(as_of), county)),
            OVERVIEW_EXTRAS: queries.overview_extras_with_change(as_of, county)}


def card_help(fig: Figure, now: dict) -> str:
    """The card's help: the catalogue's note; 已挂光荣牌 adds its coverage of the registered heroes."""
    if fig.key != "plaques":
        return fig.note
    registered = value(now, "registered")
    coverage = value(now, "plaques") / registered if registered else 0
    return f"{fig.note}；光荣牌覆盖率 {coverage:.1%}（已挂光荣牌户数 ÷ 登记在册人数）"


def cards(group: str, data: dict[str, tuple[dict, dict]]) -> None:
    """One group's cards, in catalogue order, each against the same date a year earlier."""
    group_figures = in_group(group)
    key = "headline" if group == "headline" else f"group_{group}"      # ui/style.css sizes the two kinds
    for col, fig in zip(charts.metric_columns(len(group_figures), key), group_figures):
        now, before = data[fig.source]
        old = value(before, fig.key)
        help_text = card_help(fig, data[KEY_FIGURES][0])
        if fig.money:
            charts.compare_money(col, fig.card_label, value(now, fig.key), old, help_text)
        else:
            charts.compare_metric(col, fig.card_label, value(now, fig.key), old, fig.unit, help_text)


def themed_cards(group: str, data: dict[str, tuple[dict, dict]]) -> None:
    st.html(f'<div class="yy-theme">{OVERVIEW_GROUPS[group]}</div>')
    cards(group, data)
    if group in GROUP_CAPTIONS:
        st.caption(GROUP_CAPTIONS[group])


def new_per_year_chart(f) -> None:
    per_year = labelled(queries.heroes_by_year(f.as_of, f.county, f.years, "none")[["year", "people"]],
                        OVERVIEW_LABELS)
    year_col, people_col = OVERVIEW_LABELS["year"], OVERVIEW_LABELS["people"]
    per_year[OVERVIEW_LABELS["unit"]] = f.scope
    fig = figures.bar(per_year, year_col, people_col, color=OVERVIEW_LABELS["unit"],
                      title=f"各年度新确认见义勇为人员（{f.scope}）", x_title=year_col, y_title="人数（人）", unit="人",
                      text=True, height=330)
    charts.chart_with_downloads(fig, per_year, "各年度新确认见义勇为人员", key="ov_new_per_year",
                                value_cols=[people_col])
    if is_part_year(f.as_of) and not per_year.empty and int(per_year[year_col].max()) == f.as_of.year:
        st.caption(f"{f.as_of.year}年为部分年度（1月1日至{f.as_of.month}月{f.as_of.day}日）。")


def ranking_chart(by_county) -> None:
    rank = by_county[["unit", "registered"]].sort_values("registered", ascending=False, kind="stable")
    rank.insert(0, "rank", range(1, len(rank) + 1))
    rank = labelled(rank, OVERVIEW_LABELS)
    unit_col, value_col = OVERVIEW_LABELS["unit"], OVERVIEW_LABELS["registered"]
    fig = figures.bar(rank, value_col, unit_col, title="各县市区登记在册人数排名", x_title="人数（人）",
                      y_title=unit_col, horizontal=True, unit="人", text=True, height=330)
    charts.chart_with_downloads(fig, rank, "各县市区登记在册人数排名", key="ov_rank", value_cols=[value_col])


def county_map(f, by_county) -> None:
    """The county map (a click filters the page) and the functional zones, which have no boundary, beside it."""
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
        zones = labelled(by_county[by_county["unit"].isin(zone_names)][["unit", "registered"]], ZONE_LABELS)
        st.dataframe(zones, hide_index=True, width="stretch", column_config=charts.number_formats(zones))
        if f.county:
            st.button("查看全市", on_click=show_city, icon=":material/public:")


def show_city() -> None:
    st.session_state["county"] = "全市"


def main() -> None:
    auth.require_page(__file__)
    f = current()
    st.title("见义勇为工作总览")
    st.caption(f"{f.scope} · {f.as_of_note} · 卡片下方为与上年同期（{same_day_last_year(f.as_of):%Y年%m月%d日}）相比的"
               f"增减；“今年以来”为{f.as_of.year}年1月1日至截至日期")
    data = figures_now_and_before(f.as_of, f.county)
    by_county = queries.levels_by_county(f.as_of)
    cards("headline", data)                               # the headline band, larger than the rest
    left, right = st.columns([3, 2])
    with left:
        new_per_year_chart(f)
    with right:
        ranking_chart(by_county)
    st.subheader("分类指标")
    top_left, top_right = st.columns(2, gap="medium")
    low_left, low_right = st.columns([3, 4], gap="medium")
    for place, group in zip((top_left, top_right, low_left, low_right), list(OVERVIEW_GROUPS)[1:]):
        with place:
            themed_cards(group, data)
    county_map(f, by_county)


main()
