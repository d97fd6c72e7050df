"""The press material as an .xlsx workbook with native Excel charts (xlsxwriter), built in memory.

Sheets: 文字稿, 主要数据, 表1…表3 (each with its chart(s) drawn from its own cells), 典型事迹 (when chosen),
数据说明. Every text cell goes through privacy.safe_cell and is written with write_string (never as a
formula); numbers are written as numbers.
"""
from __future__ import annotations

import io

import xlsxwriter

from analytics.press import material as mat
from analytics import numbers
from analytics.privacy import safe_cell

FONT = "宋体"
HEAD_FONT = "黑体"
SERIES_COLOURS = ["#C0392B", "#2E86C1", "#D68910", "#239B56", "#7D3C98"]
SHEET_NAMES = {"levels": "表1 登记及表扬", "activity": "表2 活动情况", "assistance": "表3 帮扶优抚"}
MONEY_COLUMNS = {"amount_yuan"}


class _Formats:
    def __init__(self, wb):
        base = {"font_name": FONT, "font_size": 11, "valign": "vcenter"}
        self.title = wb.add_format({**base, "font_name": HEAD_FONT, "font_size": 16, "bold": True})
        self.sub = wb.add_format({**base, "font_size": 11, "italic": False, "font_color": "#555555"})
        self.text = wb.add_format({**base, "text_wrap": True, "valign": "top"})
        self.head = wb.add_format({**base, "bold": True, "border": 1, "align": "center", "text_wrap": True,
                                   "bg_color": "#F2F2F2"})
        self.cell = wb.add_format({**base, "border": 1})
        self.int = wb.add_format({**base, "border": 1, "num_format": "0"})
        self.money = wb.add_format({**base, "border": 1, "num_format": "#,##0.00"})
        self.total = wb.add_format({**base, "border": 1, "bold": True})
        self.total_int = wb.add_format({**base, "border": 1, "bold": True, "num_format": "0"})
        self.total_money = wb.add_format({**base, "border": 1, "bold": True, "num_format": "#,##0.00"})


def _text(ws, row, col, value, fmt=None):
    ws.write_string(row, col, str(safe_cell("" if value is None else str(value))), fmt)


def _number(ws, row, col, value, fmt=None):
    ws.write_number(row, col, float(value) if isinstance(value, float) else int(value), fmt)


def _statement_sheet(wb, f: _Formats, m: mat.Material):
    ws = wb.add_worksheet("文字稿")
    ws.set_column(0, 0, 110)
    _text(ws, 0, 0, m.title, f.title)
    _text(ws, 1, 0, m.subtitle, f.sub)
    _text(ws, 3, 0, "发布口径（整段）", f.head)
    _text(ws, 4, 0, m.statement, f.text)
    ws.set_row(4, 18 * (len(m.statement) // 55 + 2))
    _text(ws, 6, 0, "分句", f.head)
    for i, s in enumerate(m.sentences):
        _text(ws, 7 + i, 0, s, f.text)
        ws.set_row(7 + i, 18 * (len(s) // 55 + 1))


def _key_sheet(wb, f: _Formats, m: mat.Material):
    ws = wb.add_worksheet("主要数据")
    ws.set_column(0, 0, 26)
    ws.set_column(1, 4, 16)
    _text(ws, 0, 0, f"{m.scope}主要数据（{m.subtitle}）", f.title)
    heads = ["指标", f"截至{numbers.date(m.as_of)}", f"上年同期（{numbers.date(m.before_date)}）", "增减", "单位"]
    for c, h in enumerate(heads):
        _text(ws, 2, c, h, f.head)
    for r, (label, key, unit) in enumerate(mat.KEY_ROWS, start=3):
        now, before = mat.get(m.figures, key), mat.get(m.before, key)
        fmt = f.money if unit == "元" else f.int
        _text(ws, r, 0, label, f.cell)
        _number(ws, r, 1, now, fmt)
        _number(ws, r, 2, before, fmt)
        _number(ws, r, 3, round(now - before, 2) if unit == "元" else now - before, fmt)
        _text(ws, r, 4, unit, f.cell)
    _text(ws, 3 + len(mat.KEY_ROWS) + 1, 0, "注：活动、帮扶为当年1月1日至截至日期的数据；其余为截至日期的累计数。", f.sub)


def _table_sheet(wb, f: _Formats, t):
    ws = wb.add_worksheet(SHEET_NAMES[t.key])
    ws.set_landscape()
    ws.set_paper(9)                 # A4
    ws.fit_to_pages(1, 0)           # one page wide when printed
    name = ws.get_name()
    cols, labels = t.columns, t.labels
    ws.set_column(0, 0, 24)
    ws.set_column(1, len(cols) - 1, 14)
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
                _number(ws, r, c, v, f.total_money if is_total else f.money)
            else:
                _number(ws, r, c, v, f.total_int if is_total else f.int)
    _text(ws, 3 + n + 1, 0, f"注：{t.note}", f.sub)
    first, last = 3, 3 + len(t.body) - 1
    if len(t.body) == 0:
        return
    anchor_row = 3 + n + 3
    for i, ch in enumerate(t.charts):
        chart = wb.add_chart({"type": ch.kind})
        for k, col in enumerate(ch.series):
            c = cols.index(col)
            chart.add_series({
                "name": [name, 2, c],
                "categories": [name, first, 0, last, 0],
                "values": [name, first, c, last, c],
                "fill": {"color": SERIES_COLOURS[k % len(SERIES_COLOURS)]},
                "data_labels": {"value": True, "font": {"name": FONT, "size": 8}},
            })
        chart.set_title({"name": ch.title, "name_font": {"name": HEAD_FONT, "size": 12, "bold": True}})
        chart.set_legend({"position": "bottom", "font": {"name": FONT, "size": 9}}
                         if len(ch.series) > 1 else {"none": True})
        axis_font = {"name": FONT, "size": 9}
        chart.set_x_axis({"num_font": axis_font, "name_font": axis_font,
                          **({"reverse": True} if ch.kind == "bar" else {})})
        chart.set_y_axis({"name": ch.axis_title, "num_font": axis_font, "name_font": axis_font,
                          "major_gridlines": {"visible": True, "line": {"color": "#DDDDDD"}}})
        chart.set_size({"width": 820, "height": 380})
        ws.insert_chart(anchor_row + i * 20, 0, chart)


def _cases_sheet(wb, f: _Formats, m: mat.Material):
    ws = wb.add_worksheet("典型事迹")
    ws.set_column(0, 0, 6)
    ws.set_column(1, 1, 10)
    ws.set_column(2, 2, 22)
    ws.set_column(3, 3, 80)
    _text(ws, 0, 0, f"{m.scope}见义勇为典型事迹", f.title)
    for c, h in enumerate(["序号", "姓名", "县市区", "事迹概要"]):
        _text(ws, 2, c, h, f.head)
    for r, case in enumerate(m.cases, start=3):
        _number(ws, r, 0, r - 2, f.int)
        _text(ws, r, 1, case.name, f.cell)
        _text(ws, r, 2, case.county, f.cell)
        _text(ws, r, 3, case.summary, f.text)


def _notes_sheet(wb, f: _Formats, m: mat.Material):
    ws = wb.add_worksheet("数据说明")
    ws.set_column(0, 0, 6)
    ws.set_column(1, 1, 100)
    _text(ws, 0, 0, "数据说明", f.title)
    for r, note in enumerate(m.notes, start=2):
        _number(ws, r, 0, r - 1)
        _text(ws, r, 1, note, f.text)
        ws.set_row(r, 18 * (len(note) // 50 + 1))
    _text(ws, len(m.notes) + 3, 1, f"生成时间：{m.generated_at:%Y-%m-%d %H:%M}", f.sub)


def to_xlsx(m: mat.Material) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"title": m.title, "subject": m.subtitle, "author": mat.ORG, "company": mat.ORG})
    f = _Formats(wb)
    _statement_sheet(wb, f, m)
    _key_sheet(wb, f, m)
    for t in m.tables:
        _table_sheet(wb, f, t)
    if m.cases:
        _cases_sheet(wb, f, m)
    _notes_sheet(wb, f, m)
    wb.close()
    return buf.getvalue()
