"""The import's database tests (tests/ingest/test_import_db.py) run again in server mode: the same test
functions, with `tmp_db` a PostgreSQL URL; each import commits as one PostgreSQL transaction (see
tests/pg_suites.py)."""
from __future__ import annotations

from tests.ingest.test_import_db import *  # noqa: F401,F403 - the same tests, collected again here
from tests.pg_suites import tmp_db  # noqa: F401,F811 - overrides the file fixture for the tests above
