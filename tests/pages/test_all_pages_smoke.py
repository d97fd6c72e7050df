"""Every page in the navigation runs under AppTest and draws its own title (not a refusal, a login form or an error
sentence), on the demo and on an empty database."""
from __future__ import annotations

import pytest

from tests.pages.apptest_util import app
from ui import nav

# The title each page draws (st.title), written out: a page that refuses, redirects to the login or stops early
# draws none.
TITLES = {
    "pages/overview.py": "见义勇为工作总览", "pages/levels.py": "表扬等级分析", "pages/trends.py": "趋势分析",
    "pages/stations.py": "工作站与工作室", "pages/timeliness.py": "及时性分析", "pages/assistance.py": "帮扶优抚",
    "pages/registry.py": "英模档案", "pages/outside_city.py": "聊城义士", "pages/directories.py": "工作站与工作室名录",
    "pages/import_data.py": "数据导入", "pages/press.py": "发布会统计", "pages/accounts.py": "账号管理",
    "pages/backup.py": "备份与恢复",
}
PAGES = [path for entries in nav.SECTIONS.values() for path, *_ in entries]


def test_every_page_has_a_title():
    assert sorted(PAGES) == sorted(TITLES)


def assert_page_drawn(at, page: str) -> None:
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == [TITLES[page]]
    assert [e.value for e in at.error] == []


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_demo(demo_db, page):
    assert_page_drawn(app(demo_db, page, as_of="2024-07-31"), page)


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_empty_database(tmp_db, page):
    assert_page_drawn(app(tmp_db, page), page)


def test_a_refused_page_draws_no_title(tmp_db):
    """The check above does fail on a refused page: a viewer sent to 账号管理 gets the refusal, not the page."""
    at = app(tmp_db, "pages/accounts.py", role="viewer")
    assert [t.value for t in at.title] == []
    assert len(at.error) == 1 and "无权使用“账号管理”页面" in at.error[0].value
