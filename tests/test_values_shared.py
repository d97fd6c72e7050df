"""One person's data obeys one set of rules, whichever way it comes in: the same typed values go through the import
(a real GBK CSV read and normalized by analytics.ingest) and through the edit forms' validators
(analytics.corrections), and both give the same, hand-written result."""
import datetime as dt

import pytest

from analytics import corrections
from analytics.ingest.plan import analyze_file
from tests.ingest import builders as b

# (typed, expected) per field; every typed value is a spelling staff use.
COUNTY = [("临清", "临清市"), ("聊城市东昌府区", "东昌府区"), ("茌平县", "茌平区"), ("开发区", "聊城经济技术开发区")]
DATES = [("2024年5月1日", dt.date(2024, 5, 1)), ("2024.5.1", dt.date(2024, 5, 1)), ("20240501", dt.date(2024, 5, 1)),
         ("2024/05/01", dt.date(2024, 5, 1))]
LEVEL = [("省", "省级"), ("全国", "国家级"), ("市级", "市级"), ("区级", "县级")]
FORM = [("集中表扬", "集中表扬"), ("现场表扬", "现场表扬"), ("送奖上门", "送奖上门"), ("集中 表扬", "集中表扬")]
DEED_TYPE = [("溺水救援", "溺水救援"), ("救落水", "救落水"), ("见义勇为救火", "见义勇为救火"), ("火灾救援", "火灾救援")]
ASSIST_TYPE = [("抚恤", "抚恤慰问"), ("医疗", "医疗救治"), ("住房", "住房"), ("子女入学", "子女入学")]
YES_NO = [("√", True), ("无", False), ("是", True), ("N", False)]
ID = [("37150219800101107x", "37150219800101107X"), ("371502198001011002", "371502198001011002"),
      ("37150219800101115x", "37150219800101115X"), (" 371502198001011010 ", "371502198001011010")]
PHONE = [("１３９１２３４５６７８", "13912345678"), ("0635-8888888", "0635-8888888"), ("13700000000", "13700000000"),
         ("0635－2222222", "0635－2222222")]
NAMES = ["甲", "乙", "丙", "丁"]


def _import(headers: list[str], rows: list[list]):
    plan = analyze_file("核对.csv", b.csv_bytes([headers, *rows], "gbk"))
    assert plan.error is None, plan.error
    [s] = plan.imported
    return s.clean


def test_registry_values_agree_with_person_and_deed_and_recognition_edits():
    headers = ["姓名", "县市区", "出生日期", "身份证号码", "联系电话", "事迹发生时间", "事迹类型", "是否市域外", "表扬级别",
               "表扬时间", "表扬形式"]
    rows = []
    for k in range(4):
        rows.append([f"核对{NAMES[k]}", COUNTY[k][0], None, ID[k][0], PHONE[k][0], DATES[k][0], DEED_TYPE[k][0],
                     YES_NO[k][0], LEVEL[k][0], DATES[k][0], FORM[k][0]])
    clean = _import(headers, rows)
    assert clean["_error"].tolist() == [False] * 4
    for k in range(4):
        row = clean.iloc[k]
        assert (row["county"], row["id_number"], row["phone"]) == (COUNTY[k][1], ID[k][1], PHONE[k][1])
        assert (row["deed_date"], row["deed_type"], row["deed_outside_city"]) == (DATES[k][1], DEED_TYPE[k][1],
                                                                                  YES_NO[k][1])
        assert (row["level"], row["recognized_on"], row["form"]) == (LEVEL[k][1], DATES[k][1], FORM[k][1])

        current = {"name": f"核对{NAMES[k]}", "county": "东昌府区"}
        out, problems, _ = corrections.validate_person_edit(
            current, {"county": COUNTY[k][0], "id_number": ID[k][0], "phone": PHONE[k][0]})
        assert problems == []
        assert (out["county"], out["id_number"], out["phone"]) == (COUNTY[k][1], ID[k][1], PHONE[k][1])

        deed, problems, _ = corrections.validate_deed(
            {"deed_date": DATES[k][0], "deed_type": DEED_TYPE[k][0], "outside_city": YES_NO[k][0],
             "county": COUNTY[k][0]}, "东昌府区")
        assert problems == []
        assert (deed["deed_date"], deed["deed_type"], deed["outside_city"]) == (DATES[k][1], DEED_TYPE[k][1],
                                                                                YES_NO[k][1])

        rec, problems = corrections.validate_recognition(
            {"level": LEVEL[k][0], "recognized_on": DATES[k][0], "form": FORM[k][0]})
        assert problems == []
        assert (rec["level"], rec["recognized_on"], rec["form"]) == (LEVEL[k][1], DATES[k][1], FORM[k][1])


def test_assistance_types_agree():
    clean = _import(["姓名", "县市区", "帮扶日期", "帮扶类型"],
                    [[f"核对{NAMES[k]}", "东昌府区", DATES[k][0], ASSIST_TYPE[k][0]] for k in range(4)])
    assert clean["type"].tolist() == [t for _, t in ASSIST_TYPE]
    assert clean["date"].tolist() == [d for _, d in DATES]
    for (typed, expected), (date_typed, date) in zip(ASSIST_TYPE, DATES):
        out, problems = corrections.validate_assistance({"assisted_on": date_typed, "type": typed})
        assert problems == [] and (out["type"], out["assisted_on"]) == (expected, date)


def test_directory_values_agree():
    clean = _import(["名称", "县市区", "类别", "成立日期", "有标识标牌"],
                    [[f"核对{NAMES[k]}站", COUNTY[k][0], "工作站", DATES[k][0], YES_NO[k][0]] for k in range(4)])
    assert clean["county"].tolist() == [c for _, c in COUNTY]
    assert clean["has_sign"].tolist() == [y for _, y in YES_NO]
    for k in range(4):
        out, problems, _ = corrections.validate_unit(
            {"name": f"核对{NAMES[k]}站", "county": COUNTY[k][0], "established_on": DATES[k][0],
             "has_sign": YES_NO[k][0]}, "station")
        assert problems == []
        assert (out["county"], out["established_on"], out["has_sign"]) == (COUNTY[k][1], DATES[k][1], YES_NO[k][1])


@pytest.mark.parametrize("typed", ["乡级", "一般"])
def test_both_refuse_the_same_level(typed):
    clean = _import(["姓名", "县市区", "表扬级别"], [["核对甲", "东昌府区", typed]])
    assert clean["_error"].tolist() == [True]
    _, problems = corrections.validate_recognition({"level": typed, "recognized_on": "2024-01-01"})
    assert problems == [("表扬级别", f"表扬级别“{typed}”无法识别，应为国家级、省级、市级或县级")]


def test_both_refuse_an_unknown_assistance_type():
    clean = _import(["姓名", "县市区", "帮扶日期", "帮扶类型"], [["核对甲", "东昌府区", "2024-05-01", "旅游"]])
    assert clean["_error"].tolist() == [True]
    _, problems = corrections.validate_assistance({"assisted_on": "2024-05-01", "type": "旅游"})
    assert problems == [("帮扶类型", "帮扶类型“旅游”无法识别，应为医疗救治、抚恤慰问、权益保护、困难救助、住房、就业、社保、子女入学、其他之一")]


def test_a_person_imported_with_free_text_values_can_be_corrected_with_the_same(tmp_db):
    from analytics import store
    from analytics.ingest.plan import run
    from analytics.values import choices_with

    con = store.connect(tmp_db)
    try:
        plan = analyze_file("一人.csv", b.csv_bytes([["姓名", "县市区", "事迹发生时间", "事迹类型"],
                                                      ["核对甲", "东昌府区", "2024-05-01", "溺水救援"]], "gbk"))
        assert run(con, [plan], "测试员").committed
        hero_id = con.execute("SELECT hero_id FROM heroes").fetchone()[0]
        deed_id = con.execute("SELECT deed_id FROM deeds").fetchone()[0]
        assert con.execute("SELECT deed_type FROM deeds").fetchone()[0] == "溺水救援"
        # the deed form offers the stored type, so saving another field does not clear it
        assert choices_with(["救落水", "火灾救援"], "溺水救援") == ["救落水", "火灾救援", "溺水救援"]
        corrections.correct_deed(con, hero_id, deed_id, {"deed_type": "溺水救援", "place": "徒骇河"},
                                 actor="测试员", role="editor")
        corrections.add_deed(con, hero_id, {"deed_date": "2024-06-01", "deed_type": "溺水救援"}, actor="测试员",
                             role="editor")
        corrections.add_assistance(con, hero_id, {"assisted_on": "2024-07-01", "type": "抚恤"}, actor="测试员",
                                   role="editor")
        assert con.execute("SELECT deed_type, place FROM deeds ORDER BY deed_id").fetchall() == [
            ("溺水救援", "徒骇河"), ("溺水救援", None)]
        assert con.execute("SELECT type FROM assistance").fetchall() == [("抚恤慰问",)]
    finally:
        con.close()
