"""The press material as PowerPoint slides (python-pptx) with native, editable charts.

Slides: title (the county on a line of its own, so no break falls inside a place name); 主要数据 (figure
tiles); 发布口径 (the statement, a few sentences a slide, at most MAX_LINES lines; the whole paragraph in the
speaker notes); one slide per table chart, each with one line saying what to read from it; 典型事迹 (when
chosen); 统计口径 (the scope paragraph; the full 数据说明 in the notes). 16:9. Chinese text needs the East Asian
typeface (a:ea) set explicitly.
"""
from __future__ import annotations

import io

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_LABEL_POSITION
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

import math

from analytics.metrics.figures import KEY_FIGURES, of_source, value
from analytics.press import material as mat
from analytics.press import tables as tables_mod
from analytics import numbers

HEAD_FONT = "黑体"
BODY_FONT = "微软雅黑"
RED = RGBColor(0xB2, 0x22, 0x22)
DARK = RGBColor(0x33, 0x33, 0x33)
GREY = RGBColor(0x66, 0x66, 0x66)
SERIES_COLOURS = [RGBColor(0xC0, 0x39, 0x2B), RGBColor(0x2E, 0x86, 0xC1), RGBColor(0xD6, 0x89, 0x10),
                  RGBColor(0x23, 0x9B, 0x56)]
W, H = Inches(13.333), Inches(7.5)
CASES_PER_SLIDE = 3
MAX_LINES = 8                 # no slide carries more lines of text than this
STATEMENT_SIZE = 20


def _ea(font, name: str) -> None:
    """Set Latin and East Asian typefaces of a python-pptx Font."""
    font.name = name
    rpr = font._rPr
    ea = rpr.find(qn("a:ea"))
    if ea is None:
        ea = rpr.makeelement(qn("a:ea"), {})
        latin = rpr.find(qn("a:latin"))
        latin.addnext(ea)
    ea.set("typeface", name)


def _text(slide, left, top, width, height, text: str, size: float, *, font=BODY_FONT, bold=False,
          colour=DARK, align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP, space_after: float = 0):
    box = slide.shapes.add_textbox(left, top, width, height)
    tf = box.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = anchor
    paras = text.split("\n")
    for i, line in enumerate(paras):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.alignment = align
        if space_after:
            p.space_after = Pt(space_after)
        run = p.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = colour
        _ea(run.font, font)
    return box


def text_width(text: str) -> float:
    """Width in em (full-width characters 1, ASCII ½)."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def estimated_lines(text: str, width_emu: int, size_pt: float) -> int:
    """Lines a text needs in a box `width_emu` wide at `size_pt` (each paragraph starts a line)."""
    per_line = max(1.0, (width_emu - Inches(0.2)) / 12700 / size_pt)       # box insets 0.1 in each side
    return sum(max(1, math.ceil(text_width(p) / per_line)) for p in text.split("\n"))


def _notes(slide, text: str) -> None:
    slide.notes_slide.notes_text_frame.text = text


def _header(slide, title: str, m: mat.Material) -> None:
    bar = slide.shapes.add_shape(1, 0, 0, W, Inches(0.95))  # rectangle
    bar.fill.solid()
    bar.fill.fore_color.rgb = RED
    bar.line.fill.background()
    _text(slide, Inches(0.5), Inches(0.12), Inches(8.6), Inches(0.75), title, 26, font=HEAD_FONT, bold=True,
          colour=RGBColor(0xFF, 0xFF, 0xFF), anchor=MSO_ANCHOR.MIDDLE)
    _text(slide, Inches(9.0), Inches(0.12), Inches(4.0), Inches(0.75), f"{m.scope}\n{m.subtitle}", 13,
          colour=RGBColor(0xFF, 0xFF, 0xFF), align=PP_ALIGN.RIGHT, anchor=MSO_ANCHOR.MIDDLE)


def _blank(prs):
    return prs.slides.add_slide(prs.slide_layouts[6])


def _title_slide(prs, m: mat.Material) -> None:
    s = _blank(prs)
    bg = s.shapes.add_shape(1, 0, 0, W, H)
    bg.fill.solid()
    bg.fill.fore_color.rgb = RED
    bg.line.fill.background()
    white = RGBColor(0xFF, 0xFF, 0xFF)
    _text(s, Inches(0.8), Inches(1.7), Inches(11.7), Inches(2.0), "\n".join(m.title_lines), 40, font=HEAD_FONT,
          bold=True, colour=white, align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.BOTTOM)
    _text(s, Inches(0.8), Inches(3.9), Inches(11.7), Inches(0.8), m.subtitle, 24, colour=white,
          align=PP_ALIGN.CENTER)
    _text(s, Inches(0.8), Inches(5.0), Inches(11.7), Inches(0.6), mat.ORG, 20, colour=white, align=PP_ALIGN.CENTER)
    _text(s, Inches(1.2), Inches(5.9), Inches(10.9), Inches(1.1), m.scope_note, 12, colour=white,
          align=PP_ALIGN.LEFT)


def _tiles_slide(prs, m: mat.Material) -> None:
    s = _blank(prs)
    _header(s, "主要数据", m)
    cols, tile_w, tile_h = 4, Inches(2.9), Inches(2.3)
    gap_x = (W - Inches(1.0) - cols * tile_w) / (cols - 1)
    tiles = [fig for fig in of_source(KEY_FIGURES) if fig.tile]
    for i, fig in enumerate(tiles):
        r, c = divmod(i, cols)
        left = Inches(0.5) + int(c * (tile_w + gap_x))
        top = Inches(1.4) + r * (tile_h + Inches(0.4))
        box = s.shapes.add_shape(1, left, top, tile_w, tile_h)
        box.fill.solid()
        box.fill.fore_color.rgb = RGBColor(0xFB, 0xF1, 0xF0)
        box.line.color.rgb = RGBColor(0xE6, 0xB0, 0xAA)
        _text(s, left, top + Inches(0.25), tile_w, Inches(1.1), numbers.count(value(m.figures, fig.key)), 44,
              font=HEAD_FONT, bold=True, colour=RED, align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE)
        _text(s, left, top + Inches(1.35), tile_w, Inches(0.8), f"{fig.name}（{fig.unit}）", 16, colour=DARK,
              align=PP_ALIGN.CENTER)
    flows = "、".join(fig.name for fig in tiles if fig.ytd)
    _text(s, Inches(0.5), Inches(6.8), Inches(12.3), Inches(0.45),
          f"注：{flows}为{m.period}数据，其余为截至{numbers.date(m.as_of)}的累计数。", 12, colour=GREY)


def statement_pages(sentences: list[str], width_emu: int, size: float = STATEMENT_SIZE,
                    max_lines: int = MAX_LINES) -> list[list[str]]:
    """The sentences in order, grouped so that no group needs more than max_lines lines."""
    pages: list[list[str]] = [[]]
    for sentence in sentences:
        if pages[-1] and estimated_lines("\n".join(pages[-1] + [sentence]), width_emu, size) > max_lines:
            pages.append([])
        pages[-1].append(sentence)
    return [p for p in pages if p]


def _statement_slides(prs, m: mat.Material) -> None:
    width = Inches(11.9)
    pages = statement_pages(m.sentences, width)
    for k, page in enumerate(pages):
        s = _blank(prs)
        _header(s, "发布口径" + (f"（{k + 1}/{len(pages)}）" if len(pages) > 1 else ""), m)
        _text(s, Inches(0.7), Inches(1.4), width, Inches(5.6), "\n".join(page), STATEMENT_SIZE, space_after=10)
        _notes(s, m.statement)


def chart_reading(t, ch) -> str:
    """One line on what to read from a chart: the largest category of its first series and its share."""
    body, col = t.body, ch.series[0]
    fmt = tables_mod.cell_text
    top = body.loc[body[col].idxmax()]
    name = str(top[t.category])
    if len(body) == 1 and t.category == "type":
        return f"{_short(col)}全部为“{name}”（{fmt(col, top[col])}{_unit(col)}）。"
    if len(body) == 1:
        return f"{name}：" + "，".join(f"{_short(c)}{fmt(c, top[c])}{_unit(c)}" for c in ch.series) + "。"
    total = body[col].sum()
    what = f"“{name}”" if t.category == "type" else name
    share = f"，占{numbers.percent(float(top[col]) / float(total))}" if total else ""
    return f"{_short(col)}最多的是{what}（{fmt(col, top[col])}{_unit(col)}）{share}；合计{fmt(col, total)}{_unit(col)}。"


def _short(col: str) -> str:
    """"登记在册（人）" → "登记在册"."""
    return _series_name(col).split("（")[0]


def _unit(col: str) -> str:
    """"登记在册（人）" → "人"."""
    return _series_name(col).split("（")[-1].rstrip("）")


def _chart_slide(prs, m: mat.Material, t, ch) -> None:
    s = _blank(prs)
    _header(s, ch.short or ch.title, m)
    _text(s, Inches(0.5), Inches(1.05), Inches(12.3), Inches(0.5), chart_reading(t, ch), 18, font=HEAD_FONT,
          colour=RED)
    body = t.body
    data = CategoryChartData()
    data.categories = [str(v) for v in body[t.category]]
    for col in ch.series:
        data.add_series(_series_name(col), [float(v) if col == "amount_yuan" else int(v) for v in body[col]],
                        number_format=_number_format(body[col]))
    kind = XL_CHART_TYPE.BAR_CLUSTERED if ch.kind == "bar" else XL_CHART_TYPE.COLUMN_CLUSTERED
    gframe = s.shapes.add_chart(kind, Inches(0.5), Inches(1.55), Inches(12.3), Inches(5.35), data)
    chart = gframe.chart
    chart.has_title = False
    chart.font.size = Pt(12)
    _ea(chart.font, BODY_FONT)
    chart.has_legend = len(ch.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
    plot = chart.plots[0]
    plot.has_data_labels = True
    plot.data_labels.font.size = Pt(10)
    plot.data_labels.number_format = _number_format(body[ch.series[0]]) if len(ch.series) == 1 else "#,##0"
    plot.data_labels.number_format_is_linked = False
    if ch.kind != "bar":
        plot.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
    plot.gap_width = 60
    for i, series in enumerate(plot.series):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = SERIES_COLOURS[i % len(SERIES_COLOURS)]
    if ch.kind == "bar":        # first category on top, value axis at the bottom (crossing at the last category)
        chart.category_axis.reverse_order = True
        chart.value_axis._element.find(qn("c:crosses")).set("val", "max")
    va = chart.value_axis
    va.has_major_gridlines = True
    va.major_gridlines.format.line.color.rgb = RGBColor(0xDD, 0xDD, 0xDD)
    va.has_title = True
    va.axis_title.text_frame.text = ch.axis_title
    _ea(va.axis_title.text_frame.paragraphs[0].runs[0].font, BODY_FONT)
    _text(s, Inches(0.5), Inches(6.95), Inches(12.3), Inches(0.45), t.title, 11, colour=GREY)


def _number_format(values) -> str:
    """The dashboards' format: thousands separators, decimals only where there are fen."""
    return "#,##0" if all(float(v) == int(float(v)) for v in values) else "#,##0.00"


def _series_name(col: str) -> str:
    from analytics.labels import COLUMN_LABELS
    return COLUMN_LABELS[col]


def _cases_slides(prs, m: mat.Material) -> None:
    chunks = [m.cases[i:i + CASES_PER_SLIDE] for i in range(0, len(m.cases), CASES_PER_SLIDE)]
    for k, chunk in enumerate(chunks):
        s = _blank(prs)
        _header(s, "典型事迹" + (f"（{k + 1}）" if len(chunks) > 1 else ""), m)
        rows = len(chunk) + 1
        shape = s.shapes.add_table(rows, 3, Inches(0.5), Inches(1.3), Inches(12.3), Inches(0.5) * rows)
        table = shape.table
        table.columns[0].width = Inches(1.6)
        table.columns[1].width = Inches(2.6)
        table.columns[2].width = Inches(8.1)
        for c, h in enumerate(["姓名", "县市区", "事迹概要"]):
            _cell(table.cell(0, c), h, bold=True)
        for r, case in enumerate(chunk, start=1):
            _cell(table.cell(r, 0), case.name)
            _cell(table.cell(r, 1), case.county)
            _cell(table.cell(r, 2), case.summary, size=12)


def _cell(cell, text: str, *, bold=False, size=14) -> None:
    tf = cell.text_frame
    tf.word_wrap = True
    p = tf.paragraphs[0]
    run = p.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    _ea(run.font, BODY_FONT)


def _notes_slide(prs, m: mat.Material) -> None:
    """统计口径: the one scope paragraph on the slide; the full 数据说明 in the speaker notes."""
    s = _blank(prs)
    _header(s, "统计口径", m)
    _text(s, Inches(0.7), Inches(1.4), Inches(11.9), Inches(4.6), m.scope_note, 20, colour=DARK)
    _text(s, Inches(0.7), Inches(6.5), Inches(11.9), Inches(0.5), "详细数据说明见本页备注及 Word 文稿。", 14,
          colour=GREY)
    _notes(s, "数据说明\n" + "\n".join(f"{i}. {n}" for i, n in enumerate(m.notes, 1)))


def to_pptx(m: mat.Material) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(W), Emu(H)
    prs.core_properties.title = m.title
    prs.core_properties.subject = m.subtitle
    prs.core_properties.author = mat.ORG
    _title_slide(prs, m)
    _tiles_slide(prs, m)
    _statement_slides(prs, m)
    for t in m.tables:
        if len(t.body) == 0:
            continue
        for ch in t.charts:
            _chart_slide(prs, m, t, ch)
    if m.cases:
        _cases_slides(prs, m)
    _notes_slide(prs, m)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()
