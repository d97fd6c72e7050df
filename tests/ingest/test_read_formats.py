"""Every format and layout of the spec, on real files built here."""
import datetime as dt

import pytest

from analytics.ingest import ImportFileError
from analytics.ingest.plan import analyze_file
from analytics.ingest.read import decode_text
from tests.ingest import builders as b

ROWS = [b.REG_HEADERS] + b.registry_rows(4)


def only(plan):
    assert plan.error is None, plan.error
    [s] = plan.imported
    return s


@pytest.mark.parametrize("name,data", [
    ("reg.xlsx", b.xlsx({"登记表": ROWS})),
    ("reg.xls", b.xls({"登记表": ROWS})),
    ("reg.ods", b.ods({"登记表": ROWS})),
    ("reg.csv", b.csv_bytes(ROWS, "utf-8")),
    ("reg_bom.csv", b.csv_bytes(ROWS, "utf-8-sig")),
    ("reg_gbk.csv", b.csv_bytes(ROWS, "gbk")),
    ("reg_gb18030.csv", b.csv_bytes(ROWS, "gb18030")),
    ("reg_unicode.txt", b.csv_bytes(ROWS, "utf-16", "\t")),
    ("reg.tsv", b.csv_bytes(ROWS, "utf-8", "\t")),
])
def test_every_format_reads_the_same(name, data):
    s = only(analyze_file(name, data))
    assert s.kind == "registry" and s.guess.header_row == 1 and s.rows == 4 and s.errors == 0
    first = s.clean.iloc[0]
    assert first["name"] == "测试零" and first["county"] == "东昌府区"
    assert first["id_number"] == ROWS[1][3] and first["birth_date"] == ROWS[1][2]
    assert first["level"] == "市级" and first["recognized_on"] == dt.date(2020, 6, 1)


def test_gbk_never_latin1():
    text, enc = decode_text("x.csv", "姓名,县市区\n张三,东昌府区\n".encode("gbk"))
    assert enc == "gb18030" and "张三" in text
    with pytest.raises(ImportFileError) as e:
        decode_text("x.csv", bytes(range(128, 256)) * 4 + b"\x81\x20" * 10)
    assert "编码" in str(e.value)


def test_title_rows_blank_rows_and_footer():
    rows = [["聊城市见义勇为人员登记表"], ["填报单位：东昌府区见义勇为协会    填报日期：2024年7月31日"], [],
            b.REG_HEADERS, *b.registry_rows(3), [], ["合计", "3人"], ["填表人：王五", None, "审核人：赵六"]]
    data = b.xlsx({"登记表": rows}, merges={"登记表": [(0, 0, 0, 14, "聊城市见义勇为人员登记表")]})
    s = only(analyze_file("t.xlsx", data))
    assert s.guess.header_row == 4 and s.rows == 3 and s.errors == 0
    assert list(s.clean["_row"]) == [5, 6, 7]
    assert "第9、10行为小计/合计/落款行，未导入" in s.notes


def test_two_row_merged_header():
    top = ["姓名", "县市区", "事迹", None, None, "表彰", None]
    low = [None, None, "发生时间", "地点", "类别", "级别", "时间"]
    data_rows = [["张三", "东昌府", dt.date(2023, 5, 1), "东昌湖", "救落水", "市级", dt.date(2023, 8, 1)]]
    merges = [(0, 0, 1, 0, "姓名"), (0, 1, 1, 1, "县市区"), (0, 2, 0, 4, "事迹"), (0, 5, 0, 6, "表彰")]
    data = b.xlsx({"S": [top, low, *data_rows]}, merges={"S": merges})
    s = only(analyze_file("two.xlsx", data))
    assert s.guess.header_row == 2 and s.guess.header_rows == 2
    assert set(s.guess.mapping.values()) >= {"name", "county", "deed_date", "deed_place", "deed_type", "level",
                                             "recognized_on"}
    row = s.clean.iloc[0]
    assert row["deed_place"] == "东昌湖" and row["level"] == "市级" and row["recognized_on"] == dt.date(2023, 8, 1)


def test_columns_any_order_extra_and_hidden():
    headers = ["备用列", "户籍地", "英模姓名", "内部编号", "身份证号"]
    rows = [headers, ["x", "临清", "李四", "A-1", b.registry_rows(1)[0][3]]]
    data = b.xlsx({"S": rows}, hidden_cols={"S": [3]})
    s = only(analyze_file("h.xlsx", data))
    assert s.kind == "registry" and s.errors == 0
    assert s.data.extra == {"备用列": 1, "内部编号": 1}
    assert any("隐藏" in n and "内部编号" in n for n in s.notes)
    assert s.warnings == ["以下列不属于本系统字段，其内容未导入：“备用列”、“内部编号”。如其中有应导入的内容，请在“列对应关系”中指定对应字段"]


def test_several_sheets_notes_skipped():
    acts = [["日期", "县市区", "镇街", "工作站", "活动类型", "五进类别", "场次/人次", "参与人数"],
            [dt.date(2024, 3, 1), "东昌府区", "古楼街道", "古楼街道见义勇为工作站", "宣传活动", "进校园", 1, 120]]
    data = b.xlsx({"说明": [["填表说明"], ["1. 日期请按年月日填写"]], "登记表": ROWS, "活动": acts,
                   "透视表": [["行标签", "计数项"], ["东昌府区", 3]]})
    plan = analyze_file("multi.xlsx", data)
    assert plan.error is None
    assert [(s.sheet, s.kind) for s in plan.imported] == [("登记表", "registry"), ("活动", "activities")]
    skipped = {s.sheet: s.skipped for s in plan.sheets if s.skipped}
    assert set(skipped) == {"说明", "透视表"} and all("跳过" in r for r in skipped.values())
    assert plan.report()["skipped"][0]["sheet"] == "说明"


def test_header_spellings_fold_and_brackets():
    rows = [["姓 名", "出生日期（年月日）", "公民身份号码", "所属县(市、区)", "奖金（元）", "表扬级别*"],
            ["王五", "1980年1月2日", None, "聊城市阳谷县", "0.5万", "省"]]
    s = only(analyze_file("sp.csv", b.csv_bytes(rows, "utf-8")))
    assert set(s.guess.mapping.values()) == {"name", "birth_date", "id_number", "county", "award_yuan", "level"}
    r = s.clean.iloc[0]
    assert r["county"] == "阳谷县" and r["birth_date"] == dt.date(1980, 1, 2) and str(r["award_yuan"]) == "5000.00"
    assert r["level"] == "省级"


def test_formula_looking_text_is_kept_as_text():
    rows = [["姓名", "县市区", "事迹简介", "联系电话"], ["赵七", "东阿县", "=1+1", "+8613700000000"],
            ["钱八", "东阿", "@SUM(A1)", "-"]]
    for name, data in (("f.xlsx", b.xlsx({"S": rows})), ("f.csv", b.csv_bytes(rows, "gbk"))):
        s = only(analyze_file(name, data))
        assert list(s.clean["deed_summary"]) == ["=1+1", "@SUM(A1)"]
        assert s.clean.iloc[0]["phone"] == "+8613700000000"


def test_unknown_kind_file_is_refused():
    plan = analyze_file("notes.xlsx", b.xlsx({"说明": [["本表为说明"], ["无数据"]]}))
    assert plan.error and "没有可识别的数据表" in plan.error
