"""Personal-information protection: what each role may do, masking for viewers, safe spreadsheet cells.

- can(role, action): the permission table for every page and command (fails closed on unknown actions).
- mask_id / mask_phone / mask_address / mask_frame: viewers (查看) see ID numbers as 前6后4
  (371502********1234), phones as 138****1234 and addresses only down to the town (镇街) — in tables,
  downloads, search results and import messages alike.
- mask_text: the same for free text (事迹简介, 工作单位, 备注, 地点, change summaries): ID numbers, mobile and
  landline numbers and addresses below the town found inside a sentence. mask_frame sends every other text
  column through it, so one gate covers structured and free text; press material calls it with no role
  (always masked).
- safe_cell / safe_frame: every xlsx/csv writer passes its cells through these, so that a cell beginning
  with = + - @ (or a tab / carriage return) is written as text, never run as a formula
  ("CSV/formula injection"), and characters that corrupt an xlsx file are dropped.
"""
from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from analytics import fields
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

# Column names that hold an ID number, a phone, an address or the town: the field's name, its label and its
# header spellings, from analytics.fields (compared after NFKC folding, so 镇（街道） is 镇(街道)).
ID_COLUMNS = fields.column_names("id")
PHONE_COLUMNS = fields.column_names("phone")
ADDRESS_COLUMNS = fields.column_names("address")
TOWN_COLUMNS = fields.column_names("town")

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


def _folded(name) -> str:
    return unicodedata.normalize("NFKC", str(name)).strip()


def _find(columns, names) -> list:
    wanted = {_folded(n) for n in names}
    return [c for c in columns if _folded(c) in wanted]


def mask_frame(df: pd.DataFrame, role: str | None) -> pd.DataFrame:
    """The frame as `role` may see it: unchanged for editor/admin; for viewers (and anyone else) ID-number,
    phone and address columns masked, and every other text column (事迹简介, 工作单位, 备注, 地点 …) passed
    through mask_text. Never modifies `df`."""
    if can(role, "see_personal") or df is None:
        return df
    id_cols, phone_cols = _find(df.columns, ID_COLUMNS), _find(df.columns, PHONE_COLUMNS)
    addr_cols = _find(df.columns, ADDRESS_COLUMNS)
    structured = set(id_cols) | set(phone_cols) | set(addr_cols)
    text_cols = [c for c in df.columns if c not in structured and _is_text(df[c])]
    out = df.copy()
    for c in id_cols:
        out[c] = out[c].map(mask_id).astype(object)
    for c in phone_cols:
        out[c] = out[c].map(mask_phone).astype(object)
    towns = _find(df.columns, TOWN_COLUMNS)
    for c in addr_cols:
        town_values = out[towns[0]] if towns else pd.Series([None] * len(out), index=out.index)
        out[c] = [mask_address(a, t) for a, t in zip(out[c], town_values)]
    for c in text_cols:
        codes, uniques = pd.factorize(out[c], use_na_sentinel=True)     # each distinct text masked once
        masked = [_mask_free_text(v) if isinstance(v, str) and _MASK_HINT.search(v) else v for v in uniques]
        if any(m is not v for m, v in zip(masked, uniques)):
            new = out[c].to_numpy(dtype=object, copy=True)
            present = codes >= 0
            new[present] = np.asarray(masked, dtype=object)[codes[present]]
            out[c] = new
    return out


def _is_text(col: pd.Series) -> bool:
    return col.dtype == object or pd.api.types.is_string_dtype(col.dtype)


# ---- free text (事迹简介, 工作单位, 备注, 地点 …) ----------------------------------------------------------------
# Detection runs on a same-length copy with full-width digits/letters folded to ASCII, so every span found maps
# back onto the original text (full-width digits stay full-width where they are kept).
_FOLD = {**{0xFF10 + i: ord("0") + i for i in range(10)}, 0xFF38: ord("X"), 0xFF58: ord("x"), 0xFF0D: ord("-"),
         0x2014: ord("-"), 0x2013: ord("-"), 0x3000: ord(" "), 0xFF08: ord("("), 0xFF09: ord(")"), 0xFF0B: ord("+")}
_SEP = r"[ \-]?"
_NUMBER_PATTERNS = (  # (pattern on the folded text, how many leading digits stay visible); the last 4 always stay
    (re.compile(rf"(?<![0-9])\d{{6}}{_SEP}\d{{8}}{_SEP}\d{{3}}[0-9Xx](?![0-9Xx])"), lambda s: 6),   # 18-digit ID
    (re.compile(r"(?<![0-9])\d{15}(?![0-9])"), lambda s: 6),                                   # 15-digit ID
    (re.compile(rf"(?<![0-9])(?:\+?86{_SEP})?1[3-9]\d{_SEP}\d{{4}}{_SEP}\d{{4}}(?![0-9])"),
     lambda s: len(re.sub(r"\D", "", s)) - 8),                                        # mobile: 139****5678
    (re.compile(r"(?<![0-9])(?:\(0\d{2,3}\)|0\d{2,3})[ \-]?\d{7,8}(?![0-9])"),
     lambda s: len(re.match(r"\(?(0\d{2,3})", s).group(1))),                          # 0635-***1234
    (re.compile(r"(?:电话|手机|座机|固话|联系方式|号码|[Tt][Ee][Ll])[^0-9\u4e00-\u9fff]{0,3}"
                r"(?<![0-9])(\d{3,4}[ \-]?\d{4})(?![0-9])"), lambda s: 0),                    # local number
    (re.compile(r"(?<![0-9])\d{11,}(?![0-9])"), lambda s: 0),                      # any other long digit run
)
_STOP = "，。；;,！？!?（）()【】\\[\\]\"“”、\n\r\t "
_MARK = re.compile(
    r"[\u4e00-\u9fff]{1,6}?(?:社区|小区|花园|家园|公寓|大厦|新村|大院)"
    r"|[\u4e00-\u9fff]{1,4}村(?![民委干医])"
    r"|[0-9一二三四五六七八九十百零]+[ \-]?(?:号楼|号院|栋|幢|单元|层|楼|室|号|组|排|弄|巷|户)"
    r"(?:[0-9]+(?:单元|层|室|号|户)?)*")
_ADDRESS_WORDS = r"(?:家住|住址|住在|居住在|居住于|现住址|现住|现居住?于?在?|家庭地址|户籍地址|地址)[:：]?"
_GENERIC_TOWN = r"(?<=[省市区县])[\u4e00-\u9fff]{1,6}?(?:街道办事处|街道|镇|乡)"
_FLAT = re.compile(r"[0-9]+[ \-]?(?:号楼|栋|幢)(?:[0-9]+单元)?(?:[0-9]+(?:室|号|户))?|[0-9]+单元[0-9]+(?:室|号|户)")
# Necessary for any mask below (a digit, or a word that an address below the town must contain): text without it is
# returned at once, which keeps mask_frame fast on columns such as 县市区 or 人员状态.
_MASK_HINT = re.compile(r"[0-9０-９]|村|社区|小区|花园|家园|公寓|大厦|大院|[一二三四五六七八九十百零][号栋幢单层楼室组排弄巷户]")


def _known_towns() -> str:
    global _TOWN_ALTERNATION
    if _TOWN_ALTERNATION is None:
        from analytics import reference
        names = sorted({t["town"] for t in reference.towns()}, key=len, reverse=True)
        _TOWN_ALTERNATION = "|".join(re.escape(n) for n in names)
    return _TOWN_ALTERNATION


_TOWN_ALTERNATION: str | None = None
_ADDRESS_RE: re.Pattern | None = None


def _address_re() -> re.Pattern:
    global _ADDRESS_RE
    if _ADDRESS_RE is None:
        stop = f"[^{_STOP}]"
        _ADDRESS_RE = re.compile(
            rf"(?P<town>{_known_towns()}|{_GENERIC_TOWN})(?P<tail>{stop}*)"
            rf"|(?P<word>{_ADDRESS_WORDS})(?P<run>{stop}*)")
    return _ADDRESS_RE


def _keep_digits(segment: str, head: int, tail: int) -> str:
    """`segment` with every digit after the first `head` and before the last `tail` replaced by *."""
    digits = [i for i, ch in enumerate(segment.translate(_FOLD)) if ch.isdigit() or ch in "Xx"]
    keep = set(digits[:head]) | set(digits[len(digits) - tail:] if tail else [])
    return "".join("*" if (i in digits and i not in keep) else ch for i, ch in enumerate(segment))


def _below_town(tail: str) -> int:
    """How much of `tail` (the text right after a town or an address word) is an address below the town:
    up to the end of its last village / housing estate / building / unit / room; 0 when it holds none."""
    end = 0
    for m in _MARK.finditer(tail):
        end = m.end()
    return end


def _mask_free_text(text: str) -> str:
    folded = text.translate(_FOLD)
    spans: list[tuple[int, int, str]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e, _ in spans)

    for pattern, head in _NUMBER_PATTERNS:
        for m in pattern.finditer(folded):
            a, b = (m.start(1), m.end(1)) if pattern.groups else (m.start(), m.end())
            if free(a, b):
                spans.append((a, b, _keep_digits(text[a:b], head(folded[a:b]), 4)))
    for m in _address_re().finditer(folded):
        start, rest = (m.end("town"), m.group("tail")) if m.group("town") else (m.end("word"), m.group("run"))
        if m.group("word"):                    # an address word: keep up to the town (or county) if named
            inner = re.match(rf"(?:[^{_STOP}]*?(?:{_known_towns()}|街道办事处|街道|镇|乡))", rest)
            if inner and _below_town(rest[inner.end():]):
                start, rest = start + inner.end(), rest[inner.end():]
            else:
                county = re.match(r"(?:[\u4e00-\u9fff]{1,4}?省)?(?:[\u4e00-\u9fff]{1,4}?市)?[\u4e00-\u9fff]{1,4}?[区县]",
                                  rest)
                if county and _below_town(rest[county.end():]):
                    start, rest = start + county.end(), rest[county.end():]
        end = _below_town(rest)
        if end and free(start, start + end):
            spans.append((start, start + end, "***"))
    for m in _FLAT.finditer(folded):
        if free(m.start(), m.end()):
            spans.append((m.start(), m.end(), "***"))
    if not spans:
        return text
    out, pos = [], 0
    for a, b, rep in sorted(spans):
        out += [text[pos:a], rep]
        pos = b
    out.append(text[pos:])
    return "".join(out)


def mask_text(text, role: str | None = None):
    """Free text as `role` may see it. Editors and admins: unchanged. Everyone else (viewers, unknown roles,
    role None — press material always passes None): 18- and 15-digit ID numbers as 前6后4
    (371502********1234), mobiles as 139****5678, landlines as 0635-***1234 (with or without 区号), and the
    address below the town (镇/街道/乡) — village, housing estate, building, unit, room — as ***.
    Full-width digits, IDs ending in X, numbers glued to Chinese characters and Chinese punctuation are handled.
    Non-text values (None, NaN, numbers) are returned as they are."""
    if can(role, "see_personal") or not isinstance(text, str) or not text:
        return text
    if not _MASK_HINT.search(text):
        return text
    return _mask_free_text(text)


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
