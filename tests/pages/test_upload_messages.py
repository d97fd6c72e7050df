"""Uploads answer in Chinese: a file of a type a page does not take (数据导入, 备份与恢复), a header-only file, a
form with 合计/落款 rows, a column that is not imported; the 列对应 editor shows every column's mapping."""
import datetime as dt
import re

from analytics import store
from analytics.idnumber import make_id_number
from tests.ingest import builders as b
from tests.pages.apptest_util import app

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_TYPES = "文件“通知.pdf”的类型不能在此上传，未作处理。请上传 .xlsx、.xlsm、.xls、.ods、.csv、.tsv、.txt 格式的文件。"


def heroes(db):
    con = store.connect(db)
    try:
        return con.execute("SELECT count(*) FROM heroes").fetchone()[0]
    finally:
        con.close()


def shown(markdown: str) -> str:
    """What a reader sees of a Markdown body whose data values were escaped (ui.text.plain)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def errors(at) -> list[str]:
    return [shown(e.value) for e in at.error]


def test_a_pdf_on_the_import_page_gets_a_chinese_sentence(tmp_db):
    at = app(tmp_db, "pages/import_data.py", role="editor")
    at.file_uploader[0].set_value(("通知.pdf", b"%PDF-1.4 test", "application/pdf")).run()
    assert not at.exception
    assert errors(at) == [IMPORT_TYPES]
    assert not any(bt.label == "确认导入" for bt in at.button)


def test_a_spreadsheet_on_the_restore_uploader_gets_a_chinese_sentence(tmp_db):
    at = app(tmp_db, "pages/backup.py", role="admin")
    uploader = next(u for u in at.file_uploader if u.key == "restore_upload")
    uploader.set_value(("登记表.xlsx", b.xlsx({"S": [["姓名"], ["张三"]]}), XLSX)).run()
    assert not at.exception
    assert "文件“登记表.xlsx”的类型不能在此上传，未作处理。请上传 .zip 格式的文件。" in errors(at)
    assert not any(bt.label == "开始恢复" for bt in at.button)


def test_header_only_file_is_refused_on_the_page(tmp_db):
    at = app(tmp_db, "pages/import_data.py", role="editor")
    at.file_uploader[0].set_value(("表头.csv", b.csv_bytes([b.REG_HEADERS], "gbk"), "text/csv")).run()
    assert not at.exception
    assert "文件“表头.csv”中只有表头，没有数据行。" in errors(at)
    assert not any(bt.label == "确认导入" for bt in at.button)


def test_a_county_form_with_totals_and_footer_imports_without_errors(tmp_db):
    head = ["序号", "姓名", "身份证号码", "县(市、区)", "事迹发生地点", "家庭住址", "确认时间"]
    rows = [["东昌府区见义勇为人员统计表"], head]
    for i in range(4):
        birth = dt.date(1975 + i, 2, 3)
        rows.append([i + 1, f"人员{'甲乙丙丁'[i]}", make_id_number("371502", birth, 301 + 2 * i), "东昌府区",
                     "东昌湖", "某小区", dt.date(2024, 1, 5)])
    rows += [["合计", "4人", None, "东昌府区", None, None, None], ["填表人：", "王五", "审核人：", "赵六", None, None, None]]
    at = app(tmp_db, "pages/import_data.py", role="editor")
    at.file_uploader[0].set_value(("统计表.xlsx", b.xlsx({"统计表": rows}), XLSX)).run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["新增"] == "4人"
    assert {m.label: m.value for m in at.metric}["有错误不导入"] == "0行"
    assert [shown(w.value) for w in at.warning] == [
        "以下列不属于本系统字段，其内容未导入：“家庭住址”。如其中有应导入的内容，请在“列对应关系”中指定对应字段"]
    assert any(shown(c.value) == "说明：第7、8行为小计/合计/落款行，未导入" for c in at.caption)
    mapping = next(d.value for d in at.dataframe if "对应字段" in d.value.columns)
    assert mapping["对应字段"].tolist() == ["（不导入）", "姓名（必填）", "身份证号码", "县市区（必填）", "事迹地点",
                                         "（不导入）", "确认时间"]
    commit = next(bt for bt in at.button if bt.label == "确认导入")
    assert not commit.disabled
    commit.click().run()
    assert not at.exception and heroes(tmp_db) == 4
