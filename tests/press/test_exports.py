"""The three files re-opened: figures, fonts, charts, 典型事迹 without personal identifiers."""
from __future__ import annotations

import re

from docx.oxml.ns import qn

from analytics.press import cases
from analytics.press.docx_export import to_docx
from analytics.press.material import build_material
from analytics.press.pptx_export import to_pptx
from analytics.press.xlsx_export import to_xlsx
from tests.press.conftest import D
from tests.press.readback import docx_content, pptx_content, xlsx_content, xlsx_table

SEED = "聊城市见义勇为基金会成立以来，全市共登记在册见义勇为人员704人，其中受到国家级表扬3人、省级表扬49人、市级表扬307人。"


def _material(con, as_of="2024-07-31", county=None, with_cases=True):
    d = D(as_of)
    ids = tuple(cases.default_ids(cases.candidates(con, d, county))) if with_cases else ()
    return build_material(con, d, county, ids)


def test_docx_contents_and_east_asian_fonts(ro_con):
    m = _material(ro_con)
    c = docx_content(to_docx(m))
    assert c["paragraphs"][0] == "聊城市见义勇为工作新闻发布会数据材料"
    assert c["paragraphs"][1] == "（截至2024年7月31日）"
    assert c["paragraphs"][2].startswith("统计范围：全市各县市区及三个功能区；统计截至2024年7月31日。")
    assert SEED in c["paragraphs"]
    assert any(p.startswith("四、数据说明") for p in c["paragraphs"])
    assert any(p.startswith("三、典型事迹") for p in c["paragraphs"])
    t1, t2, t3 = c["tables"]
    assert t1[0] == ["县市区", "登记在册（人）", "国家级表扬（人）", "省级表扬（人）", "市级表扬（人）", "县级表扬（人）"]
    assert t1[-1][:5] == ["合计", "704", "3", "49", "307"]
    assert t2[-1][1:] == [str(m.figures["workstations"]), str(m.figures["activities"]["publicity_events"]),
                          str(m.figures["activities"]["reports"]), str(m.figures["activities"]["assistance_visits"])]
    assert m.figures["assistance"] == {"times": 194, "amount_yuan": 562200}          # README's stats example
    assert t3[-1] == ["合计", "194", "562,200"]                                       # the dashboards' format
    # every run names an East Asian font
    runs = [r for p in c["doc"].paragraphs for r in p.runs if r.text]
    assert runs and all(r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in runs)


def test_xlsx_sheets_figures_and_native_charts(ro_con):
    m = _material(ro_con)
    c = xlsx_content(to_xlsx(m))
    assert list(c["sheets"]) == ["文字稿", "主要数据", "表1 登记及表扬", "表2 活动情况", "表3 帮扶优抚", "典型事迹", "数据说明"]
    assert c["sheets"]["文字稿"][4][0] == m.statement and m.statement.startswith(SEED)
    key = {row[0]: row[1] for row in c["sheets"]["主要数据"][3:] if row[0] and row[1] is not None}
    assert key["登记在册人数"] == 704 and key["市级表扬人数"] == 307 and key["英模工作室"] == 20
    assert key["今年以来帮扶金额"] == 562200 and key["今年以来帮扶优抚"] == 194
    header, body = xlsx_table(c["sheets"]["表1 登记及表扬"])
    assert header[1] == "登记在册（人）" and body[-1][:5] == ["合计", 704, 3, 49, 307]
    assert len(c["charts"]["表1 登记及表扬"]) == 1
    assert len(c["charts"]["表2 活动情况"]) == 1
    assert len(c["charts"]["表3 帮扶优抚"]) == 2
    chart = c["charts"]["表1 登记及表扬"][0]
    assert len(chart.series) == 4 and chart.tagname == "barChart"
    ref = chart.series[0].val.numRef.f
    assert ref.startswith("'表1 登记及表扬'!$B$4:$B$14")          # 11 units, the 合计 row not charted


def test_xlsx_text_cells_never_formulas(ro_con):
    from analytics.press.cases import Case
    m = _material(ro_con, with_cases=False)
    m.cases = [Case(1, "=HYPERLINK(\"x\")", "冠县", "+1 and -2 @sum")]
    wb = xlsx_content(to_xlsx(m))["wb"]
    ws = wb["典型事迹"]
    assert ws["B4"].data_type == "s" and ws["B4"].value.startswith("'=")
    assert ws["D4"].data_type == "s"


def test_pptx_slides_and_chart_series(ro_con):
    m = _material(ro_con)
    c = pptx_content(to_pptx(m))
    # title, tiles, statement (2 slides of at most 8 lines), 4 charts, 典型事迹 (3 a slide: 2), 统计口径
    assert c["slides"] == 11
    assert any(t.startswith(SEED) for t in c["texts"])
    assert "704" in c["texts"] and "307" in c["texts"]
    # the 主要数据 tiles: the catalogue's tile figures, in its order, with its units
    tiles = [t for t in c["texts"] if t.endswith("）") and t.split("（")[0] in {
        "登记在册人数", "国家级表扬人数", "省级表扬人数", "市级表扬人数", "英模工作室", "见义勇为工作站", "宣传活动", "帮扶优抚"}]
    assert tiles == ["登记在册人数（人）", "国家级表扬人数（人）", "省级表扬人数（人）", "市级表扬人数（人）", "英模工作室（处）",
                     "见义勇为工作站（个）", "宣传活动（场次）", "帮扶优抚（人次）"]
    assert "注：宣传活动、帮扶优抚为2024年1月1日至7月31日数据，其余为截至2024年7月31日的累计数。" in c["texts"]
    levels, activity, times, amount = c["charts"]
    assert levels["categories"][0] == "东昌府区" and len(levels["categories"]) == 11
    assert sum(levels["series"]["登记在册（人）"]) == 704
    assert sum(levels["series"]["国家级表扬（人）"]) == 3
    assert sum(levels["series"]["省级表扬（人）"]) == 49
    assert sum(levels["series"]["市级表扬（人）"]) == 307
    assert activity["series"]["宣传活动（场次）"][0] == 32          # 东昌府区, seed 000
    assert sum(times["series"]["帮扶（人次）"]) == m.figures["assistance"]["times"]
    assert round(sum(amount["series"]["金额（元）"]), 2) == m.figures["assistance"]["amount_yuan"]


def test_exports_carry_no_personal_identifiers(ro_con):
    m = _material(ro_con)
    ids = [c.hero_id for c in m.cases]
    assert ids
    placeholders = ",".join("?" * len(ids))
    secrets = ro_con.execute(
        f"SELECT id_number, phone, address, strftime(birth_date, '%Y%m%d') FROM heroes WHERE hero_id IN ({placeholders})",
        ids).fetchall()
    blobs = [
        "\n".join(docx_content(to_docx(m))["paragraphs"]),
        str(xlsx_content(to_xlsx(m))["sheets"]),
        "\n".join(pptx_content(to_pptx(m))["texts"]),
    ]
    for row in secrets:
        for value in row:
            if value:
                for blob in blobs:
                    assert str(value) not in blob
    for blob in blobs:
        assert not re.search(r"\d{17}[\dXx]", blob) and not re.search(r"1[3-9]\d{9}", blob)
    for c in m.cases:
        assert c.name in blobs[0] and c.summary in blobs[0]


def test_county_exports_single_row_without_total(ro_con):
    m = _material(ro_con, "2024-07-31", "东昌府区", with_cases=False)
    c = docx_content(to_docx(m))
    assert c["paragraphs"][0] == "聊城市见义勇为工作新闻发布会数据材料\n（东昌府区）"   # never "（东 / 昌府区）"
    t1 = c["tables"][0]
    assert len(t1) == 2 and t1[1][0] == "东昌府区" and t1[1][1] == str(m.figures["registered"])
    x = xlsx_content(to_xlsx(m))
    assert "典型事迹" not in x["sheets"]
    _, body = xlsx_table(x["sheets"]["表2 活动情况"])
    assert body == [["东昌府区", 14, 32, 20, 15]]
    p = pptx_content(to_pptx(m))
    assert p["charts"][1]["series"]["宣传活动（场次）"] == [32.0]


def test_exports_on_empty_database(tmp_db):
    from analytics import store
    con = store.connect_for_reading(tmp_db)
    try:
        m = build_material(con, D("2024-07-31"), None)
    finally:
        con.close()
    assert docx_content(to_docx(m))["paragraphs"]
    assert xlsx_content(to_xlsx(m))["sheets"]["文字稿"][4][0] == "截至2024年7月31日，全市暂无可发布的见义勇为统计数据。"
    assert pptx_content(to_pptx(m))["slides"] >= 4
