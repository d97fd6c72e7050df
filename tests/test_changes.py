"""Recorded writes: every change set can be listed and undone; undo refuses when later changes depend on it."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analytics import changes, store
from analytics.metrics.figures import key_figures


def _add_hero(con, name="测试人", county="冠县"):
    with store.transaction(con) as cur:
        cid = store.begin_change(cur, "edit", "tester", f"新增 {name}")
        hid = changes.insert_row(cur, cid, "tester", "heroes", {
            "identity_key": f"NBC:{name}", "name": name, "county": county, "registered_on": dt.date(2024, 1, 5),
            "status": "健在"})
    return cid, hid


def test_insert_update_delete_and_undo(tmp_db):
    con = store.connect(tmp_db)
    try:
        c1, hid = _add_hero(con)
        assert key_figures(con, dt.date(2024, 2, 1))["registered"] == 1
        with store.transaction(con) as cur:
            c2 = store.begin_change(cur, "edit", "tester", "更正状态")
            diff = changes.update_row(cur, c2, "tester", "heroes", hid, {"status": "受伤", "name": "测试人"})
        assert diff == {"status": ("健在", "受伤")}
        audit = con.execute("SELECT action, before_json, after_json, hero_id FROM audit_log WHERE change_id = ?",
                            [c2]).fetchall()
        assert audit == [("update", '{"status": "健在"}', '{"status": "受伤"}', hid)]
        with pytest.raises(changes.UndoError, match="较晚的操作"):
            changes.undo_change(con, c1, "tester")  # c2 touched the same person
        changes.undo_change(con, c2, "tester")
        assert con.execute("SELECT status FROM heroes WHERE hero_id = ?", [hid]).fetchone()[0] == "健在"
        with pytest.raises(changes.UndoError, match="已于"):
            changes.undo_change(con, c2, "tester")
        changes.undo_change(con, c1, "tester")
        assert key_figures(con, dt.date(2024, 2, 1))["registered"] == 0
        hist = changes.history(con)
        assert list(hist["kind"]) == ["undo", "undo", "edit", "edit"]
    finally:
        con.close()


def test_delete_is_undone(tmp_db):
    con = store.connect(tmp_db)
    try:
        _, hid = _add_hero(con, "删除测试")
        with store.transaction(con) as cur:
            c = store.begin_change(cur, "edit", "tester", "删除")
            changes.delete_row(cur, c, "tester", "heroes", hid)
        assert con.execute("SELECT count(*) FROM heroes").fetchone()[0] == 0
        changes.undo_change(con, c, "tester")
        row = con.execute("SELECT name, county, registered_on FROM heroes WHERE hero_id = ?", [hid]).fetchone()
        assert row == ("删除测试", "冠县", dt.date(2024, 1, 5))
    finally:
        con.close()


def test_bulk_update_is_recorded_and_undone(tmp_db):
    con = store.connect(tmp_db)
    try:
        ids = [_add_hero(con, f"人{i}")[1] for i in range(3)]
        with store.transaction(con) as cur:
            c = store.begin_change(cur, "import", "tester", "批量更新")
            changes.update_df(cur, c, "tester", "heroes",
                              pd.DataFrame({"hero_id": ids, "phone": ["13800000000"] * 3}))
        assert con.execute("SELECT count(*) FROM heroes WHERE phone = '13800000000'").fetchone()[0] == 3
        assert con.execute("SELECT count(*) FROM audit_log WHERE change_id = ?", [c]).fetchone()[0] == 3
        changes.undo_change(con, c, "tester")
        assert con.execute("SELECT count(*) FROM heroes WHERE phone IS NULL").fetchone()[0] == 3
    finally:
        con.close()


def test_failed_transaction_leaves_nothing(tmp_db):
    con = store.connect(tmp_db)
    try:
        with pytest.raises(RuntimeError):
            with store.transaction(con) as cur:
                cid = store.begin_change(cur, "edit", "tester", "会失败")
                changes.insert_row(cur, cid, "tester", "heroes", {"identity_key": "x", "name": "x", "county": "冠县"})
                raise RuntimeError("boom")
        assert con.execute("SELECT count(*) FROM heroes").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM changes").fetchone()[0] == 0
    finally:
        con.close()


def test_unknown_change(tmp_db):
    con = store.connect(tmp_db)
    try:
        with pytest.raises(changes.UndoError, match="找不到"):
            changes.undo_change(con, 12345, "tester")
    finally:
        con.close()
