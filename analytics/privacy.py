"""Personal-information protection: what each role may do, masking for viewers, safe spreadsheet cells.

- can(role, action): the permission table for every page and command (fails closed on unknown actions).
- mask_id / mask_phone / mask_address / mask_frame: viewers (查看) see ID numbers as 前6后4
  (371502********1234), phones as 138****1234 and addresses only down to the town (镇街) — in tables,
  downloads, search results and import messages alike.
- safe_cell / safe_frame: every xlsx/csv writer passes its cells through these, so that a cell beginning
  with = + - @ (or a tab / carriage return) is written as text, never run as a formula
  ("CSV/formula injection"), and characters that corrupt an xlsx file are dropped.
"""
from __future__ import annotations

import re

import pandas as pd

from analytics.accounts import ROLES, role_at_least

# action -> minimum role
PERMISSIONS: dict[str, str] = {
    "view": "viewer",              # dashboards, registry (masked), press figures
    "export_press": "viewer",      # press tables and sentences (never personal identifiers)
    "see_personal": "editor",      # unmasked 身份证号, 电话, 住址
    "export_personal": "editor",   # downloads that carry personal data
    "import": "editor",
    "edit": "editor",              # corrections in the registry
    "undo": "editor",
    "manage_accounts": "admin",
    "backup": "admin",
    "restore": "admin",
    "settings": "admin",
}

ID_COLUMNS = ("id_number", "身份证号", "身份证号码", "公民身份号码", "证件号码")
PHONE_COLUMNS = ("phone", "联系电话", "电话", "手机", "手机号", "手机号码", "联系方式")
ADDRESS_COLUMNS = ("address", "住址", "家庭住址", "现住址", "地址", "详细地址")
TOWN_COLUMNS = ("town", "镇街", "镇（街道）", "乡镇（街道）", "所在镇街", "乡镇")

_TOWN_RE = re.compile(r"^.*?(?:街道办事处|街道|镇|乡)")
_COUNTY_RE = re.compile(r"^(?:.*?(?:省|市(?!场)))?.*?(?:区|县|市(?!场))")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def can(role: str | None, action: str) -> bool:
    """May `role` (viewer/editor/admin) do `action`? Unknown roles and unknown actions: no."""
    minimum = PERMISSIONS.get(action)
    return minimum is not None and role in ROLES and role_at_least(role, minimum)


def _blank(value) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def mask_id(value):
    """身份证号 → first 6 and last 4 characters, the rest as *: 371502********1234."""
    if _blank(value):
        return value
    s = str(value).strip()
    if not s:
        return s
    if len(s) <= 10:
        return "*" * len(s)
    return s[:6] + "*" * (len(s) - 10) + s[-4:]


def mask_phone(value):
    """Phone → 138****1234 (mobile); shorter numbers keep only their last 4 digits."""
    if _blank(value):
        return value
    s = str(value).strip()
    if not s:
        return s
    if len(s) >= 11:
        return s[:3] + "****" + s[-4:]
    if len(s) >= 7:
        return "****" + s[-4:]
    return "****"


def mask_address(address, town=None):
    """Address → only down to the town (镇街): 东昌府区古楼街道光明小区3号楼 → 东昌府区古楼街道."""
    if _blank(address):
        return address
    s = str(address).strip()
    if not s:
        return s
    t = None if _blank(town) else str(town).strip()
    if t and t in s:
        return s[: s.index(t) + len(t)]
    m = _TOWN_RE.match(s)
    if m:
        return m.group(0)
    if t:
        return t
    m = _COUNTY_RE.match(s)
    return (m.group(0) + "***") if m else "***"


def _find(columns, names) -> list:
    return [c for c in columns if str(c).strip() in names]


def mask_frame(df: pd.DataFrame, role: str | None) -> pd.DataFrame:
    """The frame as `role` may see it: unchanged for editor/admin; for viewers (and anyone else) ID-number,
    phone and address columns masked. Never modifies `df`."""
    if can(role, "see_personal") or df is None:
        return df
    id_cols, phone_cols = _find(df.columns, ID_COLUMNS), _find(df.columns, PHONE_COLUMNS)
    addr_cols = _find(df.columns, ADDRESS_COLUMNS)
    if not (id_cols or phone_cols or addr_cols):
        return df
    out = df.copy()
    for c in id_cols:
        out[c] = out[c].map(mask_id).astype(object)
    for c in phone_cols:
        out[c] = out[c].map(mask_phone).astype(object)
    towns = _find(df.columns, TOWN_COLUMNS)
    for c in addr_cols:
        town_values = out[towns[0]] if towns else pd.Series([None] * len(out), index=out.index)
        out[c] = [mask_address(a, t) for a, t in zip(out[c], town_values)]
    return out


def mask_text(text: str, role: str | None) -> str:
    """Mask ID numbers and mobile numbers inside free text (import messages, search hits) for viewers."""
    if can(role, "see_personal") or not isinstance(text, str):
        return text
    text = re.sub(r"(?<![0-9A-Za-z])(\d{6})(\d{7,8})(\d{3}[\dXx])(?![0-9A-Za-z])",
                  lambda m: m.group(1) + "*" * len(m.group(2)) + m.group(3), text)
    return re.sub(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)", r"\1****\3", text)


def safe_cell(value):
    """A cell value safe to write into xlsx/csv: text starting with = + - @ (or tab / CR) gets a leading
    apostrophe so spreadsheet programs show it as text; characters illegal in xlsx are removed.
    Numbers, dates and blanks pass through unchanged."""
    if not isinstance(value, str):
        return value
    value = _XML_ILLEGAL.sub("", value)
    if value.startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of `df` with every text cell and every column name passed through safe_cell.
    Use it in every xlsx/csv writer (st.download_button data, Excel exports, CSV exports)."""
    out = df.copy()
    out.columns = [safe_cell(c) if isinstance(c, str) else c for c in out.columns]
    for c in out.columns:
        col = out[c]
        if col.dtype == object or pd.api.types.is_string_dtype(col.dtype):
            out[c] = col.map(safe_cell, na_action="ignore")
    if isinstance(out.index, pd.Index) and out.index.dtype == object:
        out.index = out.index.map(safe_cell)
    return out
