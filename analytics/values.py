"""Single-value normalization shared by the import and the edit forms.

Every parser takes what a person typed (or what a spreadsheet cell held) and returns the canonical value, or
raises ValueProblem with a Chinese reason. Empty input gives None (dates: (None, None)).
"""
from __future__ import annotations

import datetime as dt
import decimal
import math
import re

import pandas as pd

from analytics import reference
from analytics.fields import PLAIN_TEXT
from analytics.idnumber import birth_date_of, gender_of, parse_id_number


class ValueProblem(ValueError):
    """A value that cannot be used, in one Chinese sentence (message) with a severity."""

    def __init__(self, message: str, severity: str = "error"):
        super().__init__(message)
        self.message = message
        self.severity = severity


EXCEL_EPOCH = dt.date(1899, 12, 30)
FORMULA_LEAD = ("=", "+", "-", "@")


def _is_empty(v) -> bool:
    if v is None:
        return True
    if isinstance(v, str):
        return not v.strip()
    if isinstance(v, float):
        return math.isnan(v)
    return v is pd.NaT or v is pd.NA


def _fold_char(ch: str) -> str:
    # Fold full-width ASCII (U+FF01..U+FF5E) and the ideographic space to ASCII; keep Chinese punctuation
    # such as ，。：；（） in free text? Brackets and comma are in the full-width ASCII block, so keep those.
    o = ord(ch)
    if ch == "\u3000":
        return " "
    if 0xFF10 <= o <= 0xFF19 or 0xFF21 <= o <= 0xFF3A or 0xFF41 <= o <= 0xFF5A:
        return chr(o - 0xFEE0)
    return ch


_FOLD_TABLE = str.maketrans({chr(c): _fold_char(chr(c)) for c in list(range(0xFF10, 0xFF1A))
                             + list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B)) + [0x3000]})
FULLWIDTH_PATTERN = "[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A\u3000]"


# Characters that change how text displays or what a terminal does, and are never data: C0/C1 controls but tab and
# line breaks, DEL, bidirectional embeddings/overrides/isolates and marks (a right-to-left override shows 张三abc
# as "cba三张"), zero-width spaces and a byte-order mark inside text.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e"
                           "\u2066-\u2069\ufeff]")


def strip_controls(text: str) -> str:
    """The text without CONTROL_CHARS."""
    return CONTROL_CHARS.sub("", text) if CONTROL_CHARS.search(text) else text


def printable(text) -> str:
    """A text safe to print on a terminal: every CONTROL_CHARS character shown as its escape (\\x1b, \\u202e)."""
    text = str(text)
    if not CONTROL_CHARS.search(text):
        return text
    return CONTROL_CHARS.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


def clean_text(v) -> str | None:
    """Trim, fold full-width digits and letters, keep Chinese punctuation, drop control characters
    (CONTROL_CHARS); None when empty.

    A text starting with = + - @ is kept verbatim (it is data, never a formula)."""
    if _is_empty(v):
        return None
    if isinstance(v, str):
        text = strip_controls(v).translate(_FOLD_TABLE).strip()
    else:
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        if isinstance(v, dt.datetime):
            v = v.date() if v.time() == dt.time() else v
        text = str(v).translate(_FOLD_TABLE).strip()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text or None


def _fold(v) -> str:
    return reference.fold_text(str(v))


# ---- dates ------------------------------------------------------------------------------------------

_DATE_PATTERNS = [
    (re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"), "day"),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), "day"),
    (re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$"), "month"),
    (re.compile(r"^(\d{4})年?$"), "year"),
    (re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$"), "day"),
]


def _make_date(y: int, m: int, d: int) -> dt.date:
    try:
        value = dt.date(y, m, d)
    except ValueError:
        raise ValueProblem("日期不存在（年月日超出范围）") from None
    if not (1900 <= y <= 2100):
        raise ValueProblem("日期年份超出合理范围")
    return value


def parse_date(v) -> tuple[dt.date | None, str | None]:
    """(date, precision 'day'|'month'|'year'); (None, None) when empty; ValueProblem when not a date."""
    if _is_empty(v):
        return None, None
    if isinstance(v, dt.datetime):
        return _make_date(v.year, v.month, v.day), "day"
    if isinstance(v, dt.date):
        return _make_date(v.year, v.month, v.day), "day"
    if hasattr(v, "to_pydatetime"):  # pandas Timestamp
        d = v.to_pydatetime()
        return _make_date(d.year, d.month, d.day), "day"
    if isinstance(v, bool):
        raise ValueProblem("日期无法识别")
    if isinstance(v, (int, float)):
        if isinstance(v, float) and not v.is_integer():
            v = math.floor(v)
        n = int(v)
        if 1900 <= n <= 2100:
            return dt.date(n, 1, 1), "year"
        if 19000101 <= n <= 21001231:
            return parse_date(str(n))
        if 1 <= n <= 73050:  # Excel serial up to 2099
            return EXCEL_EPOCH + dt.timedelta(days=n), "day"
        raise ValueProblem("日期无法识别")
    text = clean_text(v)
    text = "".join(text.split())
    for pattern, precision in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            y = int(m.group(1))
            mo = int(m.group(2)) if precision in ("day", "month") else 1
            d = int(m.group(3)) if precision == "day" else 1
            return _make_date(y, mo, d), precision
    if re.fullmatch(r"\d+(\.0+)?", text):
        return parse_date(int(float(text)))
    raise ValueProblem("日期无法识别")


# ---- value lists ------------------------------------------------------------------------------------

def _alias_table(aliases: dict[str, list[str]]) -> dict[str, str]:
    return {_fold(a): canon for canon, names in aliases.items() for a in (canon, *names)}


_LEVELS = _alias_table({**reference.LEVEL_ALIASES,
                        "国家级": reference.LEVEL_ALIASES["国家级"] + ["全国性", "国家级表扬"],
                        "省级": reference.LEVEL_ALIASES["省级"] + ["省级表扬", "山东省"],
                        "市级": reference.LEVEL_ALIASES["市级"] + ["市级表扬", "聊城市"],
                        "县级": reference.LEVEL_ALIASES["县级"] + ["县级表扬", "县市区"]})
_GENDERS = {"男": "男", "女": "女", "M": "男", "F": "女", "MALE": "男", "FEMALE": "女", "1": "男", "2": "女",
            "男性": "男", "女性": "女"}
_YES = {"是", "有", "Y", "YES", "✓", "✔", "√", "1", "TRUE", "对"}
_NO = {"否", "无", "N", "NO", "✗", "✘", "×", "X", "0", "FALSE", "没有"}
_STATUSES = {s: s for s in reference.STATUSES}
_STATUSES.update({"正常": "健在", "在世": "健在", "无": "健在", "未受伤": "健在", "伤": "受伤", "轻伤": "受伤",
                  "重伤": "受伤", "残疾": "致残", "伤残": "致残", "死亡": "牺牲", "去世": "牺牲", "英勇牺牲": "牺牲"})


def parse_level(v) -> str | None:
    if _is_empty(v):
        return None
    key = _fold(v).replace("（", "(").replace("）", ")")
    if key in _LEVELS:
        return _LEVELS[key]
    raise ValueProblem(f"表扬级别“{clean_text(v)}”无法识别，应为国家级、省级、市级或县级")


def parse_gender(v) -> str | None:
    if _is_empty(v):
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    key = _fold(v).upper()
    if key in _GENDERS:
        return _GENDERS[key]
    raise ValueProblem(f"性别“{clean_text(v)}”无法识别，应为男或女")


def parse_yes_no(v) -> bool | None:
    if _is_empty(v):
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    key = _fold(v).upper()
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise ValueProblem(f"“{clean_text(v)}”应为是或否")


def parse_county(v) -> str | None:
    if _is_empty(v):
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    name = reference.resolve_county(v)
    if name is None:
        raise ValueProblem(f"“{clean_text(v)}”不是聊城市的县市区")
    return name


def parse_status(v) -> str | None:
    if _is_empty(v):
        return None
    key = _fold(v)
    if key in _STATUSES:
        return _STATUSES[key]
    raise ValueProblem(f"人员状态“{clean_text(v)}”无法识别，应为健在、受伤、致残或牺牲")


_AMOUNT = re.compile(r"^([+-]?\d+(?:\.\d+)?)(万元|万|元)?$")


def parse_amount(v) -> decimal.Decimal | None:
    """Yuan as Decimal: '1,000', '1000元', '0.5万' → 5000."""
    if _is_empty(v):
        return None
    if isinstance(v, bool):
        raise ValueProblem("金额无法识别")
    if isinstance(v, (int, float, decimal.Decimal)):
        amount = decimal.Decimal(str(v))
    else:
        text = _fold(v).replace(",", "").replace("，", "").replace("¥", "").replace("￥", "").replace("RMB", "")
        m = _AMOUNT.match(text)
        if not m:
            raise ValueProblem(f"金额“{clean_text(v)}”无法识别")
        amount = decimal.Decimal(m.group(1))
        if m.group(2) in ("万", "万元"):
            amount *= 10000
    if amount < 0:
        raise ValueProblem("金额不能为负数")
    return amount.quantize(decimal.Decimal("0.01"))


def parse_count(v) -> int | None:
    if _is_empty(v):
        return None
    if isinstance(v, bool):
        raise ValueProblem("数量应为整数")
    if isinstance(v, float):
        if not v.is_integer():
            raise ValueProblem("数量应为整数")
        v = int(v)
    if isinstance(v, int):
        n = v
    else:
        text = _fold(v)
        text = re.sub(r"(场次|人次|场|次|人|个)$", "", text)
        if not re.fullmatch(r"\d+(\.0+)?", text):
            raise ValueProblem(f"数量“{clean_text(v)}”应为整数")
        n = int(float(text))
    if n < 0:
        raise ValueProblem("数量不能为负数")
    return n


# ---- value lists: one rule for the import and the edit forms -------------------------------------------

def choice(options: list[str], what: str, strip_prefix: str = ""):
    """A parser for a closed list: exact (after folding), or the one option that starts with what was written
    (or that it starts with: 抚恤 → 抚恤慰问, 医疗 → 医疗救治); `strip_prefix` may lead ('进社区' → 社区)."""
    folded = {reference.fold_text(o): o for o in options}

    def parse(v) -> str | None:
        text = clean_text(v)
        if text is None:
            return None
        key = reference.fold_text(text)
        if strip_prefix and key.startswith(strip_prefix) and key[len(strip_prefix):] in folded:
            key = key[len(strip_prefix):]
        if key in folded:
            return folded[key]
        starts = [o for k, o in folded.items() if k.startswith(key) or key.startswith(k)]
        if len(starts) == 1 and len(key) >= 2:
            return starts[0]
        raise ValueProblem(f"{what}“{text}”无法识别，应为{'、'.join(options)}之一")
    return parse


parse_assistance_type = choice(reference.ASSISTANCE_TYPES, "帮扶类型")
parse_activity_type = choice(reference.ACTIVITY_TYPES, "活动类型")
parse_venue = choice(reference.VENUES, "五进类别", "进")
parse_unit_kind = choice(["工作站", "工作室"], "类别")


def _open_list(options: list[str]):
    """A parser for a list that is open: a known value in its own spelling, anything else kept as written."""
    folded = {reference.fold_text(o): o for o in options}

    def parse(v) -> str | None:
        text = clean_text(v)
        if text is None:
            return None
        return folded.get(reference.fold_text(text), text)
    return parse


# Deed types and forms of commendation are open lists: 溺水救援 or 现场表扬 are kept as written.
parse_deed_type = _open_list(reference.DEED_TYPES)
parse_form = _open_list(reference.RECOGNITION_FORMS)


def choices_with(options: list[str], current) -> list[str]:
    """The options of a form's list, plus the value a record already holds when it is not one of them (a deed
    type imported as free text stays selectable instead of being cleared by the form)."""
    text = clean_text(current)
    return [*options, text] if text and text not in options else list(options)


def parse_phone(v) -> str | None:
    """A telephone number as written (full-width digits folded, a number cell without '.0')."""
    return clean_text(v)


def parse_id(v) -> str | None:
    normalized, reason = parse_id_number(v)
    if reason:
        raise ValueProblem(reason)
    return normalized


# ---- a person -----------------------------------------------------------------------------------------



def validate_person(fields: dict) -> tuple[dict, list[tuple[str, object, str, str]]]:
    """Clean the person fields of a registry row.

    Returns (clean, problems); problems are (field, value, severity, message). An error means the row
    cannot be used; warnings do not block it.
    """
    clean: dict = {}
    problems: list[tuple[str, object, str, str]] = []

    def err(field, message, severity="error"):
        problems.append((field, fields.get(field), severity, message))

    name = clean_text(fields.get("name"))
    if name is None:
        err("name", "姓名不能为空")
    else:
        name = "".join(name.split()) if re.fullmatch(r"[\u4e00-\u9fff·•\s]+", name) else name
        name = name.replace("•", "·")
    clean["name"] = name

    for field, parser in (("gender", parse_gender), ("status", parse_status), ("id_number", parse_id)):
        try:
            clean[field] = parser(fields.get(field))
        except ValueProblem as p:
            clean[field] = None
            err(field, p.message, p.severity)

    try:
        clean["county"] = parse_county(fields.get("county"))
        if clean["county"] is None:
            err("county", "县市区不能为空")
    except ValueProblem as p:
        clean["county"] = None
        err("county", p.message)

    try:
        clean["birth_date"], _ = parse_date(fields.get("birth_date"))
    except ValueProblem as p:
        clean["birth_date"] = None
        err("birth_date", p.message)

    clean["town"], warning = parse_town(fields.get("town"), clean.get("county"))
    if warning:
        err("town", warning, "warning")

    for field in PLAIN_TEXT:
        clean[field] = (parse_phone if field == "phone" else clean_text)(fields.get(field))

    idn = clean.get("id_number")
    if idn:
        id_birth = birth_date_of(idn)
        if clean["birth_date"] is None:
            clean["birth_date"] = id_birth
        elif id_birth and id_birth != clean["birth_date"]:
            err("birth_date", f"出生日期与身份证号中的出生日期（{id_birth:%Y-%m-%d}）不一致", "warning")
        id_gender = gender_of(idn)
        if clean["gender"] is None:
            clean["gender"] = id_gender
        elif clean["gender"] != id_gender:
            err("gender", f"性别与身份证号显示的性别（{id_gender}）不一致", "warning")
    return clean, problems


def parse_town(v, county: str | None) -> tuple[str | None, str | None]:
    """(official town name or the text as written, warning or None). A town not in the county's list is kept
    as written with a warning (towns change; 九州街道 was added in 2025)."""
    town = clean_text(v)
    if town is None:
        return None, None
    resolved = reference.resolve_town(town, county)
    if resolved is None:
        for suffix in ("镇", "街道", "乡"):
            if town.endswith(suffix + suffix):  # '梁水镇镇'
                resolved = reference.resolve_town(town[: -len(suffix)], county)
                break
    if resolved is None:
        return town, f"镇街“{town}”不在{county or '聊城市'}的镇街名录中，已按原文保存"
    return resolved, None
