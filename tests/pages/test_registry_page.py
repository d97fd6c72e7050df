"""英模档案 page under AppTest: search, open a file, correct a field, undo it; viewers see masked data and no forms."""
from __future__ import annotations

import json

import pytest

from analytics import store
from tests.pages.apptest_util import app

PAGE = "pages/registry.py"


def _hero(db, offset=20):
    con = store.connect(db)
    try:
        return con.execute("SELECT hero_id, name, county, id_number, phone, status FROM heroes ORDER BY hero_id "
                           "LIMIT 1 OFFSET ?", [offset]).fetchone()
    finally:
        con.close()


def _markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def _open(at, name, hero_id):
    at.text_input(key="reg_name").input(name).run()
    label = next(o for o in at.selectbox(key="reg_pick").options if o.endswith(f"档案编号 {hero_id}"))
    at.selectbox(key="reg_pick").set_value(label).run()
    assert not at.exception, at.exception
    return at


def test_search_and_open_a_file_as_editor(demo_db):
    hid, name, county, idn, phone, _ = _hero(demo_db)
    at = app(demo_db, PAGE, role="editor")
    assert not at.exception, at.exception
    assert "共找到 **" in _markdown(at)
    at.text_input(key="reg_tail").input(idn[-4:]).run()
    at.selectbox(key="reg_county").set_value(county).run()
    df = at.dataframe[0].value
    assert hid in set(df["档案编号"]) and set(df["县市区"]) == {county}
    assert idn in set(df["身份证号"])  # editors see full values
    _open(at, name, hid)
    assert at.subheader[0].value == f"{name}（档案编号 {hid}）"
    assert f"**身份证号**：{idn}" in _markdown(at)
    tabs = [t.label for t in at.tabs]
    assert tabs[0] == "基本信息" and tabs[-1] == "变更记录"
    assert "更正基本信息" in [e.label for e in at.expander]


def test_bad_search_input_shows_chinese_error(demo_db):
    at = app(demo_db, PAGE, role="viewer")
    at.text_input(key="reg_tail").input("12").run()
    assert not at.exception
    assert any("后四位" in e.value for e in at.error)


def test_viewer_sees_masked_values_and_no_forms(demo_db):
    hid, name, county, idn, phone, _ = _hero(demo_db)
    at = app(demo_db, PAGE, role="viewer")
    _open(at, name, hid)
    df = at.dataframe[0].value
    row = df[df["档案编号"] == hid].iloc[0]
    assert row["身份证号"] == idn[:6] + "********" + idn[-4:] and row["联系电话"] == phone[:3] + "****" + phone[-4:]
    text = _markdown(at)
    assert idn not in text and phone not in text
    labels = [e.label for e in at.expander]
    assert not any(lbl.startswith(("更正", "新增")) for lbl in labels)
    assert not [b for b in at.button if b.label in ("保存更正", "撤销")]


def test_correct_a_field_then_undo_it(demo_db):
    hid, name, county, idn, phone, status = _hero(demo_db)
    at = app(demo_db, PAGE, role="editor")
    _open(at, name, hid)
    at.text_input(key=f"pf_phone_{hid}").input("13811112222")
    at.text_input(key=f"pf_reason_{hid}").input("本人来电更正")
    next(b for b in at.button if b.label == "保存更正").click().run()
    assert not at.exception, at.exception
    assert any("已更正" in s.value and "联系电话" in s.value for s in at.success), [e.value for e in at.error]
    con = store.connect(demo_db)
    try:
        assert con.execute("SELECT phone FROM heroes WHERE hero_id = ?", [hid]).fetchone()[0] == "13811112222"
        change_id, actor, before, after = con.execute(
            "SELECT change_id, actor, before_json, after_json FROM audit_log WHERE hero_id = ? AND action = 'update'",
            [hid]).fetchone()
        assert actor == "test-editor"
        assert json.loads(before) == {"phone": phone} and json.loads(after) == {"phone": "13811112222"}
    finally:
        con.close()
    hist = at.dataframe[-1].value
    assert "联系电话" in set(hist["字段"]) and "13811112222" in set(hist["新值"])
    at.button(key=f"undo_btn_{hid}").click().run()
    assert not at.exception, at.exception
    assert any(f"已撤销操作 {change_id}" in s.value for s in at.success)
    con = store.connect(demo_db)
    try:
        assert con.execute("SELECT phone FROM heroes WHERE hero_id = ?", [hid]).fetchone()[0] == phone
        assert con.execute("SELECT undone_by FROM changes WHERE change_id = ?", [change_id]).fetchone()[0] == \
            "test-editor"
    finally:
        con.close()
    assert "已撤销" in set(at.dataframe[-1].value["状态"])


def test_bad_correction_is_refused_in_chinese_and_db_untouched(demo_db):
    hid, name, county, idn, phone, status = _hero(demo_db)
    at = app(demo_db, PAGE, role="editor")
    _open(at, name, hid)
    at.text_input(key=f"pf_id_number_{hid}").input(idn[:-1] + ("0" if idn[-1] != "0" else "1"))
    next(b for b in at.button if b.label == "保存更正").click().run()
    assert not at.exception
    assert any("校验位错误" in e.value for e in at.error)
    con = store.connect(demo_db)
    try:
        assert con.execute("SELECT id_number FROM heroes WHERE hero_id = ?", [hid]).fetchone()[0] == idn
        assert con.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 0
    finally:
        con.close()


def test_add_assistance_through_the_form(demo_db):
    hid, name, *_ = _hero(demo_db)
    at = app(demo_db, PAGE, role="editor")
    _open(at, name, hid)
    at.text_input(key=f"na_date_{hid}").input("2024年5月1日")
    at.selectbox(key=f"na_type_{hid}").set_value("困难救助")
    at.text_input(key=f"na_amount_{hid}").input("0.2万")
    next(b for b in at.button if b.label == "保存帮扶记录").click().run()
    assert not at.exception, at.exception
    assert any("已为" in s.value and "帮扶" in s.value for s in at.success), [e.value for e in at.error]
    con = store.connect(demo_db)
    try:
        row = con.execute("SELECT a.type, a.amount_yuan, l.actor FROM assistance a JOIN audit_log l "
                          "ON l.table_name = 'assistance' AND l.record_id = a.assistance_id WHERE a.hero_id = ? "
                          "AND l.action = 'insert'", [hid]).fetchone()
        assert row[0] == "困难救助" and float(row[1]) == 2000 and row[2] == "test-editor"
    finally:
        con.close()


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_open_by_url_parameter(demo_db, role):
    hid, name, *_ = _hero(demo_db, 3)
    at = app(demo_db, None, role=role)
    at.query_params["hero"] = str(hid)
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, at.exception
    assert at.subheader and at.subheader[0].value == f"{name}（档案编号 {hid}）"


def test_outside_city_page_lists_natives_and_opens_a_file(demo_db):
    at = app(demo_db, "pages/outside_city.py", as_of="2024-07-31", role="viewer")
    assert not at.exception, at.exception
    con = store.connect(demo_db)
    try:
        n = con.execute("SELECT count(DISTINCT dh.hero_id) FROM deeds d JOIN deed_heroes dh USING (deed_id) "
                        "JOIN heroes h USING (hero_id) WHERE d.outside_city AND h.registered_on <= DATE "
                        "'2024-07-31'").fetchone()[0]
    finally:
        con.close()
    assert {m.label: m.value for m in at.metric}["聊城义士"] == f"{n}人"
    df = at.dataframe[0].value
    assert df["事迹发生地"].notna().all() and "身份证号" not in df.columns
    hid = int(df.iloc[0]["档案编号"])
    at.selectbox(key="oc_pick").set_value(hid).run()
    at.button(key="oc_open").click().run()
    assert not at.exception, at.exception
    assert at.subheader and f"档案编号 {hid}" in at.subheader[0].value


def test_directories_add_and_edit_a_workstation(demo_db):
    at = app(demo_db, "pages/directories.py", role="editor")
    assert not at.exception, at.exception
    at.text_input(key="ns_name").input("测试见义勇为工作站")
    at.selectbox(key="ns_county").set_value("冠县")
    at.text_input(key="ns_town").input("烟庄")
    at.text_input(key="ns_est").input("2024年3月1日")
    at.checkbox(key="new_has_sign").check()
    next(b for b in at.button if b.label == "保存").click().run()
    assert not at.exception, at.exception
    assert any("已新增工作站" in s.value for s in at.success), [e.value for e in at.error]
    con = store.connect(demo_db)
    try:
        sid, town, sign, staff = con.execute("SELECT station_id, town, has_sign, has_staff FROM workstations "
                                             "WHERE name = '测试见义勇为工作站'").fetchone()
        assert (town, sign, staff) == ("烟庄街道", True, False)
        assert con.execute("SELECT actor, action FROM audit_log WHERE table_name = 'workstations' AND record_id = ?",
                           [sid]).fetchall() == [("test-editor", "insert")]
    finally:
        con.close()
    at.selectbox(key="edit_station").set_value(sid).run()
    at.text_input(key=f"es_head_{sid}").input("孙站长")
    next(b for b in at.button if b.label == "保存修改").click().run()
    assert not at.exception, at.exception
    con = store.connect(demo_db)
    try:
        assert con.execute("SELECT head FROM workstations WHERE station_id = ?", [sid]).fetchone()[0] == "孙站长"
        before, after = con.execute("SELECT before_json, after_json FROM audit_log WHERE table_name = 'workstations' "
                                    "AND record_id = ? AND action = 'update'", [sid]).fetchone()
        assert json.loads(before) == {"head": None} and json.loads(after) == {"head": "孙站长"}
    finally:
        con.close()


def test_directories_viewer_has_no_forms(demo_db):
    at = app(demo_db, "pages/directories.py", role="viewer", as_of="2024-07-31")
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["英模工作室"] == "20处"
    assert not [e for e in at.expander if e.label.startswith(("新增", "修改"))]


def test_town_resets_when_county_changes(demo_db):
    at = app(demo_db, PAGE, role="viewer")
    at.selectbox(key="reg_county").set_value("冠县").run()
    town = at.selectbox(key="reg_town").options[1]
    at.selectbox(key="reg_town").set_value(town).run()
    assert set(at.dataframe[0].value["镇街"]) == {town}
    at.selectbox(key="reg_county").set_value("莘县").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="reg_town").value == "全部"
    assert set(at.dataframe[0].value["县市区"]) == {"莘县"}


def test_directories_edit_a_studio_head(demo_db):
    con = store.connect(demo_db)
    try:
        sdid, name, head = con.execute("SELECT studio_id, name, head FROM studios ORDER BY studio_id LIMIT 1").fetchone()
    finally:
        con.close()
    at = app(demo_db, "pages/directories.py", role="editor")
    at.selectbox(key="edit_studio").set_value(sdid).run()
    assert not at.exception, at.exception
    form_inputs = [t for t in at.text_input if t.label == "负责人" and t.value == (head or "")]
    assert form_inputs, [t.label for t in at.text_input]
    form_inputs[-1].input("王主任")
    next(b for b in at.tabs[1].button if b.label == "保存修改").click().run()
    assert not at.exception, at.exception
    assert any(f"已修改英模工作室“{name}”" in s.value for s in at.success), [e.value for e in at.error]
    con = store.connect(demo_db)
    try:
        assert con.execute("SELECT head FROM studios WHERE studio_id = ?", [sdid]).fetchone()[0] == "王主任"
    finally:
        con.close()
