"""File uploaders that answer in Chinese.

Streamlit refuses a file of the wrong type or over the size limit in the browser, with only an English chip
("application/pdf files are not allowed", "File must be 50.0MB or smaller."). So every uploader here accepts
any type and the page checks the extension itself, with one Chinese sentence naming the accepted types; and a
file over the limit (which never reaches the server) gets a Chinese line drawn on its chip, beside a caption
stating the limit.
"""
from __future__ import annotations

import streamlit as st

from ui.text import plain

IMPORT_TYPES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".tsv", ".txt")
BACKUP_TYPES = (".zip",)


def accepted_text(accepted: tuple[str, ...]) -> str:
    return "、".join(accepted)


def type_sentence(refused: list[str], accepted: tuple[str, ...]) -> str:
    """One sentence for files of a type the page does not take."""
    names = "、".join(f"“{n}”" for n in refused)
    return f"文件{names}的类型不能在此上传，未作处理。请上传 {accepted_text(accepted)} 格式的文件。"


def split_by_type(files: list, accepted: tuple[str, ...]) -> tuple[list, list[str]]:
    """(files whose name ends with an accepted extension, names of the others)."""
    ok = [f for f in files if f.name.lower().endswith(accepted)]
    refused = [f.name for f in files if not f.name.lower().endswith(accepted)]
    return ok, refused


def limit_mb() -> int:
    return int(st.get_option("server.maxUploadSize"))


def oversize_sentence(limit: int) -> str:
    return f"超过 {limit} MB 的文件不会上传（文件名显示为红色），请拆分或压缩后重新选择。"


def _chip_style(key: str, limit: int) -> None:
    """The Chinese line under a refused file's chip (type is never refused in the browser here, so a refused
    file is one over the size limit, or one whose upload broke off)."""
    css = (f".st-key-{key} [data-testid='stFileChip'][aria-invalid='true'] {{ flex-wrap: wrap; }}"
           f".st-key-{key} [data-testid='stFileChip'][aria-invalid='true']::after {{"
           f" content: '未上传：文件超过 {limit} MB 上限（或上传中断），请拆分或压缩后重新选择';"
           " flex-basis: 100%; font-size: 0.8rem; color: #B22222; }")
    st.html(f"<style>{css}</style>")


def file_uploader(label: str, accepted: tuple[str, ...], *, key: str, multiple: bool = False,
                  max_mb: int | None = None):
    """st.file_uploader with the checks in Chinese. Returns the accepted files (a list when `multiple`, else one
    file or None); files of another type are reported with one sentence and left out. `max_mb` may lower the
    server's upload limit for this uploader."""
    limit = min(limit_mb(), max_mb) if max_mb else limit_mb()
    got = st.file_uploader(label, type=None, accept_multiple_files=multiple, key=key,
                           max_upload_size=limit if limit < limit_mb() else None)
    _chip_style(key, limit)
    st.caption(f"可上传 {accepted_text(accepted)} 格式的文件；{oversize_sentence(limit)}")
    files = got if multiple else ([got] if got is not None else [])
    ok, refused = split_by_type(files or [], accepted)
    if refused:
        st.error(plain(type_sentence(refused, accepted)))
    if multiple:
        return ok
    return ok[0] if ok else None
