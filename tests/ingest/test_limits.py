"""Hostile and broken files: one Chinese sentence, nothing read, nothing written."""
import time

import pytest

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


def test_header_only_file_has_no_rows():
    plan = analyze_file("h.csv", b.csv_bytes([b.REG_HEADERS], "utf-8"))
    assert plan.error is None and plan.imported[0].rows == 0


def test_not_a_spreadsheet():
    assert "损坏" in error("x.xlsx", b"PK\x03\x04garbage" * 10)
    assert error("pic.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)
