"""analytics/metrics/levels.py (表扬等级分析) against the fixture: both counting rules, literal figures.

At 2024-07-31 (C), people × level × year of their first recognition at that level (tests/fixture_db.py):
按人数: 1 东昌府区 市级 2023 (its 2nd 市级 in 2024 does not count again), 1 东昌府区 省级 2024 (dated C),
3 临清市 市级 2022, 3 临清市 国家级 2022, 4 冠县 市级 2023, 5 开发区 县级 2021, 7 度假区 县级 2020.
按最高级别: 1 省级 2024, 3 国家级 2022, 4 市级 2023, 5 县级 2021, 7 县级 2020.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analytics.metrics import levels as lv
from analytics import labels, reference
from tests.metrics.conftest import C

D = dt.date.fromisoformat
DKF, KFQ, GXQ, DJQ = "东昌府区", "聊城经济技术开发区", "聊城高新技术产业开发区", "江北水城旅游度假区"


def rows(df: pd.DataFrame) -> list[tuple]:
    return sorted(df.itertuples(index=False, name=None))


PEOPLE_AT_C = [(DKF, 2023, "市级", 1), (DKF, 2024, "省级", 1), ("临清市", 2022, "国家级", 1),
               ("临清市", 2022, "市级", 1), ("冠县", 2023, "市级", 1), (KFQ, 2021, "县级", 1),
               (DJQ, 2020, "县级", 1)]
HIGHEST_AT_C = [(DKF, 2024, "省级", 1), ("临清市", 2022, "国家级", 1), ("冠县", 2023, "市级", 1),
                (KFQ, 2021, "县级", 1), (DJQ, 2020, "县级", 1)]


def test_rule_people(con):
    df = lv.levels_by_county_year(con, C, rule="people")
    assert list(df.columns) == ["unit", "year", "level", "people"]
    assert rows(df) == sorted(PEOPLE_AT_C)


def test_rule_highest(con):
    assert rows(lv.levels_by_county_year(con, C, rule="highest")) == sorted(HIGHEST_AT_C)


def test_rules_the_day_before_and_at_year_end(con):
    before = lv.levels_by_county_year(con, D("2024-07-30"), rule="highest")
    # the day before C person 1 has reached 市级 only (first in 2023)
    assert rows(before) == sorted([(DKF, 2023, "市级", 1), ("临清市", 2022, "国家级", 1), ("冠县", 2023, "市级", 1),
                                   (KFQ, 2021, "县级", 1), (DJQ, 2020, "县级", 1)])
    end = lv.levels_by_county_year(con, D("2024-12-31"), rule="people")
    assert rows(end) == sorted(PEOPLE_AT_C + [(DKF, 2024, "县级", 1), ("冠县", 2024, "市级", 1)])
    end_h = lv.levels_by_county_year(con, D("2024-12-31"), rule="highest")
    assert rows(end_h) == sorted(HIGHEST_AT_C + [(DKF, 2024, "县级", 1), ("冠县", 2024, "市级", 1)])


def test_one_county(con):
    assert rows(lv.levels_by_county_year(con, C, DKF)) == [(DKF, 2023, "市级", 1), (DKF, 2024, "省级", 1)]
    assert rows(lv.levels_by_county_year(con, C, DKF, "highest")) == [(DKF, 2024, "省级", 1)]
    assert rows(lv.levels_by_county_year(con, D("2024-12-31"), "冠县", "highest")) == [
        ("冠县", 2023, "市级", 1), ("冠县", 2024, "市级", 1)]
    assert lv.levels_by_county_year(con, C, GXQ).empty


def test_unknown_rule(con):
    with pytest.raises(ValueError):
        lv.levels_by_county_year(con, C, rule="max")


def test_town_drill_down(con):
    assert rows(lv.levels_by_town_year(con, C, DKF)) == [("古楼街道", 2023, "市级", 1), ("古楼街道", 2024, "省级", 1)]
    assert rows(lv.levels_by_town_year(con, D("2024-12-31"), DKF, "highest")) == [
        ("古楼街道", 2024, "省级", 1), ("柳园街道", 2024, "县级", 1)]
    assert rows(lv.levels_by_town_year(con, C, KFQ)) == [("北城街道", 2021, "县级", 1)]


def test_filter_years(con):
    long = lv.levels_by_county_year(con, C)
    assert rows(lv.filter_years(long, (2022, 2023))) == sorted(
        [(DKF, 2023, "市级", 1), ("临清市", 2022, "国家级", 1), ("临清市", 2022, "市级", 1), ("冠县", 2023, "市级", 1)])
    assert len(lv.filter_years(long, None)) == 7


def test_county_level_table_people(con):
    t = lv.county_level_table(con, C)
    assert list(t.index) == reference.county_names()           # no 合计 row: the pages add it
    assert list(t.columns) == ["国家级", "省级", "市级", "县级"]
    assert t.loc[DKF].tolist() == [0, 1, 1, 0]
    assert t.loc["临清市"].tolist() == [1, 0, 1, 0]
    assert t.loc["冠县"].tolist() == [0, 0, 1, 0]
    assert t.loc[KFQ].tolist() == [0, 0, 0, 1]
    assert t.loc[GXQ].tolist() == [0, 0, 0, 0]
    assert t.loc[DJQ].tolist() == [0, 0, 0, 1]
    shown = labels.with_pivot_total(t)                          # as the page shows it
    assert list(shown.index) == reference.county_names() + ["合计"]
    assert list(shown.columns) == ["国家级", "省级", "市级", "县级", "合计"]
    assert shown.loc[DKF].tolist() == [0, 1, 1, 0, 2]
    assert shown.loc["合计"].tolist() == [1, 1, 3, 2, 7]


def test_county_level_table_highest(con):
    t = labels.with_pivot_total(lv.county_level_table(con, C, rule="highest"))
    assert t.loc[DKF].tolist() == [0, 1, 0, 0, 1]
    assert t.loc["临清市"].tolist() == [1, 0, 0, 0, 1]
    assert t.loc["合计"].tolist() == [1, 1, 1, 2, 5]
    t = labels.with_pivot_total(lv.county_level_table(con, D("2024-12-31"), rule="highest"))
    assert t.loc[DKF].tolist() == [0, 1, 0, 1, 2]
    assert t.loc["合计"].tolist() == [1, 1, 2, 3, 7]


def test_county_level_table_one_county_and_years(con):
    t = lv.county_level_table(con, D("2024-12-31"), "冠县")
    assert list(t.index) == ["冠县"]
    assert t.loc["冠县"].tolist() == [0, 0, 2, 0]
    # only people first recognized (at that level) in 2024
    t = labels.with_pivot_total(lv.county_level_table(con, D("2024-12-31"), years=(2024, 2024)))
    assert t.loc[DKF].tolist() == [0, 1, 0, 1, 2]
    assert t.loc["合计"].tolist() == [0, 1, 1, 1, 3]


def test_pivot_by_year(con):
    long = lv.levels_by_county_year(con, C)
    t = lv.pivot(long, "year", reference.county_names(), (2020, 2024), level="县级")
    assert list(t.columns) == [2020, 2021, 2022, 2023, 2024]
    assert t.loc[KFQ].tolist() == [0, 1, 0, 0, 0]
    assert t.loc[DJQ].tolist() == [1, 0, 0, 0, 0]
    assert labels.with_pivot_total(t).loc["合计"].tolist() == [1, 1, 0, 0, 0, 2]
    every = lv.pivot(long, "year")      # years from the data, units sorted
    assert list(every.columns) == [2020, 2021, 2022, 2023, 2024]
    assert sorted(every.index) == sorted([DKF, "临清市", "冠县", KFQ, DJQ])
    assert every.loc["临清市"].tolist() == [0, 0, 2, 0, 0]
    assert int(every.to_numpy().sum()) == 7
    assert labels.with_pivot_total(lv.pivot(long.iloc[0:0], "year", [DKF])).loc["合计", "合计"] == 0


def test_the_table_as_the_page_labels_it(con):
    t = labels.with_pivot_total(lv.county_level_table(con, C, "冠县"))
    shown = labels.pivot_labelled(t, total=labels.LEVEL_TOTAL_COLUMN["people"])
    assert list(shown.columns) == ["县市区", "国家级（人）", "省级（人）", "市级（人）", "县级（人）", "各级合计（人次）"]
    assert shown.values.tolist() == [["冠县", 0, 0, 1, 0, 1], ["合计", 0, 0, 1, 0, 1]]
    years = labels.pivot_labelled(lv.pivot(lv.levels_by_county_year(con, C, "冠县"), "year", ["冠县"], (2023, 2024)))
    assert years.values.tolist() == [["冠县", 1, 0]] and list(years.columns) == ["县市区", "2023", "2024"]
