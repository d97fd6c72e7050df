"""发布会统计 in a real browser: the statement for the URL's date, and each of the three files downloaded and
re-opened (python-docx / openpyxl / python-pptx) with the published figures."""
from __future__ import annotations

import re

from tests.browser.conftest import assert_no_error, goto, wait_idle
from tests.press.readback import docx_content, pptx_content, xlsx_content, xlsx_table

SEED = "聊城市见义勇为基金会成立以来，全市共登记在册见义勇为人员704人，其中受到国家级表扬3人、省级表扬49人、市级表扬307人。"


def _open_press(page, app_server, query: str) -> None:
    """Land on the app with the filters in the URL, then open 发布会统计 from the sidebar (as a user does)."""
    goto(page, app_server, query)
    link = page.locator("[data-testid='stSidebarNav'] a", has_text="发布会统计")
    if link.count() == 0:                      # a long menu is collapsed behind "View N more"
        page.locator("[data-testid='stSidebarNav']").get_by_text(re.compile(r"View \d+ more|显示更多|更多")).first.click()
    link.first.click()
    page.get_by_text("发布口径").first.wait_for(timeout=30000)
    wait_idle(page)


def _download(page, label: str, tmp_path):
    button = page.get_by_role("button", name=label)
    button.wait_for(timeout=30000)
    with page.expect_download(timeout=60000) as info:
        button.click()
    download = info.value
    path = tmp_path / download.suggested_filename
    download.save_as(str(path))
    return download.suggested_filename, path.read_bytes()


def test_press_page_statement_and_downloads(page, app_server, shot, tmp_path):
    _open_press(page, app_server, "?as_of=2024-07-31")
    body = page.inner_text("body")
    assert SEED in body
    assert "表1 各县市区见义勇为人员登记在册及表扬情况（截至2024年7月31日）" in body
    assert_no_error(page)
    shot(page, "press_2024-07-31")

    name, data = _download(page, "下载 Word 文稿", tmp_path)
    assert name == "发布会数据_截至20240731.docx"
    d = docx_content(data)
    assert SEED in d["paragraphs"] and d["tables"][0][-1][:5] == ["合计", "704", "3", "49", "307"]
    assert any(p.startswith("三、典型事迹") for p in d["paragraphs"])     # default picks are included

    name, data = _download(page, "下载 Excel 数据表", tmp_path)
    assert name.endswith(".xlsx")
    x = xlsx_content(data)
    _, body_rows = xlsx_table(x["sheets"]["表1 登记及表扬"])
    assert body_rows[-1][:5] == ["合计", 704, 3, 49, 307]
    assert len(x["charts"]["表1 登记及表扬"]) == 1

    name, data = _download(page, "下载 PPT 演示稿", tmp_path)
    assert name.endswith(".pptx")
    p = pptx_content(data)
    assert sum(p["charts"][0]["series"]["登记在册（人）"]) == 704
    assert_no_error(page)


def test_press_page_for_a_county(page, app_server, tmp_path):
    _open_press(page, app_server, "?as_of=2024-07-31&county=东昌府区")
    body = page.inner_text("body")
    assert "东昌府区共登记在册见义勇为人员" in body and "宣传活动32场次" in body
    name, data = _download(page, "下载 Excel 数据表", tmp_path)
    assert name == "发布会数据_东昌府_截至20240731.xlsx"
    _, rows = xlsx_table(xlsx_content(data)["sheets"]["表2 活动情况"])
    assert rows == [["东昌府区", 14, 32, 20, 15]]
    assert_no_error(page)
