"""analytics/metrics/assistance.py (帮扶优抚) against the fixture, literal figures (tests/fixture_db.py)."""
from __future__ import annotations

import datetime as dt

from analytics.metrics import assistance as asst
from tests.metrics.conftest import C

D = dt.date.fromisoformat
DKF, KFQ, GXQ, DJQ = "东昌府区", "聊城经济技术开发区", "聊城高新技术产业开发区", "江北水城旅游度假区"


def test_breakdown_two_years(con):
    df = asst.assistance_breakdown(con, D("2023-01-01"), D("2024-12-31"))
    assert list(df.columns) == ["year", "unit", "type", "times", "amount_yuan"]
    assert sorted(df.itertuples(index=False, name=None)) == sorted([
        (2023, "临清市", "抚恤慰问", 1, 5000.0), (2023, DJQ, "其他", 1, 0.0),
        (2024, DKF, "医疗救治", 2, 2000.5), (2024, "临清市", "抚恤慰问", 1, 3000.0),
        (2024, KFQ, "困难救助", 1, 2000.0)])
    assert df["year"].tolist() == [2023, 2023, 2024, 2024, 2024]


def test_breakdown_year_to_date_and_county(con):
    df = asst.assistance_breakdown(con, D("2024-01-01"), C)
    assert df["times"].sum() == 3 and round(float(df["amount_yuan"].sum()), 2) == 5000.5
    one = asst.assistance_breakdown(con, D("2024-01-01"), D("2024-12-31"), "临清市")
    assert one.values.tolist() == [[2024, "临清市", "抚恤慰问", 1, 3000.0]]
    assert asst.assistance_breakdown(con, D("2024-01-02"), C, "临清市").empty


def test_twelve_months_before():
    assert asst.twelve_months_before(D("2024-07-31")) == D("2023-08-01")
    assert asst.twelve_months_before(D("2024-02-29")) == D("2023-03-01")
    assert asst.twelve_months_before(D("2025-01-01")) == D("2024-01-02")


def test_unvisited_heroes(con):
    # at C the 12 months run from 2023-08-01: persons 1, 2, 3 were assisted; 7's visit (2023-07-31) is too old
    df = asst.unvisited_heroes(con, C)
    assert df.values.tolist() == [["赵四", "冠县", "清泉街道", 4], ["钱五", KFQ, "北城街道", 4],
                                  ["孙六", GXQ, "湖西街道", 4], ["周七", DJQ, "李海务街道", 4]]
    # the day before: 7's visit is inside the window, 2's (on C) is not yet, 6 is not registered yet
    before = asst.unvisited_heroes(con, D("2024-07-30"))
    assert before["name"].tolist() == ["李二", "赵四", "钱五"]
    limited = asst.unvisited_heroes(con, C, limit=2)
    assert limited["name"].tolist() == ["赵四", "钱五"] and limited["total"].tolist() == [4, 4]
    assert asst.unvisited_heroes(con, C, DKF).empty
    assert asst.unvisited_heroes(con, D("2024-12-31"), "冠县")["name"].tolist() == ["吴八", "赵四"]


def test_unvisited_by_unit(con):
    assert asst.unvisited_by_unit(con, C).values.tolist() == [["冠县", 1], [KFQ, 1], [GXQ, 1], [DJQ, 1]]
    assert asst.unvisited_by_unit(con, D("2024-07-30")).values.tolist() == [[DKF, 1], ["冠县", 1], [KFQ, 1]]
    assert asst.unvisited_by_unit(con, D("2025-12-31"), DKF).values.tolist() == [[DKF, 2]]
