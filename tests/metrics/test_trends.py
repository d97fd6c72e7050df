"""analytics/metrics/trends.py (趋势 and the extra overview cards) against the fixture, literal figures.

Deeds counted at 2024-07-31 (C): confirmed (or, without a confirmation date, their heroes registered) on or
before C: deeds 1–7 and 9 (deed 8 is confirmed 2024-09-15). By deed year: 2020 deed 7; 2021 deed 5; 2022
deed 3; 2023 deeds 1, 2, 4; 2024 deeds 6 (confirmed on C), 9. Outside the city: deeds 4 (2023) and 9 (2024).
Heroes registered by C, by year: 2020 7; 2021 5; 2022 3; 2023 1, 4; 2024 2 (1 January), 6 (on C).
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics.metrics import trends as tr
from tests.metrics.conftest import ALL_YEARS, C

D = dt.date.fromisoformat
DKF, KFQ, GXQ, DJQ = "东昌府区", "聊城经济技术开发区", "聊城高新技术产业开发区", "江北水城旅游度假区"


def rows(df) -> list[tuple]:
    return sorted(df.itertuples(index=False, name=None))


def plain(df) -> list[list]:
    """The rows as lists, a value not filled in (missing) as None."""
    return [[None if pd.isna(v) else v for v in r] for r in df.itertuples(index=False, name=None)]


def test_deeds_by_year_and_type(con):
    df = tr.deeds_by_period(con, C, None, ALL_YEARS)
    assert list(df.columns) == ["period", "category", "deeds"]
    assert rows(df) == [(2020, "制止违法犯罪", 1), (2021, "交通事故救援", 1), (2022, "救落水", 1),
                        (2023, "救落水", 2), (2023, "火灾救援", 1), (2024, "其他救人", 1), (2024, "救落水", 1)]
    before = tr.deeds_by_period(con, D("2024-07-30"), None, (2024, 2024))
    assert rows(before) == [(2024, "其他救人", 1)]            # deed 6 is confirmed on C
    end = tr.deeds_by_period(con, D("2024-12-31"), None, (2024, 2024))
    assert rows(end) == [(2024, "其他救人", 1), (2024, "救落水", 2)]


def test_deeds_by_place_unit_month(con):
    place = tr.deeds_by_period(con, C, None, ALL_YEARS, by="place")
    assert rows(place) == [(2020, "inside", 1), (2021, "inside", 1), (2022, "inside", 1), (2023, "inside", 2),
                           (2023, "outside", 1), (2024, "inside", 1), (2024, "outside", 1)]
    unit = tr.deeds_by_period(con, C, None, (2023, 2024), by="unit")
    assert rows(unit) == sorted([(2023, DKF, 2), (2023, "冠县", 1), (2024, "冠县", 1), (2024, GXQ, 1)])
    month = tr.deeds_by_period(con, C, None, (2024, 2024), freq="month", by="none")
    assert month.values.tolist() == [["2024-02", "all", 1], ["2024-06", "all", 1]]
    gx = tr.deeds_by_period(con, D("2024-12-31"), "冠县", ALL_YEARS, by="place")
    assert rows(gx) == [(2023, "outside", 1), (2024, "inside", 1), (2024, "outside", 1)]


def test_heroes_by_year(con):
    df = tr.heroes_by_year(con, C, None, ALL_YEARS)
    assert df.values.tolist() == [[2020, "all", 1], [2021, "all", 1], [2022, "all", 1], [2023, "all", 2],
                                  [2024, "all", 2]]
    status = tr.heroes_by_year(con, C, None, ALL_YEARS, "status")
    assert rows(status) == sorted([(2020, "健在", 1), (2021, "致残", 1), (2022, "牺牲", 1), (2023, "健在", 2),
                                   (2024, "受伤", 1), (2024, "健在", 1)])
    occupation = tr.heroes_by_year(con, D("2024-12-31"), None, (2024, 2024), "occupation")
    assert rows(occupation) == sorted([(2024, "工人", 1), (2024, "农民", 1), (2024, "学生", 1)])
    assert rows(tr.heroes_by_year(con, C, DKF, ALL_YEARS, "unit")) == [(2023, DKF, 1), (2024, DKF, 1)]
    assert plain(tr.heroes_by_year(con, C, None, (2020, 2020), "political")) == [[2020, None, 1]]


def test_party_share(con):
    share = tr.party_share(tr.heroes_by_year(con, C, None, ALL_YEARS, "political"))
    # 2022: 中共预备党员 counts as 党员; 2023: 1 of 2; 2024: 1 of 2
    assert share.values.tolist() == [[2020, 1, 0, 0.0], [2021, 1, 0, 0.0], [2022, 1, 1, 1.0], [2023, 2, 1, 0.5],
                                     [2024, 2, 1, 0.5]]
    assert list(tr.party_share(pd.DataFrame(columns=["year", "category", "people"])).columns) == [
        "year", "people", "party", "share"]


def test_year_over_year(con):
    yoy = tr.year_over_year(tr.deeds_by_period(con, C, None, ALL_YEARS), "period", "deeds")
    assert yoy["period"].tolist() == [2020, 2021, 2022, 2023, 2024]
    assert yoy["deeds"].tolist() == [1, 1, 1, 3, 2]
    assert yoy["previous"].tolist()[1:] == [1, 1, 1, 3] and pd.isna(yoy["previous"].iloc[0])
    assert yoy["change"].tolist()[1:] == [0, 0, 2, -1]
    assert yoy["change_pct"].tolist()[1:] == [0.0, 0.0, 200.0, -33.3] and pd.isna(yoy["change_pct"].iloc[0])
    # a year with no deed is filled with 0, and the year after it has no percentage
    gap = tr.year_over_year(tr.deeds_by_period(con, C, "冠县", ALL_YEARS), "period", "deeds")
    assert gap["deeds"].tolist() == [1, 1]
    holes = tr.year_over_year(pd.DataFrame({"y": [2020, 2022], "n": [4, 6]}), "y", "n")
    assert holes["n"].tolist() == [4, 0, 6] and holes["change_pct"].isna().tolist() == [True, False, True]
    assert holes["change_pct"].iloc[1] == -100.0
    assert tr.year_over_year(pd.DataFrame(columns=["y", "n"]), "y", "n").empty


def test_same_period_comparison(con):
    # 2024-01-01 … C: deeds 6, 9; people 2, 6. 2023-01-01 … 2023-07-31: deed 1 (deeds 2 and 4 of 2023 were
    # confirmed later); person 1
    assert tr.same_period_comparison(con, C) == {"deeds": (2, 1), "people": (2, 1)}
    # the whole of 2024: deeds 6, 8, 9; people 2, 6, 8. Of 2023's deeds only 1 and 4 were confirmed within 2023
    # (deed 2 on 2024-01-01); people 1, 4
    assert tr.same_period_comparison(con, D("2024-12-31")) == {"deeds": (3, 2), "people": (3, 2)}
    assert tr.same_period_comparison(con, C, DKF) == {"deeds": (0, 1), "people": (1, 1)}


def test_overview_extras(con):
    assert tr.overview_extras(con, C) == {"new_this_year": 2, "injured": 1, "disabled": 1, "sacrificed": 1}
    assert tr.overview_extras(con, D("2024-01-01")) == {"new_this_year": 1, "injured": 1, "disabled": 1,
                                                        "sacrificed": 1}
    assert tr.overview_extras(con, D("2023-12-31")) == {"new_this_year": 2, "injured": 0, "disabled": 1,
                                                        "sacrificed": 1}
    assert tr.overview_extras(con, C, KFQ) == {"new_this_year": 0, "injured": 0, "disabled": 1, "sacrificed": 0}
    now, before = tr.overview_extras_with_change(con, C, DKF)
    assert now == {"new_this_year": 1, "injured": 1, "disabled": 0, "sacrificed": 0}
    assert before == {"new_this_year": 1, "injured": 0, "disabled": 0, "sacrificed": 0}


def test_trend_tables(con):
    t = tr.trend_tables(con, C, None, ALL_YEARS)
    assert rows(t["deeds_type"]) == rows(tr.deeds_by_period(con, C, None, ALL_YEARS))
    assert t["deeds_yoy"]["deeds"].tolist() == [1, 1, 1, 3, 2]
    assert rows(t["deeds_place"]) == rows(tr.deeds_by_period(con, C, None, ALL_YEARS, by="place"))
    assert rows(t["status"]) == sorted([(2020, "健在", 1), (2021, "致残", 1), (2022, "牺牲", 1), (2023, "健在", 2),
                                        (2024, "受伤", 1), (2024, "健在", 1)])
    assert rows(t["deeds_unit"]) == sorted([(2020, "江北水城旅游度假区", 1), (2021, "聊城经济技术开发区", 1),
                                            (2022, "临清市", 1), (2023, "东昌府区", 2), (2023, "冠县", 1),
                                            (2024, "冠县", 1), (2024, "聊城高新技术产业开发区", 1)])
    assert t["people_yoy"]["people"].tolist() == [1, 1, 1, 2, 2]
    assert plain(t["occupation"]) == [["农民", 3], ["工人", 2], ["学生", 1], [None, 1]]
    assert plain(t["political"]) == [["中共党员", 2], ["中共预备党员", 1], ["共青团员", 1], ["群众", 2],
                                              [None, 1]]
    assert t["party"]["party"].sum() == 3
    assert t["same_period"] == {"deeds": (2, 1), "people": (2, 1)}
    monthly = tr.trend_tables(con, C, "冠县", ALL_YEARS, freq="month")
    assert monthly["deeds_unit"] is None
    assert rows(monthly["deeds_type"]) == [("2023-10", "救落水", 1), ("2024-02", "其他救人", 1)]
    assert rows(monthly["deeds_place"]) == [("2023-10", "outside", 1), ("2024-02", "outside", 1)]
