"""The page tests in server mode: the 看板 pages on the hand-made fixture (tests/pages/test_pages_on_fixture.py,
figures counted by hand) and every page of the navigation on the demo and on an empty database
(tests/pages/test_all_pages_smoke.py), with YIYONG_DB a PostgreSQL URL: the same test functions, collected again
here. Skipped with a notice without PostgreSQL."""
from __future__ import annotations

import pytest

from tests.pages.test_all_pages_smoke import *  # noqa: F401,F403 - the same tests, collected again here
from tests.pages.test_pages_on_fixture import *  # noqa: F401,F403
from tests.pg_suites import demo_db, tmp_db  # noqa: F401,F811 - PostgreSQL URLs for the tests above


@pytest.fixture(scope="module")
def fixture_path(pg_cluster, tmp_path_factory):  # noqa: F811 - the hand-made fixture, pushed to PostgreSQL
    from analytics import server, store
    from tests import fixture_db
    path = fixture_db.build(tmp_path_factory.mktemp("fixture") / "fixture.duckdb")
    url = pg_cluster.new_database("fixture")
    duck = store.connect(path, read_only=True)
    try:
        server.push_all(duck, url)
    finally:
        duck.close()
    return url
