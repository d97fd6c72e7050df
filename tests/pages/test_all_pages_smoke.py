"""Every page in the navigation runs under AppTest without an exception, on the demo and on an empty database."""
from __future__ import annotations

import pytest

from tests.pages.apptest_util import app
from ui import nav

PAGES = [path for entries in nav.SECTIONS.values() for path, *_ in entries]


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_demo(demo_db, page):
    at = app(demo_db, page, as_of="2024-07-31")
    assert not at.exception, at.exception
    assert not [e for e in at.error if "页面加载时出现问题" in e.value]


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_empty_database(tmp_db, page):
    at = app(tmp_db, page)
    assert not at.exception, at.exception
    assert not [e for e in at.error if "页面加载时出现问题" in e.value]
