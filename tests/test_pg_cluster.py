"""The server-mode test infrastructure: a throwaway PostgreSQL cluster starts as an unprivileged user, gives each
test a fresh database, and is gone after the session."""
from __future__ import annotations

import os


def test_fresh_database_per_test(pg_url, pg_cluster):
    import psycopg
    with psycopg.connect(pg_url) as con:
        assert con.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] == 0
        assert con.execute("SELECT current_setting('server_version_num')::int").fetchone()[0] >= 150000
        assert con.execute("SELECT current_setting('listen_addresses')").fetchone()[0] == "127.0.0.1"
    owner = pg_cluster.data.stat().st_uid
    assert owner != 0 or os.geteuid() != 0     # never run by root


def test_second_database_is_separate(pg_url, pg_cluster):
    import psycopg
    other = pg_cluster.new_database()
    assert other != pg_url
    with psycopg.connect(pg_url) as a, psycopg.connect(other) as b:
        a.execute("CREATE TABLE only_here (x int)")
        a.commit()
        assert b.execute("SELECT count(*) FROM pg_tables WHERE tablename = 'only_here'").fetchone()[0] == 0
