"""Bytes → raw sheets (rows of Python values, Excel row/column positions kept), for every format staff use.

Workbooks (.xlsx/.xlsm/.xls/.ods) are read with python-calamine; text files are decoded in the order BOM →
strict UTF-8 → GB18030 → charset-normalizer (never Latin-1) and split as CSV or tab-separated text.
"""
from __future__ import annotations

import codecs
import csv
import io
import itertools
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass, field

from python_calamine import CalamineWorkbook

from analytics.ingest import ImportFileError
from analytics.ingest.limits import Limits, check, check_inflation

WORKBOOK_EXT = (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb")
TEXT_EXT = (".csv", ".tsv", ".txt")


@dataclass
class RawSheet:
    name: str
    rows: list[list]                 # rows[i] is Excel row i+1; ragged; values: str/float/int/bool/date/datetime,
                                     # "" for an empty cell (never None: extract counts on it)
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


def read_bytes(name: str, data: bytes, limits: Limits | None = None, on_part=None) -> RawFile:
    """Check limits, then parse. Raises ImportFileError with one Chinese sentence.

    `on_part(sheet_name, first_row, rows)`, if given, is called in the calling thread with each part of a big
    sheet, in order (rows[i] is Excel row first_row+i+1, possibly narrower than the sheet), while the following
    parts are still being parsed, so the caller can start work on them; first_row -1 means "forget the parts:
    the sheet was read again the normal way". The final RawSheet holds all rows as usual."""
    import hashlib

    container = check(name, data, limits)
    sha = hashlib.sha256(data).hexdigest()
    lower = name.lower()
    if container in ("zip", "ole"):
        sheets, fmt = _read_workbook(name, data, container, on_part)
        enc = None
    else:
        if lower.endswith(WORKBOOK_EXT):
            raise ImportFileError(f"文件“{name}”的扩展名是表格文件，但内容不是有效的表格文件，可能已损坏。")
        text, enc = decode_text(name, data)
        delim = _delimiter(lower, text)
        fmt = "tsv" if delim == "\t" else "csv"
        rows = _split(name, text, delim)
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


def _split(name: str, text: str, delim: str) -> list[list]:
    """The rows of a CSV/TSV text. A field may be as long as the file (the csv module's default limit is 131,072
    characters: a long 事迹简介 is data, not an error); a malformed file gets one Chinese sentence."""
    if csv.field_size_limit() < len(text) + 1:
        csv.field_size_limit(len(text) + 1)
    try:
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delim)]
    except csv.Error:
        raise ImportFileError(f"文件“{name}”不是格式正确的 CSV 文本表格（引号或分隔符不成对），"
                              "请在表格软件中重新另存为 CSV 或 .xlsx 后再导入。") from None


def _delimiter(lower_name: str, text: str) -> str:
    if lower_name.endswith((".tsv", ".txt")):
        return "\t"
    head = text[:8192]
    return "\t" if head.count("\t") > head.count(",") and head.count("\t") > head.count("，") else ","


# ---- workbooks -----------------------------------------------------------------------------------------

def _read_workbook(name: str, data: bytes, container: str, on_part=None) -> tuple[list[RawSheet], str]:
    # Before calamine inflates anything (it reads sharedStrings and an .ods's content.xml on opening), every
    # member it may read must inflate to no more than its declared size. Big worksheet parts are left out: the
    # parallel path reads them through zipfile, bounded by the declared size; a fallback checks its part first.
    zf = _open_zip(data) if container == "zip" else None
    parts = _xlsx_sheet_parts(zf) if zf and not _is_ods(data) else {}
    if zf:
        big = {zf.getinfo(p) for p in parts.values() if _part_size(zf, p) > PARALLEL_MIN_BYTES}
        check_inflation(name, data, (info for info in zf.infolist() if info not in big))
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own errors (ZipError, XmlError, PasswordError, CalamineError)
        if "password" in type(exc).__name__.lower() or "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise ImportFileError(f"文件“{name}”设置了打开密码（已加密），系统无法读取，请在表格软件中取消密码后重新导入。") from None
        raise ImportFileError(f"文件“{name}”已损坏或不是可识别的表格文件（支持 .xlsx、.xls、.ods、.csv），请重新导出后再导入。") from None
    fmt = "xls" if container == "ole" else ("ods" if _is_ods(data) else "xlsx")
    hidden_cols = _xlsx_hidden_columns(zf, parts) if zf else {}
    visible = {m.name: str(m.visible).endswith("Visible") for m in wb.sheets_metadata}
    sheets = []
    for sheet_name in wb.sheet_names:
        big = sheet_name in parts and _part_size(zf, parts[sheet_name]) > PARALLEL_MIN_BYTES
        got = _read_sheet_parallel(zf, parts, sheet_name, on_part) if big else None
        if big and got is None:         # calamine reads the big part from the original zip: check it first
            check_inflation(name, data, (info for info in zf.infolist() if info.filename == parts[sheet_name]))
            if on_part is not None:     # parts already handed over may be wrong: the caller must forget them
                _hand_over(on_part, sheet_name, -1, [])
        rows, merged = got or _read_sheet(wb, name, sheet_name)
        sheets.append(RawSheet(sheet_name, rows, merged, hidden_cols.get(sheet_name, set()),
                               hidden=not visible.get(sheet_name, True)))
    return sheets, fmt


def _read_sheet(wb: CalamineWorkbook, name: str, sheet_name: str) -> tuple[list, list]:
    """(rows, merged) of one sheet, the normal single-threaded way."""
    try:
        sh = wb.get_sheet_by_name(sheet_name)
        rows = sh.to_python(skip_empty_area=False)
        try:
            merged = list(sh.merged_cell_ranges or [])
        except Exception:
            merged = []
    except Exception:
        raise ImportFileError(f"文件“{name}”的工作表“{sheet_name}”已损坏，无法读取，请重新导出后再导入。") from None
    return rows, merged


def _is_ods(data: bytes) -> bool:
    return b"application/vnd.oasis.opendocument" in data[:200]


def _open_zip(data: bytes) -> zipfile.ZipFile | None:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return None


def _part_size(zf: zipfile.ZipFile, path: str) -> int:
    try:
        return zf.getinfo(path).file_size
    except KeyError:
        return 0


_SHEET_RE = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"|<(?:\w+:)?sheet\b[^>]*?r:id="([^"]*)"[^>]*?name="([^"]*)"')
_REL_RE = re.compile(rb'<Relationship\b[^>]*?Id="([^"]*)"[^>]*?Target="([^"]*)"|<Relationship\b[^>]*?Target="([^"]*)"[^>]*?Id="([^"]*)"')
_COL_RE = re.compile(rb"<(?:\w+:)?col\b([^>]*)/?>")


def _xlsx_sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → path of its part inside the zip, from xl/workbook.xml and its rels ({} for .xlsb etc.)."""
    import html

    try:
        wbxml = zf.read("xl/workbook.xml")
        rels = zf.read("xl/_rels/workbook.xml.rels")
    except (KeyError, zipfile.BadZipFile, OSError):
        return {}
    targets = {}
    for m in _REL_RE.finditer(rels):
        rid, target = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        targets[rid.decode()] = target.decode()
    out = {}
    for m in _SHEET_RE.finditer(wbxml):
        sname, rid = (m.group(1), m.group(2)) if m.group(1) is not None else (m.group(4), m.group(3))
        target = targets.get(rid.decode())
        if target:
            out[html.unescape(sname.decode("utf-8"))] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return out


def _xlsx_hidden_columns(zf: zipfile.ZipFile, parts: dict[str, str]) -> dict[str, set[int]]:
    """Hidden columns per sheet, from the <cols> element at the head of each worksheet part (calamine does not
    report them). Reads at most 256 KB of each part: cheap on any file."""
    out: dict[str, set[int]] = {}
    for sname, path in parts.items():
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
            out[sname] = hidden
    return out


# ---- big worksheets: parts parsed in two threads ----------------------------------------------------------
# python-calamine releases the GIL while parsing, so a big worksheet is cut at <row> elements of <sheetData>
# into small workbooks (same shared strings, styles, workbook.xml), parsed two at a time and stitched back.
# The result must equal the normal path exactly; on any doubt return None (normal path).
# With `on_part` the sheet is cut into more parts, the last ones smaller: the caller works on each part
# (in this thread) while the following ones are still being parsed on the other core.

PARALLEL_MIN_BYTES = 8_000_000        # uncompressed worksheet part size above which the parallel path is tried
PARALLEL_CUTS = (0.5,)                # where the sheet is cut (share of <sheetData>) when nobody waits on parts
PIPELINE_CUTS = (0.08, 0.25, 0.45, 0.65, 0.8, 0.92)   # … and when `on_part` works on each part as it arrives

_SHEETDATA_RE = re.compile(rb"<(\w+:)?sheetData\b[^>]*?(/?)>")
_WORKSHEET_RE = re.compile(rb"<((?:\w+:)?worksheet)\b")
_DIMENSION_RE = re.compile(rb"<(?:\w+:)?dimension\b[^>]*>")
_ROW_R_RE = re.compile(rb"""\sr\s*=\s*["'](\d+)["']""")
_EMPTY_SHEET = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>')


def _read_sheet_parallel(zf: zipfile.ZipFile, parts: dict[str, str], sheet_name: str,
                         on_part=None) -> tuple[list, list] | None:
    """(rows, merged) as the normal path would return them, or None to fall back to the normal path."""
    from concurrent.futures import ThreadPoolExecutor

    try:
        cuts = PIPELINE_CUTS if on_part else PARALLEL_CUTS
        firsts, futures, pieces = [], [], []
        with tempfile.TemporaryDirectory(prefix="yiyong-import-") as tmp, ThreadPoolExecutor(max_workers=2) as pool:
            for first_row, box in _cut(zf, parts, sheet_name, tmp, cuts):   # a part is parsed while the next is cut
                firsts.append(first_row)
                futures.append(pool.submit(_parse_part, box, sheet_name, len(futures) > 0))
            if len(futures) != len(cuts) + 1:
                return None
            for k, future in enumerate(futures):
                rows, start, end, merged = future.result()
                if k and end is not None and start[1]:          # a later part is read from its first cell
                    rows = [[""] * start[1] + row for row in rows]
                pieces.append((0 if k == 0 else (start[0] if end is not None else None), rows, end))
                if on_part is not None and rows and pieces[-1][0] is not None:
                    _hand_over(on_part, sheet_name, pieces[-1][0], rows)
        _release_freed_memory()
        return _stitch(pieces, firsts), merged                   # only the last part has the real <mergeCells>
    except BaseException as exc:  # a calamine panic surfaces as pyo3's PanicException, not an Exception
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return None


def _hand_over(on_part, sheet_name: str, first_row: int, rows: list) -> None:
    """Give a part's rows to the caller. Its work is an optimization (it must itself notice a part it could not
    handle and start over afterwards), so its failure must not abort the read."""
    try:
        on_part(sheet_name, first_row, rows)
    except Exception:
        pass


def _cut(zf: zipfile.ZipFile, parts: dict[str, str], sheet_name: str, tmp: str, cuts: tuple[float, ...]):
    """Yield (first_row, [zip path]) for each part, or stop early when the sheet cannot be cut. first_row is the
    0-based Excel row of the <row> the part starts at (0 for the first part). A part but the last closes
    <sheetData> itself; the last one carries the rest and the real tail. Each path sits alone in a list so the
    parsing thread can take the only reference. The part is inflated only as far as the next cut before its
    zip is handed out; the last part is inflated straight into its zip."""
    path = parts[sheet_name]
    size = zf.getinfo(path).file_size
    others = {p for n, p in parts.items() if n != sheet_name}
    with zf.open(path) as fh:
        buf = fh.read(int(size * cuts[0]) + (1 << 20))
        m = _SHEETDATA_RE.search(buf)
        root = _WORKSHEET_RE.search(buf)
        if m is None or m.group(2) or root is None:         # no <sheetData> (in reach) or an empty <sheetData/>
            return
        prefix, data_start = m.group(1) or b"", m.end()
        end_tag = b"</" + prefix + b"sheetData>"
        data_end = buf.rfind(end_tag) if len(buf) >= size else size
        row_tag = b"<" + prefix + b"row"
        head = _DIMENSION_RE.sub(b"", buf[:data_start], count=1)
        zip64 = size + len(head) + 64 > zipfile.ZIP64_LIMIT
        close = end_tag + b"</" + root.group(1) + b">"
        offset, begin, first_row = 0, data_start, 0          # offset: position of buf[0] in the part
        for k, cut in enumerate(cuts):
            target = data_start + int((data_end - data_start) * cut)
            if target - offset + (1 << 20) > len(buf):
                buf += fh.read(target - offset + (1 << 20) - len(buf))
            split = buf.find(row_tag, max(begin, target - offset))
            while split >= 0 and buf[split + len(row_tag):split + len(row_tag) + 1] not in b" \t\r\n>/":
                split = buf.find(row_tag, split + 1)
            r = _ROW_R_RE.search(buf, split, buf.find(b">", split)) if split >= 0 else None
            if r is None or int(r.group(1)) - 1 <= first_row:  # without r= calamine would number the part from 1
                return
            yield first_row, [_part_zip(zf, path, (head, memoryview(buf)[begin:split], close), others, zip64,
                                        os.path.join(tmp, f"{k}.xlsx"))]
            buf, offset, begin, first_row = buf[split:], offset + split, 0, int(r.group(1)) - 1
        rest = iter(lambda: fh.read(1 << 22), b"")
        yield first_row, [_part_zip(zf, path, itertools.chain((head, buf), rest), others, zip64,
                                    os.path.join(tmp, f"{len(cuts)}.xlsx"))]


def _part_zip(zf: zipfile.ZipFile, path: str, pieces, others: set[str], zip64: bool, target: str) -> str:
    """Copy of the workbook (stored, not compressed) whose part `path` is the concatenation of `pieces` and
    whose other worksheets are empty, written to the file `target` (a private temporary directory, removed
    right after the read): calamine opens a path without the GIL, whereas reading a file object holds it."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as out:
        for info in zf.infolist():
            if info.filename == path:
                with out.open(path, "w", force_zip64=zip64) as fh:
                    for p in pieces:
                        fh.write(p)
            else:
                out.writestr(info.filename, _EMPTY_SHEET if info.filename in others else zf.read(info))
    return target


def _parse_part(box: list, sheet_name: str, skip_empty_area: bool):
    # The workbook is dropped (and its file may be removed) as soon as the sheet is parsed.
    sh = CalamineWorkbook.from_path(box.pop()).get_sheet_by_name(sheet_name)
    return sh.to_python(skip_empty_area=skip_empty_area), sh.start, sh.end, list(sh.merged_cell_ranges or [])


def _release_freed_memory() -> None:
    """Hand the memory calamine freed in the worker threads back to the OS (glibc only). Otherwise it stays in
    the threads' malloc arenas, where the rest of the import cannot reuse it (about +60 MB of peak RSS)."""
    import ctypes

    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _stitch(pieces: list[tuple], firsts: list[int]) -> list:
    """The parts (first_row, rows, end) in order — the first read from row 1, the others from their first
    cell and already shifted right to their columns — with blank rows between them and every row as wide as
    the whole range, as to_python(skip_empty_area=False) on the whole sheet gives. Raises on inconsistency."""
    _, rows, end = pieces[0]
    if len(rows) != (end[0] + 1 if end is not None else 0):
        raise ValueError("first part: unexpected height")
    ends = [e for _, _, e in pieces if e is not None]
    if all(e is None for _, _, e in pieces[1:]):
        return rows
    width = max(e[1] for e in ends) + 1
    for row in rows:
        if len(row) < width:
            row.extend([""] * (width - len(row)))
    for (first_row, part, end), cut_row in zip(pieces[1:], firsts[1:]):
        if end is None:
            continue
        if len(rows) > cut_row or first_row < cut_row or len(part) != end[0] - first_row + 1:
            raise ValueError("parts overlap")
        rows.extend([""] * width for _ in range(first_row - len(rows)))
        right = width - end[1] - 1
        rows.extend([row + [""] * right for row in part] if right else part)
    return rows
