"""Fixtures that turn an embedded test module into a server-mode one (see tests/test_pg_suite_*.py):
`tmp_db` / `demo_db` give a PostgreSQL URL (a fresh database per test; the demo cloned from a template), and
after each test a fresh copy loaded from PostgreSQL must have the same row counts as PostgreSQL itself."""
from __future__ import annotations

import pytest

_TEMPLATE: dict = {}


def _counts(url) -> dict:
    from analytics import dialect, server
    import tempfile
    from pathlib import Path
    with tempfile.TemporaryDirectory() as d:
        duck, _ = server.load(url, Path(d) / "check.duckdb")
        try:
            tables = [r[0] for r in duck.execute(dialect.TABLES_SQL["duckdb"]).fetchall()]
            return {t: duck.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0] for t in tables}
        finally:
            duck.close()


def _pg_counts(url) -> dict:
    import psycopg
    from analytics import dialect
    with psycopg.connect(url) as con:
        tables = [r[0] for r in con.execute(dialect.TABLES_SQL["postgresql"]).fetchall()]
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


@pytest.fixture
def tmp_db(pg_cluster):
    url = pg_cluster.new_database("e")
    from analytics import pg
    pg.connect(url).close()
    yield url
    assert _counts(url) == _pg_counts(url)


def new_demo_database(pg_cluster, demo_db_readonly) -> str:
    """URL of a fresh PostgreSQL database holding the demo data (cloned from a template pushed once)."""
    import psycopg
    from analytics import server, store
    if "name" not in _TEMPLATE:
        url = pg_cluster.new_database("tpl")
        duck = store.connect(demo_db_readonly, read_only=True)
        try:
            server.push_all(duck, url)
        finally:
            duck.close()
        _TEMPLATE["name"] = url.rsplit("/", 1)[1]
    pg_cluster._dbs += 1
    name = f"demo{pg_cluster._dbs}"
    with psycopg.connect(pg_cluster.url(), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{_TEMPLATE["name"]}"')
    return pg_cluster.url(name)


def check_copy_matches(url) -> None:
    """A copy loaded afresh from PostgreSQL has the same row counts as PostgreSQL itself."""
    assert _counts(url) == _pg_counts(url)


@pytest.fixture
def demo_db(pg_cluster, demo_db_readonly):
    url = new_demo_database(pg_cluster, demo_db_readonly)
    yield url
    check_copy_matches(url)
