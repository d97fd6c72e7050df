"""Server mode (analytics/server.py): PostgreSQL holds the data, each process works on a DuckDB copy; every
commit is one PostgreSQL transaction; a second writer on a stale copy is refused in Chinese; figures equal the
embedded database's."""
from __future__ import annotations

import datetime as dt

import pytest

from analytics import accounts, changes, server, store
from analytics.metrics.figures import key_figures

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
        assert key_figures(con, dt.date(2024, 7, 31))["registered"] == 704
        for as_of in DATES:
            for county in (None, "东昌府区", "冠县"):
                assert key_figures(con, as_of, county) == key_figures(ref, as_of, county)
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
    assert live._generation == 1          # brought up to date in place, from the change log
    other = store.connect(pg_demo)
    try:
        with store.transaction(other) as cur:
            cid2 = store.begin_change(cur, "edit", "test", "删除")
            changes.delete_row(cur, cid2, "test", "heroes", 8)
        changes.undo_change(other, cid, "test")
    finally:
        other.close()
    live.mark_stale()
    con = live.connection(fresh=True)
    assert con.version == before + 3 and live._generation == 1
    cur = live.cursor()
    assert cur.execute("SELECT count(*) FROM heroes").fetchone()[0] == 863
    assert cur.execute("SELECT name FROM heroes WHERE hero_id = 7").fetchone()[0] != "别处改的"
    assert cur.execute("SELECT count(*) FROM audit_log").fetchone()[0] == pg_count(pg_demo, "SELECT count(*) FROM audit_log")
    assert cur.execute(f"SELECT undone_by FROM changes WHERE change_id = {cid}").fetchone()[0] == "test"
    # and a write from this copy continues the sequences PostgreSQL has moved on
    with store.transaction(con) as wcur:
        cid3 = store.begin_change(wcur, "edit", "test", "再改")
        changes.update_row(wcur, cid3, "test", "heroes", 9, {"name": "本进程改的"})
    assert cid3 == cid2 + 2 and pg_count(pg_demo, "SELECT name FROM heroes WHERE hero_id = 9") == "本进程改的"


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
    assert shown["登记在册"] == "704人" and shown["国家级表扬"] == "3人" and shown["英模工作室"] == "20处"
    assert any("演示数据库" in w.value for w in at.warning)


# ---- moving between the modes, commands on a URL ------------------------------------------------------------

def cli(*args, env=None):
    import os
    import subprocess
    import sys
    from tests.conftest import ROOT
    return subprocess.run([sys.executable, "-m", "analytics", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env={**os.environ, **(env or {})})


def test_copy_file_to_postgresql_and_back(pg_url, demo_db, tmp_path):
    import json
    out = cli("copy", "--from", demo_db, "--to", pg_url, "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["tables"]["heroes"] == 864 and report["tables"]["activities"] == 13863
    assert "yiyong-test-pw" not in out.stdout + out.stderr
    again = cli("copy", "--from", demo_db, "--to", pg_url)
    assert again.returncode == 2 and "已有 864 名人员" in again.stderr and "--force" in again.stderr
    assert "yiyong-test-pw" not in again.stderr
    back = tmp_path / "back.duckdb"
    out = cli("copy", "--from", pg_url, "--to", back)
    assert out.returncode == 0, out.stderr
    assert "各表行数一致" in out.stdout
    for as_of in ("2018-12-31", "2024-07-31", "2026-10-31"):
        for county in (None, "东昌府区", "临清市"):
            args = ["stats", "--as-of", as_of, "--json"] + (["--county", county] if county else [])
            a, b, c = cli(*args, "--db", demo_db), cli(*args, "--db", pg_url), cli(*args, "--db", back)
            assert a.returncode == b.returncode == c.returncode == 0, (a.stderr, b.stderr, c.stderr)
            assert json.loads(a.stdout) == json.loads(b.stdout) == json.loads(c.stdout)
    assert json.loads(cli("stats", "--as-of", "2024-07-31", "--json", "--db", back).stdout)["registered"] == 704


def test_import_and_undo_on_postgresql(pg_demo, tmp_path):
    import json
    from tests.ingest import builders
    book = tmp_path / "reg.xlsx"
    book.write_bytes(builders.xlsx({"登记表": [builders.REG_HEADERS] + builders.registry_rows(5)}))
    out = cli("import", book, "--db", pg_demo, "--user", "录入员", "--json")
    assert out.returncode == 0, out.stderr
    assert pg_count(pg_demo, "SELECT count(*) FROM heroes") == 869
    batch = pg_count(pg_demo, "SELECT max(change_id) FROM changes WHERE kind = 'import'")
    assert pg_count(pg_demo, f"SELECT count(*) FROM heroes WHERE created_change = {batch}") == 5
    assert pg_count(pg_demo, f"SELECT count(*) FROM import_files WHERE change_id = {batch}") == 1
    out = cli("undo", batch, "--db", pg_demo, "--user", "录入员")
    assert out.returncode == 0, out.stderr
    assert pg_count(pg_demo, "SELECT count(*) FROM heroes") == 864
    hist = cli("history", "--db", pg_demo, "--json")
    assert hist.returncode == 0 and json.loads(hist.stdout)


def test_snapshot_moves_between_the_modes(pg_demo, demo_db, tmp_path):
    import json
    out = cli("backup", "--to", tmp_path / "b", "--db", pg_demo)
    assert out.returncode == 0, out.stderr
    snap = next((tmp_path / "b").glob("yiyong-backup-*.zip"))
    restored = tmp_path / "r.duckdb"
    assert cli("restore", snap, "--db", restored).returncode == 0
    # and a file's snapshot into PostgreSQL
    out = cli("backup", "--to", tmp_path / "f", "--db", demo_db)
    assert out.returncode == 0, out.stderr
    fsnap = next((tmp_path / "f").glob("yiyong-backup-*.zip"))
    con = store.connect(pg_demo)
    with store.transaction(con) as cur:
        cid = store.begin_change(cur, "edit", "test", "删除")
        changes.delete_row(cur, cid, "test", "heroes", 3)
    con.close()
    assert pg_count(pg_demo, "SELECT count(*) FROM heroes") == 863
    out = cli("restore", fsnap, "--db", pg_demo)
    assert out.returncode == 0, out.stderr and "yiyong-test-pw" not in out.stdout
    assert pg_count(pg_demo, "SELECT count(*) FROM heroes") == 864
    for as_of in ("2018-12-31", "2024-07-31", "2026-10-31"):
        a = json.loads(cli("stats", "--as-of", as_of, "--json", "--db", restored).stdout)
        b = json.loads(cli("stats", "--as-of", as_of, "--json", "--db", pg_demo).stdout)
        assert a == b


def test_concurrent_logins_do_not_refuse_each_other_but_same_row_does(pg_demo):
    first, second = store.connect(pg_demo), store.connect(pg_demo)
    try:
        with pytest.raises(accounts.AccountError):
            accounts.authenticate(first, "admin", "wrong-password-1")
        # the second copy is now one version behind; a failed login of another name touches other rows
        with pytest.raises(accounts.AccountError):
            accounts.authenticate(second, "editor", "wrong-password-2")
        assert pg_count(pg_demo, "SELECT count(*) FROM login_attempts") == 2
        # the same row (admin's failure counter) from the stale copy: refused, nothing written
        with pytest.raises(store.StoreError, match="已被其他用户或程序修改"):
            with store.transaction(second) as cur:
                cur.execute("INSERT INTO login_attempts VALUES ('admin', 99, TIMESTAMP '2026-11-29 10:00:00', NULL)")
        assert pg_count(pg_demo, "SELECT failures FROM login_attempts WHERE username = 'admin'") == 1
        assert pg_count(pg_demo, "SELECT count(*) FROM login_events") == 2    # both logins logged, distinct ids
    finally:
        first.close()
        second.close()


def test_app_write_overtaken_by_another_user_says_reload(pg_demo):
    """The app's write connection (ui/db.py) in server mode: a correction planned on a copy that another
    process's commit overtook is refused with the reload sentence, on the page; nothing is written."""
    from analytics import corrections
    from tests.pages.apptest_util import app
    at = app(pg_demo, "pages/registry.py")
    assert not at.exception
    from ui import db as uidb
    app_con = uidb.connection()
    other = store.connect(pg_demo)
    try:
        corrections.correct_person(other, 5, {"note": "别人先改"}, actor="乙", role="editor")
    finally:
        other.close()
    with pytest.raises(store.StoreError, match="请刷新页面"):       # outside a script run: raised
        corrections.correct_person(app_con, 5, {"note": "我后改"}, actor="甲", role="editor")
    assert pg_count(pg_demo, "SELECT note FROM heroes WHERE hero_id = 5") == "别人先改"
