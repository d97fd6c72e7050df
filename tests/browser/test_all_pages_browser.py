"""Every page in ui/nav.py in a real browser, as the demo admin: it opens without an error and gets a screenshot
(test-output/screenshots/<page>.png); the sidebar filters work through the UI and the URL follows them; and
no request ever leaves the machine (every non-local request is aborted and recorded).

One logged-in page is shared by the whole module (pages are switched through the sidebar, as a user does),
so the module costs one login, not one per page.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.conftest import assert_no_error, goto, new_page, runs, wait_rerun
from ui import nav

PAGES = [(path, title) for entries in nav.SECTIONS.values() for path, title, *_ in entries]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


@pytest.fixture(scope="module")
def guarded(browser, app_server):
    """(page, blocked): the shared admin page; `blocked` lists every request that tried to leave the machine."""
    blocked: list[str] = []

    def guard(route):
        url = route.request.url
        host = urlparse(url).hostname or ""
        if url.startswith(("data:", "blob:", "about:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    pg = new_page(browser, app_server, setup=lambda context: context.route("**/*", guard))
    yield pg, blocked
    pg.context.close()


def open_page(pg, base_url: str, path: str) -> None:
    """Switch to `path` the way a user does (its sidebar link); open its URL if the link is not shown."""
    stem = Path(path).stem
    default = PAGES[0][0] == path
    here = urlparse(pg.url).path.strip("/")
    if here == stem or (default and here == ""):
        return
    link = pg.locator(f"[data-testid='stSidebarNav'] a[href$='/{stem}']")
    if default:
        link = pg.locator("[data-testid='stSidebarNav'] a").first
    more = pg.locator("[data-testid='stSidebarNavViewButton']")
    if not link.count() and more.count() and "more" in more.first.inner_text().lower():
        more.first.click()  # Streamlit folds a long menu behind "View N more"
        link.first.wait_for(timeout=5000)
    if link.count():
        n = runs(pg)
        link.first.click()
        wait_rerun(pg, n)
        less = pg.locator("[data-testid='stSidebarNavViewButton']")
        if less.count() and "less" in less.first.inner_text().lower():
            less.first.click()  # fold the menu again, as the user normally sees it (filters above the fold)
    else:
        goto(pg, base_url, "" if default else stem)
    if not default:
        assert urlparse(pg.url).path.rstrip("/").endswith(stem), pg.url


def set_date(pg, field, iso: str) -> None:
    """Type a date into a date input as a user does: click its year segment, type the digits (the field moves
    on to month and day by itself), close the calendar with Escape, which commits the value."""
    n = runs(pg)
    field.locator("[role='spinbutton'][data-type='year']").click()
    pg.keyboard.type(iso.replace("-", ""), delay=20)
    pg.keyboard.press("Escape")
    wait_rerun(pg, n)


def metric(pg, label: str) -> str:
    return pg.locator("[data-testid='stMetric']").filter(has_text=label).first \
        .locator("[data-testid='stMetricValue']").inner_text()


def query(pg) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(pg.url).query).items()}


@pytest.mark.parametrize("path,title", PAGES, ids=[Path(p).stem for p, _ in PAGES])
def test_page_opens_without_error(guarded, app_server, shot, path, title):
    pg, _ = guarded
    open_page(pg, app_server, path)
    assert_no_error(pg)
    assert "用户登录" not in pg.inner_text("[data-testid='stMain']"), "管理员看到了登录表单"
    shot(pg, Path(path).stem)


def test_sidebar_filters_change_figures_and_url(guarded, app_server, shot):
    pg, _ = guarded
    open_page(pg, app_server, PAGES[0][0])
    sidebar = pg.locator("[data-testid='stSidebar']")

    date_box = sidebar.locator("[data-testid='stDateInput']").filter(has_text="截至日期").first
    set_date(pg, date_box, "2024-07-31")
    assert query(pg).get("as_of") == "2024-07-31", pg.url
    city = metric(pg, "登记在册")

    n = runs(pg)
    select = sidebar.locator("[data-testid='stSelectbox']").filter(has_text="县市区").first
    select.scroll_into_view_if_needed()
    select.click()
    option = pg.get_by_role("option", name="东昌府区", exact=True)
    try:
        option.click(timeout=5000)
    except Exception:  # the list did not open below the box (e.g. no room): choose by typing, as a user can
        select.locator("input").first.fill("东昌府区")
        pg.keyboard.press("Enter")
    wait_rerun(pg, n)
    assert query(pg).get("county") == "东昌府区", pg.url
    county = metric(pg, "登记在册")
    assert county != city, "切换县市区后“登记在册”没有变化"
    assert "东昌府区" in pg.inner_text("[data-testid='stMain']")

    set_date(pg, date_box, "2020-12-31")
    assert query(pg) == {"as_of": "2020-12-31", "county": "东昌府区"}, pg.url
    assert metric(pg, "登记在册") != county, "改变截至日期后“登记在册”没有变化"
    assert_no_error(pg)
    shot(pg, "overview_filtered")

    # The filtered URL, opened afresh, shows the same view (bookmarks and forwarded links work).
    earlier = metric(pg, "登记在册")
    goto(pg, app_server, urlparse(pg.url).path + "?" + urlparse(pg.url).query)
    assert metric(pg, "登记在册") == earlier


def test_no_request_leaves_the_machine(guarded, app_server):
    """Runs after the tour of every page above (and opens the overview, with its map, if run alone)."""
    pg, blocked = guarded
    open_page(pg, app_server, PAGES[0][0])
    pg.wait_for_timeout(500)  # late requests (map tiles, fonts) would show up by now
    assert_no_error(pg)
    assert blocked == [], f"页面试图访问外部网络：{blocked[:5]}"
