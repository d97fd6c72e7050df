"""Write paths of the registry: each one transaction, each field in the audit log, undoable, role-checked;
bad input is refused in Chinese with the database untouched."""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from analytics import corrections as c
from analytics import identity, store
from analytics.corrections import CorrectionError


@pytest.fixture
def con(demo_db):
    cn = store.connect(demo_db)
    yield cn
    cn.close()


def _snapshot(con):
    tables = ["heroes", "deeds", "deed_heroes", "recognitions", "assistance", "workstations", "studios", "changes",
              "audit_log"]
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables} | {
        "hero5": con.execute("SELECT * FROM heroes WHERE hero_id = 5").fetchone()}


def _audit(con, change_id):
    return con.execute("SELECT actor, action, table_name, record_id, hero_id, before_json, after_json "
                       "FROM audit_log WHERE change_id = ? ORDER BY audit_id", [change_id]).fetchall()


def test_correct_person_field_audit_and_undo(con):
    before = con.execute("SELECT status, phone FROM heroes WHERE hero_id = 5").fetchone()
    r = c.correct_person(con, 5, {"status": "伤残", "phone": "１３９００００１１１１"}, actor="张科长", role="editor",
                         reason="走访核实")
    assert r.diff == {"status": (before[0], "致残"), "phone": (before[1], "13900001111")}
    assert con.execute("SELECT status, phone FROM heroes WHERE hero_id = 5").fetchone() == ("致残", "13900001111")
    (actor, action, table, rid, hid, b, a), = _audit(con, r.change_id)
    assert (actor, action, table, rid, hid) == ("张科长", "update", "heroes", 5, 5)
    assert json.loads(b) == {"status": before[0], "phone": before[1]}
    assert json.loads(a) == {"status": "致残", "phone": "13900001111"}
    kind, who, summary = con.execute("SELECT kind, actor, summary FROM changes WHERE change_id = ?",
                                     [r.change_id]).fetchone()
    assert (kind, who) == ("edit", "张科长") and "走访核实" in summary and "人员状态" in summary
    c.undo(con, r.change_id, actor="张科长", role="editor")
    assert con.execute("SELECT status, phone FROM heroes WHERE hero_id = 5").fetchone() == before


def test_correct_id_number_keeps_identity_key(con):
    name, birth, county = con.execute("SELECT name, birth_date, county FROM heroes WHERE hero_id = 5").fetchone()
    new_id = "37150219721203" + "001"
    from stdnum.cn import ric
    new_id = new_id + ric.calc_check_digit(new_id + "0")
    r = c.correct_person(con, 5, {"id_number": new_id.lower()}, actor="t", role="admin")
    key = con.execute("SELECT identity_key FROM heroes WHERE hero_id = 5").fetchone()[0]
    assert key == identity.identity_key(new_id, name, birth, county)
    assert set(r.diff) == {"id_number", "identity_key"}
    c.undo(con, r.change_id, actor="t", role="admin")
    key = con.execute("SELECT identity_key, id_number FROM heroes WHERE hero_id = 5").fetchone()
    assert key[0] == f"ID:{key[1]}"


def test_correct_to_an_existing_persons_id_is_refused(con):
    other = con.execute("SELECT id_number FROM heroes WHERE hero_id = 6").fetchone()[0]
    snap = _snapshot(con)
    with pytest.raises(CorrectionError, match="同一人"):
        c.correct_person(con, 5, {"id_number": other}, actor="t", role="admin")
    assert _snapshot(con) == snap


@pytest.mark.parametrize("edits, message", [
    ({"id_number": "371502197212039390"}, "校验位错误"),
    ({"id_number": 3.71502197212039e17}, "数字"),
    ({"county": "济南市"}, "不是聊城市的县市区"),
    ({"name": "  "}, "姓名不能为空"),
    ({"birth_date": "2024-02-30"}, "日期"),
    ({"status": "很好"}, "人员状态"),
    ({"registered_on": ""}, "登记日期不能为空"),
    ({"identity_key": "x"}, "不能在此更正"),
])
def test_bad_person_input_is_refused_and_db_untouched(con, edits, message):
    snap = _snapshot(con)
    with pytest.raises(CorrectionError, match=message):
        c.correct_person(con, 5, edits, actor="t", role="editor")
    assert _snapshot(con) == snap


@pytest.mark.parametrize("role", ["viewer", None, "guest"])
def test_every_write_refuses_viewers(con, role):
    snap = _snapshot(con)
    calls = [
        lambda: c.correct_person(con, 5, {"status": "受伤"}, actor="t", role=role),
        lambda: c.add_recognition(con, 5, {"level": "市级", "recognized_on": "2024-01-01"}, actor="t", role=role),
        lambda: c.add_assistance(con, 5, {"assisted_on": "2024-01-01", "type": "就业"}, actor="t", role=role),
        lambda: c.add_deed(con, 5, {"deed_date": "2024-01-01", "deed_type": "救落水"}, actor="t", role=role),
        lambda: c.correct_deed(con, 5, 5, {"place": "x"}, actor="t", role=role),
        lambda: c.add_unit(con, "station", {"name": "x站", "county": "冠县"}, actor="t", role=role),
        lambda: c.update_unit(con, "station", 1, {"head": "x"}, actor="t", role=role),
        lambda: c.undo(con, 1, actor="t", role=role),
    ]
    for call in calls:
        with pytest.raises(CorrectionError, match="权限"):
            call()
    assert _snapshot(con) == snap


def test_add_recognition_audit_undo(con):
    r = c.add_recognition(con, 5, {"level": "省", "recognized_on": "2024年5月", "title": "山东省见义勇为模范",
                                   "form": "集中表扬", "award_yuan": "1.5万", "deed_id": 5}, actor="李干事",
                          role="editor")
    row = con.execute("SELECT hero_id, level, recognized_on, date_precision, title, form, award_yuan, deed_id, "
                      "created_change FROM recognitions WHERE recognition_id = ?", [r.record_id]).fetchone()
    assert row == (5, "省级", dt.date(2024, 5, 1), "month", "山东省见义勇为模范", "集中表扬", Decimal("15000.00"), 5,
                   r.change_id)
    (actor, action, table, rid, hid, b, a), = _audit(con, r.change_id)
    assert (actor, action, table, rid, hid, b) == ("李干事", "insert", "recognitions", r.record_id, 5, None)
    assert json.loads(a)["level"] == "省级"
    with pytest.raises(CorrectionError, match="重复"):
        c.add_recognition(con, 5, {"level": "省级", "recognized_on": "2024-05", "title": "山东省见义勇为模范"},
                          actor="李干事", role="editor")
    c.undo(con, r.change_id, actor="李干事", role="editor")
    assert con.execute("SELECT count(*) FROM recognitions WHERE recognition_id = ?", [r.record_id]).fetchone()[0] == 0


@pytest.mark.parametrize("fields, message", [
    ({"level": "乡级", "recognized_on": "2024-01-01"}, "表扬级别"),
    ({"level": "市级"}, "表扬时间：不能为空"),
    ({"level": "市级", "recognized_on": "2024-01-01", "award_yuan": "-5"}, "负数"),
    ({"level": "市级", "recognized_on": "2024-01-01", "deed_id": 1}, "不属于"),
])
def test_bad_recognition_refused(con, fields, message):
    snap = _snapshot(con)
    with pytest.raises(CorrectionError, match=message):
        c.add_recognition(con, 5, fields, actor="t", role="editor")
    assert _snapshot(con) == snap


def test_add_assistance_audit_undo(con):
    r = c.add_assistance(con, 5, {"assisted_on": "2024/5/1", "type": "困难救助", "amount_yuan": "2,000元",
                                  "provider": "东昌府见义勇为协会", "note": "=1+1"}, actor="王科员", role="admin")
    row = con.execute("SELECT hero_id, assisted_on, type, amount_yuan, provider, note FROM assistance "
                      "WHERE assistance_id = ?", [r.record_id]).fetchone()
    assert row == (5, dt.date(2024, 5, 1), "困难救助", Decimal("2000.00"), "东昌府见义勇为协会", "=1+1")
    (actor, action, table, rid, hid, b, a), = _audit(con, r.change_id)
    assert (actor, action, table, hid) == ("王科员", "insert", "assistance", 5)
    c.undo(con, r.change_id, actor="王科员", role="admin")
    assert con.execute("SELECT count(*) FROM assistance WHERE assistance_id = ?", [r.record_id]).fetchone()[0] == 0


@pytest.mark.parametrize("fields, message", [
    ({"type": "就业"}, "帮扶日期：不能为空"),
    ({"assisted_on": "2024-01-01", "type": "吃饭"}, "帮扶类型"),
    ({"assisted_on": "明天", "type": "就业"}, "日期无法识别"),
    ({"assisted_on": "2024-01-01", "type": "就业", "amount_yuan": "很多"}, "金额"),
])
def test_bad_assistance_refused(con, fields, message):
    snap = _snapshot(con)
    with pytest.raises(CorrectionError, match=message):
        c.add_assistance(con, 5, fields, actor="t", role="editor")
    assert _snapshot(con) == snap


def test_add_deed_outside_city_then_correct_step_and_undo(con):
    r = c.add_deed(con, 5, {"deed_date": "2024-05-01", "place": "河南省周口市河边", "outside_city": "是",
                            "deed_type": "救落水", "summary": "跳入河中救起落水儿童", "discovered_on": "2024-05-02",
                            "confirmed_on": "2024-06-01"}, actor="t", role="editor")
    row = con.execute("SELECT outside_city, county, deed_type, discovered_on, deed_key FROM deeds WHERE deed_id = ?",
                      [r.record_id]).fetchone()
    assert row[:4] == (True, None, "救落水", dt.date(2024, 5, 2)) and row[4]
    assert con.execute("SELECT count(*) FROM deed_heroes WHERE deed_id = ? AND hero_id = 5",
                       [r.record_id]).fetchone()[0] == 1
    audit = _audit(con, r.change_id)
    assert [(x[1], x[2], x[4]) for x in audit] == [("insert", "deeds", 5), ("insert", "deed_heroes", 5)]
    with pytest.raises(CorrectionError, match="重复"):
        c.add_deed(con, 5, {"deed_date": "2024-05-01", "place": "河南省周口市河边", "outside_city": "是",
                            "deed_type": "救落水"}, actor="t", role="editor")
    r2 = c.correct_deed(con, 5, r.record_id, {"investigated_on": "2024-05-10"}, actor="t", role="editor")
    assert r2.diff == {"investigated_on": (None, dt.date(2024, 5, 10))}
    (actor, action, table, rid, hid, b, a), = _audit(con, r2.change_id)
    assert (action, table, rid, hid) == ("update", "deeds", r.record_id, 5)
    with pytest.raises(CorrectionError, match="较晚的操作"):
        c.undo(con, r.change_id, actor="t", role="editor")
    c.undo(con, r2.change_id, actor="t", role="editor")
    c.undo(con, r.change_id, actor="t", role="editor")
    assert con.execute("SELECT count(*) FROM deeds WHERE deed_id = ?", [r.record_id]).fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM deed_heroes WHERE deed_id = ?", [r.record_id]).fetchone()[0] == 0


@pytest.mark.parametrize("fields, message", [
    ({"deed_type": "救落水"}, "事迹时间：不能为空"),
    ({"deed_date": "2024-05-01", "deed_type": " "}, "事迹类型：不能为空"),
    ({"deed_date": "2024-05-01", "deed_type": "救落水", "discovered_on": "2024-04-01"}, "早于事迹时间"),
    ({"deed_date": "2024-05-01", "deed_type": "救落水", "county": "北京"}, "不是聊城市"),
    ({"deed_date": "2024-05-01", "deed_type": "救落水", "outside_city": "也许"}, "是或否"),
])
def test_bad_deed_refused(con, fields, message):
    snap = _snapshot(con)
    with pytest.raises(CorrectionError, match=message):
        c.add_deed(con, 5, fields, actor="t", role="editor")
    assert _snapshot(con) == snap


def test_workstation_add_edit_five_has_and_undo(con):
    r = c.add_unit(con, "station", {"name": "测试见义勇为工作站", "county": "冠县", "town": "烟庄",
                                    "established_on": "2024-03-01", "head": "赵站长", "has_sign": "是",
                                    "has_staff": "否", "has_duties": "✓"}, actor="t", role="editor")
    row = con.execute("SELECT county, town, established_on, head, has_sign, has_staff, has_duties, has_archive "
                      "FROM workstations WHERE station_id = ?", [r.record_id]).fetchone()
    assert row == ("冠县", "烟庄街道", dt.date(2024, 3, 1), "赵站长", True, False, True, None)
    assert [(x[1], x[2]) for x in _audit(con, r.change_id)] == [("insert", "workstations")]
    r2 = c.update_unit(con, "station", r.record_id, {"has_staff": "是", "head": "钱站长"}, actor="t", role="editor")
    assert r2.diff == {"has_staff": (False, True), "head": ("赵站长", "钱站长")}
    (actor, action, table, rid, hid, b, a), = _audit(con, r2.change_id)
    assert (action, table, rid) == ("update", "workstations", r.record_id)
    assert json.loads(b) == {"has_staff": False, "head": "赵站长"}
    c.undo(con, r2.change_id, actor="t", role="editor")
    assert con.execute("SELECT head, has_staff FROM workstations WHERE station_id = ?",
                       [r.record_id]).fetchone() == ("赵站长", False)
    with pytest.raises(CorrectionError, match="已有名为"):
        c.add_unit(con, "station", {"name": "测试见义勇为工作站", "county": "冠县"}, actor="t", role="editor")


def test_studio_named_after_hero(con):
    r = c.add_unit(con, "studio", {"name": "见义勇为测试工作室", "county": "东昌府", "hero_id": 5,
                                   "established_on": "2025-01-01", "head": "某某"}, actor="t", role="admin")
    name = con.execute("SELECT name FROM heroes WHERE hero_id = 5").fetchone()[0]
    row = con.execute("SELECT county, hero_id, hero_name FROM studios WHERE studio_id = ?", [r.record_id]).fetchone()
    assert row == ("东昌府区", 5, name)
    (_, action, table, _, hid, _, _), = _audit(con, r.change_id)
    assert (action, table, hid) == ("insert", "studios", 5)
    r2 = c.update_unit(con, "studio", r.record_id, {"established_on": "2025-02-01"}, actor="t", role="admin")
    assert r2.diff == {"established_on": (dt.date(2025, 1, 1), dt.date(2025, 2, 1))}
    with pytest.raises(CorrectionError, match="找不到档案编号"):
        c.update_unit(con, "studio", r.record_id, {"hero_id": 10**8}, actor="t", role="admin")


@pytest.mark.parametrize("fields, message", [
    ({"county": "冠县"}, "名称：不能为空"),
    ({"name": "x", "county": "外地"}, "不是聊城市"),
    ({"name": "x", "county": "冠县", "has_sign": "大概"}, "有标识标牌"),
    ({"name": "x", "county": "冠县", "established_on": "去年"}, "成立日期"),
])
def test_bad_unit_refused(con, fields, message):
    snap = _snapshot(con)
    with pytest.raises(CorrectionError, match=message):
        c.add_unit(con, "station", fields, actor="t", role="editor")
    assert _snapshot(con) == snap


def test_no_change_writes_nothing(con):
    status = con.execute("SELECT status FROM heroes WHERE hero_id = 5").fetchone()[0]
    snap = _snapshot(con)
    r = c.correct_person(con, 5, {"status": status}, actor="t", role="editor")
    assert r.change_id is None and _snapshot(con) == snap


def test_undo_refusals_are_chinese(con):
    with pytest.raises(CorrectionError, match="找不到编号"):
        c.undo(con, 10**6, actor="t", role="editor")


STALE = "该人员档案已被他人修改，请刷新页面后重新填写。"


def test_a_form_left_open_while_someone_else_saves_is_refused(con):
    from analytics import registry
    shown = registry.person_file(con, 5, role="editor")["person"]["version"]
    other = c.correct_person(con, 5, {"phone": "13900002222"}, actor="李四", role="editor", version=shown)
    assert other.change_id is not None
    snap = _snapshot(con)
    with pytest.raises(CorrectionError) as refused:
        c.correct_person(con, 5, {"occupation": "教师", "phone": "13900001111"}, actor="张三", role="editor",
                         version=shown)
    assert refused.value.message == STALE
    assert _snapshot(con) == snap
    assert con.execute("SELECT phone FROM heroes WHERE hero_id = 5").fetchone()[0] == "13900002222"
    fresh = registry.person_file(con, 5, role="editor")["person"]["version"]
    assert fresh != shown
    mine = c.correct_person(con, 5, {"occupation": "教师"}, actor="张三", role="editor", version=fresh)
    assert mine.diff["occupation"][1] == "教师"
    assert con.execute("SELECT phone, occupation FROM heroes WHERE hero_id = 5").fetchone() == ("13900002222", "教师")


def test_a_change_to_another_person_or_a_deed_leaves_the_form_valid(con):
    from analytics import registry
    shown = registry.person_file(con, 5, role="editor")["person"]["version"]
    c.correct_person(con, 6, {"phone": "13900003333"}, actor="李四", role="editor")
    c.add_assistance(con, 5, {"assisted_on": "2024-05-01", "type": "抚恤", "amount_yuan": "1000"}, actor="李四",
                     role="editor")
    r = c.correct_person(con, 5, {"phone": "13900004444"}, actor="张三", role="editor", version=shown)
    assert r.change_id is not None


def test_viewers_get_no_version(con):
    from analytics import registry
    assert "version" not in registry.person_file(con, 5, role="viewer")["person"]


def test_two_editors_on_two_connections_the_second_is_told_to_reload(con, demo_db):
    """Two sessions (or two app processes in server mode) each with a connection of their own."""
    from analytics import registry
    shown = registry.person_file(con, 7, role="editor")["person"]["version"]
    other = store.connect(demo_db)
    try:
        theirs = registry.person_file(other, 7, role="editor")["person"]["version"]
        assert theirs == shown
        c.correct_person(other, 7, {"phone": "13900005555"}, actor="李四", role="editor", version=theirs)
    finally:
        other.close()
    # Embedded, the second editor's connection reads the saved record and corrections refuses it; in server mode
    # its copy may not have caught up yet, and PostgreSQL refuses the commit (analytics/server.py) -- either way
    # one sentence asking to reload, and nothing written.
    with pytest.raises((CorrectionError, store.StoreError)) as refused:
        c.correct_person(con, 7, {"phone": "13900006666"}, actor="张三", role="editor", version=shown)
    from analytics import server
    assert str(refused.value) == (server.CONFLICT if store.is_server(demo_db) else STALE)
    check = store.connect(demo_db)
    try:
        assert check.execute("SELECT phone FROM heroes WHERE hero_id = 7").fetchone()[0] == "13900005555"
        assert check.execute("SELECT count(*) FROM changes WHERE actor = '张三'").fetchone()[0] == 0
    finally:
        check.close()
