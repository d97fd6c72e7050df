"""Real-browser harness: the real app (streamlit run app.py) on a free port with a temporary demo database,
driven by Playwright in Debian's Chromium. Skipped, with a visible reason, where /usr/bin/chromium is absent.

Fixtures
- app_server: base URL of one app server per session (demo database in a temp dir; env var YIYONG_DB).
- browser:   one headless Chromium per session.
- page:      a fresh page (1400×1000), logged in as the demo admin when the app asks for a login.
- shot(page, name): save a full-page screenshot under test-output/screenshots/NAME.png.
Helpers: goto(page, base_url, path) opens a page and waits for the script run to finish;
wait_idle(page); assert_no_error(page); login(page, user, password).
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
OUT = ROOT / "test-output" / "screenshots"
# Demo accounts (created by the demo build once accounts exist); the harness logs in as admin.
DEMO_LOGIN = {"admin": "Demo-admin-2024", "editor": "Demo-editor-2024", "viewer": "Demo-viewer-2024"}

if not Path(CHROMIUM).exists():
    pytest.skip("注意：未安装 Chromium（/usr/bin/chromium），已跳过真实浏览器测试。"
                "请运行 apt-get install chromium fonts-noto-cjk。", allow_module_level=True)


def _demo_login() -> dict:
    try:
        from analytics import accounts  # added with accounts and roles
        return dict(getattr(accounts, "DEMO_ACCOUNTS", DEMO_LOGIN))
    except ImportError:
        return DEMO_LOGIN


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int, extra_env: dict | None = None) -> subprocess.Popen:
    env = {**os.environ, "YIYONG_DB": str(db), **(extra_env or {})}
    log = open(db.parent / f"streamlit-{port}.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited: see {log.name}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("streamlit did not become healthy within 60 s")


@pytest.fixture(scope="session")
def app_db(tmp_path_factory) -> Path:
    from analytics import demo
    path = tmp_path_factory.mktemp("browser") / "demo.duckdb"
    demo.build(path)
    return path


@pytest.fixture(scope="session")
def app_server(app_db):
    port = free_port()
    proc = start_server(app_db, port)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def wait_idle(page, timeout: float = 30) -> None:
    """Wait until the Streamlit script run has finished (no running indicator, no skeletons)."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout * 1000)
    deadline = time.time() + timeout
    quiet_since = None
    while time.time() < deadline:
        running = page.locator("[data-testid='stStatusWidget'] , [data-testid='stSkeleton']").count()
        if running == 0:
            quiet_since = quiet_since or time.time()
            if time.time() - quiet_since > 0.8:
                return
        else:
            quiet_since = None
        page.wait_for_timeout(150)


def goto(page, base_url: str, path: str = "") -> None:
    page.goto(f"{base_url}/{path.lstrip('/')}")
    wait_idle(page)


def login(page, user: str, password: str) -> None:
    """Fill the login form (用户名 / 密码 / 登录) if the app shows one."""
    field = page.get_by_label("用户名")
    if field.count() == 0:
        return
    field.first.fill(user)
    page.get_by_label("密码").first.fill(password)
    page.get_by_role("button", name="登录").first.click()
    wait_idle(page)


def assert_no_error(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0, "页面出现异常"
    body = page.inner_text("body")
    assert "页面加载时出现问题" not in body and "Traceback" not in body


@pytest.fixture
def page(browser, app_server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True,
                                  locale="zh-CN")
    pg = context.new_page()
    goto(pg, app_server)
    creds = _demo_login()
    login(pg, "admin", creds["admin"])
    yield pg
    context.close()


@pytest.fixture
def shot():
    OUT.mkdir(parents=True, exist_ok=True)

    def _shot(page, name: str) -> Path:
        path = OUT / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path
    return _shot
