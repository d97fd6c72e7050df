"""趋势: deeds per year / month by type and place, heroes by status, occupation and political status
(党员 share), year-over-year comparison."""
from __future__ import annotations

import streamlit as st

from analytics import labels, reference
from ui import auth, charts, figures, queries
from ui.filters import Filters, current, years_text

DEEDS, PEOPLE, YEAR = labels.DEEDS, labels.PEOPLE, labels.YEAR
BY_CATEGORY = ("deeds_type", "deeds_unit", "status", "occupation", "political")   # tables with a category column


def trend_tables(f: Filters) -> dict:
    """The 趋势 tables (trend_tables_fair) with a category not filled in shown as 未填写."""
    t = queries.trend_tables_fair(f.as_of, f.county, f.years, st.session_state.get("tr_freq", "year"))
    return {k: labels.filled(v, "category") if k in BY_CATEGORY and v is not None else v for k, v in t.items()}


def yoy_table(frame, columns: dict[str, str], heading: str, title: str, key: str) -> None:
    """A year-over-year table (fair_year_over_year) labelled by `columns` (labels.yoy_columns), newest year
    first."""
    table = frame.assign(until=frame["until"].map(labels.comparison_range))[list(columns)].rename(columns=columns)
    st.html(f'<div class="yy-chart-title">{heading}</div>')
    st.caption("不满一年的年份与上年同一期间相比（见“比较期间”），其余年份为全年相比。")
    charts.table_with_downloads(table.iloc[::-1], title, key=key, height=360,
                                column_config={columns["until"]: st.column_config.TextColumn(width="medium")})


def draw_cards(f: Filters, same_period: dict) -> None:
    cols = charts.metric_columns(4, "trends")
    for col, key, label, unit in ((cols[0], "deeds", "今年以来见义勇为事迹", "件"),
                                  (cols[1], "people", "今年以来新确认人员", "人")):
        now, before = same_period[key]
        charts.compare_metric(col, label, now, before, unit,
                              f"{f.as_of.year}年1月1日至{f.as_of.month}月{f.as_of.day}日，与上年同期（{before:,}{unit}）相比")


def draw_deeds(f: Filters, t: dict) -> None:
    freq = st.radio("时间粒度", ["year", "month"], format_func=labels.FREQUENCIES.get, horizontal=True,
                    key="tr_freq")
    period_name = labels.PERIODS[freq]

    columns = labels.trend_columns("type", freq)
    data = t["deeds_type"].rename(columns=columns)
    kind = columns["category"]
    title = f"见义勇为事迹数量（按类型，{'逐年' if freq == 'year' else '逐月'}）"
    fig = figures.bar(data, period_name, DEEDS, color=kind, family=figures.DEED_TYPE_COLORS, title=title,
                      x_title=period_name, y_title=DEEDS, unit="件", category_orders={kind: reference.DEED_TYPES})
    charts.chart_with_downloads(fig, data, title, key="tr_type", value_cols=[DEEDS])

    left, right = st.columns(2)
    with left:
        columns = labels.trend_columns("place", freq)
        place = columns["category"]
        data = t["deeds_place"].assign(category=t["deeds_place"]["category"].map(labels.PLACES)).rename(
            columns=columns)
        title = "市域内、市域外见义勇为事迹"
        fig = figures.bar(data, period_name, DEEDS, color=place, family=figures.PLACE_COLORS, title=title,
                          x_title=period_name, y_title=DEEDS, unit="件",
                          category_orders={place: list(labels.PLACES.values())})
        charts.chart_with_downloads(fig, data, title, key="tr_place", value_cols=[DEEDS])
        st.caption("市域外事迹由见义勇为人员户籍地县市区统计（聊城义士）。")
    with right:
        yoy_table(t["deeds_yoy"], labels.yoy_columns("period", "deeds", DEEDS, "件"), "事迹数量同比",
                  "见义勇为事迹数量同比", key="tr_yoy")

    if not f.county:
        data = t["deeds_unit"].rename(columns=labels.trend_columns("unit"))
        title = "各县市区见义勇为事迹逐年变化"
        fig = figures.line(data, YEAR, DEEDS, color=labels.UNIT, title=title, x_title=YEAR, y_title=DEEDS, unit="件")
        charts.chart_with_downloads(fig, data, title, key="tr_units", value_cols=[DEEDS])


def draw_people(t: dict) -> None:
    left, right = st.columns(2)
    with left:
        columns = labels.trend_columns("status")
        status = columns["category"]
        data = t["status"].rename(columns=columns)
        title = "各年度确认人员状况（健在、受伤、致残、牺牲）"
        fig = figures.bar(data, YEAR, PEOPLE, color=status, family=figures.STATUS_COLORS, title=title,
                          x_title=YEAR, y_title=PEOPLE, unit="人", category_orders={status: reference.STATUSES})
        charts.chart_with_downloads(fig, data, title, key="tr_status", value_cols=[PEOPLE])
    with right:
        yoy_table(t["people_yoy"], labels.yoy_columns("year", "people", labels.CONFIRMED, "人"), "确认人数同比",
                  "见义勇为人员确认人数同比", key="tr_people_yoy")

    left, right = st.columns(2)
    with left:
        occupation = labels.TREND_CATEGORIES["occupation"]
        data = t["occupation"].rename(columns=labels.trend_columns("occupation"))
        title = "见义勇为人员职业分布"
        fig = figures.bar(data, PEOPLE, occupation, title=title, x_title=PEOPLE, y_title=occupation,
                          horizontal=True, unit="人", text=True, family={c: "#2E86C1" for c in data[occupation]})
        charts.chart_with_downloads(fig, data, title, key="tr_occ", value_cols=[PEOPLE])
    with right:
        draw_party_share(t["party"])

    political = labels.TREND_CATEGORIES["political"]
    data = t["political"].rename(columns=labels.trend_columns("political"))
    title = "见义勇为人员政治面貌分布"
    fig = figures.bar(data, political, PEOPLE, title=title, x_title=political, y_title=PEOPLE, unit="人",
                      text=True, family={p: ("#C0392B" if p in reference.PARTY_MEMBERS else "#7FA7C9")
                                         for p in data[political]})
    charts.chart_with_downloads(fig, data, title, key="tr_pol", value_cols=[PEOPLE])


def draw_party_share(party) -> None:
    cols = labels.PARTY_COLUMNS
    share = party.rename(columns=cols)
    title = "党员（含预备党员）占比逐年变化"
    fig = figures.line(share, YEAR, cols["share"], title=title, x_title=YEAR, y_title=cols["share"], percent=True)
    charts.chart_with_downloads(fig, share, title, key="tr_party", value_cols=[cols["people"]])
    if not party.empty:
        members = party["party"].sum()
        st.caption(f"所选范围内党员（中共党员、中共预备党员）共 {members:,} 人，占 {members / party['people'].sum():.1%}。")


def main() -> None:
    auth.require_page(__file__)
    f = current()
    st.title("趋势分析")
    st.caption(f"{f.scope} · {f.as_of_note} · 统计范围 {years_text(f)} · "
               "事迹按发生时间统计（截至统计日已确认的），人员按确认登记时间统计")
    t = trend_tables(f)
    draw_cards(f, t["same_period"])
    charts.open_tab_only({"见义勇为事迹": lambda: draw_deeds(f, t), "见义勇为人员构成": lambda: draw_people(t)},
                         key="tr_tab")


main()
