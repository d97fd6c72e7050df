"""Login and roles in a real browser: a viewer logs in, does not see the admin pages, is refused them by URL,
and logs out; an admin sees and opens them; a fresh server asks for a login even on a direct page URL."""
from __future__ import annotations

from tests.browser.conftest import (_demo_login, assert_no_error, free_port, goto, login, new_page, runs,
                                    start_server, stop_server, wait_rerun)


def _login_form_shown(pg) -> bool:
    return pg.get_by_label("用户名").count() > 0 and pg.get_by_role("button", name="登录").count() > 0


def _nav_link(pg, title: str):
    nav = pg.locator("[data-testid='stSidebarNav']")
    more = nav.get_by_text("more", exact=False)          # Streamlit folds a long menu: "View 3 more"
    if more.count() and more.first.is_visible() and nav.get_by_text(title, exact=True).count() == 0:
        more.first.click()
        try:
            nav.get_by_text(title, exact=True).first.wait_for(timeout=5000)
        except Exception:  # noqa: BLE001 - absent is a valid answer
            pass
    return nav.get_by_text(title, exact=True)


def _wait_text(pg, text: str, timeout: float = 60) -> None:
    """Wait (on a busy machine, generously) until `text` is on the page."""
    pg.get_by_text(text, exact=False).first.wait_for(timeout=timeout * 1000)


def test_viewer_logs_in_sees_no_admin_pages_and_logs_out(browser, app_server, shot):
    password = _demo_login()["viewer"]
    pg = new_page(browser, app_server, log_in=False)
    try:
        assert _login_form_shown(pg)
        assert "登记在册" not in pg.inner_text("body")
        login(pg, "viewer", password)
        _wait_text(pg, "当前用户")
        assert not _login_form_shown(pg)
        body = pg.inner_text("body")
        assert "当前用户" in body and "角色：查看" in body and "登记在册" in body
        assert _nav_link(pg, "总览").count() == 1
        assert _nav_link(pg, "账号管理").count() == 0 and _nav_link(pg, "备份与恢复").count() == 0
        assert_no_error(pg)
        shot(pg, "login_viewer_overview")

        # a direct URL to an admin page: a new session, so log in again, then a Chinese refusal
        pg._yiyong_login = ("viewer", password)
        goto(pg, app_server, "accounts")
        _wait_text(pg, "无权使用")
        body = pg.inner_text("body")
        assert "无权使用" in body and "账号管理" in body
        assert "新增账号" not in body and "现有账号" not in body
        shot(pg, "login_viewer_refused_accounts")

        n = runs(pg)
        pg.get_by_role("button", name="退出登录").click()
        wait_rerun(pg, n)
        _wait_text(pg, "您已退出登录")
        assert _login_form_shown(pg)
        assert "当前用户" not in pg.inner_text("body")
    finally:
        pg.context.close()


def test_wrong_password_is_refused(browser, app_server):
    pg = new_page(browser, app_server, log_in=False)
    try:
        login(pg, "editor", "not-the-password-1")
        _wait_text(pg, "用户名或密码不正确")
        assert _login_form_shown(pg)
        assert "用户名或密码不正确" in pg.inner_text("body")
        assert_no_error(pg)
    finally:
        pg.context.close()


def test_admin_sees_and_opens_admin_pages(page, app_server, shot):
    _wait_text(page, "当前用户")
    assert _nav_link(page, "账号管理").count() == 1 and _nav_link(page, "备份与恢复").count() == 1
    goto(page, app_server, "accounts")
    _wait_text(page, "现有账号")
    body = page.inner_text("body")
    assert "现有账号" in body and "新增账号" in body and "角色：管理" in body
    assert_no_error(page)
    shot(page, "login_admin_accounts")
    goto(page, app_server, "backup")
    _wait_text(page, "下载备份")
    assert "下载备份" in page.inner_text("body")
    assert_no_error(page)


def test_fresh_server_asks_for_login_on_a_direct_page_url(browser, tmp_path):
    """Streamlit serves pages/ files on their own until app.py has run once in the process: the very first
    request to a fresh server, straight to /registry, must still get the login form, not the registry."""
    from analytics import demo
    db = tmp_path / "fresh.duckdb"
    demo.build(db)
    port = free_port()
    proc = start_server(db, port)
    try:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        pg = context.new_page()
        goto(pg, f"http://127.0.0.1:{port}", "registry")
        _wait_text(pg, "用户登录")
        assert _login_form_shown(pg)
        body = pg.inner_text("body")
        assert "共找到" not in body and "英模档案" not in body
        login(pg, "viewer", _demo_login()["viewer"])
        _wait_text(pg, "当前用户")
        assert "英模档案" in pg.inner_text("body")          # after login: the page that was asked for
        assert_no_error(pg)
        context.close()
    finally:
        stop_server(proc)
