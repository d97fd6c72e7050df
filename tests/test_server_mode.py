"""Server mode (analytics/server.py): PostgreSQL holds the data, each process works on a DuckDB copy; every
commit is one PostgreSQL transaction; a second writer on a stale copy is refused in Chinese; figures equal the
embedded database's."""
from __future__ import annotations

import datetime as dt

import pytest

from analytics import accounts, changes, metrics, server, store

DATES = [dt.date(2018, 12, 31), dt.date(2024, 7, 31), dt.date(2026, 10, 31)]


@pytest.fixture(scope="session")
def demo_pg_url(pg_cluster, demo_db_readonly):
    """A PostgreSQL database holding the demo data (pushed once per session; do not write to it)."""
    url = pg_cluster.new_database("demo")
    duck = store.connect(demo_db_readonly, read_only=True)
    try:
        server.push_all(duck, url)
    finally:
        duck.close()
    return url


@pytest.fixture
def pg_demo(pg_cluster, demo_db_readonly):
    url = pg_cluster.new_database("d")
    duck = store.connect(demo_db_readonly, read_only=True)
    try:
        server.push_all(duck, url)
    finally:
        duck.close()
    return url


def pg_count(url, sql):
    import psycopg
    with psycopg.connect(url) as con:
        return con.execute(sql).fetchone()[0]


def test_copy_gives_the_same_figures(demo_pg_url, demo_db_readonly):
    con = store.connect(demo_pg_url)
    ref = store.connect(demo_db_readonly, read_only=True)
    try:
        assert metrics.key_figures(con, dt.date(2024, 7, 31))["registered"] == 704
        for as_of in DATES:
            for county in (None, "东昌府区", "冠县"):
                assert metrics.key_figures(con, as_of, county) == metrics.key_figures(ref, as_of, county)
        for table in ("heroes", "activities", "audit_log", "users", "counties", "towns"):
            q = f"SELECT count(*) FROM {table}"
            assert con.execute(q).fetchone()[0] == ref.execute(q).fetchone()[0] == pg_count(demo_pg_url, q)
        assert con.execute("SELECT aliases FROM counties WHERE name = '茌平区'").fetchone() == \
            ref.execute("SELECT aliases FROM counties WHERE name = '茌平区'").fetchone()
    finally:
        con.close()
        ref.close()


def test_a_write_is_one_postgresql_transaction_and_undoable(pg_demo):
    con = store.connect(pg_demo)
    try:
        with store.transaction(con) as cur:
            cid = store.begin_change(cur, "edit", "test", "改名")
            changes.update_row(cur, cid, "test", "heroes", 1, {"name": "服务器模式"})
            changes.delete_row(cur, cid, "test", "heroes", 2)
    finally:
        con.close()
    assert pg_count(pg_demo, "SELECT name FROM heroes WHERE hero_id = 1") == "服务器模式"
    assert pg_count(pg_demo, "SELECT count(*) FROM heroes") == 863
    assert pg_count(pg_demo, f"SELECT count(*) FROM audit_log WHERE change_id = {cid}") == 2
    con = store.connect(pg_demo)
    try:
        changes.undo_change(con, cid, "test")
    finally:
        con.close()
    assert pg_count(pg_demo, "SELECT count(*) FROM heroes") == 864
    assert pg_count(pg_demo, "SELECT name FROM heroes WHERE hero_id = 1") != "服务器模式"
    assert pg_count(pg_demo, f"SELECT undone_by FROM changes WHERE change_id = {cid}") == "test"


def test_second_writer_on_a_stale_copy_is_refused(pg_demo):
    first, second = store.connect(pg_demo), store.connect(pg_demo)
    try:
        with store.transaction(first) as cur:
            cid = store.begin_change(cur, "edit", "甲", "改名")
            changes.update_row(cur, cid, "甲", "heroes", 5, {"name": "甲改的"})
        with pytest.raises(store.StoreError, match="已被其他用户或程序修改.*请刷新页面"):
            with store.transaction(second) as cur:
                cid2 = store.begin_change(cur, "edit", "乙", "改名")
                changes.update_row(cur, cid2, "乙", "heroes", 5, {"name": "乙改的"})
        # nothing of the second write anywhere: PostgreSQL keeps the first, the second copy rolled back
        assert pg_count(pg_demo, "SELECT name FROM heroes WHERE hero_id = 5") == "甲改的"
        assert second.execute("SELECT count(*) FROM changes WHERE actor = '乙'").fetchone()[0] == 0
    finally:
        first.close()
        second.close()


def test_accounts_without_change_sets_reach_postgresql(pg_demo):
    con = store.connect(pg_demo)
    try:
        accounts.create_user(con, "kezhang", "Kezhang-pass-2024", "viewer", actor="test", rounds=4)
        with pytest.raises(accounts.AccountError):
            accounts.authenticate(con, "kezhang", "wrong-password")
    finally:
        con.close()
    assert pg_count(pg_demo, "SELECT role FROM users WHERE username = 'kezhang'") == "viewer"
    assert pg_count(pg_demo, "SELECT failures FROM login_attempts WHERE username = 'kezhang'") == 1


def test_long_running_copy_sees_commits_of_others(pg_demo):
    live = server.ServerCopy(pg_demo)
    before = live.connection().version
    other = store.connect(pg_demo)
    try:
        with store.transaction(other) as cur:
            cid = store.begin_change(cur, "edit", "test", "改名")
            changes.update_row(cur, cid, "test", "heroes", 7, {"name": "别处改的"})
    finally:
        other.close()
    live.mark_stale()
    assert live.connection(fresh=True).version == before + 1
    assert live.cursor().execute("SELECT name FROM heroes WHERE hero_id = 7").fetchone()[0] == "别处改的"


# ---- the app on PostgreSQL ------------------------------------------------------------------------------

def _pages():
    from ui import nav
    return [path for entries in nav.SECTIONS.values() for path, *_ in entries]


def test_every_page_runs_on_postgresql(pg_demo):
    from tests.pages.apptest_util import app, metric_values
    for page in _pages():
        at = app(pg_demo, page, as_of="2024-07-31")
        assert not at.exception, (page, at.exception)
        assert not [e for e in at.error if "页面加载时出现问题" in e.value], page
    at = app(pg_demo, as_of="2024-07-31")
    shown = metric_values(at)
    assert shown["登记在册"] == "704人" and shown["国家级表扬"] == "3人" and shown["英模工作室"] == "20个"
    assert any("演示数据库" in w.value for w in at.warning)
