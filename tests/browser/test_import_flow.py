"""数据导入 in a real browser: upload a registry file, commit it, see 登记在册 rise on 总览, undo, see it fall back."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import demo_login, assert_no_error, wait_idle
from tests.ingest import builders as b

SLOW = 120  # seconds: this machine may be busy; the flow writes to the database twice


def goto(page, base_url: str, path: str = "") -> None:
    """Open a page and log in as the demo admin if asked (like the harness's goto, with longer waits)."""
    page.goto(f"{base_url}/{path.lstrip('/')}")
    wait_idle(page, timeout=SLOW)
    field = page.get_by_label("用户名")
    if field.count():
        field.first.fill("admin")
        page.get_by_label("密码").first.fill(demo_login()["admin"])
        with page.expect_navigation(timeout=SLOW * 1000):      # the form posts; the answer reloads the page
            page.get_by_role("button", name="登录").first.click()
        wait_idle(page, timeout=SLOW)


@pytest.fixture
def page(browser, app_server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="zh-CN")
    pg = context.new_page()
    yield pg
    context.close()


def registered(page) -> str:
    card = page.locator("[data-testid='stMetric']").filter(has_text="登记在册").first
    return card.locator("[data-testid='stMetricValue']").inner_text().strip()


def as_int(text: str) -> int:
    return int("".join(ch for ch in text if ch.isdigit()))


def test_upload_commit_see_figure_change_and_undo(page, app_server, tmp_path, shot):
    goto(page, app_server)
    before = as_int(registered(page))

    rows = [["聊城市见义勇为人员登记表"], b.REG_HEADERS]
    for i in (901, 902):
        r = b.person(i, year=2025)
        r[11] = dt.date(2025, 3, 1)           # 确认时间 (登记在册 date)
        rows.append(r)
    path = tmp_path / "新增人员登记表.xlsx"
    path.write_bytes(b.xlsx({"登记表": rows}))

    goto(page, app_server, "import_data")
    page.locator("input[type='file']").first.set_input_files(str(path))
    page.get_by_text("确认导入").first.wait_for(timeout=SLOW * 1000)
    wait_idle(page, timeout=SLOW)
    body = page.inner_text("body")
    assert "表头在第 2 行" in body and "新增" in body
    shot(page, "import_preview")
    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("导入成功").first.wait_for(timeout=SLOW * 1000)
    wait_idle(page, timeout=SLOW)
    assert_no_error(page)
    shot(page, "import_done")

    goto(page, app_server)
    assert as_int(registered(page)) == before + 2

    goto(page, app_server, "import_data")
    page.get_by_role("tab", name="导入记录").click()
    wait_idle(page, timeout=SLOW)
    page.get_by_text("我已确认").first.click()
    wait_idle(page, timeout=SLOW)
    page.get_by_role("button", name="撤销", exact=True).click()
    page.get_by_text("已撤销导入批次").first.wait_for(timeout=SLOW * 1000)
    wait_idle(page, timeout=SLOW)
    assert_no_error(page)

    goto(page, app_server)
    assert as_int(registered(page)) == before
