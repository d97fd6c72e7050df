"""数据导入 under AppTest: upload a real file, see the preview, commit, see it in the history, undo it."""
from analytics import store
from tests.ingest import builders as b
from tests.pages.apptest_util import app

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def heroes(db):
    con = store.connect(db)
    try:
        return con.execute("SELECT count(*) FROM heroes").fetchone()[0]
    finally:
        con.close()


def table(at, column):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [e.value for e in at.error] + [s.value for s in at.success] \
        + [c.value for c in at.caption] + [w.value for w in at.warning] + [i.value for i in at.info]
    return "\n".join(str(p) for p in parts)


def test_upload_preview_commit_history_undo(tmp_db):
    at = app(tmp_db, "pages/import_data.py", role="editor")
    assert not at.exception
    rows = [["聊城市见义勇为人员登记表"], b.REG_HEADERS, *b.registry_rows(3)]
    rows.append(b.person(5, county="历城区"))
    at.file_uploader[0].set_value(("登记表.xlsx", b.xlsx({"登记表": rows, "说明": [["填表说明"]]}), XLSX))
    at.run()
    assert not at.exception
    t = texts(at)
    assert "人员登记" in t and "表头在第 2 行" in t and "“历城区”不是聊城市的县市区" not in t  # in the table
    assert {m.label: m.value for m in at.metric}["新增"] == "3人"
    problems = table(at, "行号")
    assert list(problems["行号"]) == [6] and problems.iloc[0]["说明"] == "“历城区”不是聊城市的县市区"
    assert "说明" in t and "跳过" in t
    commit = next(bt for bt in at.button if bt.label == "确认导入")
    assert commit.disabled
    at.checkbox(key="accept_valid").check().run()
    next(bt for bt in at.button if bt.label == "确认导入").click().run()
    assert not at.exception
    assert "导入成功" in texts(at) and heroes(tmp_db) == 3
    hist = table(at, "SHA-256")
    assert list(hist["新增"]) == [3] and list(hist["文件"]) == ["登记表.xlsx"]
    at.checkbox(key="undo_confirm").check().run()
    next(bt for bt in at.button if bt.label == "撤销").click().run()
    assert not at.exception and heroes(tmp_db) == 0 and "已撤销导入批次" in texts(at)


def test_bad_file_gets_one_sentence(tmp_db):
    at = app(tmp_db, "pages/import_data.py", role="editor")
    at.file_uploader[0].set_value(("secret.xlsx", b.encrypted_workbook(), XLSX)).run()
    assert not at.exception
    assert any("密码" in e.value for e in at.error)
    assert not any(bt.label == "确认导入" for bt in at.button)


def test_viewer_is_refused(tmp_db):
    at = app(tmp_db, "pages/import_data.py", role="viewer")
    assert not at.exception and not at.file_uploader and not at.title
    assert len(at.error) == 1 and "无权使用“数据导入”页面" in at.error[0].value
