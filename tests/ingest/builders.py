"""Real spreadsheet files built in the tests: .xlsx (xlsxwriter), .xls (xlwt), .ods (odfpy), CSV/TSV in the
encodings Chinese Excel writes, and the hostile ones (zip bomb, encrypted, truncated)."""
from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile

import xlsxwriter

from analytics.idnumber import make_id_number

REG_HEADERS = ["姓名", "性别", "出生日期", "身份证号码", "户籍所在地", "所属镇街", "联系电话", "人员状态",
               "事迹发生时间", "事迹类别", "事迹简介", "确认时间", "表彰级别", "表彰时间", "荣誉称号"]


def person(i: int, county_code="371502", county="东昌府区", town="古楼街道", level="市级", year=2020):
    birth = dt.date(1960 + i % 40, 1 + i % 12, 1 + i % 28)
    seq = 100 + i * 2 + 1  # odd: male
    idn = make_id_number(county_code, birth, seq % 1000)
    return [f"测试{_cn(i)}", "男", birth, idn, county, town, f"1370000{i:04d}", "健在",
            dt.date(year, 3, 1 + i % 28), "救落水", f"{year}年在河边救起落水群众。", dt.date(year, 5, 1),
            level, dt.date(year, 6, 1), "见义勇为先进个人"]


def _cn(i: int) -> str:
    digits = "零一二三四五六七八九"
    return "".join(digits[int(c)] for c in str(i))


def registry_rows(n: int, **kw) -> list[list]:
    return [person(i, **kw) for i in range(n)]


def xlsx(sheets: dict[str, list[list]], *, hidden_cols: dict[str, list[int]] | None = None,
         merges: dict[str, list[tuple]] | None = None, text_cols: tuple[int, ...] = ()) -> bytes:
    """Workbook bytes; dates written as date cells; strings always as text (never formulas)."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False})
    datefmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is None:
                    continue
                if isinstance(v, (dt.date, dt.datetime)):
                    ws.write_datetime(r, c, dt.datetime(v.year, v.month, v.day), datefmt)
                elif isinstance(v, str):
                    ws.write_string(r, c, v)
                else:
                    ws.write(r, c, v)
        for c in (hidden_cols or {}).get(name, []):
            ws.set_column(c, c, None, None, {"hidden": True})
        for (r0, c0, r1, c1, text) in (merges or {}).get(name, []):
            ws.merge_range(r0, c0, r1, c1, text)
    wb.close()
    return buf.getvalue()


def xls(sheets: dict[str, list[list]]) -> bytes:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    datefmt = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for name, rows in sheets.items():
        ws = wb.add_sheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is None:
                    continue
                if isinstance(v, (dt.date, dt.datetime)):
                    ws.write(r, c, dt.datetime(v.year, v.month, v.day), datefmt)
                else:
                    ws.write(r, c, v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def ods(sheets: dict[str, list[list]]) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        table = Table(name=name)
        for row in rows:
            tr = TableRow()
            for v in row:
                if v is None:
                    tc = TableCell()
                elif isinstance(v, (dt.date, dt.datetime)):
                    tc = TableCell(valuetype="date", datevalue=v.strftime("%Y-%m-%d"))
                    tc.addElement(P(text=v.strftime("%Y-%m-%d")))
                elif isinstance(v, (int, float)):
                    tc = TableCell(valuetype="float", value=v)
                    tc.addElement(P(text=str(v)))
                else:
                    tc = TableCell(valuetype="string")
                    tc.addElement(P(text=str(v)))
                tr.addElement(tc)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    buf = io.BytesIO()
    doc.write(buf)
    return buf.getvalue()


def csv_text(rows: list[list], sep: str = ",") -> str:
    import csv

    out = io.StringIO()
    w = csv.writer(out, delimiter=sep, lineterminator="\r\n")
    for row in rows:
        w.writerow(["" if v is None else (v.isoformat() if isinstance(v, dt.date) else v) for v in row])
    return out.getvalue()


def csv_bytes(rows: list[list], encoding: str = "gbk", sep: str = ",") -> bytes:
    text = csv_text(rows, sep)
    if encoding == "utf-8-sig":
        return text.encode("utf-8-sig")
    if encoding == "utf-16":
        return text.encode("utf-16")  # with BOM, as Excel's "Unicode text"
    return text.encode(encoding)


def zip_bomb(declared: int = 1_500_000_000) -> bytes:
    """A valid-looking .xlsx whose worksheet member declares `declared` bytes once inflated (the central
    directory is patched, as a hostile file would be); a few KB on disk."""
    data = xlsx({"S": [["姓名", "县市区"], ["张三", "东昌府区"]]})
    zf = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in zf.infolist():
            out.writestr(info.filename, zf.read(info.filename))
    raw = bytearray(buf.getvalue())
    pos = 0
    while True:
        pos = raw.find(b"PK\x01\x02", pos)
        if pos < 0:
            break
        name_len = struct.unpack_from("<H", raw, pos + 28)[0]
        name = bytes(raw[pos + 46: pos + 46 + name_len])
        if name.startswith(b"xl/worksheets/"):
            struct.pack_into("<I", raw, pos + 24, min(declared, 0xFFFFFFFE))
        pos += 4
    return bytes(raw)


def real_zip_bomb(inflated_mb: int = 40) -> bytes:
    """A genuine zip bomb in miniature: one member of zeros compressing about 1000:1."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("xl/worksheets/sheet1.xml", "w") as fh:
            chunk = b"0" * (1024 * 1024)
            for _ in range(inflated_mb):
                fh.write(chunk)
        zf.writestr("[Content_Types].xml", "<Types/>")
    return buf.getvalue()


def encrypted_workbook() -> bytes:
    """What Excel writes for a password-protected .xlsx: an OLE/CFB container with EncryptionInfo and
    EncryptedPackage streams (directory entry names in UTF-16LE)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    entries = b""
    for name in ("Root Entry", "EncryptionInfo", "EncryptedPackage"):
        n = name.encode("utf-16-le") + b"\x00\x00"
        entries += n + b"\x00" * (64 - len(n)) + struct.pack("<H", len(n)) + b"\x02" + b"\x00" * 61
    return header + entries + b"\x00" * 2048
