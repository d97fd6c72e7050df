"""Size limits, checked on the raw bytes BEFORE any parser sees them.

An .xlsx/.ods is a zip: its members' declared sizes tell how large it would inflate, so a zip bomb is refused
in milliseconds. Limits are configurable through environment variables (megabytes):
YIYONG_IMPORT_MAX_MB (upload, default 50), YIYONG_IMPORT_MAX_INFLATED_MB (default 1024),
YIYONG_IMPORT_MAX_RATIO (compression ratio of one large member, default 150).
"""
from __future__ import annotations

import io
import os
import zipfile
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
