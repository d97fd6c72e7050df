"""analytics/metrics/figures.py, status.py and the shared tables against the hand-made fixture (tests/fixture_db.py: how each figure was counted)."""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import subprocess
import sys

import pytest

from analytics import cli
from analytics.labels import with_total
from analytics.metrics.activity import activity_by_county
from analytics.metrics.assistance import assistance_by_type
from analytics.metrics.figures import (FIGURES, KEY_FIGURES, OVERVIEW_EXTRAS, OVERVIEW_GROUPS, figure, key_figures,
                                       key_figures_with_change, money, of_source, value)
from analytics.metrics.trends import overview_extras
from analytics.metrics.levels import levels_by_county
from analytics.metrics.scope import same_day_last_year, units, year_start
from analytics.metrics.status import data_bounds, is_demo, last_import
from tests.conftest import ROOT
from tests.metrics.conftest import C

D = dt.date.fromisoformat
KFQ = "聊城经济技术开发区"


def figures(registered, levels, recognitions, studios, stations, activities, assistance, sacrificed, outside,
            plaques, as_of, county=None):
    national, provincial, municipal, county_level = levels
    return {"as_of": as_of, "county": county, "registered": registered,
            "recognized_people": {"national": national, "provincial": provincial, "municipal": municipal,
                                  "county": county_level},
            "recognitions": recognitions, "studios": studios, "workstations": stations,
            "activities": dict(zip(("publicity_events", "reports", "assistance_visits"), activities)),
            "assistance": dict(zip(("times", "amount_yuan"), assistance)),
            "sacrificed": sacrificed, "outside_city": outside, "plaques": plaques}


CITY = {
    "2023-12-31": figures(5, (1, 0, 3, 2), 6, 0, 2, (4, 0, 0), (2, 5000), 1, 1, 5, "2023-12-31"),
    "2024-07-30": figures(6, (1, 0, 3, 2), 7, 1, 2, (3, 3, 0), (2, 3800), 1, 1, 5, "2024-07-30"),
    "2024-07-31": figures(7, (1, 1, 3, 2), 8, 2, 3, (3, 3, 5), (3, 5000.5), 1, 1, 5, "2024-07-31"),
    "2024-08-01": figures(7, (1, 1, 3, 3), 9, 3, 4, (10, 3, 5), (4, 7000.5), 1, 1, 6, "2024-08-01"),
    "2024-12-31": figures(8, (1, 1, 4, 3), 10, 3, 4, (16, 3, 5), (4, 7000.5), 1, 2, 7, "2024-12-31"),
    "2025-01-01": figures(8, (1, 1, 4, 3), 10, 3, 4, (0, 0, 0), (0, 0), 1, 2, 7, "2025-01-01"),
}


@pytest.mark.parametrize("as_of", sorted(CITY))
def test_key_figures_city(con, as_of):
    assert key_figures(con, D(as_of)) == CITY[as_of]


def test_key_figures_counties(con):
    assert key_figures(con, C, "东昌府区") == figures(
        2, (0, 1, 1, 0), 3, 1, 2, (3, 0, 5), (2, 2000.5), 0, 0, 1, "2024-07-31", "东昌府区")
    assert key_figures(con, C, KFQ) == figures(
        1, (0, 0, 0, 1), 1, 0, 1, (0, 3, 0), (0, 0), 0, 0, 1, "2024-07-31", KFQ)
    assert key_figures(con, D("2024-12-31"), KFQ) == figures(
        1, (0, 0, 0, 1), 1, 0, 1, (6, 3, 0), (1, 2000), 0, 0, 1, "2024-12-31", KFQ)
    # 冠县 keeps the files of both heroes of the deeds outside the city
    assert key_figures(con, D("2024-12-31"), "冠县") == figures(
        2, (0, 0, 2, 0), 2, 1, 0, (0, 0, 0), (0, 0), 0, 2, 2, "2024-12-31", "冠县")
    assert key_figures(con, C, "临清市") == figures(
        1, (1, 0, 1, 0), 2, 1, 0, (0, 0, 0), (1, 3000), 1, 0, 1, "2024-07-31", "临清市")


def test_key_figures_refuses_unknown_county(con):
    with pytest.raises(ValueError, match="不是聊城市的县市区"):
        key_figures(con, C, "东昌府")


def test_year_start_and_same_day_last_year():
    assert year_start(D("2024-07-31")) == D("2024-01-01")
    assert year_start(D("2024-01-01")) == D("2024-01-01")
    assert year_start(D("2024-12-31")) == D("2024-01-01")
    assert same_day_last_year(D("2024-07-31")) == D("2023-07-31")
    assert same_day_last_year(D("2024-02-29")) == D("2023-02-28")


def test_money():
    assert money(5000.5) == 5000.5 and money(2000) == 2000
    assert isinstance(money(2000.0), int)
    assert money(1200.499) == 1200.5


def test_key_figures_with_change(con):
    now, before = key_figures_with_change(con, D("2024-12-31"))
    assert now == CITY["2024-12-31"] and before == CITY["2023-12-31"]
    now, before = key_figures_with_change(con, D("2024-07-31"), "东昌府区")
    assert (now["registered"], before["registered"]) == (2, 1)
    assert before["as_of"] == "2023-07-31" and before["plaques"] == 1 and before["studios"] == 0


def test_data_bounds_last_import_is_demo(con):
    assert data_bounds(con) == (D("2020-10-10"), D("2024-12-31"))
    last = last_import(con)
    assert (last["change_id"], last["actor"], last["file_names"]) == (2, "editor", "名单.xlsx")
    assert is_demo(con) is False


def test_is_demo_and_no_import(tmp_path):
    from analytics import store
    from tests import fixture_db

    c = store.connect(fixture_db.build(tmp_path / "f.duckdb"))
    try:
        with store.transaction(c) as cur:
            store.set_setting(cur, "demo", "1")
            cur.execute("UPDATE changes SET undone_at = TIMESTAMP '2024-08-03 10:00:00' WHERE change_id = 2")
        assert is_demo(c) is True
        assert last_import(c) is None          # both imports undone
    finally:
        c.close()


def test_levels_by_county(con):
    df = levels_by_county(con, C).set_index("unit")
    assert len(df) == 11
    cols = ["registered", "national", "provincial", "municipal", "county_level"]
    assert df.loc["东昌府区", cols].tolist() == [2, 0, 1, 1, 0]
    assert df.loc["临清市", cols].tolist() == [1, 1, 0, 1, 0]
    assert df.loc["冠县", cols].tolist() == [1, 0, 0, 1, 0]
    assert df.loc[KFQ, cols].tolist() == [1, 0, 0, 0, 1]
    assert df.loc["聊城高新技术产业开发区", cols].tolist() == [1, 0, 0, 0, 0]
    assert df.loc["江北水城旅游度假区", cols].tolist() == [1, 0, 0, 0, 1]
    assert df[cols].sum().tolist() == [7, 1, 1, 3, 2]
    one = levels_by_county(con, D("2024-12-31"), "冠县")
    assert one.to_dict("records") == [{"unit": "冠县", "registered": 2, "national": 0, "provincial": 0,
                                       "municipal": 2, "county_level": 0}]
    dcf = levels_by_county(con, D("2024-08-01"), "东昌府区").iloc[0]
    assert (dcf["registered"], dcf["county_level"]) == (2, 1)


def test_activity_by_county(con):
    df = activity_by_county(con, C).set_index("unit")
    cols = ["workstations", "publicity_events", "reports", "assistance_visits"]
    assert df.loc["东昌府区", cols].tolist() == [2, 3, 0, 5]
    assert df.loc[KFQ, cols].tolist() == [1, 0, 3, 0]
    assert df.loc["临清市", cols].tolist() == [0, 0, 0, 0]   # its 培训 is not one of the three figures
    assert df[cols].sum().tolist() == [3, 3, 3, 5]
    end = activity_by_county(con, D("2024-12-31"), "东昌府区")
    assert end.to_dict("records") == [{"unit": "东昌府区", "workstations": 2, "publicity_events": 10, "reports": 0,
                                       "assistance_visits": 5}]
    new_year = activity_by_county(con, D("2024-01-01"), "东昌府区").iloc[0]
    assert new_year["publicity_events"] == 2     # 1 January counts, 31 December of the year before does not
    old_year = activity_by_county(con, D("2023-12-31"), "东昌府区").iloc[0]
    assert (old_year["workstations"], old_year["publicity_events"]) == (1, 4)


def test_assistance_by_type(con):
    df = assistance_by_type(con, C)
    assert df.to_dict("records") == [{"type": "医疗救治", "times": 2, "amount_yuan": 2000.5},
                                     {"type": "抚恤慰问", "times": 1, "amount_yuan": 3000}]
    end = assistance_by_type(con, D("2024-12-31"), KFQ)
    assert end.to_dict("records") == [{"type": "困难救助", "times": 1, "amount_yuan": 2000}]
    jan1 = assistance_by_type(con, D("2024-01-01"), "临清市")
    assert jan1.to_dict("records") == [{"type": "抚恤慰问", "times": 1, "amount_yuan": 3000}]
    old = assistance_by_type(con, D("2023-12-31"))
    assert old.to_dict("records") == [{"type": "抚恤慰问", "times": 1, "amount_yuan": 5000},
                                      {"type": "其他", "times": 1, "amount_yuan": 0}]
    assert assistance_by_type(con, D("2025-06-30")).empty


def test_with_total(con):
    df = with_total(levels_by_county(con, C))
    assert len(df) == 12
    assert df.iloc[-1].to_dict() == {"unit": "合计", "registered": 7, "national": 1, "provincial": 1,
                                     "municipal": 3, "county_level": 2}
    empty = assistance_by_type(con, D("2025-06-30"))
    assert with_total(empty, "type").empty


def test_units():
    assert units("冠县") == ["冠县"]
    assert len(units(None)) == 11 and units(None)[0] == "东昌府区"


def _stats(db, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analytics", "stats", "--db", str(db), *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_stats_json_on_the_fixture(fixture_path):
    out = _stats(fixture_path, "--as-of", "2024-07-31", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {
        "as_of": "2024-07-31", "county": None, "registered": 7,
        "recognized_people": {"national": 1, "provincial": 1, "municipal": 3, "county": 2},
        "recognitions": 8, "studios": 2, "workstations": 3,
        "activities": {"publicity_events": 3, "reports": 3, "assistance_visits": 5},
        "assistance": {"times": 3, "amount_yuan": 5000.5}, "sacrificed": 1, "outside_city": 1, "plaques": 5}
    out = _stats(fixture_path, "--as-of", "2024-07-31", "--county", "东昌府", "--json")
    assert json.loads(out.stdout)["county"] == "东昌府区"
    assert json.loads(out.stdout)["registered"] == 2
    assert json.loads(out.stdout)["assistance"] == {"times": 2, "amount_yuan": 2000.5}


def test_stats_text_on_the_fixture(fixture_path):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = cli.main(["stats", "--db", str(fixture_path), "--as-of", "2024-08-01", "--county", "开发区"])
    assert code == 0
    text = buf.getvalue()
    assert text.startswith("聊城经济技术开发区  截至 2024年08月01日")
    assert "登记在册人数：1 人" in text and "今年以来帮扶优抚：1 人次" in text
    assert "今年以来帮扶金额：2000 元" in text and "见义勇为工作站：1 个" in text


# ---- the catalogue (FIGURES) ----------------------------------------------------------------------------------
def test_catalogue_order_names_and_units():
    assert [(f.label, f.unit) for f in FIGURES] == [
        ("登记在册人数", "人"), ("国家级表扬人数", "人"), ("省级表扬人数", "人"), ("市级表扬人数", "人"),
        ("县级表扬人数", "人"), ("表扬总人次", "人次"), ("今年以来新确认人员", "人"), ("英模工作室", "处"),
        ("见义勇为工作站", "个"), ("今年以来宣传活动", "场次"), ("今年以来发现上报", "人次"),
        ("今年以来慰问帮扶", "人次"), ("今年以来帮扶优抚", "人次"), ("今年以来帮扶金额", "元"), ("牺牲人员", "人"),
        ("受伤人员", "人"), ("致残人员", "人"), ("市域外见义勇为人员", "人"), ("已挂光荣牌家庭", "户")]
    assert len({f.key for f in FIGURES}) == len(FIGURES) and len({f.label for f in FIGURES}) == len(FIGURES)
    assert all(f.note and f.rule.endswith("。") and f.group in OVERVIEW_GROUPS for f in FIGURES)
    assert [f.label for f in FIGURES if f.ytd] == ["今年以来新确认人员", "今年以来宣传活动", "今年以来发现上报",
                                                  "今年以来慰问帮扶", "今年以来帮扶优抚", "今年以来帮扶金额"]
    assert [f.key for f in FIGURES if f.money] == ["assistance.amount_yuan"]


def test_catalogue_covers_every_key_figure_once(con):
    """Every number key_figures returns is one catalogue entry (as_of and county are not figures), and every
    other entry is a key of overview_extras."""
    def leaves(d, prefix=""):
        for k, v in d.items():
            yield from leaves(v, f"{prefix}{k}.") if isinstance(v, dict) else [f"{prefix}{k}"]
    kf = key_figures(con, C)
    assert [f.key for f in of_source(KEY_FIGURES)] == [k for k in leaves(kf) if k not in ("as_of", "county")]
    assert [f.key for f in of_source(OVERVIEW_EXTRAS)] == ["new_this_year", "injured", "disabled"]
    assert set(overview_extras(con, C)) >= {"new_this_year", "injured", "disabled"}


# Counted by hand on the fixture (tests/fixture_db.py), through the catalogue: a wrong key in an entry (say
# 省级 reading recognized_people.municipal) changes the value printed beside its name.
AT_C = {"登记在册人数": 7, "国家级表扬人数": 1, "省级表扬人数": 1, "市级表扬人数": 3, "县级表扬人数": 2, "表扬总人次": 8,
        "今年以来新确认人员": 2, "英模工作室": 2, "见义勇为工作站": 3, "今年以来宣传活动": 3, "今年以来发现上报": 3,
        "今年以来慰问帮扶": 5, "今年以来帮扶优抚": 3, "今年以来帮扶金额": 5000.5, "牺牲人员": 1, "受伤人员": 1,
        "致残人员": 1, "市域外见义勇为人员": 1, "已挂光荣牌家庭": 5}
KFQ_END = {"登记在册人数": 1, "国家级表扬人数": 0, "省级表扬人数": 0, "市级表扬人数": 0, "县级表扬人数": 1, "表扬总人次": 1,
           "今年以来新确认人员": 0, "英模工作室": 0, "见义勇为工作站": 1, "今年以来宣传活动": 6, "今年以来发现上报": 3,
           "今年以来慰问帮扶": 0, "今年以来帮扶优抚": 1, "今年以来帮扶金额": 2000, "牺牲人员": 0, "受伤人员": 0,
           "致残人员": 1, "市域外见义勇为人员": 0, "已挂光荣牌家庭": 1}


@pytest.mark.parametrize("as_of,county,expected", [(C, None, AT_C), (D("2024-12-31"), KFQ, KFQ_END)])
def test_catalogue_values_on_the_fixture(con, as_of, county, expected):
    sources = {KEY_FIGURES: key_figures(con, as_of, county), OVERVIEW_EXTRAS: overview_extras(con, as_of, county)}
    assert {f.label: value(sources[f.source], f.key) for f in FIGURES} == expected


def test_value_and_figure():
    f = CITY["2024-07-31"]
    assert value(f, "recognized_people.provincial") == 1 and value(f, "assistance.amount_yuan") == 5000.5
    with pytest.raises(KeyError):
        value(f, "recognized_people.town")
    assert figure("studios").unit == "处" and figure("plaques").card_label == "已挂光荣牌"
    with pytest.raises(KeyError):
        figure("heroes")


def test_stats_text_lists_the_catalogue_in_order(fixture_path):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = cli.main(["stats", "--db", str(fixture_path), "--as-of", "2024-07-31"])
    assert code == 0
    assert buf.getvalue() == (
        "全市  截至 2024年07月31日\n"
        "  登记在册人数：7 人\n  国家级表扬人数：1 人\n  省级表扬人数：1 人\n  市级表扬人数：3 人\n"
        "  县级表扬人数：2 人\n  表扬总人次：8 人次\n  英模工作室：2 处\n  见义勇为工作站：3 个\n"
        "  今年以来宣传活动：3 场次\n  今年以来发现上报：3 人次\n  今年以来慰问帮扶：5 人次\n"
        "  今年以来帮扶优抚：3 人次\n  今年以来帮扶金额：5000.5 元\n  牺牲人员：1 人\n"
        "  市域外见义勇为人员：1 人\n  已挂光荣牌家庭：5 户\n")
    lines = buf.getvalue().splitlines()[1:]
    assert [line.strip().split("：")[0] for line in lines] == [f.label for f in of_source(KEY_FIGURES)]
