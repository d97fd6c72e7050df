"""analytics/metrics/timeliness.py (及时性) against the fixture: median and p90 computed by hand.

The days per deed and step, and how each median / p90 was interpolated, are in tests/fixture_db.py.
"""
from __future__ import annotations

import datetime as dt

import pytest

from analytics.metrics import timeliness as tl
from tests.metrics.conftest import ALL_YEARS, C

D = dt.date.fromisoformat
DKF, KFQ, GXQ, DJQ = "东昌府区", "聊城经济技术开发区", "聊城高新技术产业开发区", "江北水城旅游度假区"

OVERALL_AT_C = [["discovered_on", 9, 1.0, 2.6], ["investigated_on", 7, 15.0, 19.0], ["confirmed_on", 7, 37.0, 57.6],
                ["commended_on", 5, 61.0, 71.2], ["first_assisted_on", 4, 492.0, 933.0]]


def test_overall_at_cut_off(con):
    s = tl.step_stats(con, C, None, ALL_YEARS)
    assert list(s["overall"].columns) == ["step", "deeds", "median_days", "p90_days"]
    assert s["overall"].values.tolist() == OVERALL_AT_C


def test_unknown_step(con):
    with pytest.raises(ValueError):
        tl.step_stats(con, C, None, ALL_YEARS, step="及时确认")      # steps are named by their key


def test_by_unit_and_year_for_confirmation(con):
    s = tl.step_stats(con, C, None, ALL_YEARS, step="confirmed_on")
    assert s["by_unit"].values.tolist() == [
        [DKF, "confirmed_on", 2, 24.5, 34.5], ["冠县", "confirmed_on", 1, 50.0, 50.0],
        ["临清市", "confirmed_on", 1, 26.0, 26.0], [KFQ, "confirmed_on", 1, 34.0, 34.0],
        [GXQ, "confirmed_on", 1, 60.0, 60.0], [DJQ, "confirmed_on", 1, 56.0, 56.0]]
    assert s["by_year"].values.tolist() == [
        [2020, "confirmed_on", 1, 56.0, 56.0], [2021, "confirmed_on", 1, 34.0, 34.0],
        [2022, "confirmed_on", 1, 26.0, 26.0], [2023, "confirmed_on", 3, 37.0, 47.4],
        [2024, "confirmed_on", 1, 60.0, 60.0]]
    # the overall rows do not depend on the chosen step
    assert s["overall"].values.tolist() == OVERALL_AT_C


def test_all_steps_by_unit(con):
    s = tl.step_stats(con, C, None, ALL_YEARS)
    dcf = s["by_unit"][s["by_unit"]["unit"] == DKF]
    # deeds 1 and 2: 发现 1,1; 调查 10,5; 确认 37,12; 表扬 59 (deed 2's is after C); 帮扶 394,224
    assert dcf[["step", "deeds", "median_days", "p90_days"]].values.tolist() == [
        ["discovered_on", 2, 1.0, 1.0], ["investigated_on", 2, 7.5, 9.5], ["confirmed_on", 2, 24.5, 34.5],
        ["commended_on", 1, 59.0, 59.0], ["first_assisted_on", 2, 309.0, 377.0]]
    # 冠县: deeds 4, 8 and 9 (outside the city → the first hero's unit); 发现 2, 2, 5
    gx = s["by_unit"][s["by_unit"]["unit"] == "冠县"]
    assert gx[["step", "deeds", "median_days", "p90_days"]].values.tolist() == [
        ["discovered_on", 3, 2.0, 4.4], ["investigated_on", 1, 19.0, 19.0], ["confirmed_on", 1, 50.0, 50.0],
        ["commended_on", 1, 61.0, 61.0]]


def test_one_county_and_other_dates(con):
    s = tl.step_stats(con, C, DKF, ALL_YEARS)
    assert s["overall"].values.tolist() == [
        ["discovered_on", 2, 1.0, 1.0], ["investigated_on", 2, 7.5, 9.5], ["confirmed_on", 2, 24.5, 34.5],
        ["commended_on", 1, 59.0, 59.0], ["first_assisted_on", 2, 309.0, 377.0]]
    # the day before C: deed 6's confirmation (on C) is not done yet, nor deed 2's assistance
    before = tl.step_stats(con, D("2024-07-30"), None, ALL_YEARS)["overall"]
    assert before.values.tolist()[2] == ["confirmed_on", 6, 35.5, 53.0]
    assert before.values.tolist()[4] == ["first_assisted_on", 3, 590.0, 982.0]
    # at the year's end deed 8's steps are done: 调查 21, 确认 57, 表扬 62; deed 2's 表扬 225
    # 确认 12,26,34,37,50,56,57,60: median (37+50)/2 = 43.5, p90 at 6.3: 57+0.3·3 = 57.9
    # 表扬 42,59,61,61,62,78,225: median 61, p90 at 5.4: 78+0.4·147 = 136.8
    end = tl.step_stats(con, D("2024-12-31"), None, ALL_YEARS)["overall"]
    assert end.values.tolist()[2] == ["confirmed_on", 8, 43.5, 57.9]
    assert end.values.tolist()[3] == ["commended_on", 7, 61.0, 136.8]
    # deeds of 2023 only: 1, 2, 4
    y2023 = tl.step_stats(con, C, None, (2023, 2023))["overall"]
    assert y2023.values.tolist()[2] == ["confirmed_on", 3, 37.0, 47.4]


def test_overdue_cases(con):
    over = tl.overdue_cases(con, C, None, ALL_YEARS)
    # only deed 9 (not confirmed, 172 days since 2024-02-10) is over 60 days; deed 6 took exactly 60
    assert over[["deed_date", "unit", "deed_type", "heroes", "days", "total"]].values.tolist() == [
        [D("2024-02-10"), "冠县", "其他救人", "赵四", 172, 1]]
    assert over["step_on"].isna().tolist() == [True]
    over = tl.overdue_cases(con, C, None, ALL_YEARS, threshold_days=50)
    assert over[["deed_date", "days", "total"]].values.tolist() == [
        [D("2024-02-10"), 172, 3], [D("2024-06-01"), 60, 3], [D("2020-08-15"), 56, 3]]
    assert over["step_on"].tolist()[1:] == [D("2024-07-31"), D("2020-10-10")]
    limited = tl.overdue_cases(con, C, None, ALL_YEARS, threshold_days=50, limit=1)
    assert limited[["days", "total"]].values.tolist() == [[172, 3]]
    shared = tl.overdue_cases(con, C, "冠县", ALL_YEARS, threshold_days=40)
    assert shared[["deed_date", "heroes", "days"]].values.tolist() == [
        [D("2024-02-10"), "赵四", 172], [D("2023-10-01"), "赵四、吴八", 50]]
    assert tl.overdue_cases(con, C, DKF, ALL_YEARS).empty
    assistance = tl.overdue_cases(con, C, DKF, ALL_YEARS, step="first_assisted_on", threshold_days=300)
    assert assistance[["deed_date", "days"]].values.tolist() == [[D("2023-02-01"), 394]]
    with pytest.raises(ValueError):
        tl.overdue_cases(con, C, None, ALL_YEARS, step="registered_on")


def test_a_deed_on_the_cut_off_day(tmp_path):
    """A deed dated on the cut-off day and discovered the same day (0 days) is counted at C, not the day before.
    及时发现 at C becomes 0,0,0,1,1,1,2,2,2,5: median (1+1)/2 = 1, p90 at 8.1: 2+0.1·3 = 2.3."""
    from analytics import store
    from tests import fixture_db

    con = store.connect(fixture_db.build(tmp_path / "f.duckdb"))
    try:
        with store.transaction(con) as cur:
            cur.execute("INSERT INTO deeds (deed_id, deed_date, county, outside_city, deed_type, discovered_on, "
                        "created_change) VALUES (10, DATE '2024-07-31', '东昌府区', false, '救落水', "
                        "DATE '2024-07-31', 1)")
            cur.execute("INSERT INTO deed_heroes VALUES (10, 1, 1)")
        assert tl.step_stats(con, C, None, ALL_YEARS)["overall"].values.tolist()[0] == ["discovered_on", 10, 1.0, 2.3]
        assert tl.step_stats(con, D("2024-07-30"), None, ALL_YEARS)["overall"].values.tolist()[0] == [
            "discovered_on", 9, 1.0, 2.6]
        # with no days allowed (threshold -1) every 东昌府区 deed is listed, longest first: deed 1 (37 days),
        # deed 2 (12), the new one (not confirmed, 0 days since); the day before, the new one is not there
        over = tl.overdue_cases(con, C, DKF, ALL_YEARS, threshold_days=-1)
        assert over[["deed_date", "days"]].values.tolist() == [[D("2023-02-01"), 37], [D("2023-12-20"), 12],
                                                               [D("2024-07-31"), 0]]
        assert len(tl.overdue_cases(con, D("2024-07-30"), DKF, ALL_YEARS, threshold_days=-1)) == 2
    finally:
        con.close()
