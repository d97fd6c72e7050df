from __future__ import annotations

import datetime as dt

import pytest

from analytics import store


@pytest.fixture
def ro_con(demo_db_readonly):
    con = store.connect_for_reading(demo_db_readonly)
    yield con
    con.close()


D = dt.date.fromisoformat


@pytest.fixture(scope="module")
def fixture_con(tmp_path_factory):
    """The hand-made fixture database (tests/fixture_db.py: every figure counted by hand), opened read-only."""
    from tests import fixture_db
    con = store.connect(fixture_db.build(tmp_path_factory.mktemp("fixture") / "fixture.duckdb"), read_only=True)
    yield con
    con.close()
