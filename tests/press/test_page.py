"""发布会统计 page under AppTest: statement equals the CLI's, picker defaults, downloads present, viewer allowed."""
from __future__ import annotations

import datetime as dt

from analytics.metrics.figures import key_figures
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
    material, briefing = at.tabs
    assert [t.label for t in at.tabs] == ["发布会材料", "工作简报"]
    assert len(material.dataframe) == 3
    assert material.dataframe[2].value.iloc[-1].tolist() == ["合计", "194", "562,200"]   # the dashboards' format
    assert "命令行" not in at.caption[0].value and "stats" not in at.caption[0].value
    assert [b.label for b in _downloads(material)] == ["下载 Word 文稿", "下载 Excel 数据表", "下载 PPT 演示稿"]
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
    f = key_figures(uidb.cursor(), dt.date(2024, 7, 31), "东昌府区")
    assert text.startswith(f"东昌府区共登记在册见义勇为人员{f['registered']}人")
    assert "宣传活动32场次" in text
    assert len(_downloads(at.tabs[0])) == 3


def test_briefing_tab_defaults_to_the_last_full_quarter(demo_db):
    at = app(demo_db, "pages/press.py", as_of="2024-07-31")
    assert not at.exception
    assert not at.tabs[1].subheader                       # built only when opened
    at.session_state["press_tab"] = "工作简报"
    at.run()
    briefing = at.tabs[1]
    assert briefing.subheader[0].value == "聊城市见义勇为工作简报（2024年第二季度）"
    assert [b.label for b in briefing.get("download_button")] == ["下载工作简报（Word）"]
    assert len(briefing.dataframe) == 4
    assert briefing.markdown[1].value.startswith("截至2024年6月30日，全市共登记在册见义勇为人员")
    at.selectbox(key="brief_quarter").set_value(3).run()
    assert at.tabs[1].subheader[0].value == "聊城市见义勇为工作简报（2024年第三季度）"
