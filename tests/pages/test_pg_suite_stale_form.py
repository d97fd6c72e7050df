"""The stale correction form (tests/pages/test_stale_form.py) in server mode: the app and the other editor on one
PostgreSQL database; the app's copy catches up at its next run and the form is refused before anything is sent."""
from __future__ import annotations

from tests.pages.test_stale_form import *  # noqa: F401,F403 - the same tests, collected again here
from tests.pg_suites import demo_db  # noqa: F401,F811 - overrides the file fixture for the tests above
