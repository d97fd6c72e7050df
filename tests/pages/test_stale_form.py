"""英模档案 under AppTest: a correction form left open while someone else saves the same person is refused with a
sentence asking to reload; the database keeps the other editor's value and the form keeps what the user typed.
tests/pages/test_pg_suite_stale_form.py runs the same test in server mode."""
from __future__ import annotations

from analytics import corrections, registry, store
from tests.pages.apptest_util import app

PAGE = "pages/registry.py"
HERO = 20
STALE = "该人员档案已被他人修改，请刷新页面后重新填写。"


def _row(db, sql, params):
    con = store.connect(db)
    try:
        return con.execute(sql, params).fetchone()
    finally:
        con.close()


def _someone_else_saves(db, hero_id, edits):
    con = store.connect(db)
    try:
        shown = registry.person_file(con, hero_id, role="editor")["person"]["version"]
        corrections.correct_person(con, hero_id, edits, actor="李四", role="editor", version=shown)
    finally:
        con.close()


def _save(at):
    next(b for b in at.button if b.label == "保存更正").click().run()
    assert not at.exception, at.exception


def test_a_stale_form_is_refused_and_keeps_the_input(demo_db):
    hid = _row(demo_db, "SELECT hero_id FROM heroes ORDER BY hero_id LIMIT 1 OFFSET ?", [HERO])[0]
    at = app(demo_db, PAGE, role="editor", session={"reg_open": hid})
    assert not at.exception, at.exception
    at.text_input(key=f"pf_employer_{hid}").input("聊城一中")
    at.text_input(key=f"pf_reason_{hid}").input("本人来电")
    _someone_else_saves(demo_db, hid, {"phone": "13900007777"})

    _save(at)
    assert [e.value for e in at.error] == [STALE]
    assert not at.success
    assert _row(demo_db, "SELECT phone, employer FROM heroes WHERE hero_id = ?", [hid])[0] == "13900007777"
    assert _row(demo_db, "SELECT count(*) FROM changes WHERE actor = 'test-editor'", [])[0] == 0
    assert at.text_input(key=f"pf_employer_{hid}").value == "聊城一中"      # the user's input stays
    assert at.text_input(key=f"pf_reason_{hid}").value == "本人来电"

    _save(at)                                   # saving again changes nothing: the form still shows the old record
    assert [e.value for e in at.error] == [STALE]
    assert _row(demo_db, "SELECT count(*) FROM changes WHERE actor = 'test-editor'", [])[0] == 0

    at.button(key=f"pf_reload_{hid}").click().run()
    assert not at.exception, at.exception
    assert at.text_input(key=f"pf_phone_{hid}").value == "13900007777"   # the record as stored now
    at.text_input(key=f"pf_employer_{hid}").input("聊城一中")
    _save(at)
    assert any("已更正" in s.value and "工作单位" in s.value for s in at.success), [e.value for e in at.error]
    assert _row(demo_db, "SELECT phone, employer FROM heroes WHERE hero_id = ?", [hid]) == ("13900007777", "聊城一中")


def test_an_unchanged_record_saves_and_the_next_edit_too(demo_db):
    hid = _row(demo_db, "SELECT hero_id FROM heroes ORDER BY hero_id LIMIT 1 OFFSET ?", [HERO])[0]
    at = app(demo_db, PAGE, role="editor", session={"reg_open": hid})
    at.text_input(key=f"pf_employer_{hid}").input("聊城一中")
    _save(at)
    assert any("工作单位" in s.value for s in at.success), [e.value for e in at.error]
    at.text_input(key=f"pf_phone_{hid}").input("13900008888")  # the form now stands for the saved record
    _save(at)
    assert not at.error, [e.value for e in at.error]
    assert _row(demo_db, "SELECT phone, employer FROM heroes WHERE hero_id = ?", [hid]) == ("13900008888", "聊城一中")
