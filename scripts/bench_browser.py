"""Time from `streamlit run app.py` to the first page fully rendered in headless Chromium, and from pressing
登录 to the overview fully rendered (script run finished, no placeholders, every Plotly chart drawn): once after
3 s on the login form (a person typing; the budget row), once the moment the form appears (reference).

Page switches as a leader feels them (`switch_rows`): on a fresh server, logged in, each 看板 page is opened by
clicking its menu link, timed from the click to the page's last chart drawn — first with the page's data not yet
cached (冷, cold), then again after the other pages (热, warm) — at 1,366 × 768 and at 390 × 844 (menu opened
first on the phone, outside the clock), after 3 s on 总览 (a leader reads it; ui/prefetch.py computes the other pages'
data meanwhile). 总览's cold time is the login row's.

Worker: python -m scripts.bench_browser --db PATH --data demo [--switch-budgets]
Chromium is launched before the clock starts (it is the user's browser, not the server's cost).
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from scripts.bench_proc import emit
from scripts.bench_table import ERROR, SKIP, Row

START_BUDGET = 5.0        # ours: server start → first page rendered
LOGIN_BUDGET = 3.0        # ours: 登录 → overview rendered (cold caches)
CHROMIUM = "/usr/bin/chromium"

# Rendered: the run is over, nothing is a placeholder or stale, every Plotly chart has drawn its SVG, and the
# main area shows something.
RENDERED = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute("data-test-script-state") !== "notRunning") return false;
  if (document.querySelector("[data-testid='stSkeleton'], [data-stale='true']")) return false;
  const charts = document.querySelectorAll("[data-testid='stPlotlyChart']");
  for (const c of charts) { if (!c.querySelector(".main-svg")) return false; }
  const main = document.querySelector("[data-testid='stMain']");
  return !!main && main.innerText.trim().length > 0;
}"""


def _wait_rendered(page, timeout: float = 60) -> None:
    page.wait_for_function(RENDERED, timeout=timeout * 1000, polling=20)


TYPING = 3.0              # seconds on the login form before 登录 is pressed: the time a person takes to type


def measure(db: Path, data: str) -> list[Row]:
    if not Path(CHROMIUM).exists():
        return [Row("服务启动 → 首页渲染完成", data, status=SKIP, note="未安装 /usr/bin/chromium")]
    rows = _one_server(db, data, TYPING, first_rows=True)
    rows += _one_server(db, data, 0.0, first_rows=False)
    return rows


def _one_server(db: Path, data: str, typing: float, *, first_rows: bool) -> list[Row]:
    """A fresh server (cold caches): the first page, then a login after `typing` seconds on the form."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS, demo_login, free_port, start_server, stop_server
    rows: list[Row] = []
    item = ("登录 → 总览渲染完成 login → overview" if typing else
            "立即登录 → 总览渲染完成 login at once → overview")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        port = free_port()
        t0 = time.perf_counter()
        proc = start_server(db, port)
        try:
            healthy = time.perf_counter() - t0
            page.goto(f"http://127.0.0.1:{port}/")
            _wait_rendered(page)
            first = time.perf_counter() - t0
            login_form = page.get_by_label("用户名").count() > 0
            if first_rows:
                rows.append(Row("服务启动 → 首页渲染完成 server start → first page", data, first, budget=START_BUDGET,
                                source="ours", note=f"其中服务就绪 {healthy:.2f} s；首页为"
                                                    + ("登录页" if login_form else "总览")))
            if login_form:
                page.wait_for_timeout(typing * 1000)
                page.get_by_label("用户名").first.fill("admin")
                page.get_by_label("密码").first.fill(demo_login()["admin"])
                t1 = time.perf_counter()
                page.get_by_role("button", name="登录").first.click()
                page.wait_for_selector("[data-testid='stMetric']", timeout=60000)
                _wait_rendered(page)
                if typing:
                    rows.append(Row(item, data, time.perf_counter() - t1, budget=LOGIN_BUDGET, source="ours",
                                    note=f"服务刚启动、缓存为空；登录页停留 {typing:.0f} s（输入账号、密码）"))
                else:
                    rows.append(Row(item, data, time.perf_counter() - t1, source="ours",
                                    note="参考：首页一出现即登录，后台预热与登录争用 CPU"))
        except Exception as exc:
            reached = any(r.item.startswith("服务启动") for r in rows) or not first_rows
            rows.append(Row(item if reached else "服务启动 → 首页渲染完成 server start → first page", data,
                            status=ERROR, note=f"{type(exc).__name__}: {exc}"[:160]))
        finally:
            stop_server(proc)
            browser.close()
    return rows


READING = 3.0                  # seconds on 总览 after the login, before the first menu click
SWITCH_BUDGETS = (1.5, 1.0)    # issue 15: cold / warm seconds at scale 100
VIEWPORTS = {"1366×768": {"width": 1366, "height": 768}, "390×844": {"width": 390, "height": 844}}


def dashboards() -> list[tuple[str, str]]:
    from ui.nav import SECTIONS
    return [(path.split("/")[-1].removesuffix(".py"), title) for path, title, _icon, _role in SECTIONS["看板"]]


# Every change of the app's script-run state, counted from the mutation records themselves (a run that starts and
# ends between two observer callbacks is still counted).
COUNT_STATE_CHANGES = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  if (window.__yyStateChanges === undefined) {
    window.__yyStateChanges = 0;
    new MutationObserver(records => { window.__yyStateChanges += records.length; })
      .observe(app, {attributes: true, attributeFilter: ["data-test-script-state"]});
  }
  return window.__yyStateChanges;
}"""


def _click_menu(page, slug: str, first: bool, phone: bool) -> float:
    """Click the page's menu link and return the seconds until it is fully drawn."""
    if phone:
        opener = page.locator("[data-testid='stExpandSidebarButton'], [data-testid='stSidebarCollapsedControl'] button")
        if opener.count() and opener.first.is_visible():
            opener.first.click()
            page.wait_for_timeout(400)
    nav = page.locator("[data-testid='stSidebarNav'] a")
    link = nav.first if first else page.locator(f"[data-testid='stSidebarNav'] a[href$='/{slug}']").first
    link.wait_for(state="visible", timeout=10000)
    n = page.evaluate(COUNT_STATE_CHANGES)
    t0 = time.perf_counter()
    link.click()
    page.wait_for_function(f"() => (window.__yyStateChanges || 0) > {n}", timeout=60000, polling=10)
    _wait_rendered(page)
    return time.perf_counter() - t0


def switch_rows(db: Path, data: str, budgets: bool) -> list[Row]:
    """Menu click → the page's last chart drawn, cold and warm, for every 看板 page at both window sizes."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS, free_port, start_server, stop_server
    rows: list[Row] = []
    pages = dashboards()
    cold_budget, warm_budget = SWITCH_BUDGETS if budgets else (None, None)
    src = "issue 15" if budgets else ""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for size, viewport in VIEWPORTS.items():
            phone = viewport["width"] < 640
            proc = start_server(db, free_port())     # a fresh server: every page's first visit is uncached
            port = proc.args[proc.args.index("--server.port") + 1]
            try:
                page = browser.new_page(viewport=viewport)
                page.goto(f"http://127.0.0.1:{port}/")
                _wait_rendered(page)
                page.get_by_label("用户名").first.fill("admin")
                page.get_by_label("密码").first.fill(_demo_password())
                page.get_by_role("button", name="登录").first.click()
                page.wait_for_selector("[data-testid='stMetric']", timeout=60000)
                _wait_rendered(page)
                page.wait_for_timeout(READING * 1000)   # a leader reads 总览 before going on
                for kind, budget in (("冷", cold_budget), ("热", warm_budget)):
                    order = pages[1:] + pages[:1]      # 总览 last: its cold visit was the login
                    for slug, title in order:
                        if kind == "冷" and slug == pages[0][0]:
                            seconds = _click_menu(page, slug, True, phone)   # back to 总览 (already cached)
                            continue
                        try:
                            seconds = _click_menu(page, slug, slug == pages[0][0], phone)
                        except Exception as exc:  # noqa: BLE001 - one slow page does not lose the other rows
                            rows.append(Row(f"切换到{title}（{kind}）", data, status=ERROR,
                                            note=f"Chromium {size}；{type(exc).__name__}: {exc}"[:160]))
                            page.goto(f"http://127.0.0.1:{port}/{slug}")   # start the next row from a known page
                            _wait_rendered(page)
                            continue
                        rows.append(Row(f"切换到{title}（{kind}） switch {'cold' if kind == '冷' else 'warm'}",
                                        data, seconds, budget=budget, source=src,
                                        note=f"Chromium {size}；点击菜单 → 最后一张图绘制完成"
                                             + ("；服务刚启动、该页数据未缓存" if kind == "冷" else "")))
                page.close()
            except Exception as exc:  # noqa: BLE001 - reported as a row
                rows.append(Row(f"页面切换 switch {size}", data, status=ERROR, note=f"{type(exc).__name__}: {exc}"[:160]))
            finally:
                stop_server(proc)
        browser.close()
    return rows


def _demo_password() -> str:
    from tests.browser.conftest import demo_login
    return demo_login()["admin"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True, type=Path)
    ap.add_argument("--data", required=True)
    ap.add_argument("--switch-budgets", action="store_true", help="apply issue 15's budgets (scale 100)")
    ap.add_argument("--only-switch", action="store_true", help="only the page-switch rows")
    a = ap.parse_args()
    rows = [] if a.only_switch else measure(a.db, a.data)
    if Path(CHROMIUM).exists():
        rows += switch_rows(a.db, a.data, a.switch_budgets)
    emit(rows)


if __name__ == "__main__":
    main()
