"""analytics/deeds.py: the recognized heroes behind 典型事迹, on the hand-made fixture (tests/fixture_db.py;
fixture_con in tests/press/conftest.py)."""
from __future__ import annotations

import datetime as dt

from analytics import deeds

C = dt.date(2024, 7, 31)


def test_one_row_per_hero_highest_level_municipal_and_up_first(fixture_con):
    df = deeds.recognized_heroes(fixture_con, C)
    assert list(df.columns) == deeds.COLUMNS
    # 张一: 市级 twice and 省级 on the cut-off day → 省级, dated C; 李二's 县级 of C+1 and 孙六 (none) are out;
    # 市级 and up first, newest first: 张一 (C), 赵四 (2023-12-01), 王三 (国家级 2022-09-01); then 钱五, 周七 (县级)
    assert df[["hero_id", "name", "level", "high"]].values.tolist() == [
        [1, "张一", "省级", True], [4, "赵四", "市级", True], [3, "王三", "国家级", True],
        [5, "钱五", "县级", False], [7, "周七", "县级", False]]
    assert [d.date() for d in df["recognized_on"]] == [C, dt.date(2023, 12, 1), dt.date(2022, 9, 1),
                                                       dt.date(2021, 6, 1), dt.date(2020, 11, 1)]


def test_county_limit_and_chosen_heroes(fixture_con):
    end = dt.date(2024, 12, 31)
    assert deeds.recognized_heroes(fixture_con, end, "冠县")["hero_id"].tolist() == [8, 4]
    assert deeds.recognized_heroes(fixture_con, C, limit=2)["hero_id"].tolist() == [1, 4]
    assert deeds.recognized_heroes(fixture_con, C, limit=None, hero_ids=(7, 2, 3))["hero_id"].tolist() == [3, 7]
    assert deeds.recognized_heroes(fixture_con, C, hero_ids=()).empty


def test_no_personal_identifier_is_selected(fixture_con):
    df = deeds.recognized_heroes(fixture_con, dt.date(2026, 1, 1), limit=None)
    assert not {"id_number", "phone", "address", "birth_date"} & set(df.columns)
