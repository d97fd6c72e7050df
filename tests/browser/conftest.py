"""Real-browser harness: the real app (streamlit run app.py) on a free port with a temporary demo database,
driven by Playwright in Debian's Chromium. Where /usr/bin/chromium is absent every browser test is skipped and
pytest prints a visible notice (CI's .ci/run installs chromium first, so CI always runs them).

Fixtures
- app_db:     the demo database the server uses (temp dir, built once per session).
- app_server: base URL of one app server per session (env var YIYONG_DB = app_db).
- browser:    one headless Chromium per session.
- page:       a fresh page (1400×1000, zh-CN), logged in as the demo admin when the app asks for a login.
- shot(page, name): save a full-page screenshot under test-output/screenshots/NAME.png.
Helpers: goto(page, base_url, path) opens a page and waits for the script run to finish;
wait_idle(page); assert_no_error(page); login(page, user, password); start_server(db, port); free_port().
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = os.environ.get("YIYONG_CHROMIUM", "/usr/bin/chromium")  # override only to test the skip path
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
OUT = ROOT / "test-output" / "screenshots"
# Demo accounts (created by the demo build once accounts exist); the harness logs in as admin.
DEMO_LOGIN = {"admin": "Demo-admin-2024", "editor": "Demo-editor-2024", "viewer": "Demo-viewer-2024"}
SKIP_NOTICE = (f"注意：未安装 Chromium（{CHROMIUM}），已跳过真实浏览器测试。"
               "请运行 apt-get install chromium fonts-noto-cjk，或用 .ci/run（会自动安装）。")
HERE = Path(__file__).resolve().parent
# Seconds to wait for a script run, a click or a login. Generous: on a busy 2-core machine the first render
# after a login (cold caches, every chart) has taken 20+ s; on an idle one it takes about a second.
TIMEOUT = float(os.environ.get("YIYONG_BROWSER_TIMEOUT", "90"))


def chromium_available() -> bool:
    return Path(CHROMIUM).exists() and os.access(CHROMIUM, os.X_OK)


def pytest_collection_modifyitems(config, items):
    if chromium_available():
        return
    skipped = 0
    for item in items:
        if Path(str(item.fspath)).resolve().is_relative_to(HERE):
            item.add_marker(pytest.mark.skip(reason=SKIP_NOTICE))
            skipped += 1
    config._browser_skipped = skipped  # noqa: SLF001 - read back in the terminal summary


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = getattr(config, "_browser_skipped", 0)
    if skipped:
        terminalreporter.write_sep("!", f"{SKIP_NOTICE}（{skipped} 项）", yellow=True, bold=True)


def demo_login() -> dict:
    try:
        from analytics import accounts  # added with accounts and roles
        return dict(getattr(accounts, "DEMO_ACCOUNTS", DEMO_LOGIN))
    except ImportError:
        return DEMO_LOGIN


_SERVER_LOGS: list[Path] = []   # the logs of the servers this session started (the last one is shown on errors)


def server_log_tail(lines: int = 30) -> str:
    """The end of the most recent server log (the logged traceback behind a 页面加载时出现问题)."""
    if not _SERVER_LOGS or not _SERVER_LOGS[-1].exists():
        return ""
    return "\n".join(_SERVER_LOGS[-1].read_text(errors="replace").splitlines()[-lines:])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int, extra_env: dict | None = None) -> subprocess.Popen:
    """`streamlit run app.py` on 127.0.0.1:port against `db`; returns once /_stcore/health answers."""
    env = {**os.environ, "YIYONG_DB": str(db), **(extra_env or {})}
    log = open(db.parent / f"streamlit-{port}.log", "w")
    _SERVER_LOGS.append(Path(log.name))
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
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
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("streamlit did not become healthy within 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def app_db(tmp_path_factory) -> Path:
    from analytics import demo
    path = tmp_path_factory.mktemp("browser") / "demo.duckdb"
    demo.build(path)
    return path


@pytest.fixture(scope="session")
def app_server(app_db):
    proc = start_server(app_db, free_port())
    port = proc.args[proc.args.index("--server.port") + 1]
    yield f"http://127.0.0.1:{port}"
    stop_server(proc)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


# The app root carries the script run state (Streamlit's own test hook): "initial", "running", "notRunning", ….
_RUNNING = ("[data-testid='stApp']:not([data-test-script-state='notRunning']), "
            "[data-testid='stSkeleton'], [data-stale='true']")


def wait_idle(page, timeout: float = TIMEOUT, settle: float = 0.3) -> None:
    """Wait until the script run has finished and the page has stayed quiet for `settle` seconds (no run in
    progress, no skeleton placeholders, no stale elements left from the previous run)."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout * 1000)
    deadline = time.time() + timeout
    quiet_since = None
    while time.time() < deadline:
        if page.locator(_RUNNING).count() == 0:
            quiet_since = quiet_since or time.time()
            if time.time() - quiet_since >= settle:
                return
        else:
            quiet_since = None
        page.wait_for_timeout(50)
    raise AssertionError(f"页面在 {timeout:.0f} 秒内没有完成运行：{page.url}")


_COUNT_RUNS = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app) return 0;
  if (window.__yiyongRuns === undefined) {
    window.__yiyongRuns = 0;
    new MutationObserver(() => {
      if (app.getAttribute("data-test-script-state") === "running") window.__yiyongRuns += 1;
    }).observe(app, {attributes: true, attributeFilter: ["data-test-script-state"]});
  }
  return window.__yiyongRuns;
}"""


def runs(page) -> int:
    """How many script runs this page has started (counted from the first call on this document)."""
    return page.evaluate(_COUNT_RUNS)


def wait_rerun(page, since: int, timeout: float = TIMEOUT) -> None:
    """After an interaction: wait until a new script run has started (runs(page) > since) and finished.
    Use as `n = runs(page); <click / fill>; wait_rerun(page, n)`; a plain wait_idle could return before the
    rerun begins on a busy machine."""
    try:
        page.wait_for_function(f"() => (window.__yiyongRuns || 0) > {since}", timeout=timeout * 1000)
    except Exception as exc:  # playwright TimeoutError
        raise AssertionError(f"操作后页面没有重新运行（{timeout:.0f} 秒内）：{page.url}") from exc
    wait_idle(page, timeout)


def goto(page, base_url: str, path: str = "") -> None:
    """Open base_url/path and wait for the run. The session cookie keeps the browser logged in; should the app
    show its login form anyway (the first page of a context), a page from the `page` fixture logs in (as the
    demo admin) by itself."""
    page.goto(f"{base_url}/{path.lstrip('/')}")
    wait_idle(page)
    creds = getattr(page, "_yiyong_login", None)
    if creds:
        login(page, *creds)


def login(page, user: str, password: str) -> None:
    """Fill the login form (用户名 / 密码 / 登录) if the app shows one. The form posts to the login endpoint,
    which answers with the session cookie and sends the browser back to the same page: a new document."""
    field = page.get_by_label("用户名")
    if field.count() == 0:
        return
    field.first.fill(user)
    page.get_by_label("密码").first.fill(password)
    with page.expect_navigation(timeout=TIMEOUT * 1000):
        page.get_by_role("button", name="登录").first.click()
    wait_idle(page)
    # the new page draws the app, or the form again with the reason: wait for one of them
    deadline = time.time() + TIMEOUT
    while time.time() < deadline and not page.get_by_text("当前用户").count() \
            and not page.locator("[data-testid='stAlert']").count():
        page.wait_for_timeout(100)
    wait_idle(page)


def assert_no_error(page) -> None:
    """No exception box, no 页面加载时出现问题, no traceback on the page; on failure, show the server log's end."""
    body = page.inner_text("body")
    if (page.locator("[data-testid='stException']").count() or "页面加载时出现问题" in body
            or "Traceback" in body):
        raise AssertionError(f"页面出现错误：{page.url}\n--- 服务器日志末尾 ---\n{server_log_tail()}")


def new_page(browser, base_url: str, *, log_in: bool = True, setup=None):
    """A page in its own browser context, opened on the app and logged in as the demo admin.
    setup(context), if given, runs before the first request (e.g. to install a route)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="zh-CN")
    context.set_default_timeout(TIMEOUT * 1000)
    if setup:
        setup(context)
    pg = context.new_page()
    if log_in:
        pg._yiyong_login = ("admin", demo_login()["admin"])  # goto() logs in again after each new session
    goto(pg, base_url)
    return pg


@pytest.fixture
def page(browser, app_server):
    pg = new_page(browser, app_server)
    yield pg
    pg.context.close()


@pytest.fixture
def shot():
    OUT.mkdir(parents=True, exist_ok=True)

    def _shot(page, name: str) -> Path:
        path = OUT / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path
    return _shot
