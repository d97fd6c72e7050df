"""The 看板 pages on the hand-made fixture (tests/fixture_db.py) show the figures counted by hand, as literals.

Unlike tests/pages/test_dashboards.py (pages = the metrics functions, on the demo), a wrong metric fails here.
"""
from __future__ import annotations

import pytest

from tests import fixture_db
from tests.pages.apptest_util import app, metric_values

C = "2024-07-31"


@pytest.fixture(scope="module")
def fixture_path(tmp_path_factory):
    return fixture_db.build(tmp_path_factory.mktemp("fixture") / "fixture.duckdb")


def table_with(at, column: str):
    found = [df.value for df in at.dataframe if column in df.value.columns]
    assert found, f"no table with column {column}"
    return found[0]


def test_overview_city(fixture_path):
    at = app(fixture_path, "pages/overview.py", as_of=C)
    assert not at.exception
    assert metric_values(at) == {
        "登记在册": "7人", "国家级表扬": "1人", "省级表扬": "1人", "市级表扬": "3人", "县级表扬": "2人",
        "英模工作室": "2处", "见义勇为工作站": "3个", "今年以来宣传活动": "3场次", "今年以来发现上报": "3人次",
        "今年以来慰问帮扶": "5人次", "牺牲": "1人", "市域外见义勇为": "1人", "已挂光荣牌": "5户",
        "今年以来帮扶优抚": "3人次", "今年以来帮扶金额": "5,000.50元", "表扬总人次": "8人次", "本年新确认": "2人",
        "受伤": "1人", "致残": "1人"}
    zones = table_with(at, "功能区")
    assert zones.values.tolist() == [["聊城经济技术开发区", 1], ["聊城高新技术产业开发区", 1], ["江北水城旅游度假区", 1]]


def test_overview_one_county(fixture_path):
    at = app(fixture_path, "pages/overview.py", as_of=C, county="东昌府区")
    shown = metric_values(at)
    assert (shown["登记在册"], shown["省级表扬"], shown["市级表扬"], shown["今年以来宣传活动"],
            shown["今年以来帮扶优抚"], shown["本年新确认"]) == ("2人", "1人", "1人", "3场次", "2人次", "1人")


def test_levels_both_rules(fixture_path):
    at = app(fixture_path, "pages/levels.py", as_of=C)
    assert not at.exception
    t = table_with(at, "国家级（人）").set_index("县市区")
    assert t.loc["东昌府区"].tolist() == [0, 1, 1, 0, 2]
    assert t.loc["合计"].tolist() == [1, 1, 3, 2, 7]
    at.radio(key="lv_rule").set_value("highest").run()
    assert not at.exception
    h = table_with(at, "国家级（人）").set_index("县市区")
    assert h.loc["东昌府区"].tolist() == [0, 1, 0, 0, 1]
    assert h.loc["合计"].tolist() == [1, 1, 1, 2, 5]


def test_stations(fixture_path):
    at = app(fixture_path, "pages/stations.py", as_of=C)
    assert not at.exception
    assert metric_values(at) == {"见义勇为工作站": "3个", "英模工作室": "2处", "宣传活动": "3场次",
                                 "发现上报": "3人次", "慰问帮扶": "5人次"}
    at.session_state["st_tab"] = "工作站排名"            # the ranking tab is drawn only when open
    at.run()
    assert table_with(at, "排名")["工作站"].tolist() == ["柳园街道见义勇为工作站", "北城街道见义勇为工作站",
                                                        "古楼街道见义勇为工作站"]
    assert table_with(at, "距今天数").values.tolist()[0][-1] == 212


def test_timeliness(fixture_path):
    at = app(fixture_path, "pages/timeliness.py", as_of=C)
    assert not at.exception
    assert metric_values(at) == {"及时发现": "1天", "及时调查": "15天", "及时确认": "37天", "及时表扬": "61天",
                                 "及时帮扶": "492天"}
    assert any("共 1 件" in c.value for c in at.caption)


def test_assistance(fixture_path):
    at = app(fixture_path, "pages/assistance.py", as_of=C)
    assert not at.exception
    assert metric_values(at) == {"帮扶优抚": "3人次", "发放金额": "5,000.50元", "近12个月未走访慰问": "4人"}
    at.session_state["as_tab"] = "近12个月未走访慰问人员"
    at.run()
    assert table_with(at, "姓名")["姓名"].tolist() == ["赵四", "钱五", "孙六", "周七"]


def test_trends(fixture_path):
    at = app(fixture_path, "pages/trends.py", as_of=C)
    assert not at.exception
    assert metric_values(at) == {"今年以来见义勇为事迹": "2件", "今年以来新确认人员": "2人"}
    assert table_with(at, "事迹（件）")["事迹（件）"].tolist() == [2, 3, 1, 1, 1]
    at.session_state["tr_tab"] = "见义勇为人员构成"
    at.run()
    assert any("共 3 人，占 42.9%" in c.value for c in at.caption)
    # a hero with no occupation and one with no political status are shown as 未填写 (the metrics give None)
    occupation = chart(at, "见义勇为人员职业分布")["data"][0]
    assert dict(zip(occupation["y"], occupation["x"])) == {"农民": 3, "工人": 2, "学生": 1, "未填写": 1}


def chart(at, title: str) -> dict:
    """The Plotly figure (as a dict) titled `title` on the page."""
    import json
    found = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    found = [fig for fig in found if fig["layout"]["title"]["text"] == title]
    assert len(found) == 1, f"no chart {title}"
    return found[0]
