"""Load test (issue 12): N simulated sessions switching pages for a while, against 1 app process on the embedded
file, 1 app process on PostgreSQL, and 2 app processes on one PostgreSQL database (sessions round-robin).

Each session is a real headless Chromium page in its own browser context (its own cookie, its own Streamlit
websocket), logged in as the demo admin before the clock starts; then every session clicks through the 看板
menu in a loop (each starting at a different page), waiting `--think` seconds between clicks. Page time = click
until the script run is over and every chart is drawn (scripts/bench_browser.py's test). Reported: p50 and p95
of all page times of the run (a page not drawn within 60 s counts as 60 s), the number of switches and of such
failures, and the machine's load. Report-only rows (no budget): one 2-core machine runs the browser (20 pages drawing Plotly charts) and the
servers, so the figures are the whole machine's, not the server's alone.

Worker: python -m scripts.bench_load --db SCALED.duckdb --data "scale 100" [--sessions 20] [--seconds 120]
        [--think 1.0] [--only embedded,pg1,pg2]
$YIYONG_BENCH_LOAD_SECONDS sets the default duration (a quick run: 20). Without Chromium every row is SKIP;
without PostgreSQL the server-mode rows are.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import tempfile
import time
from pathlib import Path

from scripts.bench_proc import emit
from scripts.bench_table import ERROR, SKIP, Row

CHROMIUM = "/usr/bin/chromium"
DEFAULT_SECONDS = 120.0
CONFIGS = {"embedded": ("嵌入式，1个应用进程", 1), "pg1": ("PostgreSQL，1个应用进程", 1),
           "pg2": ("PostgreSQL，2个应用进程（会话轮流分配）", 2)}
LOGINS_AT_ONCE = 2          # logins run before the clock, two at a time (a fresh server is slow at first)
PAGE_TIMEOUT = 60.0


def _rendered_js() -> str:
    from scripts.bench_browser import RENDERED
    return RENDERED


def _count_js() -> str:
    from scripts.bench_browser import COUNT_STATE_CHANGES
    return COUNT_STATE_CHANGES


def dashboard_slugs() -> list[str]:
    from scripts.bench_browser import dashboards
    return [slug for slug, _title in dashboards()]


def percentile(values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    s = sorted(values)
    if not s:
        raise ValueError("no values")
    pos = (len(s) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


async def _login(page, base: str, password: str, rendered: str, attempts: int = 3) -> None:
    """Log in through the form. A login the app forgets at once ("您的登录已失效…": the session row written a moment
    ago is not yet in the read copy another thread is refreshing — seen with logins at the same moment on a
    fresh server) is tried again; so is one that took too long."""
    for attempt in range(attempts):
        await page.goto(base + "/")
        await page.wait_for_function(rendered, timeout=120_000, polling=50)
        if await page.locator("[data-testid='stMetric']").count():
            return                                          # the previous attempt did log in, late
        try:
            await page.get_by_label("用户名").first.fill("admin", timeout=30_000)
            await page.get_by_label("密码").first.fill(password)
            await page.get_by_role("button", name="登录").first.click()
            await page.wait_for_selector("[data-testid='stMetric']", timeout=60_000)
            await page.wait_for_function(rendered, timeout=120_000, polling=50)
            return
        except Exception:  # noqa: BLE001
            if attempt == attempts - 1:
                raise


async def _session(page, base: str, start: int, slugs: list[str], until: float, think: float, times: list,
                   failures: list, rendered: str, count: str) -> None:
    i = start                     # 1 … len-1: the session is on 总览 (slugs[0]) after its login
    while time.perf_counter() < until:
        slug = slugs[i]
        sel = "[data-testid='stSidebarNav'] a" if i == 0 else f"[data-testid='stSidebarNav'] a[href$='/{slug}']"
        try:
            link = page.locator(sel).first
            await link.wait_for(state="visible", timeout=10_000)
            n = await page.evaluate(count)
            t0 = time.perf_counter()
            await link.click()
            await page.wait_for_function(f"() => (window.__yyStateChanges || 0) > {n}",
                                         timeout=PAGE_TIMEOUT * 1000, polling=20)
            await page.wait_for_function(rendered, timeout=PAGE_TIMEOUT * 1000, polling=20)
            times.append(time.perf_counter() - t0)
        except Exception as exc:  # noqa: BLE001 - counted; the session goes on from a known page
            failures.append(f"{type(exc).__name__}: {str(exc)[:80]}")
            try:
                await page.goto(f"{base}/{slug}")
                await page.wait_for_function(rendered, timeout=PAGE_TIMEOUT * 1000, polling=50)
            except Exception:  # noqa: BLE001
                pass
        i = (i + 1) % len(slugs)
        await asyncio.sleep(think)


async def _drive(bases: list[str], sessions: int, seconds: float, think: float, password: str) -> dict:
    from playwright.async_api import async_playwright

    from tests.browser.conftest import CHROMIUM_ARGS
    rendered, count, slugs = _rendered_js(), _count_js(), dashboard_slugs()
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            pages = []
            for _ in range(sessions):
                ctx = await browser.new_context(viewport={"width": 1366, "height": 768})
                pages.append(await ctx.new_page())
            gate = asyncio.Semaphore(LOGINS_AT_ONCE)

            async def login(k):
                async with gate:
                    try:
                        await _login(pages[k], bases[k % len(bases)], password, rendered)
                        return k
                    except Exception as exc:  # noqa: BLE001 - the others go on; reported in the note
                        failed_logins.append(f"{type(exc).__name__}: {str(exc)[:60]}")
                        return None
            failed_logins: list[str] = []
            t0 = time.perf_counter()
            ready = [k for k in await asyncio.gather(*(login(k) for k in range(sessions))) if k is not None]
            logins = time.perf_counter() - t0
            times: list[float] = []
            failures: list[str] = []
            load0 = os.getloadavg()[0]
            until = time.perf_counter() + seconds
            await asyncio.gather(*(_session(pages[k], bases[k % len(bases)], 1 + k % (len(slugs) - 1), slugs, until,
                                            think,
                                            times, failures, rendered, count) for k in ready))
            return {"times": times, "failures": failures, "logins": logins, "failed_logins": failed_logins,
                    "load": (load0, os.getloadavg()[0])}
        finally:
            await browser.close()


def _run_config(key: str, db: Path, url: str | None, work: Path, sessions: int, seconds: float, think: float,
                data: str) -> list[Row]:
    from tests.browser.conftest import demo_login, free_port, start_server, stop_server
    what, processes = CONFIGS[key]
    item = f"{sessions}个会话切换页面 {seconds:.0f} s（{what}）"
    procs = []
    try:
        for n in range(processes):
            log_dir = work / f"{key}-{n}"
            log_dir.mkdir(parents=True, exist_ok=True)
            env = {"YIYONG_DB": url} if url else {}
            procs.append(start_server(db if not url else log_dir / "server.log-dir", free_port(), env))
        bases = [f"http://127.0.0.1:{p.args[p.args.index('--server.port') + 1]}" for p in procs]
        got = asyncio.run(_drive(bases, sessions, seconds, think, demo_login()["admin"]))
    except Exception as exc:  # noqa: BLE001 - reported as a row
        return [Row(item, data, status=ERROR, note=f"{type(exc).__name__}: {exc}"[:160])]
    finally:
        for p in procs:
            stop_server(p)
    failures = got["failures"]
    times = got["times"] + [PAGE_TIMEOUT] * len(failures)     # a page not drawn counts as the full wait
    if not got["times"]:
        return [Row(item, data, status=ERROR, note=f"没有完成的页面切换；失败 {len(failures)} 次："
                                                    f"{(failures or ['?'])[0]}"[:160])]
    note = (f"{len(times)} 次切换（每会话间隔 {think:g} s），其中 {len(failures)} 次 {PAGE_TIMEOUT:.0f} s 内未绘制完成"
            f"（按 {PAGE_TIMEOUT:.0f} s 计入）；"
            f"登录 {sessions} 个会话用时 {got['logins']:.0f} s"
            + (f"（{len(got['failed_logins'])} 个未能登录，未参加）" if got["failed_logins"] else "") + f"；负载 {got['load'][0]:.1f}→{got['load'][1]:.1f}"
            + (f"；首次失败：{failures[0]}" if failures else ""))
    return [Row(f"{item} 页面耗时 p50", data, percentile(times, 0.5), source="issue 12",
                note=note),
            Row(f"{item} 页面耗时 p95", data, percentile(times, 0.95), source="issue 12",
                note=f"max {max(times):.2f} s")]


def measure(db: Path, data: str, sessions: int, seconds: float, think: float, only: list[str]) -> list[Row]:
    if not Path(CHROMIUM).exists():
        return [Row("负载测试 load test", data, status=SKIP, note="未安装 /usr/bin/chromium")]
    rows: list[Row] = []
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    cluster = None
    try:
        if "embedded" in only:
            private = work / "embedded.duckdb"      # the server holds the file: never the cached one
            shutil.copy(db, private)
            rows += _run_config("embedded", private, None, work, sessions, seconds, think, data)
        pg_keys = [k for k in ("pg1", "pg2") if k in only]
        if pg_keys:
            from tests import pg_cluster
            reason = pg_cluster.available()
            if reason:
                return rows + [Row(f"负载测试（{CONFIGS[k][0]}）", data, status=SKIP, note=reason) for k in pg_keys]
            cluster = pg_cluster.Cluster().start()
            url = cluster.new_database("load")
            from analytics import server, store
            duck = store.connect(db, read_only=True)
            try:
                server.push_all(duck, url)
            finally:
                duck.close()
            for key in pg_keys:
                rows += _run_config(key, db, url, work, sessions, seconds, think, data)
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(work, ignore_errors=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True, type=Path)
    ap.add_argument("--data", required=True)
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--seconds", type=float,
                    default=float(os.environ.get("YIYONG_BENCH_LOAD_SECONDS") or DEFAULT_SECONDS))
    ap.add_argument("--think", type=float, default=1.0, help="每个会话两次点击之间的间隔（秒）")
    ap.add_argument("--only", default=",".join(CONFIGS), help=f"只测这些配置：{','.join(CONFIGS)}")
    a = ap.parse_args()
    emit(measure(a.db, a.data, a.sessions, a.seconds, a.think, [k for k in a.only.split(",") if k]))


if __name__ == "__main__":
    main()
