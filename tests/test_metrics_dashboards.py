"""Dashboard metric modules: their totals equal key_figures (the one source of the published figures)."""
from __future__ import annotations

import datetime as dt

import pytest

from analytics import labels, reference
from analytics.metrics.figures import key_figures
from analytics.metrics.levels import levels_by_county
from analytics.metrics import activity as act
from analytics.metrics import assistance as asst
from analytics.metrics import levels as lv
from analytics.metrics import timeliness as tl
from analytics.metrics import trends as tr
from analytics.metrics.scope import period

ALL_YEARS = (2012, 2026)
CASES = [(dt.date(2024, 7, 31), None), (dt.date(2024, 7, 31), "东昌府区"), (dt.date(2025, 4, 30), "冠县"),
         (dt.date(2023, 12, 31), "聊城经济技术开发区"), (dt.date(2026, 10, 31), None)]


@pytest.fixture(scope="module")
def con(demo_db_readonly):
    from analytics import store
    c = store.connect(demo_db_readonly)
    yield c
    c.close()


@pytest.mark.parametrize("as_of,county", CASES)
def test_level_table_totals_equal_key_figures(con, as_of, county):
    kf = key_figures(con, as_of, county)
    t = labels.with_pivot_total(lv.county_level_table(con, as_of, county, "people"))
    for level, key in reference.LEVEL_KEYS.items():
        assert t.loc["合计", level] == kf["recognized_people"][key]
    assert t.loc["合计", "合计"] == sum(kf["recognized_people"].values())
    # per unit, the same as the shared press table
    shared = levels_by_county(con, as_of, county).set_index("unit")
    assert (t.drop(index="合计")["市级"] == shared["municipal"]).all()
    # highest level: each person once, never more than the distinct people at any level
    h = labels.with_pivot_total(lv.county_level_table(con, as_of, county, "highest"))
    assert h.loc["合计", "国家级"] == kf["recognized_people"]["national"]
    assert h.loc["合计", "合计"] <= t.loc["合计", "合计"]
    distinct = con.execute(
        "SELECT count(DISTINCT r.hero_id) FROM recognitions r JOIN heroes h USING (hero_id) "
        "WHERE r.recognized_on <= ?" + (" AND h.county = ?" if county else ""),
        [as_of] + ([county] if county else [])).fetchone()[0]
    assert h.loc["合计", "合计"] == distinct


def test_published_levels_and_year_pivot(con):
    t = lv.county_level_table(con, dt.date(2024, 7, 31))
    assert list(t.index) == reference.county_names()
    assert t[["国家级", "省级", "市级"]].sum().tolist() == [3, 49, 307]
    long = lv.levels_by_county_year(con, dt.date(2024, 7, 31))
    by_year = lv.pivot(long, "year", reference.county_names(), ALL_YEARS, level="市级")
    assert int(by_year.to_numpy().sum()) == 307
    assert list(by_year.columns) == list(range(2012, 2027))


def test_town_drill_down_sums_to_county(con):
    as_of = dt.date(2024, 7, 31)
    towns = lv.levels_by_town_year(con, as_of, "东昌府区")
    county = lv.levels_by_county_year(con, as_of, "东昌府区")
    assert towns.groupby("level")["people"].sum().to_dict() == county.groupby("level")["people"].sum().to_dict()
    assert set(towns["unit"]) <= set(reference.towns_of("东昌府区"))


@pytest.mark.parametrize("as_of,county", CASES)
def test_activity_totals_equal_key_figures(con, as_of, county):
    kf = key_figures(con, as_of, county)
    b = act.activity_breakdown(con, *period(as_of), county)
    assert b["totals"]["宣传活动"] == kf["activities"]["publicity_events"]
    assert b["totals"]["发现上报"] == kf["activities"]["reports"]
    assert b["totals"]["慰问帮扶"] == kf["activities"]["assistance_visits"]
    assert b["by_month"]["count"].sum() == b["by_town"]["count"].sum() == b["by_unit"]["count"].sum()
    assert b["by_venue"]["count"].sum() == kf["activities"]["publicity_events"]
    fh = act.five_has(con, as_of, county)
    assert fh["stations"].sum() == kf["workstations"]
    assert len(act.studios_activity(con, as_of, *period(as_of), county)) == kf["studios"]


def test_dongchangfu_published_activity(con):
    b = act.activity_breakdown(con, dt.date(2024, 1, 1), dt.date(2024, 7, 31), "东昌府区")
    st = b["stations"]
    assert (st["publicity_events"].sum(), st["reports"].sum(), st["assistance_visits"].sum()) == (32, 20, 15)
    assert st["total"].is_monotonic_decreasing


def test_inactive_stations(con):
    as_of = dt.date(2024, 7, 31)
    df = act.inactive_stations(con, as_of)
    since = as_of - dt.timedelta(days=89)
    for _, r in df.iterrows():
        assert r["last_activity"] is None or r["last_activity"] < since
        assert r["established_on"] <= as_of
    active = con.execute("SELECT count(DISTINCT station_id) FROM activities WHERE station_id IS NOT NULL "
                         "AND activity_date BETWEEN ? AND ?", [since, as_of]).fetchone()[0]
    assert len(df) + active == key_figures(con, as_of)["workstations"]


@pytest.mark.parametrize("as_of,county", CASES)
def test_assistance_and_heroes_equal_key_figures(con, as_of, county):
    kf = key_figures(con, as_of, county)
    a = asst.assistance_breakdown(con, *period(as_of), county)
    assert a["times"].sum() == kf["assistance"]["times"]
    assert round(a["amount_yuan"].sum(), 2) == kf["assistance"]["amount_yuan"]
    h = tr.heroes_by_year(con, as_of, county, ALL_YEARS, "status")
    assert h["people"].sum() == kf["registered"]
    assert h.loc[h.category == "牺牲", "people"].sum() == kf["sacrificed"]
    ex = tr.overview_extras(con, as_of, county)
    assert ex["sacrificed"] == kf["sacrificed"]
    assert ex["new_this_year"] == h.loc[h.year == as_of.year, "people"].sum()


def test_unvisited_heroes_have_no_recent_assistance_and_no_identifiers(con):
    as_of = dt.date(2024, 7, 31)
    df = asst.unvisited_heroes(con, as_of, "冠县")
    assert list(df.columns) == ["name", "unit", "town", "total"]
    assert set(df["unit"]) == {"冠县"} and (df["total"] == len(df)).all()
    assert asst.unvisited_by_unit(con, as_of, "冠县")["people"].tolist() == [len(df)]
    top = asst.unvisited_heroes(con, as_of, None, 10)
    assert len(top) == 10 and top["total"].iloc[0] == asst.unvisited_by_unit(con, as_of)["people"].sum()
    visited = con.execute(
        "SELECT count(DISTINCT a.hero_id) FROM assistance a JOIN heroes h USING (hero_id) WHERE h.county = '冠县' "
        "AND h.registered_on <= ? AND a.assisted_on BETWEEN ? AND ?",
        [as_of, asst.twelve_months_before(as_of), as_of]).fetchone()[0]
    assert len(df) + visited == key_figures(con, as_of, "冠县")["registered"]
    assert asst.twelve_months_before(dt.date(2024, 2, 29)) == dt.date(2023, 3, 1)


def test_deed_trends_partition(con):
    as_of = dt.date(2024, 7, 31)
    by_type = tr.deeds_by_period(con, as_of, None, ALL_YEARS, "year", "type")
    by_place = tr.deeds_by_period(con, as_of, None, ALL_YEARS, "year", "place")
    by_unit = tr.deeds_by_period(con, as_of, None, ALL_YEARS, "year", "unit")
    monthly = tr.deeds_by_period(con, as_of, None, ALL_YEARS, "month", "type")
    total = by_type["deeds"].sum()
    assert total == by_place["deeds"].sum() == by_unit["deeds"].sum() == monthly["deeds"].sum() > 0
    per_county = sum(tr.deeds_by_period(con, as_of, c, ALL_YEARS)["deeds"].sum() for c in reference.county_names())
    assert per_county == total
    # heroes registered outside the city: key figure counts people, deeds count deeds
    assert by_place.loc[by_place.category == "outside", "deeds"].sum() <= key_figures(con, as_of)["outside_city"]


def test_party_share_and_year_over_year():
    import pandas as pd
    df = pd.DataFrame({"year": [2020, 2020, 2020, 2022], "category": ["中共党员", "中共预备党员", "群众", "群众"],
                       "people": [2, 1, 7, 5]})
    ps = tr.party_share(df).set_index("year")
    assert ps.loc[2020, "share"] == 0.3 and ps.loc[2022, "share"] == 0
    y = tr.year_over_year(df, "year", "people").set_index("year")
    assert y.loc[2021, "people"] == 0 and y.loc[2021, "change"] == -10 and y.loc[2021, "change_pct"] == -100.0
    assert y.loc[2022, "change_pct"] is None or pd.isna(y.loc[2022, "change_pct"])
    assert tr.year_over_year(df.iloc[0:0], "year", "people").empty


def test_same_period_comparison(con):
    as_of = dt.date(2024, 7, 31)
    cmp = tr.same_period_comparison(con, as_of)
    assert cmp["people"] == (tr.overview_extras(con, as_of)["new_this_year"],
                             tr.overview_extras(con, dt.date(2023, 7, 31))["new_this_year"])
    assert cmp["deeds"][0] == tr.deeds_by_period(con, as_of, None, (2024, 2024))["deeds"].sum()


def test_timeliness(con):
    as_of = dt.date(2024, 7, 31)
    s = tl.step_stats(con, as_of, None, ALL_YEARS)
    assert list(s["overall"]["step"]) == [col for col, _ in reference.FIVE_STEPS]
    med = s["overall"].set_index("step")["median_days"]
    assert med["discovered_on"] <= med["investigated_on"] <= med["confirmed_on"]
    assert (s["overall"]["p90_days"] >= s["overall"]["median_days"]).all()
    n_units = s["by_unit"].groupby("step")["deeds"].sum()
    assert n_units.to_dict() == s["overall"].set_index("step")["deeds"].to_dict()
    cases = tl.overdue_cases(con, as_of, None, ALL_YEARS, "confirmed_on", 60)
    assert (cases["days"] > 60).all() and cases["days"].is_monotonic_decreasing
    direct = con.execute("SELECT count(*) FROM deeds WHERE deed_date <= ? AND confirmed_on <= ? "
                         "AND datediff('day', deed_date, confirmed_on) > 60", [as_of, as_of]).fetchone()[0]
    assert (cases["step_on"].notna()).sum() == direct and (cases["total"] == len(cases)).all()
    top = tl.overdue_cases(con, as_of, None, ALL_YEARS, "confirmed_on", 60, limit=5)
    assert top["days"].tolist() == cases["days"].head(5).tolist() and top["total"].iloc[0] == len(cases)
    one = tl.step_stats(con, as_of, "冠县", ALL_YEARS, "confirmed_on")
    assert set(one["by_unit"]["step"]) == {"confirmed_on"} and set(one["by_year"]["step"]) == {"confirmed_on"}
    # the histogram quantiles equal DuckDB's quantile_cont
    sql, up = tl._steps_sql("冠县")
    ref = con.execute(sql + " SELECT median(days), quantile_cont(days, 0.9) FROM steps WHERE ord = 2",
                      [as_of, *ALL_YEARS, *up] + [as_of] * 5).fetchone()
    row = one["by_unit"].iloc[0]
    assert (row["median_days"], row["p90_days"]) == (round(ref[0], 1), round(ref[1], 1))
    assert "id_number" not in cases.columns and "phone" not in cases.columns
    with pytest.raises(ValueError):
        tl.overdue_cases(con, as_of, None, ALL_YEARS, "drop table", 60)


def test_everything_empty_on_empty_database(tmp_db):
    from analytics import store
    c = store.connect(tmp_db)
    as_of = dt.date(2024, 7, 31)
    assert int(lv.county_level_table(c, as_of).to_numpy().sum()) == 0
    assert lv.levels_by_town_year(c, as_of, "冠县").empty
    assert tr.deeds_by_period(c, as_of, None, ALL_YEARS).empty
    assert tr.party_share(tr.heroes_by_year(c, as_of, None, ALL_YEARS, "political")).empty
    b = act.activity_breakdown(c, *period(as_of))
    assert b["stations"].empty and sum(b["totals"].values()) == 0
    assert act.five_has(c, as_of).empty and act.inactive_stations(c, as_of).empty
    assert tl.step_stats(c, as_of, None, ALL_YEARS)["overall"].empty
    assert tl.overdue_cases(c, as_of, None, ALL_YEARS).empty
    assert asst.assistance_breakdown(c, *period(as_of)).empty and asst.unvisited_heroes(c, as_of).empty
    c.close()
