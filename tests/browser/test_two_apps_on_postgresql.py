"""Server mode with several processes: two app servers (`streamlit run`) on one PostgreSQL database and a CLI
import at the same time. Both apps show the new figures after the import, both show the old ones again after an
undo, and no process logs an error."""
from __future__ import annotations

import os
import subprocess
import sys
import time

from tests.browser.conftest import assert_no_error, free_port, goto, new_page, start_server, stop_server
from tests.conftest import ROOT


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analytics", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env=dict(os.environ))


def shows(pg, base: str, text: str, timeout: float = 30) -> bool:
    """Reload 总览 until `text` is on it (a commit elsewhere is picked up at the next page run; the copy is
    reloaded in the background, so allow a few runs)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        goto(pg, base, "?as_of=2026-11-30")
        if text in pg.inner_text("body"):
            return True
        time.sleep(0.5)
    return False


def test_two_apps_and_an_import_on_one_postgresql(browser, pg_cluster, demo_db_readonly, tmp_path):
    from tests.ingest import builders
    url = pg_cluster.new_database("apps")
    assert cli("copy", "--from", demo_db_readonly, "--to", url).returncode == 0
    db_dir = tmp_path / "logs"
    db_dir.mkdir()
    servers = []
    try:
        for _ in range(2):
            port = free_port()
            # start_server writes its log next to the database path it is given: give it a folder of ours
            proc = start_server(db_dir / f"app-{port}", port, extra_env={"YIYONG_DB": url})
            servers.append((proc, f"http://127.0.0.1:{port}", db_dir / f"streamlit-{port}.log"))
        pages = [new_page(browser, base) for _, base, _ in servers]
        for pg, (_, base, _) in zip(pages, servers):
            assert shows(pg, base, "864人")
        book = tmp_path / "reg.xlsx"
        book.write_bytes(builders.xlsx({"登记表": [builders.REG_HEADERS] + builders.registry_rows(6)}))
        out = cli("import", book, "--db", url, "--user", "录入员")
        assert out.returncode == 0, out.stderr
        for pg, (_, base, _) in zip(pages, servers):
            assert shows(pg, base, "870人"), pg.inner_text("body")[:400]
            assert_no_error(pg)
        batch = out.stdout.split("批次编号")[1].split("：")[0].strip()
        out = cli("undo", batch, "--db", url, "--user", "录入员")
        assert out.returncode == 0, out.stderr
        for pg, (_, base, _) in zip(pages, servers):
            assert shows(pg, base, "864人"), pg.inner_text("body")[:400]
            assert_no_error(pg)
        for pg in pages:
            pg.context.close()
    finally:
        for proc, _, _ in servers:
            stop_server(proc)
    for _, _, log in servers:
        text = log.read_text(errors="replace")
        assert "Traceback" not in text and "Error" not in text, text[-2000:]
