"""The files re-opened for their layout: Word page and fonts (GB/T 9704 model), Excel chart axes and print
settings, slide line limits, no developer words anywhere a press officer looks."""
from __future__ import annotations

import io
import math
import re
import zipfile

import docx
import openpyxl
import pptx
import pytest
from docx.oxml.ns import qn

from analytics.press import cases
from analytics.press.briefing import build_briefing
from analytics.press.briefing_docx import to_docx as briefing_docx
from analytics.press.docx_export import to_docx
from analytics.press.material import build_material
from analytics.press.pptx_export import to_pptx
from analytics.press.xlsx_export import to_xlsx
from tests.press.conftest import D

EMU_PER_MM = 36000
ASCII_COMMAND_WORDS = re.compile(r"stats|python|--|analytics|issue|def |\.py", re.IGNORECASE)


@pytest.fixture(scope="module")
def files(demo_db_readonly):
    from analytics import store
    con = store.connect_for_reading(demo_db_readonly)
    try:
        out = {}
        for county in (None, "东昌府区", "聊城高新技术产业开发区"):
            d = D("2024-07-31")
            m = build_material(con, d, county, tuple(cases.default_ids(cases.candidates(con, d, county))))
            out[county] = {"docx": to_docx(m), "xlsx": to_xlsx(m), "pptx": to_pptx(m)}
        out["briefing"] = briefing_docx(build_briefing(con, D("2024-04-01"), D("2024-06-30")))
        return out
    finally:
        con.close()


def _all_xml_text(data: bytes) -> str:
    """Every text node of every XML part (what any reader may see: body, headers, notes, charts)."""
    z = zipfile.ZipFile(io.BytesIO(data))
    texts = []
    for name in z.namelist():
        if name.endswith(".xml"):
            xml = z.read(name).decode("utf-8")
            texts += re.findall(r"<(?:w:t|a:t|t|c:v)(?: [^>]*)?>([^<]*)<", xml)
    return "\n".join(texts)


@pytest.mark.parametrize("county", [None, "东昌府区", "聊城高新技术产业开发区"])
def test_no_developer_words_in_any_file(files, county):
    for kind, data in files[county].items():
        text = _all_xml_text(data)
        assert "命令行" not in text, kind
        assert not ASCII_COMMAND_WORDS.search(text), (kind, ASCII_COMMAND_WORDS.search(text).group(0))
    assert not ASCII_COMMAND_WORDS.search(_all_xml_text(files["briefing"]))


@pytest.mark.parametrize("which", ["material", "briefing"])
def test_word_page_margins_fonts_and_page_numbers(files, which):
    data = files[None]["docx"] if which == "material" else files["briefing"]
    d = docx.Document(io.BytesIO(data))
    sec = d.sections[0]
    assert (round(sec.page_width / EMU_PER_MM), round(sec.page_height / EMU_PER_MM)) == (210, 297)
    assert [round(x / EMU_PER_MM) for x in (sec.top_margin, sec.bottom_margin, sec.left_margin,
                                            sec.right_margin)] == [37, 35, 28, 26]
    grid = sec._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"                     # 28.95 pt: 22 lines in 225 mm
    # title 小标宋 二号, with its fallback declared in the font table
    title_run = d.paragraphs[0].runs[0]
    assert title_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert title_run._element.rPr.find(qn("w:sz")).get(qn("w:val")) == "44"
    fonts = next(p for p in d.part.package.parts if str(p.partname) == "/word/fontTable.xml")
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>' in fonts.blob.decode("utf-8")
    # body 仿宋 三号 (16 pt) with exact 28.95 pt lines; headings 黑体 三号
    body = [p for p in d.paragraphs if p.text.startswith(("聊城市见义勇为基金会成立以来", "截至2024年6月30日"))][0]
    run = body.runs[0]._element.rPr
    assert run.rFonts.get(qn("w:eastAsia")) == "仿宋" and run.find(qn("w:sz")).get(qn("w:val")) == "32"
    assert body.paragraph_format.line_spacing.pt == pytest.approx(28.95, abs=0.05)
    heading = [p for p in d.paragraphs if p.text.startswith("一、")][0]
    assert heading.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    # every run names an East Asian font
    assert all(r._element.rPr.rFonts.get(qn("w:eastAsia")) for p in d.paragraphs for r in p.runs if r.text)
    # "— N —" page numbers, odd pages right and even pages left
    assert d.settings.odd_and_even_pages_header_footer
    for footer in (sec.footer, sec.even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in xml and "— " in xml and " —" in xml
    # tables: repeating header row, rows never split
    for t in d.tables:
        rows = t._tbl.findall(qn("w:tr"))
        assert rows[0].find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
        assert all(r.find(qn("w:trPr")).find(qn("w:cantSplit")) is not None for r in rows)


def test_word_county_title_breaks_before_the_place_name(files):
    d = docx.Document(io.BytesIO(files["东昌府区"]["docx"]))
    assert d.paragraphs[0].text == "聊城市见义勇为工作新闻发布会数据材料\n（东昌府区）"


@pytest.mark.parametrize("county", [None, "东昌府区", "聊城高新技术产业开发区"])
def test_xlsx_bar_charts_categories_from_top_values_from_zero(files, county):
    z = zipfile.ZipFile(io.BytesIO(files[county]["xlsx"]))
    charts = [z.read(n).decode() for n in z.namelist() if re.match(r"xl/charts/chart\d+\.xml$", n)]
    assert len(charts) == 4
    bars = [c for c in charts if '<c:barDir val="bar"/>' in c]
    assert len(bars) == 2                                             # the two charts of 表3
    for xml in charts:
        val = re.search(r"<c:valAx>.*?</c:valAx>", xml, re.S).group(0)
        cat = re.search(r"<c:catAx>.*?</c:catAx>", xml, re.S).group(0)
        assert '<c:orientation val="minMax"/>' in val                # never a reversed value axis
        horizontal = xml in bars
        # horizontal bars: the first category on top (maxMin), the value axis crossing at the bottom
        assert (f'<c:orientation val="{"maxMin" if horizontal else "minMax"}"/>') in cat
        if horizontal:
            assert '<c:crosses val="max"/>' in val


@pytest.mark.parametrize("county", [None, "东昌府区", "聊城高新技术产业开发区"])
def test_xlsx_every_sheet_prints_on_a4(files, county):
    wb = openpyxl.load_workbook(io.BytesIO(files[county]["xlsx"]))
    title = "聊城市见义勇为工作新闻发布会数据材料" + ("" if county is None else f"（{county}）")
    for ws in wb:
        ps = ws.page_setup
        assert ps.paperSize == 9, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ps.fitToWidth in (1, None) and ps.fitToHeight == 0
        widths = sum((ws.column_dimensions[c].width or 8.43) for c in "ABCDEFGHIJ"[:ws.max_column])
        assert ps.orientation == ("landscape" if widths > 90 else "portrait"), ws.title
        assert title in ws.oddHeader.left.text and ws.oddHeader.right.text == "截至2024年7月31日"
        assert "&P" in ws.oddFooter.center.text
        if ws.title.startswith(("表", "主要数据", "典型事迹")):
            assert ws.print_title_rows == "$3:$3", ws.title
        if ws.title in ("文字稿", "数据说明"):                        # text inside a portrait page's width
            assert widths <= 72
            for row in ws.iter_rows():
                for c in row:
                    if isinstance(c.value, str) and len(c.value) > 40:
                        assert c.alignment.wrap_text, (ws.title, c.coordinate)


def test_xlsx_money_in_the_dashboards_format(files):
    wb = openpyxl.load_workbook(io.BytesIO(files[None]["xlsx"]))
    ws = wb["表3 帮扶优抚"]
    total = [r for r in ws.iter_rows(min_row=4) if r[0].value == "合计"][0]
    assert total[2].value == 562200 and total[2].number_format == "#,##0"        # shows "562,200"


def _lines(text: str, width_emu: int, size_pt: float) -> int:
    per_line = (width_emu / 12700 - 14.4) / size_pt
    return sum(max(1, math.ceil(sum(0.5 if ord(ch) < 0x2E80 else 1 for ch in p) / per_line))
               for p in text.split("\n"))


@pytest.mark.parametrize("county", [None, "东昌府区", "聊城高新技术产业开发区"])
def test_no_slide_over_eight_lines_and_a_reading_line_per_chart(files, county):
    prs = pptx.Presentation(io.BytesIO(files[county]["pptx"]))
    for k, slide in enumerate(prs.slides, 1):
        for shape in slide.shapes:
            if shape.has_text_frame and shape.text_frame.text.strip():
                sizes = [r.font.size.pt for p in shape.text_frame.paragraphs for r in p.runs if r.font.size]
                assert _lines(shape.text_frame.text, shape.width, max(sizes)) <= 8, (k, shape.text_frame.text)
            if shape.has_table:
                assert len(shape.table.rows) <= 4, k                    # header + 3 cases
        if any(getattr(s, "has_chart", False) and s.has_chart for s in slide.shapes):
            reading = [s.text_frame.text for s in slide.shapes if s.has_text_frame and (
                "最多的是" in s.text_frame.text or "全部为“" in s.text_frame.text or county and s.text_frame.text.startswith(f"{county}："))]
            assert len(reading) == 1 and "\n" not in reading[0], k
            box = [s for s in slide.shapes if s.has_text_frame and s.text_frame.text == reading[0]][0]
            assert _lines(reading[0], box.width, box.text_frame.paragraphs[0].runs[0].font.size.pt) == 1, reading
    title = prs.slides[0].shapes
    texts = [s.text_frame.text for s in title if s.has_text_frame]
    if county:
        assert f"聊城市见义勇为工作新闻发布会数据材料\n（{county}）" in texts
    assert any(t.startswith("统计范围：") for t in texts)


def test_pptx_statement_kept_whole_in_notes(files):
    prs = pptx.Presentation(io.BytesIO(files[None]["pptx"]))
    notes = [s.notes_slide.notes_text_frame.text for s in prs.slides if s.has_notes_slide]
    assert any(n.startswith("聊城市见义勇为基金会成立以来，全市共登记在册见义勇为人员704人") for n in notes)
    assert any(n.startswith("数据说明\n1. 统计截至日期为2024年7月31日") for n in notes)


def test_pptx_bar_charts_categories_from_top_value_axis_at_the_bottom(files):
    z = zipfile.ZipFile(io.BytesIO(files[None]["pptx"]))
    charts = [z.read(n).decode() for n in z.namelist() if re.match(r"ppt/charts/chart\d+\.xml$", n)]
    bars = [c for c in charts if '<c:barDir val="bar"/>' in c]
    assert len(charts) == 4 and len(bars) == 2
    for xml in bars:
        val = re.search(r"<c:valAx>.*?</c:valAx>", xml, re.S).group(0)
        cat = re.search(r"<c:catAx>.*?</c:catAx>", xml, re.S).group(0)
        assert '<c:orientation val="maxMin"/>' in cat and '<c:crosses val="max"/>' in val
        assert 'maxMin' not in val
