"""Privacy: masking for viewers, the permission table, formula-safe spreadsheet cells, the strict Streamlit
configuration, and no stack trace or server path ever shown to a user."""
from __future__ import annotations

import io
import tomllib

import openpyxl
import pandas as pd
import pytest

from analytics import privacy
from analytics.privacy import can, mask_address, mask_frame, mask_id, mask_phone, mask_text, safe_cell, safe_frame
from tests.conftest import ROOT


def test_mask_id():
    assert mask_id("371502199001011234") == "371502********1234"
    assert mask_id("37150219900101123X") == "371502********123X"
    assert mask_id(" 371502199001011234 ") == "371502********1234"
    assert mask_id("12345") == "*****"
    assert mask_id(None) is None and pd.isna(mask_id(float("nan"))) and mask_id("") == ""


def test_mask_phone():
    assert mask_phone("13812341234") == "138****1234"
    assert mask_phone("0635-8231234") == "063****1234"
    assert mask_phone("8231234") == "****1234"
    assert mask_phone("123") == "****"
    assert mask_phone(None) is None


@pytest.mark.parametrize("address,town,expected", [
    ("东昌府区古楼街道光明小区3号楼2单元", "古楼街道", "东昌府区古楼街道"),
    ("阳谷县阿城镇王庄村58号", None, "阳谷县阿城镇"),
    ("莘县燕店镇", "燕店镇", "莘县燕店镇"),
    ("冠县某某路18号", "清泉街道", "清泉街道"),
    ("聊城市东昌府区光明路", None, "聊城市东昌府区***"),
    ("光明路18号", None, "***"),
])
def test_mask_address(address, town, expected):
    assert mask_address(address, town) == expected


def test_mask_frame_by_role():
    df = pd.DataFrame({"姓名": ["张三", "李四"], "身份证号": ["371502199001011234", None],
                       "联系电话": ["13812341234", "13900001111"], "住址": ["冠县清泉街道某小区1号", "莘县燕店镇李庄"],
                       "镇街": ["清泉街道", "燕店镇"]})
    v = mask_frame(df, "viewer")
    assert list(v["身份证号"][:1]) == ["371502********1234"] and v["身份证号"].isna()[1]
    assert list(v["联系电话"]) == ["138****1234", "139****1111"]
    assert list(v["住址"]) == ["冠县清泉街道", "莘县燕店镇"]
    assert df["身份证号"][0] == "371502199001011234"                 # the input is not modified
    for role in ("editor", "admin"):
        assert mask_frame(df, role).equals(df)
    for role in (None, "", "root"):                                  # unknown roles: masked (fail closed)
        assert mask_frame(df, role)["联系电话"][0] == "138****1234"
    en = pd.DataFrame({"id_number": ["371502199001011234"], "phone": ["13812341234"],
                       "address": ["东昌府区古楼街道光明小区"], "town": ["古楼街道"]})
    assert mask_frame(en, "viewer").iloc[0].tolist() == ["371502********1234", "138****1234", "东昌府区古楼街道",
                                                         "古楼街道"]


def test_mask_text():
    msg = "第3行：身份证号371502199001011234与第5行重复，电话13812341234"
    assert mask_text(msg, "viewer") == "第3行：身份证号371502********1234与第5行重复，电话138****1234"
    assert mask_text(msg, "editor") == msg


def test_permission_table():
    assert can("viewer", "view") and can("viewer", "export_press")
    for action in ("see_personal", "import", "edit", "undo", "export_personal"):
        assert not can("viewer", action) and can("editor", action) and can("admin", action)
    for action in ("manage_accounts", "backup", "restore", "settings"):
        assert not can("editor", action) and can("admin", action)
    assert not can("admin", "launch_missiles") and not can(None, "view") and not can("root", "view")


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1",
                                   "=HYPERLINK(\"http://evil\",\"x\")", "=cmd|' /C calc'!A0"])
def test_safe_cell_neutralizes_formulas(value):
    out = safe_cell(value)
    assert out.startswith("'") and out[1:] == value


def test_safe_cell_leaves_other_values():
    for v in ("张三", "371502199001011234", "", None, 12, -5, 3.5, pd.Timestamp("2024-07-31")):
        assert safe_cell(v) is v or safe_cell(v) == v
    assert safe_cell("a\x00b\x07c") == "abc"


def test_safe_frame_in_real_xlsx_and_csv():
    df = pd.DataFrame({"姓名": ["=1+1", "张三"], "=evil": ["@x", "ok"], "人数": [-3, 4]})
    safe = safe_frame(df)
    assert list(safe.columns) == ["姓名", "'=evil", "人数"] and safe["人数"].tolist() == [-3, 4]
    assert df["姓名"][0] == "=1+1"                                    # the input is not modified
    for engine in ("openpyxl", "xlsxwriter"):
        buf = io.BytesIO()
        safe.to_excel(buf, index=False, engine=engine)
        ws = openpyxl.load_workbook(io.BytesIO(buf.getvalue())).active
        values = [[c.value for c in row] for row in ws.iter_rows()]
        assert values[1][0] == "'=1+1" and ws.cell(2, 1).data_type == "s", engine
        assert values[1][1] == "'@x" and values[1][2] == -3
    text = safe.to_csv(index=False)
    assert "\n'=1+1," in text and "\n=" not in text


# ---- configuration and error display ---------------------------------------------------------------------

def test_streamlit_config_is_strict():
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert cfg["server"]["enableXsrfProtection"] is True
    assert cfg["server"]["maxUploadSize"] == 50
    assert cfg["server"]["fileWatcherType"] == "none"
    assert cfg["server"].get("enableCORS", True) is True
    assert cfg["browser"]["gatherUsageStats"] is False
    assert cfg["client"]["showErrorDetails"] in ("none", False)
    assert cfg["client"].get("toolbarMode") in ("minimal", "viewer")


def test_page_error_shows_one_chinese_sentence_and_no_trace(demo_db, monkeypatch, caplog):
    from tests.pages.apptest_util import app
    from ui import queries

    def boom(*args, **kwargs):
        raise RuntimeError("secret detail /srv/yiyong/data/yiyong.duckdb")
    monkeypatch.setattr(queries, "key_figures", boom)       # what 总览 draws from
    at = app(demo_db, "pages/overview.py", as_of="2024-07-31")
    assert not at.exception
    shown = "\n".join(str(e.value) for kind in ("error", "markdown", "caption", "code", "exception")
                      for e in getattr(at, kind))
    assert "页面加载时出现问题" in shown
    assert "secret detail" not in shown and "/srv/" not in shown and "Traceback" not in shown
    assert "RuntimeError" not in shown


def test_store_error_is_shown_as_its_sentence(demo_db, monkeypatch):
    from analytics.store import StoreError
    from tests.pages.apptest_util import app
    from ui import queries

    def locked(*args, **kwargs):
        raise StoreError("数据库文件正被另一个程序占用，请稍后重试。")
    monkeypatch.setattr(queries, "key_figures", locked)
    at = app(demo_db, "pages/overview.py")
    assert not at.exception
    assert any(e.value == "数据库文件正被另一个程序占用，请稍后重试。" for e in at.error)


def test_privacy_module_has_no_streamlit():
    src = (ROOT / "analytics" / "privacy.py").read_text(encoding="utf-8") + \
        (ROOT / "analytics" / "accounts.py").read_text(encoding="utf-8") + \
        (ROOT / "analytics" / "backup.py").read_text(encoding="utf-8")
    assert "import streamlit" not in src and "from streamlit" not in src
    assert privacy.PERMISSIONS


# ---- free text (事迹简介, 工作单位, 备注 …) ---------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    # the probe's sentences
    ("身份证号371502199001011234，电话13912345678，家住东昌府区古楼街道光明小区3号楼2单元",
     "身份证号371502********1234，电话139****5678，家住东昌府区古楼街道***"),
    ("身份证号371502199001011234，电话13912345678，家住…光明小区3号楼2单元",
     "身份证号371502********1234，电话139****5678，家住***"),
    ("某公司（电话13712345678）", "某公司（电话137****5678）"),
    # IDs: X / x, full-width digits, 15-digit old numbers, glued to Chinese characters, with spaces
    ("其身份证37150219900101123X已核实", "其身份证371502********123X已核实"),
    ("身份证号码：３７１５０２１９９００１０１１２３ｘ。", "身份证号码：３７１５０２********１２３ｘ。"),
    ("老身份证371502900101123，", "老身份证371502*****1123，"),
    ("证号 371502 19900101 1234", "证号 371502 ******** 1234"),
    # mobiles and landlines, with or without 区号, dashes, +86, Chinese brackets
    ("手机：139-1234-5678；座机0635-8212345", "手机：139-****-5678；座机0635-***2345"),
    ("联系电话+86 13912345678", "联系电话+86 139****5678"),
    ("电话（0635）8212345转分机", "电话（0635）***2345转分机"),
    ("办公电话8212345。", "办公电话***2345。"),
    ("ＴＥＬ：１３９１２３４５６７８", "ＴＥＬ：１３９****５６７８"),
    # addresses below the town: village, housing estate, building, unit, room
    ("现住阳谷县阿城镇王庄村58号，务农。", "现住阳谷县阿城镇***，务农。"),
    ("住址：冠县清泉街道幸福小区2栋1单元301室", "住址：冠县清泉街道***"),
    ("其家位于莘县燕店镇李庄村，", "其家位于莘县燕店镇***，"),
    ("在光明小区5号楼3单元402室楼下救火", "在光明小区***楼下救火"),
])
def test_mask_text_real_sentences(text, expected):
    assert mask_text(text, "viewer") == expected
    assert mask_text(text) == expected                       # no role: masked (press material)
    assert mask_text(text, "editor") == text and mask_text(text, "admin") == text


@pytest.mark.parametrize("text", [
    "2024年5月1日，张三在徒骇河救起落水儿童2名，获奖金5000元。",
    "他镇定地跳入河中，救起郑家镇村民王某。",
    "在古楼街道办事处组织下开展宣传活动20240501场次",
    "东昌府区古楼街道",                                       # a town alone is not below the town
    "聊城市见义勇为基金会",
])
def test_mask_text_leaves_ordinary_sentences_alone(text):
    assert mask_text(text, "viewer") == text


def test_mask_text_non_text_values():
    assert mask_text(None, "viewer") is None and mask_text("", "viewer") == ""
    assert pd.isna(mask_text(float("nan"), "viewer")) and mask_text(5, "viewer") == 5


def test_mask_frame_masks_every_free_text_column_for_viewers():
    df = pd.DataFrame({"name": ["张三"], "employer": ["某公司（电话13712345678）"],
                       "summary": pd.Series(["身份证号371502199001011234，家住古楼街道光明小区3号楼"], dtype="str"),
                       "note": [None], "hero_id": [7]})
    v = mask_frame(df, "viewer")
    assert v.iloc[0].tolist()[:3] == ["张三", "某公司（电话137****5678）", "身份证号371502********1234，家住古楼街道***"]
    assert v["note"].isna()[0] and v["hero_id"][0] == 7
    assert mask_frame(df, "editor").equals(df)


def _hostile_person(db):
    from tests.registry_rows import full_row, import_rows
    import_rows(db, [full_row(0, 姓名="王五", 工作单位="某公司（电话13712345678）", 是否市域外="是", 事迹地点="江苏省南京市玄武区",
                              事迹简介="身份证号371502199001011234，电话13912345678，家住东昌府区古楼街道光明小区3号楼2单元")])
    con = store_connect(db)
    try:
        return con.execute("SELECT hero_id FROM heroes WHERE name = '王五'").fetchone()[0]
    finally:
        con.close()


def store_connect(db):
    from analytics import store
    return store.connect(db)


SECRETS = ("371502199001011234", "13912345678", "13712345678", "光明小区", "3号楼")


def test_free_text_masked_for_viewers_in_every_registry_read(tmp_db):
    from analytics import registry
    hid = _hostile_person(tmp_db)
    con = store_connect(tmp_db)
    try:
        for role, hidden in (("viewer", True), ("editor", False), ("admin", False)):
            f = registry.person_file(con, hid, role)
            texts = [str(v) for v in f["person"].values()] + [
                str(v) for frame in (f["deeds"], f["recognitions"], f["history"]) for v in frame.to_numpy().ravel()]
            texts += [str(v) for v in registry.outside_city_heroes(con, role=role).to_numpy().ravel()]
            texts += [str(v) for v in registry.search_heroes(con, name="王五", role=role)[0].to_numpy().ravel()]
            texts += [str(v) for v in registry.export_frame(con, role=role, name="王五").to_numpy().ravel()]
            blob = " ".join(texts)
            for secret in SECRETS:
                assert (secret not in blob) == hidden, (role, secret)
        viewer = registry.person_file(con, hid, "viewer")
        assert viewer["person"]["employer"] == "某公司（电话137****5678）"
        assert viewer["deeds"]["summary"][0] == "身份证号371502********1234，电话139****5678，家住东昌府区古楼街道***"
    finally:
        con.close()


def test_press_cases_always_masked(tmp_db):
    import datetime as dt

    from analytics.press import cases
    hid = _hostile_person(tmp_db)
    con = store_connect(tmp_db)
    try:
        (case,) = cases.pick(con, dt.date(2025, 1, 1), None, [hid])
        assert case.summary == "身份证号371502********1234，电话139****5678。获评“见义勇为先进个人”。"
    finally:
        con.close()


def test_directories_mask_free_text_for_viewers(tmp_db):
    from analytics.ingest.plan import analyze_file, run
    from tests.pages.apptest_util import app
    data = ("名称,县市区,镇街,类别,成立日期,负责人\n"
            "古楼街道见义勇为工作站,东昌府区,古楼街道,工作站,2020-01-01,张三（电话13912345678）\n").encode("utf-8")
    con = store_connect(tmp_db)
    try:
        assert run(con, [analyze_file("名录.csv", data)], "测试员").committed
    finally:
        con.close()
    for role, head in (("viewer", "张三（电话139****5678）"), ("editor", "张三（电话13912345678）")):
        at = app(tmp_db, "pages/directories.py", role=role, as_of="2024-12-31")
        assert not at.exception, at.exception
        (table,) = [d.value for d in at.dataframe if "站长" in d.value.columns]
        assert list(table["站长"]) == [head], role
