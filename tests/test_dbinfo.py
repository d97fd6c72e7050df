"""备份与恢复 › 当前数据库 (analytics/dbinfo.py): location with the password hidden, size, schema version, last
import, last backup, demo or not; administrators only."""
from __future__ import annotations

import datetime as dt
import os

from analytics import dbinfo, store
from tests.pages.apptest_util import app


def test_server_password_is_hidden():
    assert dbinfo.redact("postgresql://yiyong:s3cret@db.local:5432/yiyong") == \
        "postgresql://yiyong:***@db.local:5432/yiyong"
    assert dbinfo.redact("postgresql://db.local/yiyong") == "postgresql://db.local/yiyong"
    assert dbinfo.redact("/srv/yiyong/data/yiyong.duckdb") == "/srv/yiyong/data/yiyong.duckdb"


def test_size_text():
    assert [dbinfo.size_text(n) for n in (None, 100, 7_654_321, 3 * 1024 ** 3)] == ["—", "1 KB", "7.3 MB", "3.00 GB"]


def test_describe_demo_and_empty(demo_db, tmp_db, tmp_path):
    con = store.connect(demo_db, read_only=True)
    try:
        info = dbinfo.describe(con, str(demo_db))
    finally:
        con.close()
    assert info.demo and info.last_import is None and info.last_backup is None
    assert info.schema_version == store.LATEST_VERSION and info.size_bytes == demo_db.stat().st_size
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "yiyong-backup-20260301-020000.zip").write_bytes(b"x")
    os.utime(folder / "yiyong-backup-20260301-020000.zip", (1772330400, 1772330400))
    con = store.connect(tmp_db, read_only=True)
    try:
        info = dbinfo.describe(con, str(tmp_db))
    finally:
        con.close()
    assert not info.demo
    assert info.last_backup == dt.datetime.fromtimestamp(1772330400)


def test_backup_page_shows_the_database_to_admins_only(demo_db):
    at = app(demo_db, "pages/backup.py")
    assert not at.exception
    assert "当前数据库" in [s.value for s in at.subheader]
    table = at.dataframe[0].value
    assert dict(zip(table["项目"], table["内容"]))["位置"] == str(demo_db.resolve())
    assert dict(zip(table["项目"], table["内容"]))["类型"] == "演示数据库（数据为虚构）"
    for role in ("viewer", "editor"):
        at = app(demo_db, "pages/backup.py", role=role)
        assert "当前数据库" not in [s.value for s in at.subheader] and not at.dataframe
