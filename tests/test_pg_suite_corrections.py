"""The embedded tests of corrections (edits of people, deeds, recognitions, assistance, units) run again in server mode: the same test functions, with `demo_db` giving a PostgreSQL
URL instead of a file. Every write then goes through the DuckDB copy and one PostgreSQL transaction; the tests
read back through the copy, which commits only after PostgreSQL did; after each test a copy loaded afresh from
PostgreSQL has the same row counts as PostgreSQL (tests/pg_suites.py)."""
from __future__ import annotations

from tests.test_corrections import *  # noqa: F401,F403 - the same tests, collected again here
from tests.pg_suites import demo_db  # noqa: F401,F811 - overrides the file fixture for the tests above
