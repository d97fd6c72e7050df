"""Shared fixtures: a temporary DuckDB file per test; one demo database per session (copied when written)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from analytics import demo, store

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
# A locked file is waited for 8 s by default; the tests that provoke it need not wait that long.
os.environ.setdefault(store.WAIT_ENV_VAR, "3")


@pytest.fixture
def tmp_db(tmp_path) -> Path:
    """Path of a fresh, empty database (schema and reference data only)."""
    path = tmp_path / "test.duckdb"
    store.connect(path, create=True).close()
    return path


@pytest.fixture(scope="session")
def demo_db_readonly(tmp_path_factory) -> Path:
    """The demo database, built once per session. Do not write to it: use `demo_db`."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    demo.build(path)
    return path


@pytest.fixture
def demo_db(demo_db_readonly, tmp_path) -> Path:
    """A private copy of the demo database that the test may change."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db_readonly, path)
    return path


@pytest.fixture
def con_demo(demo_db):
    con = store.connect(demo_db)
    yield con
    con.close()


# ---- PostgreSQL (server mode) -------------------------------------------------------------------------

@pytest.fixture(scope="session")
def pg_cluster():
    """A throwaway PostgreSQL cluster for the session (tests/pg_cluster.py); skipped with a notice where
    PostgreSQL is not installed."""
    from tests import pg_cluster as pgc
    reason = pgc.available()
    if reason:
        pytest.skip(reason)     # listed with the notice in pytest's summary (-ra)
    cluster = pgc.Cluster().start()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session", autouse=True)
def _pg_command_cache(tmp_path_factory):
    """Commands on a PostgreSQL URL keep a cached copy per database: in tests, under pytest's temp folder (every
    test database is new, so the user's temp folder would fill up)."""
    os.environ["YIYONG_PG_CACHE_DIR"] = str(tmp_path_factory.mktemp("pgcache"))


@pytest.fixture
def pg_url(pg_cluster) -> str:
    """URL of a fresh, empty PostgreSQL database on the session's cluster."""
    return pg_cluster.new_database()


_EXIT_STATUS = {"code": 0}


def pytest_sessionfinish(session, exitstatus):
    _EXIT_STATUS["code"] = int(exitstatus)


def pytest_unconfigure(config):
    """Leave without interpreter finalization, keeping pytest's summary as the last line of output.

    At finalization the duckdb binding (nanobind) prints dozens of 'leaked instance' lines after some import
    tests (seen with duckdb 2.0; not reproducible in isolation); they are harmless but bury the summary that
    CI reads. pytest has written its report and the exit status is preserved.
    """
    import os
    import sys

    if os.environ.get("YIYONG_TEST_NORMAL_EXIT"):
        return
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(_EXIT_STATUS["code"])
