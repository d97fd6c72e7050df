"""analytics/metrics/activity.py (工作站与工作室) against the fixture, literal figures (tests/fixture_db.py)."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics.metrics import activity as act
from tests.metrics.conftest import C

D = dt.date.fromisoformat
DKF, KFQ = "东昌府区", "聊城经济技术开发区"
YTD = (D("2024-01-01"), C)


def rows(df) -> list[tuple]:
    """The rows sorted, a value not filled in (missing: None) before any other."""
    plain = [tuple(None if pd.isna(v) else v for v in r) for r in df.itertuples(index=False, name=None)]
    return sorted(plain, key=lambda r: [(v is not None, v) for v in r])


def test_breakdown_year_to_date(con):
    b = act.activity_breakdown(con, *YTD)
    assert rows(b["by_unit"]) == sorted([(DKF, "宣传活动", 3), (DKF, "慰问帮扶", 5), (KFQ, "发现上报", 3),
                                         ("临清市", "培训", 1)])
    assert rows(b["by_town"]) == [                        # 临清市's training has no town
        (DKF, "古楼街道", "宣传活动", 3), (DKF, "柳园街道", "慰问帮扶", 5), ("临清市", None, "培训", 1),
        (KFQ, "北城街道", "发现上报", 3)]
    assert b["by_month"]["month"].tolist() == ["2024-01", "2024-02", "2024-05", "2024-05", "2024-07"]
    assert rows(b["by_month"]) == [("2024-01", "宣传活动", 2), ("2024-02", "培训", 1), ("2024-05", "发现上报", 3),
                                   ("2024-05", "宣传活动", 1), ("2024-07", "慰问帮扶", 5)]
    assert rows(b["by_venue"]) == sorted([("企业", 1), ("广场", 2)])
    assert b["totals"] == {"宣传活动": 3, "发现上报": 3, "慰问帮扶": 5, "培训": 1, "其他": 0}
    # station ranking: largest total first; the studio's activity is not a station's
    assert b["stations"].values.tolist() == [
        ["柳园街道见义勇为工作站", DKF, "柳园街道", 0, 0, 5, 5],
        ["北城街道见义勇为工作站", KFQ, "北城街道", 0, 3, 0, 3],
        ["古楼街道见义勇为工作站", DKF, "古楼街道", 2, 0, 0, 2]]


def test_breakdown_whole_year_and_county(con):
    b = act.activity_breakdown(con, D("2024-01-01"), D("2024-12-31"), KFQ)
    assert rows(b["by_unit"]) == sorted([(KFQ, "宣传活动", 6), (KFQ, "发现上报", 3)])
    assert b["by_venue"].values.tolist() == [["商圈", 6]]
    assert b["stations"].values.tolist() == [["北城街道见义勇为工作站", KFQ, "北城街道", 6, 3, 0, 9]]
    assert b["totals"] == {"宣传活动": 6, "发现上报": 3, "慰问帮扶": 0, "培训": 0, "其他": 0}
    dec31 = act.activity_breakdown(con, D("2023-01-01"), D("2023-12-31"), DKF)
    assert dec31["totals"]["宣传活动"] == 4 and rows(dec31["by_venue"]) == [("社区", 4)]
    assert act.activity_breakdown(con, D("2025-01-01"), D("2025-12-31"))["stations"].empty


def test_inactive_stations(con):
    # at C the 90 days run from 2024-05-03: station 3 (last 05-03) is still active, station 1 (last 01-01) not
    df = act.inactive_stations(con, C)
    assert df[["name", "unit", "last_activity", "days_since"]].values.tolist() == [
        ["古楼街道见义勇为工作站", DKF, D("2024-01-01"), 212]]
    # a day later: station 1 was active on 08-01, station 3's last activity is 90 days old, station 4 never active
    df = act.inactive_stations(con, D("2024-08-01"))
    assert df["name"].tolist() == ["青年路街道见义勇为工作站", "北城街道见义勇为工作站"]
    assert df["last_activity"].tolist()[1] == D("2024-05-03") and df["days_since"].tolist()[1] == 90
    assert df["last_activity"].isna().tolist() == [True, False]
    assert act.inactive_stations(con, D("2024-08-01"), DKF).empty
    assert act.inactive_stations(con, D("2024-08-01"), "临清市")["name"].tolist() == ["青年路街道见义勇为工作站"]
    assert act.inactive_stations(con, C, days=30)["name"].tolist() == ["古楼街道见义勇为工作站", "北城街道见义勇为工作站"]


def test_five_has(con):
    df = act.five_has(con, C)
    assert df.values.tolist() == [[DKF, 2, 1, 2, 2, 2, 2, 1, 0.5], [KFQ, 1, 1, 1, 1, 1, 0, 0, 0.0]]
    df = act.five_has(con, D("2024-08-01"))
    assert df["unit"].tolist() == [DKF, "临清市", KFQ]
    assert df["all_five"].tolist() == [1, 1, 0] and df["stations"].tolist() == [2, 1, 1]
    one = act.five_has(con, D("2024-07-30"), DKF)
    assert one.values.tolist() == [[DKF, 1, 1, 1, 1, 1, 1, 1, 1.0]]


def test_studios_activity(con):
    df = act.studios_activity(con, C, *YTD)
    assert df[["name", "unit", "publicity_events", "reports", "assistance_visits", "total"]].values.tolist() == [
        ["见义勇为张一工作室", DKF, 1, 0, 0, 1], ["见义勇为王三工作室", "临清市", 0, 0, 0, 0]]
    assert len(act.studios_activity(con, D("2024-08-01"), *YTD)) == 3
    assert act.studios_activity(con, C, *YTD, county="临清市")["name"].tolist() == ["见义勇为王三工作室"]
    assert act.studios_activity(con, D("2024-02-29"), *YTD).empty
