"""The default 截至日期 and the fair-period helpers: hand-written expectations."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analytics import store
from analytics.metrics.status import latest_data_date
from analytics.metrics.scope import is_part_year, same_period_a_year_earlier, years_in_range
from analytics.labels import comparison_range, range_text
from analytics.metrics.trends import fair_year_over_year

D = dt.date


def test_latest_data_date_of_the_demo_and_of_an_empty_database(demo_db_readonly, tmp_db):
    con = store.connect(demo_db_readonly, read_only=True)
    try:
        assert latest_data_date(con) == D(2026, 10, 31)     # the demo covers 2012-06-29 … 2026-10-31
    finally:
        con.close()
    con = store.connect(tmp_db)
    try:
        assert latest_data_date(con) is None
    finally:
        con.close()


@pytest.mark.parametrize("lo, hi, before", [
    (D(2024, 1, 1), D(2024, 7, 31), (D(2023, 1, 1), D(2023, 7, 31))),
    (D(2024, 1, 1), D(2024, 2, 29), (D(2023, 1, 1), D(2023, 2, 28))),
    (D(2026, 1, 1), D(2026, 10, 31), (D(2025, 1, 1), D(2025, 10, 31))),
])
def test_same_period_a_year_earlier(lo, hi, before):
    assert same_period_a_year_earlier(lo, hi) == before


def test_part_year():
    assert is_part_year(D(2024, 7, 31)) and not is_part_year(D(2023, 12, 31))


@pytest.mark.parametrize("as_of, years, expected", [
    (D(2024, 7, 31), (2012, 2026), (D(2012, 6, 29), D(2024, 7, 31))),
    (D(2026, 10, 31), (2015, 2020), (D(2015, 1, 1), D(2020, 12, 31))),
    (D(2024, 7, 31), (2025, 2026), None),
])
def test_years_in_range(as_of, years, expected):
    assert years_in_range(as_of, years) == expected


@pytest.mark.parametrize("lo, hi, text", [
    (D(2012, 6, 29), D(2024, 7, 31), "2012年6月29日—2024年7月31日"),
    (D(2013, 1, 1), D(2015, 12, 31), "2013—2015年"),
    (D(2023, 1, 1), D(2023, 12, 31), "2023年"),
])
def test_range_text(lo, hi, text):
    assert range_text(lo, hi) == text


def test_fair_year_over_year_compares_a_part_year_with_the_same_part():
    yoy = pd.DataFrame({"period": [2022, 2023, 2024], "deeds": [60, 75, 41], "previous": pd.array([None, 60, 75],
                        dtype="Int64"), "change": pd.array([None, 15, -34], dtype="Int64"),
                        "change_pct": [None, 25.0, -45.3]})
    out = fair_year_over_year(yoy, "period", "deeds", D(2024, 7, 31), 31)
    assert list(out["until"]) == [None, None, D(2024, 7, 31)]
    assert [comparison_range(u) for u in out["until"]] == ["全年", "全年", "1月1日—7月31日"]
    last = out.iloc[-1]
    assert (last["previous"], last["change"], last["change_pct"]) == (31, 10, 32.3)
    assert out.iloc[1]["change_pct"] == 25.0                         # whole years unchanged
    full = fair_year_over_year(yoy, "period", "deeds", D(2024, 12, 31), 31)
    assert list(full["until"]) == [None] * 3 and full.iloc[-1]["change_pct"] == -45.3
    zero = fair_year_over_year(yoy, "period", "deeds", D(2024, 7, 31), 0)
    assert pd.isna(zero.iloc[-1]["change_pct"]) and zero.iloc[-1]["change"] == 41
