"""The shared tables agree with key_figures (the one source of every figure)."""
from __future__ import annotations

import datetime as dt

import pytest

from analytics import store
from analytics.labels import with_total
from analytics.metrics.activity import activity_by_county
from analytics.metrics.assistance import assistance_by_type
from analytics.metrics.figures import key_figures
from analytics.metrics.levels import levels_by_county


@pytest.fixture(scope="module")
def con(demo_db_readonly):
    c = store.connect(demo_db_readonly, read_only=True)
    yield c
    c.close()


@pytest.mark.parametrize("as_of", [dt.date(2024, 7, 31), dt.date(2020, 3, 1), dt.date(2026, 10, 31)])
def test_levels_by_county_sum_to_city(con, as_of):
    df = levels_by_county(con, as_of)
    f = key_figures(con, as_of)
    assert len(df) == 11
    assert df["registered"].sum() == f["registered"]
    for key in ("national", "provincial", "municipal"):
        assert df[key].sum() == f["recognized_people"][key]
    assert df["county_level"].sum() == f["recognized_people"]["county"]
    one = levels_by_county(con, as_of, "冠县").iloc[0]
    g = key_figures(con, as_of, "冠县")
    assert one["registered"] == g["registered"] and one["municipal"] == g["recognized_people"]["municipal"]


@pytest.mark.parametrize("as_of", [dt.date(2024, 7, 31), dt.date(2025, 12, 31)])
def test_activity_by_county_sum_to_city(con, as_of):
    df = activity_by_county(con, as_of)
    f = key_figures(con, as_of)
    assert df["workstations"].sum() == f["workstations"]
    for key in ("publicity_events", "reports", "assistance_visits"):
        assert df[key].sum() == f["activities"][key]


def test_activity_by_county_published_dongchangfu_figures(con):
    """seed 000: 东昌府区's 14 workstations held 32 publicity events, reported 20 and visited 15 in 2024 to 07-31."""
    dcf = activity_by_county(con, dt.date(2024, 7, 31)).set_index("unit").loc["东昌府区"]
    assert (dcf["workstations"], dcf["publicity_events"], dcf["reports"], dcf["assistance_visits"]) == (14, 32, 20, 15)


@pytest.mark.parametrize("county", [None, "东昌府区", "临清市"])
def test_assistance_by_type_sums(con, county):
    as_of = dt.date(2025, 6, 30)
    df = assistance_by_type(con, as_of, county)
    f = key_figures(con, as_of, county)
    assert df["times"].sum() == f["assistance"]["times"]
    assert round(float(df["amount_yuan"].sum()), 2) == float(f["assistance"]["amount_yuan"])


def test_with_total(con):
    df = with_total(levels_by_county(con, dt.date(2024, 7, 31)))
    last = df.iloc[-1]
    assert last["unit"] == "合计" and last["registered"] == 704 and last["national"] == 3
