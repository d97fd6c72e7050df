"""Hostile and broken files: one Chinese sentence, nothing read, nothing written."""
import io
import resource
import struct
import time
import zipfile
import zlib

import pytest

from analytics.ingest import ImportFileError, read
from analytics.ingest.limits import MB, Limits
from analytics.ingest.plan import analyze_file
from tests.ingest import builders as b

ROWS = [b.REG_HEADERS] + b.registry_rows(3)


def error(name, data, limits=None):
    plan = analyze_file(name, data, limits)
    assert plan.error, "expected a file-level error"
    assert "\n" not in plan.error and plan.error.endswith("。")
    return plan.error


def test_zip_bomb_declared_sizes_refused_fast():
    data = b.zip_bomb(1_500_000_000)
    assert len(data) < 50_000
    t0 = time.perf_counter()
    msg = error("bomb.xlsx", data)
    assert time.perf_counter() - t0 < 2
    assert "膨胀" in msg or "超过上限" in msg


def test_real_zip_bomb_refused_by_ratio_and_total():
    data = b.real_zip_bomb(40)
    assert "膨胀" in error("bomb2.xlsx", data)
    # With a generous ratio the total inflated size still bounds it.
    assert "超过上限" in error("bomb3.xlsx", data, Limits(max_ratio=1e9, max_inflated_bytes=10 * MB))


def test_upload_limit():
    data = b.xlsx({"S": ROWS})
    assert "超过上传上限" in error("big.xlsx", data, Limits(max_upload_bytes=1000))


def test_encrypted_workbook():
    msg = error("secret.xlsx", b.encrypted_workbook())
    assert "密码" in msg


@pytest.mark.parametrize("name,maker", [("cut.xlsx", lambda: b.xlsx({"S": ROWS})),
                                        ("cut.xls", lambda: b.xls({"S": ROWS})),
                                        ("cut.ods", lambda: b.ods({"S": ROWS}))])
def test_truncated_workbooks(name, maker):
    data = maker()
    msg = error(name, data[: len(data) // 2])
    assert "损坏" in msg


@pytest.mark.parametrize("data", [b"", b"   \r\n", b"\xef\xbb\xbf"])
def test_empty_file(data):
    assert "空文件" in error("empty.csv", data)


def test_header_only_file_is_refused_like_an_empty_file():
    assert error("h.csv", b.csv_bytes([b.REG_HEADERS], "utf-8")) == "文件“h.csv”中只有表头，没有数据行。"


def test_not_a_spreadsheet():
    assert "损坏" in error("x.xlsx", b"PK\x03\x04garbage" * 10)
    assert error("pic.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)


# ---- members that inflate past their declared size ------------------------------------------------------
# A hostile zip can declare 1 MB for a member whose deflate stream really inflates to gigabytes, with a CRC
# forged for the declared prefix: Python's zipfile stops at the declared size and notices nothing, whereas
# python-calamine inflates and parses the whole stream. read.py checks those members before calamine reads them.

SHEET = "xl/worksheets/sheet1.xml"
BOMB_MB = 256                               # what the crafted member really inflates to


def deflate_repeated(head: bytes, unit: bytes, times: int, tail: bytes) -> bytes:
    """Raw deflate stream of head + unit * times + tail, built without compressing all of it: `unit` is
    compressed once into blocks that refer to nothing before them (full flush), which are then repeated."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(unit) + c.flush(zlib.Z_FULL_FLUSH)
    return first + block * times + c.compress(tail) + c.flush()


def rezip(data: bytes, replace: dict[str, tuple[int, bytes, int]]) -> bytes:
    """The zip `data` written anew, member by member, where replace[name] = (method, raw stream, declared
    size) gives a member's stored/deflated bytes and the uncompressed size written in both its local header
    and the central directory; the CRC is forged for the first `declared` bytes, as a hostile file would."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out, central = bytearray(), bytearray()
    for info in src.infolist():
        fname = info.filename.encode()
        if info.filename in replace:
            method, raw, size = replace[info.filename]
            prefix = raw[:size] if method == zipfile.ZIP_STORED else zlib.decompressobj(-15).decompress(raw, size)
        else:
            prefix = src.read(info)
            method, size = info.compress_type, len(prefix)
            if method == zipfile.ZIP_DEFLATED:
                c = zlib.compressobj(6, zlib.DEFLATED, -15)
                raw = c.compress(prefix) + c.flush()
            else:
                raw = prefix
        crc = zlib.crc32(prefix)
        common = struct.pack("<HHHHIII", 0, method, 0, 0x21, crc, len(raw), size)
        central += (b"PK\x01\x02" + struct.pack("<HH", 20, 20) + common
                    + struct.pack("<HHHHHII", len(fname), 0, 0, 0, 0, 0, len(out)) + fname)
        out += b"PK\x03\x04" + struct.pack("<H", 20) + common + struct.pack("<HH", len(fname), 0) + fname + raw
    n = len(src.infolist())
    return bytes(out + central + b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, n, n, len(central), len(out), 0))


def under_declared(data: bytes, member: str, split_at: bytes, unit: bytes, *, times: int = BOMB_MB,
                   declared: int = MB) -> bytes:
    """`data` whose `member` gets `unit` (about 1 MB of XML) repeated `times` times inserted before `split_at`
    while declaring `declared` bytes (declared=None: its real size, a valid and honest file)."""
    content = zipfile.ZipFile(io.BytesIO(data)).read(member)
    cut = content.rindex(split_at)
    unit = unit * (MB // len(unit))
    raw = deflate_repeated(content[:cut], unit, times, content[cut:])
    size = declared if declared is not None else cut + len(unit) * times + len(content) - cut
    return rezip(data, {member: (zipfile.ZIP_DEFLATED, raw, size)})


ROW_UNIT = '<row><c t="inlineStr"><is><t>张三</t></is></c><c><v>7</v></c></row>'.encode()
SST_UNIT = "<si><t>李四</t></si>".encode()
ODS_UNIT = ('<table:table-row><table:table-cell office:value-type="string"><text:p>王五</text:p>'
            "</table:table-cell></table:table-row>").encode()
BOMBS = {
    "sheet": ("bomb.xlsx", lambda: b.xlsx({"S": ROWS}), SHEET, b"</sheetData>", ROW_UNIT),
    "shared strings": ("bomb.xlsx", lambda: b.xlsx({"S": ROWS}), "xl/sharedStrings.xml", b"</sst>", SST_UNIT),
    "ods content": ("bomb.ods", lambda: b.ods({"S": ROWS}), "content.xml", b"</table:table>", ODS_UNIT),
}


@pytest.mark.parametrize("case", list(BOMBS))
def test_honest_crafted_workbook_is_read(case):
    """Control: the same construction with its true size declared is a valid workbook calamine reads."""
    name, maker, member, split_at, unit = BOMBS[case]
    data = under_declared(maker(), member, split_at, unit, times=2, declared=None)
    raw = read.read_bytes(name, data)
    assert len(raw.sheets[0].rows) >= len(ROWS)


@pytest.mark.parametrize("case", list(BOMBS))
def test_under_declared_member_refused_fast(case):
    name, maker, member, split_at, unit = BOMBS[case]
    data = under_declared(maker(), member, split_at, unit)
    assert len(data) < 2 * MB
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    assert info.file_size == MB
    assert len(zipfile.ZipFile(io.BytesIO(data)).read(member)) == MB   # zipfile accepts it: CRC matches
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss      # KB on Linux
    t0 = time.perf_counter()
    msg = error(name, data)
    assert time.perf_counter() - t0 < 2
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak < 100 * 1024
    assert "膨胀" in msg and "声明的 1 MB" in msg and "已拒绝导入" in msg


def test_stored_member_longer_than_declared_refused():
    data = b.xlsx({"S": ROWS})
    content = zipfile.ZipFile(io.BytesIO(data)).read("xl/sharedStrings.xml")
    data = rezip(data, {"xl/sharedStrings.xml": (zipfile.ZIP_STORED, content, len(content) // 2)})
    assert "膨胀" in error("stored.xlsx", data)


@pytest.mark.parametrize("name,maker", [("ok.xlsx", lambda: b.xlsx({"S": ROWS})), ("ok.ods", lambda: b.ods({"S": ROWS})),
                                        ("ok.xls", lambda: b.xls({"S": ROWS}))])
def test_normal_workbook_still_imports(name, maker):
    plan = analyze_file(name, maker())
    assert plan.error is None and plan.imported[0].rows == 3


def _spy(monkeypatch, fallback=False):
    """Filenames of the members checked for inflation, and the results of the parallel attempts."""
    checked, attempts = [], []
    real_check, real_parallel = read.check_inflation, read._read_sheet_parallel

    def check(name, data, infos):
        infos = list(infos)
        checked.extend(i.filename for i in infos)
        return real_check(name, data, infos)

    def parallel(*args):
        got = None if fallback else real_parallel(*args)
        attempts.append(got)
        return got

    monkeypatch.setattr(read, "check_inflation", check)
    monkeypatch.setattr(read, "_read_sheet_parallel", parallel)
    return checked, attempts


BIG = [b.REG_HEADERS] + b.registry_rows(300)


def test_big_sheet_read_in_parallel_is_not_inflated_twice(monkeypatch):
    data = b.xlsx({"S": BIG, "说明": [["备注"], ["无"]]})
    monkeypatch.setattr(read, "PARALLEL_MIN_BYTES", 20_000)      # the big sheet only
    checked, attempts = _spy(monkeypatch)
    raw = read.read_bytes("big.xlsx", data)
    assert len(attempts) == 1 and attempts[0] is not None
    assert SHEET not in checked
    members = {i.filename for i in zipfile.ZipFile(io.BytesIO(data)).infolist()}
    assert set(checked) == members - {SHEET}                    # every other member, each once
    assert len(checked) == len(set(checked))
    assert len(raw.sheets[0].rows) == len(BIG) and raw.sheets[1].rows[1] == ["无"]


def test_big_sheet_checked_before_falling_back(monkeypatch):
    data = b.xlsx({"S": BIG})
    monkeypatch.setattr(read, "PARALLEL_MIN_BYTES", 20_000)
    checked, attempts = _spy(monkeypatch, fallback=True)
    raw = read.read_bytes("big.xlsx", data)
    assert attempts == [None] and checked.count(SHEET) == 1 and checked[-1] == SHEET
    assert len(raw.sheets[0].rows) == len(BIG)


def test_under_declared_big_sheet_refused_when_falling_back(monkeypatch):
    """A big worksheet part is left to the parallel path (zipfile, bounded by the declared size); when that
    path gives up, calamine would read the part from the file: it is checked first."""
    name, maker, member, split_at, unit = BOMBS["sheet"]
    data = under_declared(maker(), member, split_at, unit)
    monkeypatch.setattr(read, "PARALLEL_MIN_BYTES", MB // 2)
    checked, attempts = _spy(monkeypatch)
    t0 = time.perf_counter()
    with pytest.raises(ImportFileError, match="膨胀"):
        read.read_bytes(name, data)
    assert time.perf_counter() - t0 < 2
    assert attempts == [None] and checked[-1] == SHEET and checked.count(SHEET) == 1


def test_calamine_itself_stops_at_the_declared_size(monkeypatch):
    """Second line of defence, pinned here so that an upgrade of python-calamine that loses it is noticed: the
    zip crate inside python-calamine 0.9.1 also refuses a member growing past its declared size (as an
    unreadable file, without the precise sentence). Kept small (30 MB real) in case it ever stops doing so."""
    monkeypatch.setattr(read, "check_inflation", lambda *args: None)
    for case in BOMBS:
        name, maker, member, split_at, unit = BOMBS[case]
        data = under_declared(maker(), member, split_at, unit, times=30)
        t0 = time.perf_counter()
        with pytest.raises(ImportFileError, match="损坏"):
            read.read_bytes(name, data)
        assert time.perf_counter() - t0 < 1, case
