"""The app serving (a real `streamlit run`, a logged-in browser session on the dashboards) while the nightly
`backup` and a `stats` run from the command line: both succeed, and the snapshot restores to identical `stats`
at three dates. The app keeps working afterwards and writes to the log no error."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from tests.browser.conftest import (assert_no_error, free_port, goto, new_page, start_server, stop_server,
                                    wait_idle)
from tests.conftest import ROOT

DATES = ("2018-12-31", "2024-07-31", "2026-10-31")


def cli(*args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "analytics", *map(str, args)], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ))


def stats(db, as_of) -> dict:
    proc = cli("stats", "--db", db, "--as-of", as_of, "--json")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    return json.loads(out)


def test_backup_and_stats_while_the_app_serves(browser, demo_db_readonly, tmp_path):
    db = tmp_path / "serving.duckdb"
    shutil.copy(demo_db_readonly, db)
    server = start_server(db, free_port())
    base = f"http://127.0.0.1:{server.args[server.args.index('--server.port') + 1]}"
    try:
        pg = new_page(browser, base)
        goto(pg, base, "")
        assert_no_error(pg)
        backup = cli("backup", "--to", tmp_path / "snapshots", "--db", db)
        reading = cli("stats", "--db", db, "--as-of", "2024-07-31", "--json")
        goto(pg, base, "trends")          # the app keeps serving while both run
        b_out, b_err = backup.communicate(timeout=120)
        s_out, s_err = reading.communicate(timeout=120)
        assert backup.returncode == 0, b_err
        assert reading.returncode == 0, s_err
        assert json.loads(s_out)["registered"] == 704
        goto(pg, base, "?as_of=2024-07-31")
        wait_idle(pg)
        assert_no_error(pg)
        assert "704" in pg.inner_text("body")
        pg.context.close()
    finally:
        stop_server(server)
    log = (db.parent / f"streamlit-{server.args[server.args.index('--server.port') + 1]}.log").read_text()
    assert "Traceback" not in log and "Error" not in log, log[-2000:]
    snapshot = next((tmp_path / "snapshots").glob("yiyong-backup-*.zip"))
    restored = tmp_path / "restored.duckdb"
    proc = cli("restore", snapshot, "--db", restored)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    for as_of in DATES:
        assert stats(restored, as_of) == stats(db, as_of)
    assert stats(restored, "2024-07-31")["recognitions"] == 883
