"""Imported text never becomes markup, in a real browser; and the first requests on a fresh server go through the
frame. A person whose every text field holds Markdown, a link, an image, bold, a bare URL, Streamlit's colour /
icon directives and LaTeX is imported (with a studio and a workstation named the same way) into the server's
database before it starts; every page that shows people is opened as a viewer and as an admin. No <a> or <img>
comes from the data, no request leaves the app, and the payload is on the page as literal text. Viewers (and
press material, for everyone) never see the ID and phone number typed into the deed summary."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

from analytics import store
from analytics.ingest.plan import analyze_file, run
from tests.browser.conftest import (DEMO_LOGIN, assert_no_error, goto, new_page, start_server, stop_server,
                                    free_port, wait_idle)
from tests.registry_rows import full_row, import_rows

PAYLOAD = ("[点我](http://evil.example/) ![img](http://127.0.0.1:8999/pixel.png) **x** http://evil.example/a "
           ":red[红] :material/home: $x^2$")
LITERALS = ["[点我](http://evil.example/)", "![img](http://127.0.0.1:8999/pixel.png)", "**x**",
            "http://evil.example/a", ":red[红]", ":material/home:", "$x^2$"]
NAME = "王**x**五"
TODAY = dt.date.today()
SECRET_ID, SECRET_PHONE = "371502199001011234", "13912345678"


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    from analytics import demo
    db = tmp_path_factory.mktemp("hostile") / "hostile.duckdb"
    demo.build(db)
    recent = TODAY - dt.timedelta(days=3)
    import_rows(db, [full_row(
        0, 姓名=NAME, 工作单位=PAYLOAD, 事迹地点=PAYLOAD, 是否市域外="是", 荣誉称号=PAYLOAD,
        事迹简介=f"{PAYLOAD} 身份证号{SECRET_ID}，电话{SECRET_PHONE}，家住东昌府区古楼街道光明小区3号楼2单元",
        表扬级别="国家级", 事迹时间=(recent - dt.timedelta(days=30)).isoformat(), 登记日期=recent.isoformat(),
        表扬时间=recent.isoformat())])
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["名称", "县市区", "镇街", "类别", "英模姓名", "成立日期", "负责人"])
    w.writerow([f"{PAYLOAD}工作室", "东昌府区", "古楼街道", "工作室", NAME, "2024-01-01", PAYLOAD])
    w.writerow([f"{PAYLOAD}工作站", "东昌府区", "古楼街道", "工作站", "", "2024-01-01", PAYLOAD])
    con = store.connect(db)
    try:
        plan = analyze_file("名录.csv", buf.getvalue().encode("utf-8"))
        assert run(con, [plan], "测试员").committed
        hero_id = con.execute("SELECT hero_id FROM heroes WHERE name = ?", [NAME]).fetchone()[0]
    finally:
        con.close()
    proc = start_server(db, free_port())
    port = proc.args[proc.args.index("--server.port") + 1]
    yield f"http://127.0.0.1:{port}", hero_id
    stop_server(proc)


def _open_as(browser, base: str, role: str, requests: list):
    def setup(context):
        context.on("request", lambda r: requests.append(r.url))
    pg = new_page(browser, base, log_in=False, setup=setup)
    pg._yiyong_login = (role, DEMO_LOGIN[role])
    goto(pg, base)
    return pg


def _check(pg, base: str, requests: list, role: str, where: str, *, literals: bool = True,
           secrets_shown: bool = False) -> None:
    assert_no_error(pg)
    pg.wait_for_timeout(300)                    # an image from the data would have been requested by now
    links = pg.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    images = pg.eval_on_selector_all("img[src]", "els => els.map(e => e.src)")
    assert not [h for h in links if "evil.example" in h or ":8999" in h], (where, role, links)
    assert not [s for s in images if "8999" in s or "evil" in s], (where, role, images)
    outside = [u for u in requests if not u.startswith(base) and not u.startswith(("data:", "blob:"))]
    assert not outside, (where, role, outside)
    main = pg.locator("[data-testid='stMain']")
    assert main.locator(".katex").count() == 0, (where, role)          # no LaTeX drawn
    assert main.locator("strong", has_text=re.compile(r"^x$")).count() == 0, (where, role)   # **x** not bold
    text = main.text_content().replace("\u2060", "")     # invisible word joiners that break autolinks
    if literals:
        missing = [s for s in LITERALS if s not in text]
        assert not missing, (where, role, missing)
    assert (SECRET_ID in text) == secrets_shown and (SECRET_PHONE in text) == secrets_shown, (where, role)


@pytest.mark.parametrize("role", ["viewer", "admin"])
def test_imported_markup_stays_text_on_every_page_with_people(browser, hostile_server, role, shot):
    base, hero_id = hostile_server
    requests: list[str] = []
    pg = _open_as(browser, base, role, requests)
    personal = role != "viewer"
    try:
        goto(pg, base, f"registry?hero={hero_id}")
        pg.get_by_role("heading", name=f"{NAME}（档案编号 {hero_id}）").first.wait_for()
        _check(pg, base, requests, role, "英模档案", secrets_shown=personal)
        shot(pg, f"hostile_registry_{role}")

        goto(pg, base, "outside_city")
        pg.get_by_role("heading", name="聊城义士").first.wait_for()
        pg.get_by_text("事迹简介", exact=True).first.click()             # open the summaries
        wait_idle(pg)
        _check(pg, base, requests, role, "聊城义士", secrets_shown=personal)
        shot(pg, f"hostile_outside_city_{role}")

        goto(pg, base, "directories")
        pg.get_by_role("heading", name="工作站与工作室名录").first.wait_for()
        pg.get_by_role("tab", name="英模工作室").click()
        picker = pg.locator("[data-testid='stSelectbox']").filter(has_text="查看命名英模的档案").first
        picker.click()
        picker.locator("input").fill(NAME)                               # the list is long: filter it
        pg.get_by_role("option", name=f"{NAME}（档案编号 {hero_id}）").wait_for()   # literal in the picker
        pg.keyboard.press("Escape")
        _check(pg, base, requests, role, "名录", literals=False)            # the tables are drawn on a canvas

        goto(pg, base, "press")
        pg.get_by_role("heading", name="典型事迹").first.wait_for()
        _check(pg, base, requests, role, "发布会统计")                      # press material: always masked
        shot(pg, f"hostile_press_{role}")
    finally:
        pg.context.close()


def test_first_requests_on_a_fresh_server_go_through_the_frame(browser, tmp_path):
    """Several sessions opening /registry at once on a freshly started server (the race behind the blank page
    that listed every page file in English): each gets the app's own login form, none a page run without app.py."""
    from analytics import demo
    db = tmp_path / "fresh.duckdb"
    demo.build(db)
    proc = start_server(db, free_port())
    base = f"http://127.0.0.1:{proc.args[proc.args.index('--server.port') + 1]}"
    contexts = [browser.new_context(locale="zh-CN") for _ in range(4)]
    try:
        pages = [c.new_page() for c in contexts]
        for pg in pages:                        # all requests before any first script run has finished
            pg.goto(f"{base}/registry", wait_until="commit")
        for pg in pages:
            wait_idle(pg)
            pg.get_by_label("用户名").first.wait_for()
            body = pg.inner_text("body")
            assert "登录" in body and "outside city" not in body.lower() and "import data" not in body.lower()
            assert pg.locator("[data-testid='stSidebarNav']").count() == 0      # no page list before login
    finally:
        for c in contexts:
            c.close()
        stop_server(proc)
