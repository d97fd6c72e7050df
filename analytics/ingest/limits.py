"""Size limits, checked on the raw bytes BEFORE any parser sees them.

An .xlsx/.ods is a zip: its members' declared sizes tell how large it would inflate, so a zip bomb is refused
in milliseconds. Limits are configurable through environment variables (megabytes):
YIYONG_IMPORT_MAX_MB (upload, default 50), YIYONG_IMPORT_MAX_INFLATED_MB (default 1024),
YIYONG_IMPORT_MAX_RATIO (compression ratio of one large member, default 150).
A crafted zip can also under-declare a member's size: `check_inflation` inflates the members calamine reads,
before it does, and stops as soon as one grows past its declared size.
"""
from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from analytics.ingest import ImportFileError

MB = 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Limits:
    max_upload_bytes: int = 50 * MB
    max_inflated_bytes: int = 1024 * MB
    max_ratio: float = 150.0
    ratio_floor_bytes: int = 20 * MB      # the ratio check applies to members inflating past this
    max_rows: int = 1_000_000

    @classmethod
    def from_env(cls) -> "Limits":
        def mb(name, default):
            try:
                return int(float(os.environ.get(name, default)) * MB)
            except ValueError:
                return int(default * MB)
        try:
            ratio = float(os.environ.get("YIYONG_IMPORT_MAX_RATIO", cls.max_ratio))
        except ValueError:
            ratio = cls.max_ratio
        return cls(max_upload_bytes=mb("YIYONG_IMPORT_MAX_MB", 50),
                   max_inflated_bytes=mb("YIYONG_IMPORT_MAX_INFLATED_MB", 1024), max_ratio=ratio)


def sniff(name: str, data: bytes) -> str:
    """'zip' (xlsx/xlsm/ods), 'ole' (xls or an encrypted workbook), or 'text'."""
    if data.startswith(ZIP_MAGIC):
        return "zip"
    if data.startswith(OLE_MAGIC):
        return "ole"
    return "text"


def _mb(n: int) -> str:
    if n >= MB:
        return f"{n / MB:.0f} MB"
    return f"{n / 1024:.0f} KB" if n >= 1024 else f"{n} 字节"


def check(name: str, data: bytes, limits: Limits | None = None) -> str:
    """Raise ImportFileError when the file is empty, too large, a zip bomb or encrypted; return its container."""
    limits = limits or Limits.from_env()
    if len(data) == 0 or not data.strip(b"\x00 \t\r\n\xef\xbb\xbf\xff\xfe"):
        raise ImportFileError(f"文件“{name}”是空文件，没有可导入的内容。")
    if len(data) > limits.max_upload_bytes:
        raise ImportFileError(f"文件“{name}”大小为 {_mb(len(data))}，超过上传上限 {_mb(limits.max_upload_bytes)}，"
                              "请拆分后分批导入。")
    kind = sniff(name, data)
    if kind == "zip":
        _check_zip(name, data, limits)
    elif kind == "ole":
        if is_encrypted_ole(data):
            raise ImportFileError(f"文件“{name}”设置了打开密码（已加密），系统无法读取，请在表格软件中取消密码后重新导入。")
    return kind


def is_encrypted_ole(data: bytes) -> bool:
    """An OLE/CFB container holding an EncryptionInfo stream is an encrypted OOXML workbook.
    (Directory entry names are UTF-16LE.) Legacy .xls encryption (FILEPASS) surfaces as a read error."""
    return "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data


def _check_zip(name: str, data: bytes, limits: Limits) -> None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ImportFileError(f"文件“{name}”已损坏或不完整（压缩结构无法读取），请重新导出后再导入。") from None
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > limits.ratio_floor_bytes and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise ImportFileError(
                f"文件“{name}”解压后异常膨胀（{_mb(info.compress_size)} 解压为 {_mb(info.file_size)}），"
                "疑似恶意构造的文件，已拒绝导入。")
    if total > limits.max_inflated_bytes:
        raise ImportFileError(f"文件“{name}”解压后共 {_mb(total)}，超过上限 {_mb(limits.max_inflated_bytes)}，"
                              "请拆分后分批导入。")


INFLATE_IN = 1 << 16          # compressed bytes fed to zlib at a time
INFLATE_OUT = 1 << 20         # inflated bytes produced at a time (then discarded)


def check_inflation(name: str, data: bytes, infos: Iterable[zipfile.ZipInfo]) -> None:
    """Raise ImportFileError when one of these members of the zip `data` inflates past its declared size.

    A member declaring 1 MB may really inflate to gigabytes. Python's zipfile stops at the declared size without
    noticing; the zip crate inside python-calamine 0.9.1 stops there too, but reports a damaged file, and a build
    without that limit would inflate the whole stream. This check does not depend on it and names the cause.
    The declared sizes passed `_check_zip`, so a member that keeps to them keeps to the limits too. Each member
    is inflated in chunks, only counted, and abandoned as soon as it overflows. Methods other than stored and
    deflated, and encrypted members, are left to calamine, which refuses them."""
    view = memoryview(data)
    for info in infos:
        if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            continue
        start = info.header_offset
        if view[start:start + 4] != ZIP_MAGIC or len(view) < start + 30:
            raise ImportFileError(f"文件“{name}”已损坏或不完整（压缩结构无法读取），请重新导出后再导入。")
        name_len, extra_len = struct.unpack_from("<HH", view, start + 26)
        start += 30 + name_len + extra_len
        raw = view[start:start + info.compress_size]
        if info.compress_type == zipfile.ZIP_STORED:
            over = len(raw) > info.file_size
        else:
            over = _inflates_past(raw, info.file_size)
        if over:
            raise ImportFileError(
                f"文件“{name}”解压后异常膨胀（实际解压大小超过文件内声明的 {_mb(info.file_size)}），"
                "疑似恶意构造的文件，已拒绝导入。")


def _inflates_past(raw: memoryview, declared: int) -> bool:
    """Whether the raw deflate stream `raw` inflates to more than `declared` bytes (inflating at most
    declared + INFLATE_OUT of them). A stream that is corrupt is left to calamine."""
    inflater = zlib.decompressobj(-15)
    total = 0
    try:
        for pos in range(0, len(raw), INFLATE_IN):
            chunk = raw[pos:pos + INFLATE_IN]
            while True:
                out = len(inflater.decompress(chunk, INFLATE_OUT))
                total += out
                if total > declared:
                    return True
                chunk = inflater.unconsumed_tail
                if inflater.eof or (not chunk and out < INFLATE_OUT):
                    break
            if inflater.eof:
                break
    except zlib.error:
        return False
    return False
