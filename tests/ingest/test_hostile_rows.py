"""Ordinary rows that used to lose words or break the command: deeds with several heroes keep every summary; a CSV
field longer than the csv module's default limit; control and bidirectional characters; an exit-1 import that
printed DuckDB's 'nanobind: leaked' lines."""
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from analytics import store
from analytics.idnumber import make_id_number
from analytics.ingest.plan import analyze_file, run
from tests.ingest import builders as b

ROOT = Path(__file__).resolve().parents[2]
HEAD = ["姓名", "身份证号码", "县市区", "事迹发生时间", "事迹发生地点", "事迹类别", "事迹简介", "确认时间"]


def hero(i: int, summary: str | None, place: str = "徒骇河聊城大学段", name: str | None = None) -> list:
    birth = dt.date(1980 + i, 3, 1 + i)
    return [name or f"英模{'甲乙丙丁戊己庚辛壬癸'[i]}", make_id_number("371502", birth, 201 + 2 * i), "东昌府区",
            dt.date(2024, 7, 9), place, "救落水", summary, dt.date(2024, 9, 1)]


def cli(*args):
    return subprocess.run([sys.executable, "-m", "analytics", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, env=dict(os.environ), timeout=120)


def do(con, name, data):
    plan = analyze_file(name, data)
    assert plan.error is None, plan.error
    return run(con, [plan], "测试员")


def test_heroes_of_one_deed_keep_their_own_summaries(con):
    rows = [HEAD, hero(0, "甲跳入河中托起落水儿童。"), hero(1, "乙在岸边递出竹竿，将二人拉上岸。"),
            hero(2, "丙拨打120并实施心肺复苏。")]
    data = b.xlsx({"登记表": rows})
    r = do(con, "一事多人.xlsx", data)
    s = r.files[0].imported[0]
    assert r.committed and s.counts["new"] == 3
    assert s.warnings == ["第2、3、4行为同一事迹（事迹时间、地点和类型相同），各行的事迹简介不同，已全部保存在该事迹的简介中（每行一段），不会遗漏"]
    assert con.execute("SELECT count(*) FROM deeds").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM deed_heroes").fetchone()[0] == 3
    assert con.execute("SELECT summary FROM deeds").fetchone()[0] == (
        "甲跳入河中托起落水儿童。\n乙在岸边递出竹竿，将二人拉上岸。\n丙拨打120并实施心肺复苏。")
    again = do(con, "一事多人.csv", b.csv_bytes(rows, "gbk"))
    assert again.committed and again.files[0].imported[0].counts == {"new": 0, "updated": 0, "unchanged": 3}
    assert con.execute("SELECT count(*) FROM deeds").fetchone()[0] == 1


def test_heroes_of_one_deed_with_the_same_summary_share_it_without_a_warning(con):
    same = "三人合力将落水群众救上岸。"
    rows = [HEAD, hero(0, same), hero(1, same), hero(2, None)]
    r = do(con, "同一简介.xlsx", b.xlsx({"登记表": rows}))
    assert r.committed and r.files[0].imported[0].warnings == []
    assert con.execute("SELECT count(*), min(summary) FROM deeds").fetchone() == (1, same)
    assert con.execute("SELECT count(*) FROM deed_heroes").fetchone()[0] == 3


def test_nineteen_rows_of_one_deed_lose_no_summary(con):
    rows = [HEAD] + [hero(i % 10, f"第{i}段事迹简介。", name=f"人员{i:02d}") for i in range(19)]
    for i, r in enumerate(rows[1:]):
        r[1] = make_id_number("371502", dt.date(1970, 1, 1) + dt.timedelta(days=400 * i), 301 + 2 * i)
    r = do(con, "十九行.xlsx", b.xlsx({"登记表": rows}))
    assert r.committed and r.files[0].imported[0].counts["new"] == 19
    summary = con.execute("SELECT summary FROM deeds").fetchone()[0]
    assert summary.split("\n") == [f"第{i}段事迹简介。" for i in range(19)]


def test_a_csv_field_longer_than_131072_characters(tmp_db, tmp_path):
    long = "见义勇为" * 50_000                                   # 200,000 characters
    rows = [HEAD, hero(0, long)]
    f = tmp_path / "长简介.csv"
    f.write_bytes(b.csv_bytes(rows, "gbk"))
    p = cli("import", f, "--db", tmp_db)
    assert p.returncode == 0, p.stderr
    assert "Traceback" not in p.stderr
    c = store.connect(tmp_db)
    try:
        assert c.execute("SELECT length(summary) FROM deeds").fetchone()[0] == 200_000
    finally:
        c.close()


def test_control_and_bidirectional_characters_are_removed_with_a_warning(con):
    rows = [HEAD, hero(0, "\x1b[31m红色\x1b[0m的简介", name="张\u202e三abc"), hero(1, "正常简介", place="东昌湖\u200f")]
    r = do(con, "控制字符.csv", b.csv_bytes(rows, "utf-8"))
    s = r.files[0].imported[0]
    assert r.committed and s.errors == 0
    assert [(p.row, p.column, p.severity) for p in s.problems] == [(2, "姓名", "warning"), (2, "事迹简介", "warning"),
                                                                   (3, "事迹发生地点", "warning")]
    assert s.problems[0].text() == "第2行 姓名“张\\u202e三abc”：含有不可见的控制字符（如文字方向控制符），已删除，请核对该内容"
    assert con.execute("SELECT name FROM heroes ORDER BY hero_id").fetchall() == [("张三abc",), ("英模乙",)]
    assert sorted(x[0] for x in con.execute("SELECT summary FROM deeds").fetchall()) == ["[31m红色[0m的简介", "正常简介"]


def test_the_command_line_never_echoes_escape_sequences(tmp_db, tmp_path):
    rows = [HEAD, hero(0, "简介\x1b]0;被改的标题\x07", name="李\u202e四"), hero(1, "x", name="\x1b[2J王五")]
    rows[2][2] = "火星\x1b[5m"                                   # a row error whose value is echoed
    f = tmp_path / "转义\u202e序列.csv"
    f.write_bytes(b.csv_bytes(rows, "utf-8"))
    p = cli("import", f, "--db", tmp_db)
    assert p.returncode == 1
    for out in (p.stdout, p.stderr):
        assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    assert "\\x1b[5m" in p.stdout and "\\u202e" in p.stdout
    j = cli("import", f, "--db", tmp_db, "--json")
    assert "\x1b" not in j.stdout and "\u202e" not in j.stdout and "\\u202e" in j.stdout
    h = cli("history", "--db", tmp_db)
    assert h.returncode == 0 and "\u202e" not in h.stdout


def test_an_exit_1_import_prints_no_binding_leak_lines(tmp_db, tmp_path):
    f = tmp_path / "活动.csv"
    f.write_bytes(b.csv_bytes([["活动日期", "县市区", "活动类型", "场次"], ["2024-03-01", "东昌府区", "宣传活动", 2],
                               ["2024-03-02", "火星", "宣传活动", 1]], "gbk"))
    p = cli("import", f, "--db", tmp_db)
    assert p.returncode == 1
    assert "nanobind" not in p.stderr and "leaked" not in p.stderr
    assert p.stderr.strip() == "共有 1 处错误，本次未写入任何数据。请修改后重新导入，或加 --accept-valid 只导入无误的行。"


def test_a_file_that_breaks_the_reader_unforeseen_is_one_sentence(monkeypatch, tmp_db, tmp_path):
    from analytics.ingest import plan as plan_module

    def broken(*args, **kwargs):
        raise RuntimeError("calamine panicked")

    monkeypatch.setattr(plan_module, "read_bytes", broken)
    p = plan_module.analyze_file("坏文件.xlsx", b"PK")
    assert p.error == "文件“坏文件.xlsx”的内容有异常，系统无法读取，请在表格软件中重新另存为 .xlsx 或 CSV 后再导入。"
    c = store.connect(tmp_db)
    try:
        r = plan_module.run(c, [p], "测试员")
    finally:
        c.close()
    assert not r.committed and r.file_errors == [p.error]


def test_a_second_hero_imported_later_adds_words_and_a_known_hero_corrects(con):
    first = [HEAD, hero(0, "甲跳入河中托起落水儿童。")]
    second = [HEAD, hero(1, "乙在岸边递出竹竿。")]
    assert do(con, "甲.xlsx", b.xlsx({"S": first})).committed
    r = do(con, "乙.xlsx", b.xlsx({"S": second}))
    assert r.committed and r.files[0].imported[0].counts["new"] == 1
    assert con.execute("SELECT count(*), min(summary) FROM deeds").fetchone() == (
        1, "甲跳入河中托起落水儿童。\n乙在岸边递出竹竿。")
    assert con.execute("SELECT count(*) FROM deed_heroes").fetchone()[0] == 2
    again = do(con, "乙.xlsx", b.xlsx({"S": second}))
    assert again.files[0].imported[0].counts == {"new": 0, "updated": 0, "unchanged": 1}
    both = [HEAD, hero(0, "甲跳入河中，托起落水儿童。"), hero(1, "乙在岸边递出竹竿。")]
    fixed = do(con, "两人更正.xlsx", b.xlsx({"S": both}))
    assert fixed.files[0].imported[0].counts == {"new": 0, "updated": 2, "unchanged": 0}
    assert con.execute("SELECT summary FROM deeds").fetchone()[0] == "甲跳入河中，托起落水儿童。\n乙在岸边递出竹竿。"
