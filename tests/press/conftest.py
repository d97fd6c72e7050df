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
