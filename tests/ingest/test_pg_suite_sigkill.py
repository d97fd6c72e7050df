"""The SIGKILL import test (tests/ingest/test_cli.py) in server mode: an import killed mid-commit leaves
PostgreSQL as it was. Killed at two points: while the import writes its DuckDB copy (the embedded test itself,
with `tmp_db` a PostgreSQL URL), and while the commit is writing PostgreSQL inside its one transaction
($YIYONG_PG_TEST_PAUSE, analytics/server.py). Skipped with a notice without PostgreSQL."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psycopg

from tests.ingest import builders as b
from tests.ingest.test_cli import ROOT, ROWS, cli
from tests.ingest.test_cli import test_sigkill_mid_commit_leaves_database_as_it_was  # noqa: F401 - again, on PostgreSQL
from tests.pg_suites import tmp_db  # noqa: F401 - a PostgreSQL URL for the test above and the one below

TABLES = ("heroes", "recognitions", "changes", "audit_log", "import_files", "yiyong_sync", "yiyong_sync_log")


def pg_state(url) -> list:
    with psycopg.connect(url) as con:
        return [con.execute(f"SELECT count(*), md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) "
                            f"FROM {t} x").fetchone() for t in TABLES]


def test_sigkill_inside_the_postgresql_transaction_leaves_it_as_it_was(tmp_db, tmp_path):
    f = tmp_path / "v1.xlsx"
    f.write_bytes(b.xlsx({"S": ROWS}))
    assert cli("import", f, "--db", tmp_db).returncode == 0
    before = pg_state(tmp_db)
    assert before[0][0] == 4                                   # the 4 people of v1
    rows = [list(r) for r in ROWS] + b.registry_rows(30)[10:]
    rows[1][6] = "13999999999"
    g = tmp_path / "v2.xlsx"
    g.write_bytes(b.xlsx({"S": rows}))
    flag = tmp_path / "writing.flag"
    proc = subprocess.Popen([sys.executable, "-m", "analytics", "import", str(g), "--db", tmp_db], cwd=ROOT,
                            env={**os.environ, "YIYONG_PG_TEST_PAUSE": str(flag)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 90
        while not flag.exists():
            assert proc.poll() is None and time.time() < deadline
            time.sleep(0.05)
        with psycopg.connect(tmp_db) as con:                   # rows written, not committed: invisible
            assert con.execute("SELECT count(*) FROM heroes").fetchone()[0] == 4
            assert con.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                               "AND state = 'idle in transaction'").fetchone()[0] >= 1
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    deadline = time.time() + 30                                # the server rolls back the dropped client's work
    while pg_state(tmp_db) != before and time.time() < deadline:
        time.sleep(0.2)
    assert pg_state(tmp_db) == before
    with psycopg.connect(tmp_db) as con:
        assert con.execute("SELECT phone FROM heroes WHERE name = '测试零'").fetchone()[0] == ROWS[1][6]
    # and the next import commits normally (no lock left behind on the version row)
    p = cli("import", g, "--db", tmp_db)
    assert p.returncode == 0, p.stderr
    with psycopg.connect(tmp_db) as con:
        assert con.execute("SELECT count(*) FROM heroes").fetchone()[0] == 4 + 20
        assert con.execute("SELECT phone FROM heroes WHERE name = '测试零'").fetchone()[0] == "13999999999"
