"""The press material as an .xlsx workbook with native Excel charts (xlsxwriter), built in memory.

Sheets: 文字稿, 主要数据, 表1…表3 (each with its chart(s) drawn from its own cells), 典型事迹 (when chosen),
数据说明. Every text cell goes through privacy.safe_cell and is written with write_string (never as a
formula); numbers are written as numbers, shown as the dashboards show them ("1,234", "562,200"; fen only
when there are some).

Printing: every sheet is set up for A4 (laid out to fit a portrait page; landscape only where wider), one page wide,
its header row repeated, a header naming the material and the 截至日期 and a footer with the page number.
Text sheets keep their column inside a portrait page's width and wrap there, with row heights for the
wrapped lines. Horizontal bar charts list the categories from the top in data order, values from zero at
the left: in a bar chart the category axis is the vertical one (xlsxwriter's y axis), so that axis is
reversed and the value axis crosses it at its last category (the bottom).
"""
from __future__ import annotations

import io

import xlsxwriter

from analytics.metrics.figures import KEY_FIGURES, of_source, value
from analytics.press import material as mat
from analytics import numbers
from analytics.privacy import safe_cell

import math

FONT = "宋体"
HEAD_FONT = "黑体"
SERIES_COLOURS = ["#C0392B", "#2E86C1", "#D68910", "#239B56", "#7D3C98"]
SHEET_NAMES = {"levels": "表1 登记及表扬", "activity": "表2 活动情况", "assistance": "表3 帮扶优抚"}
MONEY_COLUMNS = {"amount_yuan"}
COUNT_FORMAT, MONEY_FORMAT, FEN_FORMAT = "#,##0", "#,##0", "#,##0.00"
PORTRAIT_WIDTH = 88           # column width units that fit an A4 portrait page with the margins below
TEXT_WIDTH = 70              # text columns: inside a portrait page even unscaled (LibreOffice measures wider)
SUMMARY_WIDTH = TEXT_WIDTH - 30
CHART_WIDTH, CHART_HEIGHT = 630, 340   # pixels: one portrait page wide
LINE_PT = 16                  # height of one wrapped line of 11 pt CJK text


class _Formats:
    def __init__(self, wb):
        base = {"font_name": FONT, "font_size": 11, "valign": "vcenter"}
        self.title = wb.add_format({**base, "font_name": HEAD_FONT, "font_size": 16, "bold": True})
        self.sub = wb.add_format({**base, "font_size": 11, "italic": False, "font_color": "#555555"})
        self.text = wb.add_format({**base, "text_wrap": True, "valign": "top"})
        self.num = wb.add_format({**base, "valign": "top", "align": "center"})
        self.head = wb.add_format({**base, "bold": True, "border": 1, "align": "center", "text_wrap": True,
                                   "bg_color": "#F2F2F2"})
        self.cell = wb.add_format({**base, "border": 1})
        self.int = wb.add_format({**base, "border": 1, "num_format": COUNT_FORMAT})
        self.money = wb.add_format({**base, "border": 1, "num_format": MONEY_FORMAT})
        self.fen = wb.add_format({**base, "border": 1, "num_format": FEN_FORMAT})
        self.total = wb.add_format({**base, "border": 1, "bold": True})
        self.total_int = wb.add_format({**base, "border": 1, "bold": True, "num_format": COUNT_FORMAT})
        self.total_money = wb.add_format({**base, "border": 1, "bold": True, "num_format": MONEY_FORMAT})
        self.total_fen = wb.add_format({**base, "border": 1, "bold": True, "num_format": FEN_FORMAT})

    def money_for(self, value, total: bool = False):
        """Whole yuan without decimals, amounts with fen with two (the dashboards' "562,200" / "1,234.50")."""
        whole = float(value) == int(float(value))
        if total:
            return self.total_money if whole else self.total_fen
        return self.money if whole else self.fen


def _columns(ws, widths: list[float]) -> None:
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)


def _print_setup(ws, m: mat.Material, widths: list[float], *, repeat_row: int | None = None) -> None:
    """A4 (landscape only when the columns are wider than a portrait page), one page wide, header (material,
    截至日期), footer (page number), header row repeated. The sheets are laid out to fit a portrait page: a
    workbook mixing orientations prints its portrait sheets cut off in LibreOffice 7.4."""
    _columns(ws, widths)
    ws.set_paper(9)
    if sum(widths) > PORTRAIT_WIDTH:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.6, right=0.6, top=0.9, bottom=0.8)
    ws.center_horizontally()
    title = "".join(m.title_lines).replace("&", "&&")
    ws.set_header(f'&L&"{FONT},常规"&9{title}&R&"{FONT},常规"&9{m.subtitle}', {"margin": 0.4})
    ws.set_footer(f'&C&"{FONT},常规"&9第 &P 页，共 &N 页', {"margin": 0.4})
    if repeat_row is not None:
        ws.repeat_rows(repeat_row)


def _wrapped_height(text: str, width_units: float) -> float:
    """Row height (points) for `text` wrapped in a column `width_units` wide (CJK characters count double)."""
    per_line = max(1.0, width_units * 7 / 15)            # CJK characters per line (15 px each, 7 px a unit)
    chars = sum(1 if ord(ch) < 0x2E80 else 2 for ch in text) / 2
    return LINE_PT * max(1, math.ceil(chars / per_line)) + 4


def _text(ws, row, col, value, fmt=None):
    ws.write_string(row, col, str(safe_cell("" if value is None else str(value))), fmt)


def _number(ws, row, col, value, fmt=None):
    ws.write_number(row, col, float(value) if isinstance(value, float) else int(value), fmt)


def _statement_sheet(wb, f: _Formats, m: mat.Material):
    ws = wb.add_worksheet("文字稿")
    width = TEXT_WIDTH
    _print_setup(ws, m, [width])
    _text(ws, 0, 0, "".join(m.title_lines), f.title)
    ws.set_row(0, _wrapped_height("".join(m.title_lines), width * 11 / 16))
    _text(ws, 1, 0, m.subtitle, f.sub)
    _text(ws, 2, 0, m.scope_note, f.text)
    ws.set_row(2, _wrapped_height(m.scope_note, width))
    _text(ws, 3, 0, "发布口径（整段）", f.head)
    _text(ws, 4, 0, m.statement, f.text)
    ws.set_row(4, _wrapped_height(m.statement, width))
    _text(ws, 6, 0, "分句", f.head)
    for i, s in enumerate(m.sentences):
        _text(ws, 7 + i, 0, s, f.text)
        ws.set_row(7 + i, _wrapped_height(s, width))


def _key_sheet(wb, f: _Formats, m: mat.Material):
    ws = wb.add_worksheet("主要数据")
    _print_setup(ws, m, [26, 16, 16, 14, 8], repeat_row=2)
    _text(ws, 0, 0, f"{m.scope}主要数据（{m.subtitle}）", f.title)
    heads = ["指标", f"截至{numbers.date(m.as_of)}", f"上年同期（{numbers.date(m.before_date)}）", "增减", "单位"]
    for c, h in enumerate(heads):
        _text(ws, 2, c, h, f.head)
    ws.set_row(2, 34)
    rows = of_source(KEY_FIGURES)
    for r, fig in enumerate(rows, start=3):
        now, before = value(m.figures, fig.key), value(m.before, fig.key)
        delta = round(now - before, 2) if fig.money else now - before
        _text(ws, r, 0, fig.label, f.cell)
        for c, v in ((1, now), (2, before), (3, delta)):
            _number(ws, r, c, v, f.money_for(v) if fig.money else f.int)
        _text(ws, r, 4, fig.unit, f.cell)
    _text(ws, 3 + len(rows) + 1, 0, f"注：“今年以来”指{m.period}（上年同期为上一年的同一时段）；其余为截至日期的累计数。", f.sub)


def _table_sheet(wb, f: _Formats, t, m: mat.Material):
    ws = wb.add_worksheet(SHEET_NAMES[t.key])
    cols, labels = t.columns, t.labels
    first = 22
    _print_setup(ws, m, [first] + [(PORTRAIT_WIDTH - first) // max(1, len(cols) - 1)] * (len(cols) - 1),
                 repeat_row=2)
    name = ws.get_name()
    _text(ws, 0, 0, t.title, f.title)
    for c, h in enumerate(labels):
        _text(ws, 2, c, h, f.head)
    ws.set_row(2, 32)
    n = len(t.frame)
    has_total = len(t.body) < n
    for r, row in enumerate(t.frame.itertuples(index=False), start=3):
        is_total = has_total and r == 3 + n - 1
        for c, (col, v) in enumerate(zip(cols, row)):
            if c == 0:
                _text(ws, r, c, v, f.total if is_total else f.cell)
            elif col in MONEY_COLUMNS:
                _number(ws, r, c, v, f.money_for(v, is_total))
            else:
                _number(ws, r, c, v, f.total_int if is_total else f.int)
    _text(ws, 3 + n + 1, 0, f"注：{t.note}", f.sub)
    first, last = 3, 3 + len(t.body) - 1
    if len(t.body) == 0:
        return
    anchor_row = 3 + n + 3
    height = CHART_HEIGHT if len(t.charts) == 1 else CHART_HEIGHT - 40
    for i, ch in enumerate(t.charts):
        chart = wb.add_chart({"type": ch.kind})
        for k, col in enumerate(ch.series):
            c = cols.index(col)
            chart.add_series({
                "name": [name, 2, c],
                "categories": [name, first, 0, last, 0],
                "values": [name, first, c, last, c],
                "fill": {"color": SERIES_COLOURS[k % len(SERIES_COLOURS)]},
                "data_labels": {"value": True, "font": {"name": FONT, "size": 8}, "num_format": COUNT_FORMAT},
            })
        chart.set_title({"name": ch.title, "name_font": {"name": HEAD_FONT, "size": 12, "bold": True}})
        chart.set_legend({"position": "bottom", "font": {"name": FONT, "size": 9}}
                         if len(ch.series) > 1 else {"none": True})
        axis_font = {"name": FONT, "size": 9}
        category = {"num_font": axis_font, "name_font": axis_font}
        value = {"name": ch.axis_title, "num_font": axis_font, "name_font": axis_font, "min": 0,
                 "num_format": COUNT_FORMAT,
                 "major_gridlines": {"visible": True, "line": {"color": "#DDDDDD"}}}
        if ch.kind == "bar":        # horizontal bars: x = value axis (bottom), y = category axis (left)
            chart.set_x_axis(value)
            chart.set_y_axis({**category, "reverse": True, "crossing": "max"})
        else:
            chart.set_x_axis(category)
            chart.set_y_axis(value)
        chart.set_size({"width": CHART_WIDTH, "height": height})
        ws.insert_chart(anchor_row + i * (height // 20 + 1), 0, chart)


def _cases_sheet(wb, f: _Formats, m: mat.Material):
    ws = wb.add_worksheet("典型事迹")
    _print_setup(ws, m, [5, 9, 16, SUMMARY_WIDTH], repeat_row=2)
    _text(ws, 0, 0, f"{m.scope}见义勇为典型事迹", f.title)
    for c, h in enumerate(["序号", "姓名", "县市区", "事迹概要"]):
        _text(ws, 2, c, h, f.head)
    for r, case in enumerate(m.cases, start=3):
        _number(ws, r, 0, r - 2, f.int)
        _text(ws, r, 1, case.name, f.cell)
        _text(ws, r, 2, case.county, f.cell)
        _text(ws, r, 3, case.summary, f.text)
        ws.set_row(r, _wrapped_height(case.summary, SUMMARY_WIDTH))


def _notes_sheet(wb, f: _Formats, m: mat.Material):
    ws = wb.add_worksheet("数据说明")
    _print_setup(ws, m, [6, TEXT_WIDTH - 6])
    _text(ws, 0, 0, "数据说明", f.title)
    for r, note in enumerate(m.notes, start=2):
        _number(ws, r, 0, r - 1, f.num)
        _text(ws, r, 1, note, f.text)
        ws.set_row(r, _wrapped_height(note, TEXT_WIDTH - 6))
    _text(ws, len(m.notes) + 3, 1, f"生成时间：{m.generated_at:%Y-%m-%d %H:%M}", f.sub)


def to_xlsx(m: mat.Material) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"title": m.title, "subject": m.subtitle, "author": mat.ORG, "company": mat.ORG})
    f = _Formats(wb)
    _statement_sheet(wb, f, m)
    _key_sheet(wb, f, m)
    for t in m.tables:
        _table_sheet(wb, f, t, m)
    if m.cases:
        _cases_sheet(wb, f, m)
    _notes_sheet(wb, f, m)
    wb.close()
    return buf.getvalue()
