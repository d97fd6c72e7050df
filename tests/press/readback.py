"""Re-open the three export files with python-docx / openpyxl / python-pptx and pull out their figures."""
from __future__ import annotations

import io

import docx
import openpyxl
import pptx


def docx_content(data: bytes) -> dict:
    d = docx.Document(io.BytesIO(data))
    paragraphs = [p.text for p in d.paragraphs]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in d.tables]
    return {"paragraphs": paragraphs, "tables": tables, "doc": d}


def xlsx_content(data: bytes) -> dict:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    sheets = {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb}
    charts = {ws.title: ws._charts for ws in wb}
    return {"sheets": sheets, "charts": charts, "wb": wb}


def pptx_content(data: bytes) -> dict:
    prs = pptx.Presentation(io.BytesIO(data))
    texts, charts = [], []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if getattr(shape, "has_chart", False) and shape.has_chart:
                ch = shape.chart
                charts.append({
                    "categories": list(ch.plots[0].categories),
                    "series": {s.name: list(s.values) for s in ch.plots[0].series},
                })
            if getattr(shape, "has_table", False) and shape.has_table:
                texts.extend(c.text for row in shape.table.rows for c in row.cells)
    return {"texts": texts, "charts": charts, "slides": len(prs.slides)}


def xlsx_table(sheet_rows: list[list]) -> tuple[list, list[list]]:
    """(header, data rows) of a 表 sheet: header on row 3, data until the first empty first cell."""
    header = sheet_rows[2]
    body = []
    for row in sheet_rows[3:]:
        if row[0] is None or str(row[0]).startswith("注："):
            break
        body.append(row)
    return header, body
