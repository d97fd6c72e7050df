"""英模档案 in a real browser: search a person by name, open their file (一人一档), look at the five steps."""
from __future__ import annotations

from analytics import store
from tests.browser.conftest import DEMO_LOGIN, assert_no_error, goto, login, wait_idle


def _goto(page, base_url: str, path: str, heading: str = "英模档案") -> None:
    """Open a URL (a new session: log in again if the app asks) and wait until `heading` is drawn."""
    goto(page, base_url, path)
    for _ in range(2):
        try:
            page.get_by_role("heading", name=heading).first.wait_for(timeout=10000)
            return
        except Exception:  # noqa: BLE001 - still on the login form: log in (again) and wait once more
            if page.get_by_label("用户名").count():
                login(page, "admin", DEMO_LOGIN["admin"])
    page.get_by_role("heading", name=heading).first.wait_for(timeout=10000)


def _a_hero(db):
    """A person with a studio, read from the test session's own copy of the (deterministic) demo database: the
    server holds its own file open."""
    con = store.connect(db, read_only=True)
    try:
        return con.execute("SELECT h.hero_id, h.name, h.county FROM heroes h JOIN studios s USING (hero_id) "
                           "ORDER BY s.studio_id LIMIT 1").fetchone()
    finally:
        con.close()


def test_search_and_open_a_persons_file(page, app_server, demo_db_readonly, shot):
    hid, name, county = _a_hero(demo_db_readonly)
    _goto(page, app_server, "registry")
    box = page.get_by_label("姓名", exact=True).first
    box.fill(name)
    box.press("Enter")
    wait_idle(page)
    assert "共找到" in page.inner_text("body")
    page.locator("[data-testid='stSelectbox']").filter(has_text="查看档案").first.click()
    page.get_by_role("option", name=f"{name} · {county} · 档案编号 {hid}").first.click()
    wait_idle(page)
    heading = page.get_by_role("heading", name=f"{name}（档案编号 {hid}）")
    heading.wait_for(timeout=15000)
    body = page.inner_text("body")
    assert "基本信息" in body and "变更记录" in body and "身份证号" in body
    page.get_by_role("tab", name="工作室与光荣牌").click()
    assert f"见义勇为{name}工作室" in page.inner_text("body")
    page.get_by_role("tab").filter(has_text="事迹").first.click()
    wait_idle(page)
    body = page.inner_text("body")
    assert "及时发现" in body and "及时帮扶" in body
    assert_no_error(page)
    heading.scroll_into_view_if_needed()
    shot(page, "registry_person_file")

    # The same file opens straight from its URL (a bookmark or a forwarded link).
    _goto(page, app_server, f"registry?hero={hid}", heading=f"{name}（档案编号 {hid}）")
    assert_no_error(page)
