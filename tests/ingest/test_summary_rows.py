"""Government forms as county associations send them: 合计 / 小计 / 总计 rows and footers (填表人 …) anywhere in
the table never become people, records or errors; a header-only sheet is refused; a real person named 合计 is
still a person. Every case as .xlsx and as GBK CSV, counts checked by hand."""
import datetime as dt

import pytest

from analytics.idnumber import make_id_number
from analytics.ingest.footer import is_summary_row
from analytics.ingest.plan import analyze_file, run
from tests.ingest import builders as b

HEAD = ["序号", "姓名", "性别", "出生日期", "身份证号码", "县市区", "事迹发生时间", "事迹类别", "事迹发生地点", "事迹简介",
        "确认时间", "表彰级别", "表彰时间", "奖金（元）"]


def person(i: int, county: str = "东昌府区", code: str = "371502", name: str | None = None) -> list:
    birth = dt.date(1970 + i, 1 + i % 12, 1 + i)
    return [i + 1, name or f"人员{'甲乙丙丁戊己庚辛壬癸'[i]}", "男", birth, make_id_number(code, birth, 101 + 2 * i),
            county, dt.date(2023, 6, 1 + i), "救落水", f"徒骇河{i}号桥", f"在徒骇河救起落水儿童{i}。",
            dt.date(2023, 8, 1), "市级", dt.date(2023, 9, 1), 2000]


def blank(n: int = len(HEAD)) -> list:
    return [None] * n


def row(**cells) -> list:
    out = blank()
    for header, value in cells.items():
        out[HEAD.index(header)] = value
    return out


FORMATS = ["xlsx", "csv"]


def build(fmt: str, rows: list[list]) -> tuple[str, bytes]:
    if fmt == "xlsx":
        return "登记表.xlsx", b.xlsx({"登记表": rows})
    if fmt == "xls":
        return "登记表.xls", b.xls({"登记表": rows})
    if fmt == "ods":
        return "登记表.ods", b.ods({"登记表": rows})
    if fmt == "utf16":
        return "登记表.txt", b.csv_bytes(rows, "utf-16", "\t")
    return "登记表.csv", b.csv_bytes(rows, "gbk")


def do(con, name: str, data: bytes):
    plan = analyze_file(name, data)
    assert plan.error is None, plan.error
    return run(con, [plan], "测试员", commit=True)


def errors(result) -> list:
    return [p for f in result.files for s in f.imported for p in s.problems if p.severity == "error"]


def heroes(con) -> list[str]:
    return [r[0] for r in con.execute("SELECT name FROM heroes ORDER BY hero_id").fetchall()]


def notes(result) -> list[str]:
    return [n for f in result.files for s in f.imported for n in s.notes]


@pytest.mark.parametrize("fmt", FORMATS + ["xls", "ods", "utf16"])
def test_total_in_the_row_number_column(con, fmt):
    rows = [["聊城市见义勇为人员登记表"], HEAD] + [person(i) for i in range(4)] + [row(序号="合计", 姓名="4人",
                                                                                  **{"奖金（元）": 8000})]
    r = do(con, *build(fmt, rows))
    assert r.committed and errors(r) == []
    assert r.files[0].imported[0].counts == {"new": 4, "updated": 0, "unchanged": 0}
    assert heroes(con) == ["人员甲", "人员乙", "人员丙", "人员丁"]
    assert con.execute("SELECT count(*) FROM recognitions").fetchone()[0] == 4
    assert "第7行为小计/合计/落款行，未导入" in notes(r)


@pytest.mark.parametrize("fmt", FORMATS)
def test_subtotal_per_county_group_with_the_county_filled(con, fmt):
    rows = [HEAD, person(0), person(1),
            row(序号="小计", 姓名="2人", 县市区="东昌府区", **{"奖金（元）": "4,000元"}),
            person(2, "临清市", "371581"), person(3, "临清市", "371581"), person(4, "临清市", "371581"),
            row(序号="小  计", 姓名="3人", 县市区="临清市", **{"奖金（元）": 6000}),
            row(姓名="临清市小计", 县市区="临清市", 序号=3)]
    r = do(con, *build(fmt, rows))
    assert r.committed and errors(r) == []
    assert r.files[0].imported[0].counts["new"] == 5
    assert heroes(con) == ["人员甲", "人员乙", "人员丙", "人员丁", "人员戊"]
    assert "第4、8、9行为小计/合计/落款行，未导入" in notes(r)


@pytest.mark.parametrize("fmt", FORMATS)
def test_grand_total_between_and_after_groups(con, fmt):
    rows = [HEAD, person(0), person(1), row(县市区="总计：2人"), person(2),
            row(序号="总计", 姓名=3, 事迹简介="—", **{"奖金（元）": 6000.0}),
            row(序号="累计", 姓名="3人"), row(序号="共计", 姓名="3户")]
    r = do(con, *build(fmt, rows))
    assert r.committed and errors(r) == []
    assert r.files[0].imported[0].counts["new"] == 3
    assert len(heroes(con)) == 3
    assert "第4、6、7、8行为小计/合计/落款行，未导入" in notes(r)


@pytest.mark.parametrize("fmt", FORMATS)
def test_footer_spread_over_several_cells(con, fmt):
    footer = ["填表人：", "张三", "审核人：", "李四", "联系电话：", "0635-8888888", "填报日期：", dt.date(2024, 5, 6),
              None, None, None, None, None, None]
    rows = [HEAD] + [person(i) for i in range(3)] + [blank(), footer, ["（盖章）"] + blank(13),
                                                     ["制表：王五", None, "负责人：赵六"] + blank(11)]
    r = do(con, *build(fmt, rows))
    assert r.committed and errors(r) == []
    assert r.files[0].imported[0].counts["new"] == 3
    assert heroes(con) == ["人员甲", "人员乙", "人员丙"]
    assert "第6、7、8行为小计/合计/落款行，未导入" in notes(r)


@pytest.mark.parametrize("fmt", FORMATS + ["xls", "ods", "utf16"])
def test_a_real_person_named_like_a_marker_is_imported(con, fmt):
    rows = [HEAD, person(0), person(1, name="合计"), person(2, name="小计"),
            row(序号="合计", 姓名="3人", **{"奖金（元）": 6000})]
    r = do(con, *build(fmt, rows))
    assert r.committed and errors(r) == []
    assert r.files[0].imported[0].counts["new"] == 3
    assert heroes(con) == ["人员甲", "合计", "小计"]
    assert "第5行为小计/合计/落款行，未导入" in notes(r)


@pytest.mark.parametrize("fmt", FORMATS)
def test_header_only_is_refused_like_an_empty_file(con, fmt):
    for rows in ([HEAD], [["登记表"], HEAD, blank()], [HEAD, row(序号="合计", 姓名="0人")]):
        name, data = build(fmt, rows)
        plan = analyze_file(name, data)
        assert plan.error == f"文件“{name}”中只有表头，没有数据行。"
        r = run(con, [plan], "测试员")
        assert not r.committed and heroes(con) == []


def test_a_header_only_sheet_beside_a_full_one_is_skipped_by_name(con):
    data = b.xlsx({"登记表": [HEAD, person(0)], "空表": [HEAD]})
    plan = analyze_file("两表.xlsx", data)
    assert plan.error is None
    assert plan.report()["skipped"] == [{"sheet": "空表", "reason": "只有表头，没有数据行"}]
    r = run(con, [plan], "测试员")
    assert r.committed and heroes(con) == ["人员甲"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_other_kinds_drop_their_summary_rows(con, fmt):
    # people for the assistance sheet
    do(con, *build(fmt, [HEAD, person(0), person(1)]))
    act = [["序号", "活动日期", "县市区", "活动类型", "场次", "参与人数"],
           [1, dt.date(2024, 3, 1), "东昌府区", "宣传活动", 2, 50],
           [2, dt.date(2024, 3, 2), "临清市", "培训", 1, 30],
           ["合计", None, None, None, 3, 80],
           ["填表人：李四", None, "审核人：", "王五", None, None]]
    ass = [["序号", "姓名", "县市区", "帮扶日期", "帮扶类型", "金额（元）"],
           [1, "人员甲", "东昌府区", dt.date(2024, 4, 1), "抚恤", 1000],
           [2, "人员乙", "东昌府区", dt.date(2024, 4, 2), "医疗救治", 2000],
           ["小计", "2人", "东昌府区", None, None, 3000],
           ["总计", "2人", None, None, None, "3,000.00"]]
    dire = [["序号", "名称", "县市区", "类别", "站长", "有标识标牌"],
            [1, "古楼街道见义勇为工作站", "东昌府区", "工作站", "赵一", "是"],
            ["合计", "1个", None, None, None, 1],
            ["负责人：", "钱二", "联系电话：", "13800000000", None, None]]
    for kind, rows, table, n, dropped in (("活动", act, "activities", 2, "第4、5行"), ("帮扶", ass, "assistance", 2, "第4、5行"),
                                          ("名录", dire, "workstations", 1, "第3、4行")):
        if fmt == "xlsx":
            name, data = f"{kind}.xlsx", b.xlsx({kind: rows})
        else:
            name, data = f"{kind}.csv", b.csv_bytes(rows, "gbk")
        r = do(con, name, data)
        assert r.committed and errors(r) == [], (kind, [p.text() for p in errors(r)])
        assert r.files[0].imported[0].counts["new"] == n, kind
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == n, kind
        assert f"{dropped}为小计/合计/落款行，未导入" in notes(r), kind
    assert con.execute("SELECT type FROM assistance ORDER BY assistance_id").fetchall() == [("抚恤慰问",), ("医疗救治",)]


def test_whole_row_rule():
    assert is_summary_row(["合计", "4人", "东昌府区", 8000])
    assert is_summary_row(["聊城市", "合  计", "12"])
    assert is_summary_row(["填表人：张三", "审核人：李四", "联系电话：0635-8888888"])
    assert is_summary_row(["（盖章）"])
    assert is_summary_row(["东昌府区小计", "3人"]) and is_summary_row(["2024年1-6月合计", "12场次", "1,200"])
    assert is_summary_row(["注：本表由各县市区见义勇为协会填报。"])
    # a person named 合计 (ID, county, date), or a row whose free text starts with a marker word
    assert not is_summary_row([1, "合计", "男", "371502197001010011", "东昌府区", dt.date(2023, 6, 1)])
    assert not is_summary_row(["合计", "东昌府区", dt.date(2023, 6, 1)])
    assert not is_summary_row(["张三", "男", "东昌府区", "古楼街道", "审核通过"])
    assert not is_summary_row(["张三", "东昌府区", "累计帮扶3次"])
    assert not is_summary_row(["王五", "东昌府区", "负责人", "李四", "赵六"])


def test_column_not_imported_is_a_warning_naming_it_and_row_numbers_are_a_note(con):
    rows = [HEAD + ["家庭住址", "空列"], person(0) + ["古楼街道某小区", None]]
    plan = analyze_file("登记表.xlsx", b.xlsx({"登记表": rows}))
    s = plan.imported[0]
    assert s.warnings == ["以下列不属于本系统字段，其内容未导入：“家庭住址”。如其中有应导入的内容，请在“列对应关系”中指定对应字段"]
    assert "“序号”列为序号，不导入" in s.notes
    assert s.guess.mapping[HEAD.index("事迹发生地点")] == "deed_place"


def test_header_only_file_on_the_command_line_exits_2_with_one_sentence(tmp_db, tmp_path):
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    f = tmp_path / "表头.csv"
    f.write_bytes(b.csv_bytes([HEAD, row(序号="合计", 姓名="0人")], "gbk"))
    root = Path(__file__).resolve().parents[2]
    run_cli = lambda *extra: subprocess.run([sys.executable, "-m", "analytics", "import", str(f), "--db", str(tmp_db),
                                             *extra], cwd=root, capture_output=True, text=True, env=dict(os.environ),
                                            timeout=120)
    p = run_cli()
    assert (p.returncode, p.stdout, p.stderr) == (2, "", "错误：文件“表头.csv”中只有表头，没有数据行。\n")
    j = run_cli("--json")
    assert j.returncode == 2 and json.loads(j.stdout)["errors"] == ["文件“表头.csv”中只有表头，没有数据行。"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_column_without_header_is_a_warning_unless_only_a_footer_uses_it(con, fmt):
    rows = [HEAD + [None], person(0) + ["备用"], person(1) + [None],
            ["填表人：张三"] + blank(13) + ["联系电话：0635-8888888"]]
    plan = analyze_file(*build(fmt, rows))
    s = plan.imported[0]
    assert s.warnings == ["第O列没有表头，其中第2行的内容未导入。如需导入，请补上表头后重新上传"]
    assert "第4行为小计/合计/落款行，未导入" in s.notes
    rows[1][-1] = None
    plan = analyze_file(*build(fmt, rows))
    assert plan.imported[0].warnings == []
