"""The press material as a Word (.docx) document (python-docx), laid out like an office's data sheet:
title, 截至日期, 一、主要数据（发布口径）, 二、统计表, 三、典型事迹 (when chosen), 四、数据说明.

Chinese text needs the East Asian font set explicitly (w:rFonts w:eastAsia), or Word falls back to a
Latin font: every run goes through _font().
"""
from __future__ import annotations

import functools
import io
from copy import deepcopy

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from analytics.press import material as mat

TITLE_FONT = "黑体"
HEAD_FONT = "黑体"
BODY_FONT = "仿宋"
SUB_FONT = "楷体"
TABLE_FONT = "宋体"
CHINESE_NUMERALS = "一二三四五六七八九十"


@functools.cache
def _rpr_template(name: str, size: float, bold: bool):
    half_points = int(round(size * 2))
    b = "<w:b/><w:bCs/>" if bold else ""
    return parse_xml(
        f'<w:rPr {nsdecls("w")}><w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}"/>'
        f'{b}<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>')


def _font(run, name: str, size: float, bold: bool = False) -> None:
    """Typeface (Latin and East Asian), size and weight of a run, from a cached rPr (python-docx's setters are
    slow: this keeps a full export well under a second)."""
    r = run._r
    if r.rPr is not None:
        r.remove(r.rPr)
    r.insert(0, deepcopy(_rpr_template(name, size, bold)))


def _para(doc_or_cell, text: str, font: str, size: float, *, bold=False, align=None, indent=False,
          space_after=0.0, line=None):
    p = doc_or_cell.add_paragraph()
    if align is not None:
        p.alignment = align
    pf = p.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(space_after)
    if indent:
        pf.first_line_indent = Pt(size * 2)
    if line:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(line)
    _font(p.add_run(text), font, size, bold)
    return p


def _default_style(doc) -> None:
    style = doc.styles["Normal"]
    style.font.name = BODY_FONT
    style.font.size = Pt(12)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    # Chinese documents: the document language is zh-CN (spell checking, line breaking).
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _cell_text(cell, text: str, *, bold=False, align=WD_ALIGN_PARAGRAPH.CENTER, size=10.5):
    cell.text = ""
    p = cell.paragraphs[0]
    p.alignment = align
    pf = p.paragraph_format
    pf.space_before = Pt(2)
    pf.space_after = Pt(2)
    pf.line_spacing = 1.0
    _font(p.add_run(text), TABLE_FONT, size, bold)


def _shade(cell, colour: str = "F2F2F2") -> None:
    tcpr = cell._element.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), colour)
    tcpr.append(shd)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def cell_value(col: str, v) -> str:
    """How a table cell is printed: integers plain, yuan with two decimals."""
    if col == "amount_yuan":
        return f"{float(v):,.2f}"
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return str(int(v))
    return str(v)


def _table(doc, t) -> None:
    _para(doc, t.title, HEAD_FONT, 12, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=4)
    cols = t.columns
    table = doc.add_table(rows=1, cols=len(cols))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for c, label in enumerate(t.labels):
        _cell_text(table.rows[0].cells[c], label, bold=True)
        _shade(table.rows[0].cells[c])
    _repeat_header(table.rows[0])
    n_body = len(t.body)
    for i, row in enumerate(t.frame.itertuples(index=False)):
        cells = table.add_row().cells
        total = i >= n_body
        for c, (col, v) in enumerate(zip(cols, row)):
            _cell_text(cells[c], cell_value(col, v), bold=total,
                       align=WD_ALIGN_PARAGRAPH.LEFT if c == 0 else WD_ALIGN_PARAGRAPH.CENTER)
    first = Cm(4.2 if t.category == "unit" else 3.0)
    other = int((Cm(15.6) - first) / max(1, len(cols) - 1))
    table.autofit = False
    for c, column in enumerate(table.columns):
        column.width = first if c == 0 else other
    for row in table.rows:
        for c, cell in enumerate(row.cells):
            cell.width = first if c == 0 else other
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    if t.note:
        _para(doc, f"注：{t.note}", TABLE_FONT, 9, space_after=10)


def _heading(doc, i: int, text: str) -> None:
    _para(doc, f"{CHINESE_NUMERALS[i]}、{text}", HEAD_FONT, 16, line=28, space_after=4)


def to_docx(m: mat.Material) -> bytes:
    doc = Document()
    _default_style(doc)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.top_margin, sec.bottom_margin = Cm(3.7), Cm(3.5)
    sec.left_margin, sec.right_margin = Cm(2.8), Cm(2.6)
    doc.core_properties.title = m.title
    doc.core_properties.subject = m.subtitle
    doc.core_properties.author = mat.ORG

    _para(doc, m.title, TITLE_FONT, 22, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
    _para(doc, f"（{m.subtitle}）", SUB_FONT, 16, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=18)

    section = 0
    _heading(doc, section, "主要数据（发布口径）")
    for s in m.sentences:
        _para(doc, s, BODY_FONT, 16, indent=True, line=28)
    section += 1

    _heading(doc, section, "统计表")
    for t in m.tables:
        _table(doc, t)
    section += 1

    if m.cases:
        _heading(doc, section, "典型事迹")
        for i, case in enumerate(m.cases, 1):
            p = _para(doc, "", BODY_FONT, 16, indent=True, line=28)
            _font(p.add_run(f"{i}. {case.name}（{case.county}）："), BODY_FONT, 16, bold=True)
            _font(p.add_run(case.summary), BODY_FONT, 16)
        section += 1

    _heading(doc, section, "数据说明")
    for i, note in enumerate(m.notes, 1):
        _para(doc, f"{i}. {note}", BODY_FONT, 12, indent=False, line=22)
    p = _para(doc, f"{mat.ORG}　{m.generated_at:%Y年%m月%d日}生成", SUB_FONT, 12,
              align=WD_ALIGN_PARAGRAPH.RIGHT)
    p.paragraph_format.space_before = Pt(12)
    for run in p.runs:
        run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)

    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
