"""Bytes → raw sheets (rows of Python values, Excel row/column positions kept), for every format staff use.

Workbooks (.xlsx/.xlsm/.xls/.ods) are read with python-calamine; text files are decoded in the order BOM →
strict UTF-8 → GB18030 → charset-normalizer (never Latin-1) and split as CSV or tab-separated text.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from python_calamine import CalamineWorkbook

from analytics.ingest import ImportFileError
from analytics.ingest.limits import Limits, check

WORKBOOK_EXT = (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb")
TEXT_EXT = (".csv", ".tsv", ".txt")


@dataclass
class RawSheet:
    name: str
    rows: list[list]                 # rows[i] is Excel row i+1; ragged; values: str/float/int/bool/date/datetime/None
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)   # 0-based, inclusive
    hidden_cols: set[int] = field(default_factory=set)                                  # 0-based
    hidden: bool = False


@dataclass
class RawFile:
    name: str
    sha256: str
    size: int
    format: str                      # xlsx / xls / ods / csv / tsv
    encoding: str | None
    sheets: list[RawSheet]


def read_bytes(name: str, data: bytes, limits: Limits | None = None) -> RawFile:
    """Check limits, then parse. Raises ImportFileError with one Chinese sentence."""
    import hashlib

    container = check(name, data, limits)
    sha = hashlib.sha256(data).hexdigest()
    lower = name.lower()
    if container in ("zip", "ole"):
        sheets, fmt = _read_workbook(name, data, container)
        enc = None
    else:
        if lower.endswith(WORKBOOK_EXT):
            raise ImportFileError(f"文件“{name}”的扩展名是表格文件，但内容不是有效的表格文件，可能已损坏。")
        text, enc = decode_text(name, data)
        delim = _delimiter(lower, text)
        fmt = "tsv" if delim == "\t" else "csv"
        rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delim)]
        stem = re.sub(r"\.[^.]*$", "", name.replace("\\", "/").rsplit("/", 1)[-1]) or "Sheet1"
        sheets = [RawSheet(stem, rows)]
    if not any(any(v not in (None, "") for v in r) for s in sheets for r in s.rows):
        raise ImportFileError(f"文件“{name}”中没有任何数据。")
    return RawFile(name, sha, len(data), fmt, enc, sheets)


# ---- text -------------------------------------------------------------------------------------------

_BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
_ALLOWED_DETECTED = {"utf_8", "gb18030", "gbk", "gb2312", "big5", "utf_16", "utf_16_le", "utf_16_be", "hz",
                     "cp936", "big5hkscs", "ascii"}


def decode_text(name: str, data: bytes) -> tuple[str, str]:
    """(text, encoding): BOM, then strict UTF-8, then GB18030, then charset-normalizer among Chinese/Unicode
    encodings only. Never Latin-1: garbled text must not reach the database."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                break
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # UTF-16 without a BOM: every other byte of ASCII text is zero.
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
                if "\x00" not in text:
                    return text, enc
            except UnicodeDecodeError:
                pass
        raise ImportFileError(f"文件“{name}”不是文本表格文件（含有二进制内容），也不是可识别的表格格式。")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding in _ALLOWED_DETECTED:
        try:
            return data.decode(best.encoding), best.encoding
        except (UnicodeDecodeError, LookupError):
            pass
    raise ImportFileError(f"文件“{name}”的文字编码无法识别，请在表格软件中另存为“CSV UTF-8”或 .xlsx 后重新导入。")


def _delimiter(lower_name: str, text: str) -> str:
    if lower_name.endswith((".tsv", ".txt")):
        return "\t"
    head = text[:8192]
    return "\t" if head.count("\t") > head.count(",") and head.count("\t") > head.count("，") else ","


# ---- workbooks -----------------------------------------------------------------------------------------

def _read_workbook(name: str, data: bytes, container: str) -> tuple[list[RawSheet], str]:
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own errors (ZipError, XmlError, PasswordError, CalamineError)
        if "password" in type(exc).__name__.lower() or "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise ImportFileError(f"文件“{name}”设置了打开密码（已加密），系统无法读取，请在表格软件中取消密码后重新导入。") from None
        raise ImportFileError(f"文件“{name}”已损坏或不是可识别的表格文件（支持 .xlsx、.xls、.ods、.csv），请重新导出后再导入。") from None
    fmt = "xls" if container == "ole" else ("ods" if _is_ods(data) else "xlsx")
    hidden_cols = _xlsx_hidden_columns(data) if fmt == "xlsx" else {}
    visible = {m.name: str(m.visible).endswith("Visible") for m in wb.sheets_metadata}
    sheets = []
    for sheet_name in wb.sheet_names:
        try:
            sh = wb.get_sheet_by_name(sheet_name)
            rows = sh.to_python(skip_empty_area=False)
            try:
                merged = list(sh.merged_cell_ranges or [])
            except Exception:
                merged = []
        except Exception:
            raise ImportFileError(f"文件“{name}”的工作表“{sheet_name}”已损坏，无法读取，请重新导出后再导入。") from None
        sheets.append(RawSheet(sheet_name, rows, merged, hidden_cols.get(sheet_name, set()),
                               hidden=not visible.get(sheet_name, True)))
    return sheets, fmt


def _is_ods(data: bytes) -> bool:
    return b"application/vnd.oasis.opendocument" in data[:200]


_SHEET_RE = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"|<(?:\w+:)?sheet\b[^>]*?r:id="([^"]*)"[^>]*?name="([^"]*)"')
_REL_RE = re.compile(rb'<Relationship\b[^>]*?Id="([^"]*)"[^>]*?Target="([^"]*)"|<Relationship\b[^>]*?Target="([^"]*)"[^>]*?Id="([^"]*)"')
_COL_RE = re.compile(rb"<(?:\w+:)?col\b([^>]*)/?>")


def _xlsx_hidden_columns(data: bytes) -> dict[str, set[int]]:
    """Hidden columns per sheet, from the <cols> element at the head of each worksheet part (calamine does not
    report them). Reads at most 256 KB of each part: cheap on any file."""
    import html

    out: dict[str, set[int]] = {}
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        wbxml = zf.read("xl/workbook.xml")
        rels = zf.read("xl/_rels/workbook.xml.rels")
    except (KeyError, zipfile.BadZipFile, OSError):
        return out
    targets = {}
    for m in _REL_RE.finditer(rels):
        rid, target = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        targets[rid.decode()] = target.decode()
    for m in _SHEET_RE.finditer(wbxml):
        sname, rid = (m.group(1), m.group(2)) if m.group(1) is not None else (m.group(4), m.group(3))
        target = targets.get(rid.decode())
        if not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else "xl/" + target
        try:
            with zf.open(path) as fh:
                head = fh.read(262144)
        except (KeyError, OSError, zipfile.BadZipFile):
            continue
        end = head.find(b"<sheetData")
        head = head[:end] if end >= 0 else head
        hidden = set()
        for cm in _COL_RE.finditer(head):
            attrs = cm.group(1)
            if re.search(rb'hidden="(1|true)"', attrs):
                lo = re.search(rb'min="(\d+)"', attrs)
                hi = re.search(rb'max="(\d+)"', attrs)
                if lo and hi:
                    hidden.update(range(int(lo.group(1)) - 1, min(int(hi.group(1)), 16384)))
        if hidden:
            out[html.unescape(sname.decode("utf-8"))] = hidden
    return out
