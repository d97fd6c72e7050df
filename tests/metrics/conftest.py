"""The hand-made fixture database (tests/fixture_db.py), built once per test module, opened read-only."""
from __future__ import annotations

import datetime as dt

import pytest

from analytics import store
from tests import fixture_db

C = dt.date(2024, 7, 31)          # the fixture's main cut-off date
ALL_YEARS = (2012, 2026)


@pytest.fixture(scope="module")
def fixture_path(tmp_path_factory):
    return fixture_db.build(tmp_path_factory.mktemp("fixture") / "fixture.duckdb")


@pytest.fixture(scope="module")
def con(fixture_path):
    c = store.connect(fixture_path, read_only=True)
    yield c
    c.close()
