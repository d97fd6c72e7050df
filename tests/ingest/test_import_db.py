"""End to end into a real database: idempotency across formats, updates, problems, undo, all kinds."""
import datetime as dt

import pytest

from analytics.ingest import history
from analytics.ingest.plan import analyze_file, run
from tests.ingest import builders as b

ROWS = [b.REG_HEADERS] + b.registry_rows(5)


def do(con, *files, commit=True, accept_valid=False):
    plans = [analyze_file(n, d) for n, d in files]
    return run(con, plans, "测试员", commit=commit, accept_valid=accept_valid)


def counts(con):
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("heroes", "deeds", "deed_heroes", "recognitions", "assistance", "activities",
                      "workstations", "studios")}


def sheet(result, i=0, j=0):
    return result.files[i].imported[j]


def test_same_content_in_any_format_changes_nothing(con):
    r = do(con, ("reg.xlsx", b.xlsx({"登记表": ROWS})))
    assert r.committed and sheet(r).counts == {"new": 5, "updated": 0, "unchanged": 0}
    before = counts(con)
    assert before["heroes"] == 5 and before["recognitions"] == 5 and before["deeds"] == 5
    for name, data in (("reg.xlsx", b.xlsx({"登记表": ROWS})), ("reg_gbk.csv", b.csv_bytes(ROWS, "gbk")),
                       ("reg.xls", b.xls({"登记表": ROWS})), ("reg.ods", b.ods({"登记表": ROWS})),
                       ("reg_u16.txt", b.csv_bytes(ROWS, "utf-16", "\t"))):
        r = do(con, (name, data))
        assert r.committed and sheet(r).counts == {"new": 0, "updated": 0, "unchanged": 5}, name
        assert counts(con) == before, name
    audit = con.execute("SELECT count(*) FROM audit_log WHERE action = 'update'").fetchone()[0]
    assert audit == 0


def test_updated_export_updates_and_adds_recognitions_without_duplicates(con):
    do(con, ("v1.xlsx", b.xlsx({"S": ROWS})))
    rows = [list(r) for r in ROWS]
    rows[1][6] = "13999999999"                               # person 0: new phone
    extra = list(rows[2])
    extra[12], extra[13], extra[14] = "省级", dt.date(2022, 9, 1), "见义勇为模范"   # person 1: a second recognition
    rows.append(extra)
    rows.append(b.person(7))                                  # a new person
    r = do(con, ("v2.xlsx", b.xlsx({"S": rows})))
    assert sheet(r).counts == {"new": 1, "updated": 2, "unchanged": 3}
    c = counts(con)
    assert c["heroes"] == 6 and c["recognitions"] == 7 and c["deeds"] == 6 and c["deed_heroes"] == 6
    assert con.execute("SELECT phone FROM heroes WHERE name = '测试零'").fetchone()[0] == "13999999999"
    # and once more: nothing changes
    r = do(con, ("v2.csv", b.csv_bytes(rows, "gbk")))
    assert sheet(r).counts == {"new": 0, "updated": 0, "unchanged": 6} and counts(con) == c


def test_identity_without_id_number_by_name_birth_county(con):
    rows = [list(r) for r in ROWS]
    for r in rows[1:]:
        r[3] = None
    do(con, ("noid.xlsx", b.xlsx({"S": rows})))
    r = do(con, ("noid.csv", b.csv_bytes(rows, "gbk")))
    assert sheet(r).counts["unchanged"] == 5 and counts(con)["heroes"] == 5
    # The same people now with their ID numbers: updated, not new.
    r = do(con, ("withid.xlsx", b.xlsx({"S": ROWS})))
    assert sheet(r).counts == {"new": 0, "updated": 5, "unchanged": 0} and counts(con)["heroes"] == 5
    keys = [k for (k,) in con.execute("SELECT identity_key FROM heroes").fetchall()]
    assert all(k.startswith("ID:") for k in keys)


def test_row_problems_block_rows_and_name_the_excel_row(con):
    rows = [["聊城市见义勇为人员登记表"], [], list(b.REG_HEADERS)] + [list(r) for r in b.registry_rows(5)]
    good_id = rows[3][3]
    rows[3][3] = 3.71502199001011e+17                  # Excel turned it into a float (row 4)
    rows[4][3] = good_id[:-1] + ("0" if good_id[-1] != "0" else "1")  # bad check character (row 5)
    rows[5][4] = "历城区"                               # not a Liaocheng county (row 6)
    rows[6][1] = "女"                                   # disagrees with the ID: a warning only (row 7)
    data = b.xlsx({"S": rows})
    r = do(con, ("bad.xlsx", data))
    s = sheet(r)
    assert not r.committed and r.row_errors == 3 and counts(con)["heroes"] == 0
    by_row = {p.row: p for p in s.problems}
    assert by_row[4].column == "身份证号码" and "数字" in by_row[4].message and by_row[4].severity == "error"
    assert by_row[5].message == "校验位错误" and by_row[5].value == rows[4][3]
    assert by_row[5].text() == f"第5行 身份证号码“{rows[4][3]}”：校验位错误"
    assert by_row[6].message == "“历城区”不是聊城市的县市区"
    assert by_row[7].severity == "warning" and by_row[7].column == "性别"
    assert s.rejected == 3 and s.rows == 5
    r = do(con, ("bad.xlsx", data), accept_valid=True)
    assert r.committed and counts(con)["heroes"] == 2 and sheet(r).counts["new"] == 2


def test_formula_text_stored_verbatim(con):
    rows = [["姓名", "县市区", "事迹简介", "事迹类别"], ["赵七", "东阿县", "=1+1", "救落水"]]
    do(con, ("f.csv", b.csv_bytes(rows, "gbk")))
    assert con.execute("SELECT summary FROM deeds").fetchone()[0] == "=1+1"


ASSIST_HEAD = ["姓名", "身份证号码", "县市区", "帮扶日期", "帮扶类型", "金额（元）", "实施单位", "备注"]


def test_assistance_matches_registered_people_only(con):
    do(con, ("reg.xlsx", b.xlsx({"S": ROWS})))
    p0, p1 = ROWS[1], ROWS[2]
    rows = [ASSIST_HEAD,
            [p0[0], p0[3], None, "2024-03-01", "抚恤慰问", "2,000", "市基金会", None],
            [p1[0], None, "东昌府", "2024年4月2日", "医疗救治", "0.5万", None, None],
            ["查无此人", None, "冠县", "2024-04-03", "困难救助", 500, None, None],
            [p0[0], p0[3], None, "2024-03-01", "抚恤慰问", "2,000", "市基金会", None]]   # a second identical visit
    data = b.xlsx({"帮扶": rows})
    r = do(con, ("a.xlsx", data))
    s = sheet(r)
    assert s.kind == "assistance" and not r.committed
    [p] = [p for p in s.problems if p.severity == "error"]
    assert p.row == 4 and "英模档案中没有" in p.message
    r = do(con, ("a.xlsx", data), accept_valid=True)
    assert sheet(r).counts == {"new": 3, "updated": 0, "unchanged": 0} and sheet(r).rejected == 1
    amounts = sorted(float(a) for (a,) in con.execute("SELECT amount_yuan FROM assistance").fetchall())
    assert amounts == [2000.0, 2000.0, 5000.0]
    r = do(con, ("a.csv", b.csv_bytes(rows, "gbk")), accept_valid=True)
    assert sheet(r).counts == {"new": 0, "updated": 0, "unchanged": 3} and counts(con)["assistance"] == 3


ACT_HEAD = ["日期", "县市区", "镇街", "工作站", "活动类型", "五进类别", "场次/人次", "参与人数"]


def test_activities_identical_rows_kept_and_reimport_idempotent(con):
    row = [dt.date(2024, 3, 1), "东昌府区", "古楼街道", "古楼街道见义勇为工作站", "宣传活动", "进校园", 1, 120]
    rows = [ACT_HEAD, row, list(row), [dt.date(2024, 3, 2), "开发区", None, None, "发现上报", None, 2, None],
            [dt.date(2024, 3, 3), "东昌府区", None, None, "跳舞", "进月球", None, None]]
    data = b.xlsx({"活动": rows})
    r = do(con, ("act.xlsx", data), accept_valid=True)
    s = sheet(r)
    assert s.counts["new"] == 3 and s.rejected == 1
    assert {p.column for p in s.problems if p.severity == "error"} == {"活动类型", "五进类别"}
    assert con.execute("SELECT sum(count) FROM activities").fetchone()[0] == 4
    r = do(con, ("act.csv", b.csv_bytes(rows, "gbk")), accept_valid=True)
    assert sheet(r).counts == {"new": 0, "updated": 0, "unchanged": 3}


def test_directory_stations_and_studios(con):
    do(con, ("reg.xlsx", b.xlsx({"S": ROWS})))
    head = ["名称", "县市区", "镇街", "类别", "英模姓名", "成立日期", "站长/负责人", "有标识标牌", "有专兼人员",
            "有职责任务", "有工作档案", "有志愿队伍"]
    rows = [head, ["古楼街道见义勇为工作站", "东昌府区", "古楼街道", "工作站", None, "2023-01-01", "王站长",
                   "是", "是", "√", "有", "否"],
            [f"见义勇为{ROWS[1][0]}工作室", "东昌府区", None, "工作室", ROWS[1][0], "2024-05-01", "李主任"] + [None] * 5]
    r = do(con, ("dir.xlsx", b.xlsx({"名录": rows})))
    assert sheet(r).kind == "directory" and sheet(r).counts["new"] == 2
    assert con.execute("SELECT has_volunteers, has_duties FROM workstations").fetchone() == (False, True)
    assert con.execute("SELECT hero_id IS NOT NULL FROM studios").fetchone()[0]
    rows[1][6] = "张站长"
    r = do(con, ("dir.csv", b.csv_bytes(rows, "gbk")))
    assert sheet(r).counts == {"new": 0, "updated": 1, "unchanged": 1}


def test_undo_whole_batch_and_history(con):
    do(con, ("v1.xlsx", b.xlsx({"S": ROWS})))
    before = counts(con)
    rows = [list(r) for r in ROWS]
    rows[1][6] = "13999999999"
    rows.append(b.person(9))
    r = do(con, ("v2.xlsx", b.xlsx({"S": rows})))
    batch = int(r.batch_id)
    assert counts(con) != before
    hist = history.imports(con)
    assert hist[0]["batch_id"] == r.batch_id and hist[0]["file_names"] == "v2.xlsx"
    assert len(hist[0]["sha256"]) == 64 and hist[0]["counts"]["new"] == 1 and hist[0]["counts"]["updated"] == 1
    assert history.files_of(con, batch)[0]["report"]["sheets"][0]["new"] == 1
    history.undo(con, batch, "测试员")
    assert counts(con) == before
    assert con.execute("SELECT phone FROM heroes WHERE name = '测试零'").fetchone()[0] == ROWS[1][6]
    with pytest.raises(Exception) as e:
        history.undo(con, batch, "测试员")
    assert "撤销" in str(e.value)


def test_dry_run_writes_nothing(con):
    r = do(con, ("v1.xlsx", b.xlsx({"S": ROWS})), commit=False)
    assert not r.committed and sheet(r).counts["new"] == 5
    assert counts(con)["heroes"] == 0 and con.execute("SELECT count(*) FROM changes").fetchone()[0] == 0


def test_a_bad_file_blocks_the_whole_call(con):
    r = do(con, ("ok.xlsx", b.xlsx({"S": ROWS})), ("empty.csv", b""))
    assert not r.committed and r.file_errors and counts(con)["heroes"] == 0


def test_newer_export_corrects_recognition_form_award_and_edited_deed(con):
    headers = b.REG_HEADERS + ["表扬形式", "奖金（元）"]
    v1 = [headers] + [p + ["集中表扬", 5000] for p in b.registry_rows(3)]
    do(con, ("v1.xlsx", b.xlsx({"S": v1})))
    before = counts(con)
    v2 = [list(r) for r in v1]
    v2[1][15], v2[1][16] = "送奖上门", 8000                  # person 0: another form and award
    v2[2][10] = "2020年在河边救起落水群众，并送医救治。"           # person 1: the deed's summary was completed
    v2[2][11] = dt.date(2020, 5, 9)                            # … and its confirmation date corrected
    r = do(con, ("v2.xlsx", b.xlsx({"S": v2})))
    assert sheet(r).counts == {"new": 0, "updated": 2, "unchanged": 1}
    assert counts(con) == before                                # corrected, nothing added
    assert con.execute("SELECT form, award_yuan FROM recognitions r JOIN heroes h USING (hero_id) "
                       "WHERE h.name = '测试零'").fetchone() == ("送奖上门", 8000)
    summary, confirmed = con.execute("SELECT d.summary, d.confirmed_on FROM deeds d JOIN deed_heroes dh USING (deed_id) "
                                     "JOIN heroes h USING (hero_id) WHERE h.name = '测试一'").fetchone()
    assert summary.endswith("并送医救治。") and confirmed == dt.date(2020, 5, 9)
    audited = con.execute("SELECT table_name, count(*) FROM audit_log WHERE change_id = ? GROUP BY 1 ORDER BY 1",
                          [int(r.batch_id)]).fetchall()
    assert audited == [("deeds", 1), ("heroes", 1), ("recognitions", 1)]   # 确认时间 is also the person's
    again = do(con, ("v2.csv", b.csv_bytes(v2, "gbk")))       # the same content again: nothing to do
    assert sheet(again).counts == {"new": 0, "updated": 0, "unchanged": 3} and counts(con) == before
    history.undo(con, int(r.batch_id), "测试员")                 # undo brings the first export's values back
    assert con.execute("SELECT form, award_yuan FROM recognitions r JOIN heroes h USING (hero_id) "
                       "WHERE h.name = '测试零'").fetchone() == ("集中表扬", 5000)


def test_missing_confirmation_date_is_a_warning_and_a_missing_column_a_note(con):
    rows = [list(r) for r in ROWS]
    rows[2][11] = None                                         # person 1 without 确认时间
    r = do(con, ("reg.xlsx", b.xlsx({"S": rows})))
    s = sheet(r)
    assert r.committed and s.counts["new"] == 5 and s.rejected == 0
    warned = [p for p in s.problems if p.field == "registered_on"]
    assert [(p.row, p.severity) for p in warned] == [(3, "warning")] and "登记在册" in warned[0].message
    without = [[c for k, c in enumerate(row) if k != 11] for row in ROWS]
    s2 = sheet(do(con, ("no_col.xlsx", b.xlsx({"S": without})), commit=False))
    assert not [p for p in s2.problems if p.field == "registered_on"]
    assert any("确认时间" in n and "登记在册" in n for n in s2.notes)
