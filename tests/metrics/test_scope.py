"""analytics/metrics/scope.py: county clause, units, periods, level order and the deed scope, on the fixture."""
from __future__ import annotations

import datetime as dt

from analytics.metrics import scope as scope
from analytics import reference

D = dt.date.fromisoformat
DKF, KFQ, GXQ, DJQ = "东昌府区", "聊城经济技术开发区", "聊城高新技术产业开发区", "江北水城旅游度假区"


def test_county_clause():
    assert scope.county_clause("h.county", None) == ("", [])
    assert scope.county_clause("h.county", DKF) == (" AND h.county = ?", [DKF])


def test_units():
    assert scope.units(KFQ) == [KFQ]
    assert scope.units(None) == ["东昌府区", "茌平区", "阳谷县", "莘县", "东阿县", "冠县", "高唐县", "临清市",
                                 KFQ, GXQ, DJQ]


def test_period():
    assert scope.period(D("2024-07-31")) == (D("2024-01-01"), D("2024-07-31"))
    assert scope.period(D("2024-01-01")) == (D("2024-01-01"), D("2024-01-01"))
    assert scope.period(D("2024-07-31"), (2020, 2023), ytd=False) == (D("2020-01-01"), D("2023-12-31"))
    assert scope.period(D("2024-07-31"), (2020, 2026), ytd=False) == (D("2020-01-01"), D("2024-07-31"))
    assert scope.period(D("2024-07-31"), (2020, 2023), ytd=True) == (D("2024-01-01"), D("2024-07-31"))
    assert scope.period(D("2024-07-31"), None, ytd=False) == (D("2024-01-01"), D("2024-07-31"))


def test_level_order(con):
    got = con.execute(f"SELECT level, {scope.level_order_sql()} FROM (SELECT unnest(?) AS level) ORDER BY 2",
                      [["县级", "国家级", "市级", "省级"]]).fetchall()
    assert got == [("国家级", 1), ("省级", 2), ("市级", 3), ("县级", 4)]
    assert reference.LEVELS == ["国家级", "省级", "市级", "县级"]


def test_deed_scope(con):
    got = con.execute(f"{scope.DEED_SCOPE} SELECT deed_id, unit, confirmed_or_registered FROM scoped_deeds "
                      "ORDER BY deed_id").fetchall()
    assert got == [(1, DKF, D("2023-03-10")), (2, DKF, D("2024-01-01")), (3, "临清市", D("2022-06-15")),
                   (4, "冠县", D("2023-11-20")), (5, KFQ, D("2021-05-05")), (6, GXQ, D("2024-07-31")),
                   (7, DJQ, D("2020-10-10")), (8, "冠县", D("2024-09-15")),
                   (9, "冠县", D("2023-11-20"))]   # deed 9: outside the city and unconfirmed → its hero's unit and date
