"""The app's daily backup (analytics/backup_schedule.py) and its section on the 备份与恢复 page."""
from __future__ import annotations

import datetime as dt
import json
import time

import pytest

from analytics import backup, backup_schedule, store


def conf_for(db, tmp_path, **env):
    return backup_schedule.settings(db, {"YIYONG_BACKUP_DIR": str(tmp_path / "auto"), **env})


def test_settings_defaults_and_bad_values(tmp_path):
    db = tmp_path / "x.duckdb"
    c = backup_schedule.settings(db, {})
    assert (c.at, c.directory, c.keep, c.problem) == (dt.time(2, 0), tmp_path / "backups", 30, None)
    c = backup_schedule.settings(db, {"YIYONG_BACKUP_TIME": "23:15", "YIYONG_BACKUP_KEEP": "7",
                                      "YIYONG_BACKUP_DIR": "/srv/b"})
    assert (c.at, str(c.directory), c.keep) == (dt.time(23, 15), "/srv/b", 7)
    assert backup_schedule.settings(db, {"YIYONG_BACKUP_TIME": "off"}).at is None
    c = backup_schedule.settings(db, {"YIYONG_BACKUP_TIME": "25:99", "YIYONG_BACKUP_KEEP": "-1"})
    assert (c.at, c.keep) == (dt.time(2, 0), 30)
    assert "格式不正确" in c.problem and "不是正整数" in c.problem


def test_next_run():
    at = dt.time(2, 0)
    assert backup_schedule.next_run(dt.datetime(2026, 11, 29, 1, 59), at) == dt.datetime(2026, 11, 29, 2, 0)
    assert backup_schedule.next_run(dt.datetime(2026, 11, 29, 2, 0), at) == dt.datetime(2026, 11, 30, 2, 0)
    assert backup_schedule.next_run(dt.datetime(2026, 12, 31, 23, 0), at) == dt.datetime(2027, 1, 1, 2, 0)


def test_run_once_writes_snapshot_and_status_and_keeps_n(demo_db, tmp_path):
    conf = conf_for(demo_db, tmp_path, YIYONG_BACKUP_KEEP="2")
    con = store.connect(demo_db)
    try:
        days = [dt.datetime(2026, 11, d, 2, 0) for d in (26, 27, 28)]
        for i, day in enumerate(days):
            status = backup_schedule.run_once(con, conf, day)
            assert status["ok"], status
            if i < 2:
                # a second process waking up for the same slot does nothing
                assert backup_schedule.run_once(con, conf, day) is None
    finally:
        con.close()
    kept = backup_schedule.snapshots(conf)
    assert len(kept) == 2
    last = backup_schedule.read_status(conf)
    assert last["file"] == kept[0]["name"] and last["size_bytes"] == kept[0]["size_bytes"]
    assert last["slot"] == "2026-11-28T02:00:00" and len(last["deleted"]) == 1
    assert backup.verify(conf.directory / last["file"])["tables"]["heroes"] == 864


def test_failure_is_recorded_with_reason(demo_db, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    conf = backup_schedule.settings(demo_db, {"YIYONG_BACKUP_DIR": str(blocker / "sub")})
    status = backup_schedule.run_once(store.connect(demo_db), conf, dt.datetime(2026, 11, 29, 2, 0))
    assert status["ok"] is False and "无法创建或写入备份目录" in status["error"]


def test_page_shows_last_run_and_failure_in_red(demo_db, tmp_path, monkeypatch):
    from tests.pages.apptest_util import app
    monkeypatch.setenv("YIYONG_BACKUP_DIR", str(tmp_path / "auto"))
    monkeypatch.setenv("YIYONG_BACKUP_TIME", "03:30")
    conf = backup_schedule.settings(demo_db)
    con = store.connect(demo_db)
    status = backup_schedule.run_once(con, conf, dt.datetime(2026, 11, 28, 3, 30))
    con.close()
    at = app(demo_db, "pages/backup.py")
    assert not at.exception
    assert any("每天 03:30 自动备份" in m.value for m in at.markdown)
    assert any(status["file"] in s.value and "最近一次定时备份" in s.value for s in at.success)
    (conf.directory / backup_schedule.STATUS_FILE).write_text(json.dumps(
        {"ok": False, "started_at": "2026-11-29T03:30:00", "error": "无法写入备份目录（磁盘已满或没有写权限）。"},
        ensure_ascii=False), encoding="utf-8")
    at = app(demo_db, "pages/backup.py")
    assert any("最近一次定时备份失败（2026-11-29 03:30:00）：无法写入备份目录" in e.value for e in at.error)
    assert any(status["file"] in str(df.value.iloc[0, 0]) for df in at.dataframe)


def test_snapshots_in_one_second_are_listed_newest_first(tmp_path):
    """Several snapshots within one second get -2, -3 … -10: the list follows that order, not the text order."""
    conf = conf_for(tmp_path / "x.duckdb", tmp_path)
    conf.directory.mkdir()
    for name in ("yiyong-backup-20261128-020000.zip", "yiyong-backup-20261129-020000.zip",
                 "yiyong-backup-20261129-020000-2.zip", "yiyong-backup-20261129-020000-10.zip"):
        (conf.directory / name).write_bytes(b"x")
    assert [s["name"] for s in backup_schedule.snapshots(conf)] == [
        "yiyong-backup-20261129-020000-10.zip", "yiyong-backup-20261129-020000-2.zip",
        "yiyong-backup-20261129-020000.zip", "yiyong-backup-20261128-020000.zip"]


def test_seconds_in_the_time_of_day_are_accepted(tmp_path):
    assert conf_for(tmp_path / "x.duckdb", tmp_path, YIYONG_BACKUP_TIME="23:59:30").at == dt.time(23, 59, 30)


@pytest.mark.parametrize("backend", ["file", "postgresql"])
def test_a_server_never_visited_writes_its_snapshot(backend, demo_db, tmp_path, request):
    """The job starts with the server (app.py's lifespan, ui/lifespan.py), not with the first page run: a
    `streamlit run app.py` that no browser has opened writes its snapshot at the time set."""
    from tests.browser.conftest import free_port, start_server, stop_server
    db = demo_db
    if backend == "postgresql":
        from tests import pg_suites
        db = pg_suites.new_demo_database(request.getfixturevalue("pg_cluster"),
                                         request.getfixturevalue("demo_db_readonly"))
    folder = tmp_path / "auto"
    at = (dt.datetime.now() + dt.timedelta(seconds=12)).strftime("%H:%M:%S")
    proc = start_server(demo_db, free_port(), {"YIYONG_DB": str(db), "YIYONG_BACKUP_TIME": at,
                                               "YIYONG_BACKUP_DIR": str(folder), "YIYONG_BACKUP_KEEP": "3"})
    try:
        status_file = folder / backup_schedule.STATUS_FILE
        deadline = time.time() + 90
        while not status_file.exists() and time.time() < deadline and proc.poll() is None:
            time.sleep(0.5)
        status = json.loads(status_file.read_text(encoding="utf-8"))
    finally:
        stop_server(proc)
    assert status["ok"] is True, status
    (snap,) = folder.glob("yiyong-backup-*.zip")
    assert status["file"] == snap.name
    assert backup.verify(snap)["tables"]["heroes"] == 864
    assert status["started_at"] >= dt.date.today().isoformat()[:8]
