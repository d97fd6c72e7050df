"""A big worksheet is read as two halves in two threads (read._read_sheet_parallel). Whatever the layout, the
result must be exactly what the normal single-threaded path returns; when the part cannot be split safely the
normal path is used."""
import datetime as dt
import io
import zipfile

import openpyxl
import pytest
import xlsxwriter

from analytics.ingest import ImportFileError, read

D = dt.datetime(2021, 3, 4)


CUTS = [(0.5,), read.PIPELINE_CUTS]   # two halves (read alone) and the import's pipeline of parts


def _read(monkeypatch, data: bytes, parallel: bool, cuts=(0.5,)):
    """(sheets as comparable tuples, results of every parallel attempt: None = fell back)."""
    attempts = []
    real = read._read_sheet_parallel

    def spy(*args):
        got = real(*args)
        attempts.append(got)
        return got

    monkeypatch.setattr(read, "PARALLEL_MIN_BYTES", 1 if parallel else 10 ** 12)
    monkeypatch.setattr(read, "PARALLEL_CUTS", cuts)
    monkeypatch.setattr(read, "_read_sheet_parallel", spy)
    raw = read.read_bytes("t.xlsx", data)
    # (type, value) so that 1 / 1.0 / True and datetime / date never compare equal by accident
    sheets = [(s.name, [[(type(v).__name__, v) for v in row] for row in s.rows], s.merged, s.hidden_cols, s.hidden)
              for s in raw.sheets]
    return sheets, attempts


def assert_same(monkeypatch, data: bytes, *, parallel_taken: bool = True, cuts=(0.5,)):
    normal, attempts = _read(monkeypatch, data, parallel=False)
    assert attempts == []
    fast, attempts = _read(monkeypatch, data, parallel=True, cuts=cuts)
    assert attempts, "the parallel path was not tried"
    if parallel_taken:
        assert all(a is not None for a in attempts), "the parallel path fell back"
    else:
        assert all(a is None for a in attempts)
    assert fast == normal
    return normal


def row_values(i: int, width: int = 6, first_col: int = 0) -> list:
    kinds = [f"文本{i}", i, i + 0.5, D + dt.timedelta(days=i, hours=i % 24), i % 2 == 0, None]
    return [None] * first_col + [kinds[c % len(kinds)] for c in range(width)]


def with_xlsxwriter(sheets: dict, *, merges=(), hidden_sheets=(), hidden_cols=(), styled_blank_rows=()) -> bytes:
    """sheets: name -> {0-based row: values}. Inline strings (xlsxwriter in constant_memory mode)."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False})
    datefmt = wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    grey = wb.add_format({"bg_color": "#DDDDDD"})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, values in sorted(rows.items()):
            for c, v in enumerate(values):
                if isinstance(v, dt.datetime):
                    ws.write_datetime(r, c, v, datefmt)
                elif isinstance(v, str):
                    ws.write_string(r, c, v)
                elif v is not None:
                    ws.write(r, c, v)
        for r in styled_blank_rows:
            ws.set_row(r, None, grey)
            ws.write_blank(r, 9, None, grey)        # a styled cell without a value, right of the data
        for (r0, c0, r1, c1, text) in merges:
            ws.merge_range(r0, c0, r1, c1, text)
        for c in hidden_cols:
            ws.set_column(c, c, None, None, {"hidden": True})
        if name in hidden_sheets:
            ws.hide()
    wb.close()
    return buf.getvalue()


def with_openpyxl(sheets: dict, *, merges=(), hidden_sheets=()) -> bytes:
    """Shared strings."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, values in rows.items():
            for c, v in enumerate(values):
                if v is not None:
                    ws.cell(r + 1, c + 1, v)
                    if isinstance(v, dt.datetime):
                        ws.cell(r + 1, c + 1).number_format = "yyyy-mm-dd hh:mm:ss"
        for (r0, c0, r1, c1, _text) in merges:
            ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
        if name in hidden_sheets:
            ws.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def plain(n=80, start=0, width=6, first_col=0):
    return {r: row_values(r, width, first_col) for r in range(start, start + n)}


LAYOUTS = {
    "plain": plain(),
    # rows 41..60 are empty: the split lands at the gap
    "gap_at_split": {**plain(40), **plain(40, start=60)},
    # second half starts two columns to the right and is wider than the first
    "second_half_shifted_right": {**plain(40, width=4), **plain(40, start=40, width=5, first_col=2)},
    # second half narrower than the first
    "second_half_narrower": {**plain(10, width=8), **plain(70, start=10, width=2)},
    # the first half has no cell at all (starts far down)
    "data_starts_late": plain(40, start=5000),
    # one cell at the very end, far below and right of the rest
    "lone_far_cell": {**plain(40), 900: [None] * 12 + ["尾"]},
}


@pytest.mark.parametrize("cuts", CUTS)
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("writer", [with_xlsxwriter, with_openpyxl])
def test_layouts_read_the_same(monkeypatch, writer, layout, cuts):
    assert_same(monkeypatch, writer({"登记表": LAYOUTS[layout]}), cuts=cuts)


def test_values_really_come_back(monkeypatch):
    [(name, rows, merged, hidden_cols, hidden)] = assert_same(monkeypatch, with_openpyxl({"S": plain()}))
    assert len(rows) == 80 and all(len(r) == 5 for r in rows)      # the always-None 6th column is not in range
    assert [v for _, v in rows[79]] == ["文本79", 79, 79.5, D + dt.timedelta(days=79, hours=7), False]


def test_title_row_merged_cells_hidden_sheet_and_columns(monkeypatch):
    body = {0: ["某县见义勇为人员登记表"], **plain(80, start=2)}
    data = with_xlsxwriter({"登记表": body, "说明": {0: ["备注"], 3: [None, 1]}},
                           merges=[(0, 0, 0, 5, "某县见义勇为人员登记表"), (70, 2, 72, 3, "合并")],
                           hidden_sheets=["说明"], hidden_cols=[3])
    sheets = assert_same(monkeypatch, data)
    assert [(s[0], s[4]) for s in sheets] == [("登记表", False), ("说明", True)]
    assert sheets[0][2] == [((0, 0), (0, 5)), ((70, 2), (72, 3))] and sheets[0][3] == {3}


def test_openpyxl_two_sheets_merged_hidden(monkeypatch):
    data = with_openpyxl({"甲": plain(60), "乙": {**plain(30), **plain(30, start=50, first_col=1)}},
                         merges=[(1, 1, 2, 2, ""), (55, 0, 58, 0, "")], hidden_sheets=["乙"])
    sheets = assert_same(monkeypatch, data)
    assert sorted(sheets[1][2]) == [((1, 1), (2, 2)), ((55, 0), (58, 0))] and sheets[1][4] is True


def test_styled_empty_rows_and_cells_around_the_split(monkeypatch):
    data = with_xlsxwriter({"S": {**plain(40), **plain(40, start=70)}}, styled_blank_rows=range(35, 75))
    assert_same(monkeypatch, data)
    # only styled, valueless rows after the data: the second half holds no value at all
    assert_same(monkeypatch, with_xlsxwriter({"S": plain(20)}, styled_blank_rows=range(20, 400)))
    # ... or before it: the first half holds no value at all
    assert_same(monkeypatch, with_xlsxwriter({"S": plain(20, start=400)}, styled_blank_rows=range(400)))


# ---- hand-made worksheet XML ---------------------------------------------------------------------------------

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML = '<?xml version="1.0" encoding="UTF-8"?>'


def handmade(rows_xml: str, prefix: str = "") -> bytes:
    """One-sheet workbook around hand-written <sheetData> content (optionally namespace-prefixed, x:row...)."""
    p, ns = (f"{prefix}:", f'xmlns:{prefix}="{MAIN_NS}"') if prefix else ("", f'xmlns="{MAIN_NS}"')
    sheet = (f'{XML}<{p}worksheet {ns}><{p}dimension ref="A1:B2"/><{p}sheetData>{rows_xml}</{p}sheetData>'
             f'<{p}pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
             f'</{p}worksheet>')
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    files = {
        "[Content_Types].xml":
            f'{XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/></Types>',
        "_rels/.rels":
            f'{XML}<Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" Type="{DOC_REL}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml":
            f'{XML}<workbook xmlns="{MAIN_NS}" xmlns:r="{DOC_REL}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/>'
            '</sheets></workbook>',
        "xl/_rels/workbook.xml.rels":
            f'{XML}<Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" Type="{DOC_REL}/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text)
    return buf.getvalue()


def cells(i: int, p: str = "", with_ref: bool = True) -> str:
    ref = (lambda col: f' r="{col}{i}"') if with_ref else (lambda col: "")
    return (f'<{p}c{ref("A")} t="inlineStr"><{p}is><{p}t>行{i}</{p}t></{p}is></{p}c>'
            f'<{p}c{ref("B")}><{p}v>{i}</{p}v></{p}c>')


def test_rows_without_r_fall_back(monkeypatch):
    data = handmade("".join(f"<row>{cells(i, with_ref=False)}</row>" for i in range(1, 61)))
    sheets = assert_same(monkeypatch, data, parallel_taken=False)
    assert len(sheets[0][1]) == 60


def test_rows_with_r_and_cells_without_r(monkeypatch):
    rows = "".join(f'<row r="{i}">{cells(i, with_ref=False)}</row>' for i in [*range(1, 31), *range(45, 75)])
    assert_same(monkeypatch, handmade(rows))


def test_only_some_rows_carry_r(monkeypatch):
    # calamine numbers a row without r= as the previous row + 1; the split row (mid-sheet) carries r=, so the
    # rows of part B are numbered as in the whole sheet
    rows = "".join((f'<row r="{i}">' if 10 < i < 50 else "<row>") + cells(i, with_ref=False) + "</row>"
                   for i in range(1, 61))
    assert_same(monkeypatch, handmade(rows))


def test_namespace_prefixed_worksheet(monkeypatch):
    rows = "".join(f'<x:row r="{i}">{cells(i, "x:")}</x:row>' for i in range(1, 61))
    sheets = assert_same(monkeypatch, handmade(rows, prefix="x"))
    assert sheets[0][1][59] == [("str", "行60"), ("float", 60.0)]


def test_any_error_in_the_parallel_path_falls_back(monkeypatch):
    def boom(*args):
        raise RuntimeError("boom")

    data = with_xlsxwriter({"S": plain()})
    normal, _ = _read(monkeypatch, data, parallel=False)
    monkeypatch.setattr(read, "_parse_part", boom)
    fast, attempts = _read(monkeypatch, data, parallel=True)
    assert attempts == [None] and fast == normal


def test_small_parts_use_the_normal_path(monkeypatch):
    attempts = []
    monkeypatch.setattr(read, "_read_sheet_parallel", lambda *a: attempts.append(a))
    read.read_bytes("t.xlsx", with_xlsxwriter({"S": plain()}))
    assert attempts == [] and read.PARALLEL_MIN_BYTES >= 1_000_000


@pytest.mark.parametrize("parallel", [False, True])
def test_corrupt_worksheet_same_sentence(monkeypatch, parallel):
    rows = "".join(f'<row r="{i}">{cells(i)}</row>' for i in range(1, 61)).replace("</c></row>", "</row>", 1)
    monkeypatch.setattr(read, "PARALLEL_MIN_BYTES", 1 if parallel else 10 ** 12)
    with pytest.raises(ImportFileError, match="工作表“S”已损坏"):
        read.read_bytes("t.xlsx", handmade(rows))


# ---- the import works on each part while the next ones are parsed ------------------------------------------

def _registry_rows(n: int) -> dict:
    from tests.ingest import builders as b

    rows = {0: ["聊城市见义勇为人员登记表"], 1: list(b.REG_HEADERS)}
    for i in range(n):
        person = list(b.person(i))
        if i % 37 == 5:
            person[2] = "371502199001011231"              # bad check character: a row error
        rows[2 + i + (i // 50) * 3] = person              # blank rows now and then (where parts may be cut)
    rows[max(rows) + 1] = ["合计", f"{n}人"]
    return rows


@pytest.mark.parametrize("writer", [with_xlsxwriter, with_openpyxl])
def test_import_analyzes_parts_as_they_arrive_with_the_same_result(monkeypatch, writer):
    from analytics.ingest import plan

    data = writer({"登记表": _registry_rows(400)})
    monkeypatch.setattr(read, "PARALLEL_MIN_BYTES", 10 ** 12)
    whole = plan.analyze_file("t.xlsx", data)
    calls = []
    real = plan._analyze_part
    monkeypatch.setattr(plan, "_analyze_part", lambda *a: calls.append(a[2]) or real(*a))
    monkeypatch.setattr(read, "PARALLEL_MIN_BYTES", 1)
    parts = plan.analyze_file("t.xlsx", data)
    assert len(calls) == len(read.PIPELINE_CUTS) + 1 and calls[0] == 0, calls
    a, b = whole.sheets[0], parts.sheets[0]
    assert (a.kind, a.guess) == (b.kind, b.guess) and a.rows == b.rows == 400
    assert a.clean.equals(b.clean) and a.data.raw.equals(b.data.raw)
    assert [p.as_dict() for p in a.problems] == [p.as_dict() for p in b.problems] and a.errors > 5
    assert a.notes == b.notes and any("合计" in n for n in a.notes)
    assert a.data.extra == b.data.extra


def test_a_part_the_import_cannot_use_means_the_sheet_is_analyzed_whole(monkeypatch):
    from analytics.ingest import plan

    data = with_xlsxwriter({"登记表": _registry_rows(200)})
    monkeypatch.setattr(read, "PARALLEL_MIN_BYTES", 10 ** 12)
    whole = plan.analyze_file("t.xlsx", data)
    real = plan._analyze_part

    def flaky(heads, name, first_row, rows):
        if first_row and not flaky.failed:
            flaky.failed = True
            raise RuntimeError("boom")
        return real(heads, name, first_row, rows)
    flaky.failed = False
    monkeypatch.setattr(plan, "_analyze_part", flaky)
    monkeypatch.setattr(read, "PARALLEL_MIN_BYTES", 1)
    again = plan.analyze_file("t.xlsx", data)
    assert flaky.failed
    assert whole.sheets[0].clean.equals(again.sheets[0].clean)
    assert [p.as_dict() for p in whole.sheets[0].problems] == [p.as_dict() for p in again.sheets[0].problems]


def test_parts_already_analyzed_are_forgotten_when_the_reader_falls_back(monkeypatch):
    from analytics.ingest import plan

    data = with_xlsxwriter({"登记表": _registry_rows(200)})
    monkeypatch.setattr(read, "PARALLEL_MIN_BYTES", 10 ** 12)
    whole = plan.analyze_file("t.xlsx", data)
    real_parse = read._parse_part

    def wrong_rows(box, sheet_name, skip_empty_area):          # parts that came out wrong …
        rows, start, end, merged = real_parse(box, sheet_name, skip_empty_area)
        if skip_empty_area:                                     # every part but the first
            rows = [["错行"] + list(r[1:]) for r in rows]
        return rows, start, end, merged

    def misfit(pieces, firsts):                                 # … and do not fit together: the read falls back
        raise ValueError("parts overlap")
    monkeypatch.setattr(read, "_parse_part", wrong_rows)
    monkeypatch.setattr(read, "_stitch", misfit)
    calls = []
    real = plan._analyze_part
    monkeypatch.setattr(plan, "_analyze_part", lambda *a: calls.append(a[2]) or real(*a))
    monkeypatch.setattr(read, "PARALLEL_MIN_BYTES", 1)
    again = plan.analyze_file("t.xlsx", data)
    assert calls, "parts were handed over before the fallback"
    assert whole.sheets[0].clean.equals(again.sheets[0].clean) and "错行" not in set(again.sheets[0].clean["name"])
