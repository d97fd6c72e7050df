"""Login and roles in a real browser: a viewer logs in, does not see the admin pages, is refused them by URL,
and logs out; an admin sees and opens them; a fresh server asks for a login even on a direct page URL.
Sessions: a refresh (F5) keeps the login, the page and its filters; a new tab is logged in; after logging out a
refresh shows the form; an idle session ends with 登录已超时; a password change in one browser ends the
session in another; a disabled user is out at the next click."""
from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import (demo_login, assert_no_error, free_port, new_page, start_server, stop_server,
                                    wait_idle)

SLOW = 120   # seconds: generous, this machine is often busy; the harness's own waits stop at 30 s


def login(pg, user: str, password: str) -> None:
    pg.get_by_label("用户名").first.wait_for(timeout=SLOW * 1000)
    pg.get_by_label("用户名").first.fill(user)
    pg.get_by_label("密码").first.fill(password)
    pg.get_by_role("button", name="登录").first.click()


def goto(pg, base_url: str, path: str, wait_for: str) -> None:
    pg.goto(f"{base_url}/{path.lstrip('/')}")
    _wait_text(pg, wait_for)


def _login_form_shown(pg, timeout: float = 30) -> bool:
    """True once the login form (user name field and the 登录 button) is on the page, waiting up to `timeout` s.

    Streamlit draws a run's elements one after another, so right after an earlier element (the logout notice,
    the button) has appeared the rest of the form may still be arriving: a bare count() there is a race that a
    busy machine loses (seen in CI)."""
    try:
        pg.get_by_label("用户名").first.wait_for(timeout=timeout * 1000)
        pg.get_by_role("button", name="登录", exact=True).first.wait_for(timeout=timeout * 1000)
    except PlaywrightTimeout:
        return False
    return True


def _login_form_gone(pg, timeout: float = 30) -> bool:
    """True once no user name field is left on the page (the form of a finished run may linger a moment)."""
    try:
        pg.get_by_label("用户名").first.wait_for(state="detached", timeout=timeout * 1000)
    except PlaywrightTimeout:
        return False
    return True


def _nav_link(pg, stem: str):
    """The menu link to the page `stem` (e.g. "accounts"), after unfolding Streamlit's "View N more"."""
    nav = pg.locator("[data-testid='stSidebarNav']")
    link = nav.locator(f"a[href$='/{stem}']")
    more = nav.locator("[data-testid='stSidebarNavViewButton']")
    if link.count() == 0 and more.count() and "more" in more.first.inner_text().lower():
        more.first.dispatch_event("click")
        try:
            link.first.wait_for(timeout=5000)
        except Exception:  # noqa: BLE001 - absent is a valid answer
            pass
    return link


def _wait_text(pg, text: str, timeout: float = SLOW) -> None:
    """Wait (on a busy machine, generously) until `text` is on the page."""
    pg.get_by_text(text, exact=False).first.wait_for(timeout=timeout * 1000)


def test_viewer_logs_in_sees_no_admin_pages_and_logs_out(browser, app_server, shot):
    password = demo_login()["viewer"]
    pg = new_page(browser, app_server, log_in=False)
    try:
        assert _login_form_shown(pg)
        assert "登记在册" not in pg.inner_text("body")
        login(pg, "viewer", password)
        _wait_text(pg, "当前用户")
        _wait_text(pg, "登记在册")
        assert _login_form_gone(pg)
        body = pg.inner_text("body")
        assert "当前用户" in body and "角色：查看" in body and "登记在册" in body
        assert _nav_link(pg, "trends").count() == 1
        assert _nav_link(pg, "accounts").count() == 0 and _nav_link(pg, "backup").count() == 0
        assert_no_error(pg)
        shot(pg, "login_viewer_overview")

        # a direct URL to an admin page: still logged in (the cookie), and a Chinese refusal
        goto(pg, app_server, "accounts", "无权使用")
        body = pg.inner_text("body")
        assert "无权使用" in body and "账号管理" in body and "用户登录" not in body
        assert "新增账号" not in body and "现有账号" not in body
        shot(pg, "login_viewer_refused_accounts")

        _log_out(pg)
        assert _login_form_shown(pg)
        assert "当前用户" not in pg.inner_text("body")
    finally:
        pg.context.close()


def _log_out(pg) -> None:
    with pg.expect_navigation(timeout=SLOW * 1000):
        pg.get_by_role("button", name="退出登录").click()
    _wait_text(pg, "您已退出登录")


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


def test_admin_sees_and_opens_admin_pages(browser, app_server, shot):
    page = new_page(browser, app_server, log_in=False)
    password = demo_login()["admin"]
    login(page, "admin", password)
    _wait_text(page, "当前用户")
    assert _nav_link(page, "accounts").count() == 1 and _nav_link(page, "backup").count() == 1
    goto(page, app_server, "accounts", "现有账号")
    _wait_text(page, "登录会话")
    body = page.inner_text("body")
    assert "现有账号" in body and "新增账号" in body and "角色：管理" in body
    assert_no_error(page)
    shot(page, "login_admin_accounts")
    goto(page, app_server, "backup", "下载备份")
    _wait_text(page, "当前数据库")
    body = page.inner_text("body")
    page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=SLOW * 1000)   # the database in use
    assert_no_error(page)
    page.context.close()


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
        goto(pg, f"http://127.0.0.1:{port}", "registry", "用户登录")
        pg.get_by_role("button", name="登录").first.wait_for(timeout=SLOW * 1000)
        assert _login_form_shown(pg)
        body = pg.inner_text("body")
        assert "共找到" not in body and "英模档案" not in body
        login(pg, "viewer", demo_login()["viewer"])
        _wait_text(pg, "当前用户")
        assert "英模档案" in pg.inner_text("body")          # after login: the page that was asked for
        assert_no_error(pg)
        context.close()
    finally:
        stop_server(proc)


def test_login_page_preloads_the_chart_bundle_without_drawing_anything(browser, app_server):
    """ui/warmup.py: while the form is on screen the browser fetches Streamlit's Plotly bundle, so the overview
    after 登录 does not wait for it (measured in make bench: 登录 → 总览)."""
    pg = new_page(browser, app_server, log_in=False)
    try:
        assert _login_form_shown(pg)
        pg.wait_for_function("() => performance.getEntriesByType('resource')"
                             ".some(e => e.name.includes('/static/js/PlotlyChart.'))", timeout=SLOW * 1000)
        assert pg.locator("[data-testid='stPlotlyChart']").count() == 0
        assert_no_error(pg)
    finally:
        pg.context.close()


# ---- sessions -------------------------------------------------------------------------------------------

STATIONS = "stations?as_of=2024-07-31&county=东昌府区"


SCOPE = "东昌府区 · 截至 2024年07月31日（所选日期）"      # the page's caption for those filters


def test_refresh_new_tab_and_logout(browser, app_server, shot):
    """F5 keeps the login, the page and the filters; a new tab is logged in; after logout F5 shows the form."""
    pg = new_page(browser, app_server, log_in=False)
    try:
        goto(pg, app_server, STATIONS, "用户登录")
        assert SCOPE not in pg.inner_text("body")
        login(pg, "editor", demo_login()["editor"])
        _wait_text(pg, "当前用户")
        _wait_text(pg, "见义勇为工作站")
        assert pg.url == f"{app_server}/stations?as_of=2024-07-31&county=%E4%B8%9C%E6%98%8C%E5%BA%9C%E5%8C%BA"
        _wait_text(pg, SCOPE)

        pg.reload()
        _wait_text(pg, "当前用户")
        _wait_text(pg, "见义勇为工作站")
        wait_idle(pg)
        assert not _login_form_shown(pg, timeout=1)
        assert pg.url.endswith("/stations?as_of=2024-07-31&county=%E4%B8%9C%E6%98%8C%E5%BA%9C%E5%8C%BA")
        _wait_text(pg, SCOPE)
        assert_no_error(pg)
        shot(pg, "session_after_refresh")

        tab = pg.context.new_page()
        goto(tab, app_server, "trends", "当前用户")
        assert "角色：录入" in tab.inner_text("body") and not _login_form_shown(tab, timeout=1)
        tab.close()

        cookie = next(c for c in pg.context.cookies() if c["name"] == "yiyong_session")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert pg.evaluate("document.cookie").find("yiyong_session") == -1        # not readable by scripts

        _log_out(pg)
        pg.reload()
        assert _login_form_shown(pg)
        assert "当前用户" not in pg.inner_text("body")
        assert not [c for c in pg.context.cookies() if c["name"] == "yiyong_session"]
    finally:
        pg.context.close()


@pytest.fixture(scope="module")
def own_server(app_db, tmp_path_factory):
    """A server of its own (its database gets two extra accounts before it starts)."""
    from analytics import accounts, store
    db = tmp_path_factory.mktemp("sessions") / "demo.duckdb"
    shutil.copy(app_db, db)
    con = store.connect(db)
    try:
        for name, role in (("pw-user", "editor"), ("off-user", "viewer")):
            accounts.create_user(con, name, "Start-pass-2024", role, actor="test", rounds=4, record=False)
    finally:
        con.close()
    port = free_port()
    proc = start_server(db, port)
    yield f"http://127.0.0.1:{port}"
    stop_server(proc)


def _logged_in(browser, base: str, user: str, password: str, path: str = ""):
    pg = new_page(browser, base, log_in=False)
    if path:
        goto(pg, base, path, "用户登录")
    login(pg, user, password)
    _wait_text(pg, "当前用户")
    return pg


def _next_click_shows_form(pg, notice: str) -> None:
    """Click a menu link (a script run of the same session) and expect the login form with `notice`."""
    _nav_link(pg, "trends").first.click()
    _wait_text(pg, notice)
    assert _login_form_shown(pg)


def test_password_change_in_one_browser_ends_the_session_in_another(browser, own_server, shot):
    a = _logged_in(browser, own_server, "pw-user", "Start-pass-2024")
    b = _logged_in(browser, own_server, "pw-user", "Start-pass-2024")
    try:
        a.locator("[data-testid='stSidebar']").get_by_role("button", name="修改密码").click()
        a.get_by_label("原密码").fill("Start-pass-2024")
        a.get_by_label("新密码", exact=True).fill("Newer-pass-2025")
        a.get_by_label("确认新密码").fill("Newer-pass-2025")
        a.get_by_role("button", name="确认修改").click()
        _wait_text(a, "密码已修改")
        a.keyboard.press("Escape")
        _next_click_shows_form(b, "登录已失效")
        shot(b, "session_ended_elsewhere")
        a.reload()                                   # the browser that changed it stays logged in
        _wait_text(a, "当前用户")
        assert not _login_form_shown(a, timeout=1)
    finally:
        a.context.close()
        b.context.close()


def test_disabled_user_is_out_at_the_next_click(browser, own_server):
    user = _logged_in(browser, own_server, "off-user", "Start-pass-2024")
    admin = _logged_in(browser, own_server, "admin", demo_login()["admin"], "accounts")
    try:
        _wait_text(admin, "修改账号")
        admin.get_by_label("选择账号").click()
        admin.get_by_role("option", name="off-user").click()
        wait_idle(admin)
        admin.get_by_role("button", name="停用账号").click()
        _wait_text(admin, "已停用账号 off-user")
        _next_click_shows_form(user, "停用")
    finally:
        user.context.close()
        admin.context.close()


def test_idle_session_expires_with_the_timeout_sentence(browser, app_db, tmp_path):
    db = tmp_path / "idle.duckdb"
    shutil.copy(app_db, db)
    port = free_port()
    proc = start_server(db, port, {"YIYONG_SESSION_IDLE_MINUTES": "0.1"})      # 6 seconds
    base = f"http://127.0.0.1:{port}"
    try:
        pg = _logged_in(browser, base, "viewer", demo_login()["viewer"])
        pg.wait_for_timeout(8000)
        _next_click_shows_form(pg, "登录已超时，请重新登录")
        pg.reload()                                   # a refresh says the same, not a bare form
        _wait_text(pg, "登录已超时，请重新登录")
        assert _login_form_shown(pg)
        pg.context.close()
    finally:
        stop_server(proc)
