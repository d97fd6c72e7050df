"""The press material as PowerPoint slides (python-pptx) with native, editable charts.

Slides: title; 主要数据 (figure tiles); 发布口径 (the statement); one slide per table chart; 典型事迹 (when
chosen, up to 5 per slide); 数据说明. 16:9. Chinese text needs the East Asian typeface (a:ea) set explicitly.
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

from analytics.press import material as mat
from analytics import numbers

HEAD_FONT = "黑体"
BODY_FONT = "微软雅黑"
RED = RGBColor(0xB2, 0x22, 0x22)
DARK = RGBColor(0x33, 0x33, 0x33)
GREY = RGBColor(0x66, 0x66, 0x66)
SERIES_COLOURS = [RGBColor(0xC0, 0x39, 0x2B), RGBColor(0x2E, 0x86, 0xC1), RGBColor(0xD6, 0x89, 0x10),
                  RGBColor(0x23, 0x9B, 0x56)]
W, H = Inches(13.333), Inches(7.5)
CASES_PER_SLIDE = 5
TILES = [  # (label, dotted key, unit)
    ("登记在册见义勇为人员", "registered", "人"),
    ("受到国家级表扬", "recognized_people.national", "人"),
    ("受到省级表扬", "recognized_people.provincial", "人"),
    ("受到市级表扬", "recognized_people.municipal", "人"),
    ("英模工作室", "studios", "处"),
    ("见义勇为工作站", "workstations", "个"),
    ("宣传活动", "activities.publicity_events", "场次"),
    ("帮扶优抚", "assistance.times", "人次"),
]


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


def _header(slide, title: str, m: mat.Material) -> None:
    bar = slide.shapes.add_shape(1, 0, 0, W, Inches(0.95))  # rectangle
    bar.fill.solid()
    bar.fill.fore_color.rgb = RED
    bar.line.fill.background()
    _text(slide, Inches(0.5), Inches(0.12), Inches(9.5), Inches(0.75), title, 26, font=HEAD_FONT, bold=True,
          colour=RGBColor(0xFF, 0xFF, 0xFF), anchor=MSO_ANCHOR.MIDDLE)
    _text(slide, Inches(9.6), Inches(0.25), Inches(3.4), Inches(0.5), f"{m.scope} · {m.subtitle}", 14,
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
    _text(s, Inches(0.8), Inches(2.3), Inches(11.7), Inches(1.4), m.title, 40, font=HEAD_FONT, bold=True,
          colour=white, align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE)
    _text(s, Inches(0.8), Inches(3.8), Inches(11.7), Inches(0.8), m.subtitle, 24, colour=white,
          align=PP_ALIGN.CENTER)
    _text(s, Inches(0.8), Inches(5.6), Inches(11.7), Inches(0.6), mat.ORG, 20, colour=white, align=PP_ALIGN.CENTER)


def _tiles_slide(prs, m: mat.Material) -> None:
    s = _blank(prs)
    _header(s, "主要数据", m)
    cols, tile_w, tile_h = 4, Inches(2.9), Inches(2.3)
    gap_x = (W - Inches(1.0) - cols * tile_w) / (cols - 1)
    for i, (label, key, unit) in enumerate(TILES):
        r, c = divmod(i, cols)
        left = Inches(0.5) + int(c * (tile_w + gap_x))
        top = Inches(1.4) + r * (tile_h + Inches(0.4))
        box = s.shapes.add_shape(1, left, top, tile_w, tile_h)
        box.fill.solid()
        box.fill.fore_color.rgb = RGBColor(0xFB, 0xF1, 0xF0)
        box.line.color.rgb = RGBColor(0xE6, 0xB0, 0xAA)
        value = mat.get(m.figures, key)
        _text(s, left, top + Inches(0.25), tile_w, Inches(1.1), numbers.count(value), 44, font=HEAD_FONT,
              bold=True, colour=RED, align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE)
        _text(s, left, top + Inches(1.35), tile_w, Inches(0.8), f"{label}（{unit}）", 16, colour=DARK,
              align=PP_ALIGN.CENTER)
    _text(s, Inches(0.5), Inches(6.8), Inches(12.3), Inches(0.45),
          f"注：宣传活动、帮扶优抚为{m.period}数据，其余为截至{numbers.date(m.as_of)}的累计数。", 12, colour=GREY)


def _statement_slide(prs, m: mat.Material) -> None:
    s = _blank(prs)
    _header(s, "发布口径", m)
    size = 18 if len(m.statement) < 420 else 15 if len(m.statement) < 620 else 12
    _text(s, Inches(0.7), Inches(1.3), Inches(11.9), Inches(5.9), "\n".join(m.sentences), size,
          space_after=8)


def _chart_slide(prs, m: mat.Material, t, ch) -> None:
    s = _blank(prs)
    _header(s, ch.short or ch.title, m)
    body = t.body
    data = CategoryChartData()
    data.categories = [str(v) for v in body[t.category]]
    for col in ch.series:
        data.add_series(_series_name(col), [float(v) if col == "amount_yuan" else int(v) for v in body[col]],
                        number_format="#,##0.00" if col == "amount_yuan" else "0")
    kind = XL_CHART_TYPE.BAR_CLUSTERED if ch.kind == "bar" else XL_CHART_TYPE.COLUMN_CLUSTERED
    gframe = s.shapes.add_chart(kind, Inches(0.5), Inches(1.2), Inches(12.3), Inches(5.7), data)
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
    plot.data_labels.number_format = "#,##0.00" if ch.series == ["amount_yuan"] else "0"
    plot.data_labels.number_format_is_linked = False
    if ch.kind != "bar":
        plot.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
    plot.gap_width = 60
    for i, series in enumerate(plot.series):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = SERIES_COLOURS[i % len(SERIES_COLOURS)]
    if ch.kind == "bar":
        chart.category_axis.reverse_order = True
    va = chart.value_axis
    va.has_major_gridlines = True
    va.major_gridlines.format.line.color.rgb = RGBColor(0xDD, 0xDD, 0xDD)
    va.has_title = True
    va.axis_title.text_frame.text = ch.axis_title
    _ea(va.axis_title.text_frame.paragraphs[0].runs[0].font, BODY_FONT)
    _text(s, Inches(0.5), Inches(6.95), Inches(12.3), Inches(0.45), t.title, 11, colour=GREY)


def _series_name(col: str) -> str:
    from analytics.metrics import COLUMN_LABELS
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
    s = _blank(prs)
    _header(s, "数据说明", m)
    _text(s, Inches(0.6), Inches(1.2), Inches(12.1), Inches(6.1),
          "\n".join(f"{i}. {n}" for i, n in enumerate(m.notes, 1)), 11.5, colour=DARK, space_after=4)


def to_pptx(m: mat.Material) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(W), Emu(H)
    prs.core_properties.title = m.title
    prs.core_properties.subject = m.subtitle
    prs.core_properties.author = mat.ORG
    _title_slide(prs, m)
    _tiles_slide(prs, m)
    _statement_slide(prs, m)
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
