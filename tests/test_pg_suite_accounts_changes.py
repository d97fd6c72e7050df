"""The embedded tests of accounts and of change sets/undo run again in server mode: the same test functions, with `tmp_db` giving a PostgreSQL
URL instead of a file. Every write then goes through the DuckDB copy and one PostgreSQL transaction; the tests
read back through the copy, which commits only after PostgreSQL did; after each test a copy loaded afresh from
PostgreSQL has the same row counts as PostgreSQL (tests/pg_suites.py)."""
from __future__ import annotations

from tests.pg_suites import tmp_db  # noqa: F401 - overrides the file fixture for the tests below
from tests.test_accounts import *  # noqa: F401,F403 - the same tests, collected again here
from tests.test_changes import *  # noqa: F401,F403
from tests.pg_suites import tmp_db  # noqa: F401,F811 - again: the star imports must not shadow it
