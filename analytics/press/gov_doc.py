"""Word documents in the usual layout of a Chinese government office document, GB/T 9704-2012 as the model.

- A4, margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right (a 156 × 225 mm text block);
- the title in 小标宋 二号 (22 pt), centred, broken into whole phrases (never inside a place name);
- the body in 仿宋 三号 (16 pt), 22 lines × 28 characters a page: a line grid of 28.95 pt and the characters
  condensed by 0.25 pt (a character grid would push full-width glyphs into two cells in LibreOffice), first line
  indented two characters;
- headings: level 1 "一、" in 黑体, level 2 "（一）" in 楷体, both 三号;
- page numbers "— N —" in 宋体 四号 at the bottom, right on odd pages and left on even pages;
- tables whose header row repeats on every page and whose rows never split across pages.

Fonts: every run names its East Asian typeface (w:rFonts w:eastAsia), or Word falls back to a Latin font.
Fonts that a reader's machine may lack are declared in the font table with an alternative (w:altName), a
Chinese character set and the PANOSE class of a standard Windows font, so Word substitutes that font
instead of an arbitrary one: 方正小标宋简体 → 宋体, 仿宋 → 宋体 class, 楷体 → 宋体 class. LibreOffice picks any
installed CJK font (Noto Serif/Sans CJK on Linux). README 发布会统计 lists them.
"""
from __future__ import annotations

import functools
import io
import re
from copy import deepcopy

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt

from analytics.labels import NUMERALS

TITLE_FONT = "方正小标宋简体"
TITLE_FALLBACK = "宋体"
BODY_FONT = "仿宋"
H1_FONT = "黑体"
H2_FONT = "楷体"
TABLE_FONT = "宋体"
PAGE_NUMBER_FONT = "宋体"

# (font, alternative, PANOSE-1, family) written into word/fontTable.xml.
FONT_TABLE = [
    (TITLE_FONT, TITLE_FALLBACK, "02010600030101010101", "auto"),
    ("宋体", "SimSun", "02010600030101010101", "auto"),
    ("仿宋", "FangSong", "02010609060101010101", "modern"),
    ("楷体", "KaiTi", "02010609060101010101", "modern"),
    ("黑体", "SimHei", "02010609060101010101", "modern"),
]
FALLBACKS = {TITLE_FONT: TITLE_FALLBACK, "仿宋": "FangSong", "楷体": "KaiTi", "黑体": "SimHei", "宋体": "SimSun"}

PAGE_W, PAGE_H = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
TEXT_WIDTH_MM = 210 - 28 - 26                # 156 mm
SIZE_2, SIZE_3, SIZE_4, SIZE_5 = 22, 16, 14, 10.5    # 二号, 三号, 四号, 五号 in points
LINE_PITCH_TWIPS = 579                       # 28.95 pt: 22 lines in 225 mm
LINE_PITCH = Pt(28.95)
CONDENSE_TWIPS = -5                          # −0.25 pt: 28 × 15.75 pt = 441 pt ≤ 156 mm (442.2 pt)
CHARS_PER_LINE = 28
LINES_PER_PAGE = 22


@functools.cache
def _rpr_template(name: str, size: float, bold: bool):
    half_points = int(round(size * 2))
    b = "<w:b/><w:bCs/>" if bold else ""
    # 三号 text is condensed by 0.25 pt a character so that 28 characters fill the 156 mm line exactly.
    condense = f'<w:spacing w:val="{CONDENSE_TWIPS}"/>' if size == SIZE_3 else ""
    return parse_xml(
        f'<w:rPr {nsdecls("w")}><w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}"/>'
        f'{b}{condense}<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>')


def font(run, name: str, size: float, bold: bool = False) -> None:
    """Typeface (Latin and East Asian), size and weight of a run, from a cached rPr (python-docx's setters are
    slow: this keeps a full document well under a second)."""
    r = run._r
    if r.rPr is not None:
        r.remove(r.rPr)
    r.insert(0, deepcopy(_rpr_template(name, size, bold)))


# w:pPr children that follow w:snapToGrid in the schema's sequence (Word rejects elements out of order).
_AFTER_SNAP = {qn(f"w:{t}") for t in ("spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap",
                                      "jc", "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl",
                                      "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")}


def _no_grid(p) -> None:
    """Lay this paragraph out by its own line spacing, not the 22-line grid (titles, tables, notes)."""
    ppr = p._p.get_or_add_pPr()
    el = OxmlElement("w:snapToGrid")
    el.set(qn("w:val"), "0")
    after = next((child for child in ppr if child.tag in _AFTER_SNAP), None)
    if after is None:
        ppr.append(el)
    else:
        after.addprevious(el)


def paragraph(container, text: str = "", font_name: str = BODY_FONT, size: float = SIZE_3, *, bold=False,
              align=None, indent=False, space_before=0.0, space_after=0.0, line=None, grid=True):
    p = container.add_paragraph()
    if align is not None:
        p.alignment = align
    pf = p.paragraph_format
    pf.space_before = Pt(space_before)
    pf.space_after = Pt(space_after)
    pf.widow_control = True
    if indent:
        pf.first_line_indent = Pt(size * 2)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(line) if line else LINE_PITCH
    if not grid:
        _no_grid(p)
    if text:
        font(p.add_run(text), font_name, size, bold)
    return p


# ---- document ---------------------------------------------------------------------------------------------

def _font_table(doc) -> None:
    part = next(p for p in doc.part.package.parts if str(p.partname) == "/word/fontTable.xml")
    blob = part.blob.decode("utf-8")
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:panose1 w:val="{panose}"/>'
        f'<w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>'
        for name, alt, panose, family in FONT_TABLE)
    part._blob = blob.replace("</w:fonts>", entries + "</w:fonts>").encode("utf-8")


def _normal_style(doc) -> None:
    style = doc.styles["Normal"]
    style.font.size = Pt(SIZE_3)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), BODY_FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _grid(section) -> None:
    sect = section._sectPr
    for old in sect.findall(qn("w:docGrid")):
        sect.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    sect.append(grid)


def _page_number(footer, align) -> None:
    """"— N —" with a PAGE field; one character's indent from the outer edge (GB/T 9704 7.5)."""
    p = footer.paragraphs[0]
    p.alignment = align
    pf = p.paragraph_format
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        pf.right_indent = Pt(SIZE_4)
    else:
        pf.left_indent = Pt(SIZE_4)
    _no_grid(p)
    font(p.add_run("— "), PAGE_NUMBER_FONT, SIZE_4)
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), " PAGE ")
    run = p.add_run("1")
    font(run, PAGE_NUMBER_FONT, SIZE_4)
    fld.append(run._r)
    p._p.append(fld)
    font(p.add_run(" —"), PAGE_NUMBER_FONT, SIZE_4)     # appended after the field


def new_document(title: str, subject: str, author: str):
    doc = Document()
    _normal_style(doc)
    _font_table(doc)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = PAGE_W, PAGE_H
    sec.top_margin, sec.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    sec.left_margin, sec.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    sec.header_distance = Mm(15)
    sec.footer_distance = Mm(20)             # the number's line sits about 7 mm below the text block
    _grid(sec)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(sec.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(sec.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
    doc.core_properties.title = title
    doc.core_properties.subject = subject
    doc.core_properties.author = author
    return doc


def to_bytes(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# ---- blocks -----------------------------------------------------------------------------------------------

def title(doc, lines: list[str]) -> None:
    """The title, one paragraph, a line break between the given phrases (each phrase fits one line)."""
    p = paragraph(doc, "", TITLE_FONT, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, line=36, grid=False)
    for i, line in enumerate(lines):
        run = p.add_run(line)
        font(run, TITLE_FONT, SIZE_2)
        if i < len(lines) - 1:
            run.add_break(WD_BREAK.LINE)


def centred(doc, text: str, font_name: str = H2_FONT, size: float = SIZE_3, space_after: float = 0.0) -> None:
    paragraph(doc, text, font_name, size, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=space_after)


def heading1(doc, i: int, text: str) -> None:
    paragraph(doc, f"{NUMERALS[i]}、{text}", H1_FONT, SIZE_3, indent=True).paragraph_format.keep_with_next = True


def heading2(doc, i: int, text: str) -> None:
    paragraph(doc, f"（{NUMERALS[i]}）{text}", H2_FONT, SIZE_3, indent=True).paragraph_format.keep_with_next = True


def body(doc, text: str, lead: str = ""):
    """A body paragraph; `lead` is printed bold before the text (e.g. "1. 姓名（县市区）：")."""
    p = paragraph(doc, "", BODY_FONT, SIZE_3, indent=True)
    if lead:
        font(p.add_run(lead), BODY_FONT, SIZE_3, bold=True)
    font(p.add_run(text), BODY_FONT, SIZE_3)
    return p


def note(doc, text: str, size: float = SIZE_5 + 1.5, space_after: float = 0.0):
    return paragraph(doc, text, BODY_FONT, size, line=size * 1.5, space_after=space_after, grid=False)


def signature(doc, text: str) -> None:
    paragraph(doc, text, BODY_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.RIGHT, space_before=LINE_PITCH.pt)


def fit_lines(text: str, chars_per_line: int) -> list[str]:
    """A heading too long for one line is broken before its last parenthesis "（…）" (which holds a place
    or a date), so no line break falls inside a place name; a short text stays one line."""
    if _width(text) <= chars_per_line * 2:
        return [text]
    m = re.search(r"（[^（）]*）$", text)
    if m and m.start() > 0:
        return [text[:m.start()], text[m.start():]]
    return [text]


def _width(text: str) -> int:
    """Display width in half-character units (CJK characters count 2)."""
    return sum(1 if ord(ch) < 0x2E80 else 2 for ch in text)


def _cell(cell, text: str, *, bold=False, align=WD_ALIGN_PARAGRAPH.CENTER, size=SIZE_5):
    cell.text = ""
    p = cell.paragraphs[0]
    p.alignment = align
    pf = p.paragraph_format
    pf.space_before = Pt(2)
    pf.space_after = Pt(2)
    pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _no_grid(p)
    font(p.add_run(text), TABLE_FONT, size, bold)


def _shade(cell, colour: str = "F2F2F2") -> None:
    tcpr = cell._element.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), colour)
    tcpr.append(shd)


def _row_flags(row, header: bool) -> None:
    """Header rows repeat on every page; no row is split across pages."""
    trpr = row._tr.get_or_add_trPr()
    cant = OxmlElement("w:cantSplit")
    cant.set(qn("w:val"), "true")
    trpr.append(cant)
    if header:
        el = OxmlElement("w:tblHeader")
        el.set(qn("w:val"), "true")
        trpr.append(el)


def table(doc, caption: str, labels: list[str], rows: list[list[str]], *, first_width_cm: float = 4.2,
          widths_cm: list[float] | None = None, total_last: bool = False, note_text: str = "") -> None:
    """A captioned table (caption in 黑体 四号, broken before its closing parenthesis when too long); cells in
    宋体 五号, or 9 pt when the table has more than seven columns. Column widths: `widths_cm`, else the first
    column `first_width_cm` and the others sharing the rest of the 156 mm."""
    size = SIZE_5 if len(labels) <= 7 else 9
    cap = paragraph(doc, "", H1_FONT, SIZE_4, align=WD_ALIGN_PARAGRAPH.CENTER, line=SIZE_4 * 1.5,
                    space_before=6, space_after=4, grid=False)
    cap.paragraph_format.keep_with_next = True
    lines = fit_lines(caption, int(TEXT_WIDTH_MM / (SIZE_4 * 0.3528)))
    for i, line in enumerate(lines):
        run = cap.add_run(line)
        font(run, H1_FONT, SIZE_4)
        if i < len(lines) - 1:
            run.add_break(WD_BREAK.LINE)
    t = doc.add_table(rows=1, cols=len(labels))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for c, label in enumerate(labels):
        _cell(t.rows[0].cells[c], label, bold=True, size=size)
        _shade(t.rows[0].cells[c])
    _row_flags(t.rows[0], header=True)
    for i, row in enumerate(rows):
        r = t.add_row()
        _row_flags(r, header=False)
        bold = total_last and i == len(rows) - 1
        for c, value in enumerate(row):
            _cell(r.cells[c], value, bold=bold, size=size,
                  align=WD_ALIGN_PARAGRAPH.LEFT if c == 0 else WD_ALIGN_PARAGRAPH.CENTER)
    if widths_cm is None:
        other = (TEXT_WIDTH_MM / 10 - first_width_cm) / max(1, len(labels) - 1)
        widths_cm = [first_width_cm] + [other] * (len(labels) - 1)
    widths = [Cm(w) for w in widths_cm]
    t.autofit = False
    for c, column in enumerate(t.columns):
        column.width = widths[c]
    for row in t.rows:
        for c, cell in enumerate(row.cells):
            cell.width = widths[c]
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    if note_text:
        note(doc, f"注：{note_text}", space_after=8)
    else:
        note(doc, "", space_after=4)
