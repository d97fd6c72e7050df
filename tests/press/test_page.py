"""发布会统计 page under AppTest: statement equals the CLI's, picker defaults, downloads present, viewer allowed."""
from __future__ import annotations

import datetime as dt

from analytics import metrics
from analytics.press import cases, statement
from tests.pages.apptest_util import app

SEED = "聊城市见义勇为基金会成立以来，全市共登记在册见义勇为人员704人，其中受到国家级表扬3人、省级表扬49人、市级表扬307人。"


def _downloads(at):
    return [b for b in at.get("download_button")]


def test_page_shows_statement_tables_and_downloads(demo_db):
    at = app(demo_db, "pages/press.py", as_of="2024-07-31")
    assert not at.exception
    text = at.code[0].value
    assert text.startswith(SEED)
    picker = at.multiselect[0]
    from ui import db as uidb
    cur = uidb.cursor()
    expected = cases.default_ids(cases.candidates(cur, dt.date(2024, 7, 31), None))
    assert picker.value == expected
    assert "近年来，聊城市相继涌现出了" in text
    assert len(at.dataframe) == 3
    assert [b.label for b in _downloads(at)] == ["下载 Word 文稿", "下载 Excel 数据表", "下载 PPT 演示稿"]
    # clearing the picker removes the 典型事迹 sentence; the rest equals the CLI statement
    picker.set_value([]).run()
    text = at.code[0].value
    assert "涌现出了" not in text
    assert text == statement.build_statement(cur, dt.date(2024, 7, 31), None)


def test_page_for_a_county_as_viewer(demo_db):
    at = app(demo_db, "pages/press.py", as_of="2024-07-31", county="东昌府区", role="viewer")
    assert not at.exception
    text = at.code[0].value
    from ui import db as uidb
    f = metrics.key_figures(uidb.cursor(), dt.date(2024, 7, 31), "东昌府区")
    assert text.startswith(f"东昌府区共登记在册见义勇为人员{f['registered']}人")
    assert "宣传活动32场次" in text
    assert len(_downloads(at)) == 3
