"""发布会统计 › 工作简报 in a real browser: the tab shows the last full quarter's briefing, another quarter can be
chosen, and the Word file downloads and re-opens in the office-document layout; screenshots at 1,366 and 390 px."""
from __future__ import annotations

import io

import docx

from tests.browser.conftest import assert_no_error, wait_idle
from tests.browser.test_press_browser import _download, _open_press


def test_briefing_tab_and_word_download(page, app_server, shot, tmp_path):
    page.set_viewport_size({"width": 1366, "height": 768})
    _open_press(page, app_server, "?as_of=2024-07-31")
    page.get_by_role("tab", name="工作简报").click()
    page.get_by_text("聊城市见义勇为工作简报（2024年第二季度）").first.wait_for(timeout=30000)
    wait_idle(page)
    body = page.inner_text("body")
    assert "截至2024年6月30日，全市共登记在册见义勇为人员" in body and "表4 各县市区见义勇为工作情况" in body
    assert "命令行" not in body and "stats" not in body
    assert_no_error(page)
    shot(page, "press_briefing_1366")

    name, data = _download(page, "下载工作简报（Word）", tmp_path)
    assert name == "见义勇为工作简报_2024年第二季度.docx"
    d = docx.Document(io.BytesIO(data))
    assert d.paragraphs[0].text == "聊城市见义勇为工作简报\n（2024年第二季度）"
    assert round(d.sections[0].top_margin / 36000) == 37

    page.set_viewport_size({"width": 390, "height": 844})
    wait_idle(page)
    shot(page, "press_briefing_390")
    assert_no_error(page)
