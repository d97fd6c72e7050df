"""工作站与工作室: activity by county / town / station / month / type / 五进 venue, station ranking, inactive
stations, 五有 compliance, hero studios and their activity."""
from __future__ import annotations

import streamlit as st

from analytics import labels, reference
from analytics.metrics.figures import figure
from ui import auth, charts, figures, queries
from ui.filters import Filters, current
from ui.text import chart_text

COLS = labels.ACTIVITY_COLUMNS
TYPE, COUNT, TOTAL = COLS["type"], COLS["count"], COLS["total"]
TYPE_ORDER = {TYPE: reference.ACTIVITY_TYPES}
AMOUNT_AXIS = "数量（场次/人次）"
INACTIVE_DAYS = 90


def draw_cards(stations: int, studios: int, totals: dict) -> None:
    cols = charts.metric_columns(5, "stations")
    charts.metric(cols[0], "见义勇为工作站", stations, figure("workstations").unit)
    charts.metric(cols[1], "英模工作室", studios, figure("studios").unit)
    charts.metric(cols[2], "宣传活动", totals["宣传活动"], "场次")
    charts.metric(cols[3], "发现上报", totals["发现上报"], "人次")
    charts.metric(cols[4], "慰问帮扶", totals["慰问帮扶"], "人次")
    st.caption("活动数量：宣传活动、培训按场次计，发现上报、慰问帮扶按人次计。")


def draw_places(f: Filters, b: dict) -> None:
    """Activity per town of the chosen county, or per county for the whole city."""
    if f.county:
        data = labels.filled(b["by_town"][["town", "type", "count"]], "town").rename(columns=COLS)
        found = set(data[labels.TOWN])
        town_order = [t for t in reference.towns_of(f.county) if t in found]
        town_order += sorted(found - set(town_order))
        title = f"{f.county}各镇街工作站活动情况"
        fig = figures.bar(data, labels.TOWN, COUNT, color=TYPE, family=figures.ACTIVITY_COLORS, title=title,
                          x_title=labels.TOWN, y_title=AMOUNT_AXIS,
                          category_orders={**TYPE_ORDER, labels.TOWN: town_order})
    else:
        data = b["by_unit"].rename(columns=COLS)
        title = "各县市区工作站活动情况"
        fig = figures.bar(data, labels.UNIT, COUNT, color=TYPE, family=figures.ACTIVITY_COLORS, title=title,
                          x_title=labels.UNIT, y_title=AMOUNT_AXIS,
                          category_orders={**TYPE_ORDER, labels.UNIT: reference.county_names()})
    charts.chart_with_downloads(fig, data, title, key="st_units", value_cols=[COUNT])


def draw_months(b: dict) -> None:
    data = b["by_month"].rename(columns=COLS)
    title = "各月份活动情况"
    fig = figures.bar(data, labels.MONTH, COUNT, color=TYPE, family=figures.ACTIVITY_COLORS, title=title,
                      x_title=labels.MONTH, y_title=AMOUNT_AXIS, category_orders=TYPE_ORDER)
    charts.chart_with_downloads(fig, data, title, key="st_months", value_cols=[COUNT])


def draw_venues(b: dict) -> None:
    venue, events = COLS["venue"], COLS["publicity_events"]
    counts = labels.filled(b["by_venue"], "venue").set_index("venue")["count"]
    data = counts.reindex(reference.VENUES + [v for v in counts.index if v not in reference.VENUES],
                          fill_value=0).rename_axis(venue).reset_index(name=events)
    data[venue] = data[venue].map(labels.venue_label)
    title = "宣传活动“五进”情况"
    fig = figures.bar(data, venue, events, title=title, x_title=venue, y_title="场次", unit="场次", text=True)
    charts.chart_with_downloads(fig, data, title, key="st_venues", value_cols=[events])


def draw_top_stations(b: dict) -> None:
    station = COLS["name"]
    top = b["stations"].head(15).rename(columns=COLS)
    short = top.assign(**{station: top[station].str.removesuffix("见义勇为工作站").map(chart_text)})
    title = "工作站活动排名（前15名）"
    fig = figures.bar(short, TOTAL, station, color=labels.UNIT, title=title, x_title=f"{TOTAL}（场次/人次）",
                      y_title=station, horizontal=True, text=True, height=480,
                      category_orders={station: list(short[station])})
    charts.chart_with_downloads(fig, top, title, key="st_rank_chart", value_cols=[TOTAL])


def draw_activity(f: Filters, b: dict) -> None:
    left, right = st.columns(2)
    with left:
        draw_places(f, b)
    with right:
        draw_months(b)
    left, right = st.columns(2)
    with left:
        draw_venues(b)
    with right:
        draw_top_stations(b)


def draw_ranking(f: Filters, b: dict) -> None:
    ranking = b["stations"].rename(columns=COLS)
    ranking.insert(0, labels.RANK, range(1, len(ranking) + 1))
    charts.table_with_downloads(ranking, "工作站活动排名", key="st_rank", height=360)

    title = f"近{INACTIVE_DAYS}天无活动的工作站"
    st.html(f'<div class="yy-chart-title">{title}</div>')
    inactive = queries.inactive_stations(f.as_of, f.county, INACTIVE_DAYS)
    st.caption(f"截至 {f.as_of:%Y年%m月%d日} 前{INACTIVE_DAYS}天内（含当日）未记录任何活动的工作站，共 {len(inactive)} 个。")
    if inactive.empty:
        st.success(f"所有工作站近{INACTIVE_DAYS}天内均有活动记录。")
        return
    inactive = inactive.assign(last_activity=inactive["last_activity"].map(
        lambda d: labels.NO_RECORD if d is None or d != d else d))
    charts.table_with_downloads(inactive.rename(columns=COLS), title, key="st_inactive")


def draw_five_has(fh) -> None:
    if fh.empty:
        st.info(f"工作站“五有”达标情况：{charts.EMPTY}")
        return
    rate = COLS["rate"]
    data = fh.rename(columns=COLS)
    chart = data[[labels.UNIT, rate]]
    fig = figures.bar(chart, labels.UNIT, rate, title="各县市区工作站“五有”达标率", x_title=labels.UNIT, y_title=rate,
                      percent=True, text=True, category_orders={labels.UNIT: list(chart[labels.UNIT])})
    charts.chart_with_downloads(fig, data, "各县市区工作站“五有”达标情况", key="st_fivehas")
    st.dataframe(data, hide_index=True, width="stretch", height="content", column_config={
        rate: st.column_config.NumberColumn(format="percent")})


def draw_studios(studios) -> None:
    if studios.empty:
        st.info(f"英模工作室：{charts.EMPTY}")
        return
    studio = labels.STUDIO_COLUMNS["name"]
    sd = studios.rename(columns=labels.STUDIO_COLUMNS)
    title = "英模工作室活动情况"
    ranked = sd.sort_values(TOTAL, ascending=False, kind="stable")
    ranked = ranked.assign(**{studio: ranked[studio].str.removeprefix("见义勇为")})
    fig = figures.bar(ranked, TOTAL, studio, color=labels.UNIT, title=title, x_title=f"{TOTAL}（场次/人次）",
                      y_title=studio, horizontal=True, text=True, height=max(360, 26 * len(sd) + 120))
    charts.chart_with_downloads(fig, sd, title, key="st_studios_chart", value_cols=[TOTAL])
    st.dataframe(sd, hide_index=True, width="stretch")


def main() -> None:
    auth.require_page(__file__)
    f = current()
    st.title("工作站与工作室")
    date_from, date_to, period_label = charts.period_picker(f, "st_period")
    st.caption(f"{f.scope} · {f.as_of_note} · 活动统计期间 {period_label} · 工作站、工作室按截至日期已成立的计")
    b = queries.activity_breakdown(date_from, date_to, f.county)
    fh = queries.five_has(f.as_of, f.county)
    studios = queries.studios_activity(f.as_of, date_from, date_to, f.county)
    draw_cards(int(fh["stations"].sum()), len(studios), b["totals"])
    charts.open_tab_only({"活动情况": lambda: draw_activity(f, b), "工作站排名": lambda: draw_ranking(f, b),
                          "“五有”达标": lambda: draw_five_has(fh), "英模工作室": lambda: draw_studios(studios)},
                         key="st_tab")


main()
