"""The demo database reproduces the published 2024 figures (DOMAIN.md) through the one stats function."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from analytics import store
from analytics.metrics.figures import key_figures
from tests.conftest import ROOT

D = dt.date


@pytest.fixture(scope="module")
def con(demo_db_readonly):
    c = store.connect(demo_db_readonly, read_only=True)
    yield c
    c.close()


def test_press_conference_snapshot_citywide(con):
    f = key_figures(con, D(2024, 7, 31))
    assert f["registered"] == 704
    assert f["recognized_people"]["national"] == 3
    assert f["recognized_people"]["provincial"] == 49
    assert f["recognized_people"]["municipal"] == 307
    assert f["studios"] == 20
    assert f["plaques"] == f["registered"] == 704  # every registered hero's family has a plaque


def test_dongchangfu_workstations_and_activity(con):
    f = key_figures(con, D(2024, 7, 31), "东昌府区")
    assert f["workstations"] == 14
    assert f["activities"] == {"publicity_events": 32, "reports": 20, "assistance_visits": 15}
    # the 14 are exactly the directly-run towns
    towns = {r[0] for r in con.execute(
        "SELECT town FROM workstations WHERE county = '东昌府区' AND established_on <= DATE '2024-07-31'").fetchall()}
    direct = {r[0] for r in con.execute(
        "SELECT town FROM towns WHERE county = '东昌府区' AND managed_directly AND since IS NULL").fetchall()}
    assert towns == direct and len(direct) == 14


def test_studios_by_april_2025(con):
    assert key_figures(con, D(2025, 4, 30))["studios"] == 25


@pytest.mark.parametrize("as_of", [D(2013, 1, 1), D(2018, 6, 30), D(2023, 12, 31), D(2025, 6, 1), D(2026, 10, 31)])
def test_figures_are_consistent_at_other_dates(con, as_of):
    f = key_figures(con, as_of)
    p = f["recognized_people"]
    assert 0 < f["registered"] and p["national"] <= p["provincial"] <= f["registered"]
    assert f["plaques"] <= f["registered"]
    # the figures grow with the date
    later = key_figures(con, as_of + dt.timedelta(days=400))
    assert later["registered"] >= f["registered"] and later["recognitions"] >= f["recognitions"]
    # county figures add up to the city's
    total = sum(key_figures(con, as_of, c)["registered"] for c in
                [r[0] for r in con.execute("SELECT name FROM counties").fetchall()])
    assert total == f["registered"]


def test_demo_is_realistic(con):
    share_water = con.execute(
        "SELECT avg(CASE WHEN deed_type = '救落水' THEN 1 ELSE 0 END) FROM deeds").fetchone()[0]
    assert 0.6 < share_water < 0.8
    statuses = dict(con.execute("SELECT status, count(*) FROM heroes GROUP BY 1").fetchall())
    assert statuses["牺牲"] > 0 and statuses["受伤"] > 0
    assert con.execute("SELECT count(*) FROM deeds WHERE outside_city").fetchone()[0] > 0
    assert con.execute("SELECT count(*) FROM deed_heroes GROUP BY deed_id HAVING count(*) > 1").fetchall()
    assert con.execute("SELECT min(registered_on) >= DATE '2012-06-29', max(registered_on) <= DATE '2026-10-31' "
                       "FROM heroes").fetchone() == (True, True)
    # every town has a workstation (九州街道 from 2025)
    assert con.execute("SELECT count(*) FROM towns t WHERE NOT EXISTS (SELECT 1 FROM workstations w "
                       "WHERE w.town = t.town)").fetchone()[0] == 0
    # valid ID numbers
    from analytics.idnumber import parse_id_number
    for (idn,) in con.execute("SELECT id_number FROM heroes USING SAMPLE 50 ROWS").fetchall():
        assert parse_id_number(idn) == (idn, None)


def test_demo_is_deterministic(tmp_path, con):
    from analytics import demo
    demo.build(tmp_path / "again.duckdb")
    again = store.connect(tmp_path / "again.duckdb")
    try:
        for table in ("heroes", "recognitions", "activities", "assistance"):
            cols = [r[0] for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                [table]).fetchall() if r[0] not in ("created_change", "updated_at")]
            q = f"SELECT count(*), sum(hash({', '.join(cols)})) FROM {table}"
            assert again.execute(q).fetchone() == con.execute(q).fetchone(), table
    finally:
        again.close()


def test_scale_multiplies(tmp_path):
    from analytics import demo
    demo.build(tmp_path / "s2.duckdb", scale=2)
    c = store.connect(tmp_path / "s2.duckdb")
    try:
        f = key_figures(c, D(2024, 7, 31))
        assert f["registered"] == 1408 and f["recognized_people"]["municipal"] == 614
        assert key_figures(c, D(2024, 7, 31), "东昌府区")["activities"]["publicity_events"] == 64
    finally:
        c.close()


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "analytics", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_stats_cli_json_contract(demo_db_readonly):
    res = run_cli("stats", "--db", str(demo_db_readonly), "--as-of", "2024-07-31", "--json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert list(data) == ["as_of", "county", "registered", "recognized_people", "recognitions", "studios",
                          "workstations", "activities", "assistance", "sacrificed", "outside_city", "plaques"]
    assert data["as_of"] == "2024-07-31" and data["county"] is None and data["registered"] == 704
    assert data["recognized_people"] == {"national": 3, "provincial": 49, "municipal": 307,
                                         "county": data["recognized_people"]["county"]}
    assert set(data["activities"]) == {"publicity_events", "reports", "assistance_visits"}
    assert set(data["assistance"]) == {"times", "amount_yuan"}


def test_stats_cli_county_short_name(demo_db_readonly):
    res = run_cli("stats", "--db", str(demo_db_readonly), "--as-of", "2024-07-31", "--county", "东昌府", "--json")
    data = json.loads(res.stdout)
    assert data["county"] == "东昌府区" and data["workstations"] == 14
    assert data["activities"]["publicity_events"] == 32


@pytest.mark.parametrize("args,needle", [
    (("--county", "济南市"), "不是聊城市的县市区"),
    (("--as-of", "2024-13-01"), "格式不正确"),
    (("--as-of", "31/07/2024"), "格式不正确"),
])
def test_stats_cli_bad_input_exit_2(demo_db_readonly, args, needle):
    res = run_cli("stats", "--db", str(demo_db_readonly), *args)
    assert res.returncode == 2
    assert needle in res.stderr and "Traceback" not in res.stderr


def test_stats_cli_on_new_empty_database(tmp_path):
    path = tmp_path / "new" / "empty.duckdb"
    res = run_cli("stats", "--db", str(path), "--json")        # a missing path is not created (issue 13)
    assert res.returncode == 2 and "不存在" in res.stderr and "init" in res.stderr
    assert not path.exists()
    assert subprocess.run([sys.executable, "-m", "analytics", "init", "--db", str(path)], cwd=ROOT, timeout=120,
                          capture_output=True, stdin=subprocess.DEVNULL).returncode == 0    # no terminal: no prompt
    res = run_cli("stats", "--db", str(path), "--json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["registered"] == 0


def test_demo_refuses_to_overwrite_without_force(demo_db):
    res = run_cli("demo", "--db", str(demo_db))
    assert res.returncode == 2 and "--force" in res.stderr
