"""Kinds of sheet, their canonical fields and the header spellings seen in practice; finding the header row
(below title rows, possibly two merged rows) and mapping columns to fields."""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from analytics import fields

# The kinds of sheet an import recognizes, with the Chinese name a user reads (the change-set kinds are
# analytics.labels.CHANGE_KINDS).
SHEET_KINDS = {"registry": "人员登记（人员/事迹/表扬）", "activities": "工作站/工作室活动",
               "assistance": "帮扶优抚", "directory": "工作站/工作室名录"}

# kind -> [(field, required, Chinese label (template header), spellings)]. A registry sheet's fields and the
# person columns of an assistance sheet come from analytics.fields (one list of the person's fields).
FIELDS: dict[str, list[tuple[str, bool, str, list[str]]]] = {
    "registry": fields.import_fields(),
    "activities": [
        ("date", True, "活动日期", ["日期", "活动日期", "时间", "活动时间", "开展时间", "开展日期"]),
        ("county", True, "县市区", ["县市区", "所属县市区", "区县", "县(市、区)", "所属区县", "县区"]),
        ("town", False, "镇街", ["镇街", "乡镇(街道)", "所属镇街", "乡镇", "乡镇街道"]),
        ("station", False, "工作站", ["工作站", "工作站名称", "工作室", "站点名称", "工作室名称", "单位名称"]),
        ("type", True, "活动类型", ["活动类型", "活动类别"]),
        ("venue", False, "五进类别", ["场所", "五进类别", "五进", "活动场所"]),
        ("count", False, "场次/人次", ["场次", "人次", "场次/人次", "数量", "场次(人次)"]),
        ("participants", False, "参与人数", ["参与人数", "参加人数"]),
        ("note", False, "备注", ["备注", "内容", "活动内容"]),
    ],
    "assistance": [
        *[(f, f == "name", label, spellings) for f, _, label, spellings in
          fields.import_fields({"name": ("帮扶对象",)}, ["name", "id_number", "county"])],
        ("date", True, "帮扶日期", ["日期", "帮扶日期", "慰问日期", "时间", "帮扶时间", "慰问时间"]),
        ("type", True, "帮扶类型", ["帮扶类型", "帮扶类别", "优抚类型", "优抚类别", "帮扶方式"]),
        ("amount_yuan", False, "金额（元）", ["金额", "慰问金", "帮扶金额", "慰问金额", "帮扶资金"]),
        ("provider", False, "实施单位", ["实施单位", "帮扶单位", "实施部门", "帮扶部门"]),
        ("note", False, "备注", ["备注", "内容", "帮扶内容"]),
    ],
    "directory": [
        ("name", True, "名称", ["名称", "工作站名称", "工作室名称", "站点名称", "站(室)名称"]),
        ("county", True, "县市区", ["县市区", "所属县市区", "区县", "县(市、区)"]),
        ("town", False, "镇街", ["镇街", "乡镇(街道)", "所属镇街", "乡镇"]),
        ("kind", False, "类别", ["类别", "类型", "站室类别"]),
        ("hero", False, "英模姓名", ["英模姓名", "英模", "命名英模"]),
        ("established_on", False, "成立日期", ["成立日期", "成立时间", "建立日期", "挂牌日期"]),
        ("head", False, "站长/负责人", ["站长", "负责人", "站长/负责人"]),
        ("has_sign", False, "有标识标牌", ["有标识标牌", "标识标牌"]),
        ("has_staff", False, "有专兼人员", ["有专兼人员", "专兼人员", "专兼职人员"]),
        ("has_duties", False, "有职责任务", ["有职责任务", "职责任务"]),
        ("has_archive", False, "有工作档案", ["有工作档案", "工作档案"]),
        ("has_volunteers", False, "有志愿队伍", ["有志愿队伍", "志愿队伍"]),
    ],
}
# Fields whose presence marks a directory sheet (besides name and county).
DIRECTORY_MARKERS = {"kind", "hero", "established_on", "head", "has_sign", "has_staff", "has_duties", "has_archive",
                     "has_volunteers"}
PRIORITY = ["registry", "assistance", "activities", "directory"]


def field_label(kind: str, field_name: str) -> str:
    for f, _, label, _ in FIELDS[kind]:
        if f == field_name:
            return label
    return field_name


_BRACKETS = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")


def normalize_header(value) -> str:
    """Trim, fold full/half width, drop notes in brackets ('出生日期(年月日)', '金额（元）'), spaces and marks."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    text = "".join(text.split())
    stripped = _BRACKETS.sub("", text)
    text = stripped or text
    return text.strip("*＊:：#№. ")


def _lookup(kind: str) -> dict[str, str]:
    table = {}
    for f, _, _, spellings in FIELDS[kind]:
        for s in spellings:
            table.setdefault(normalize_header(s), f)
            # Spellings that themselves carry brackets also match with the bracket dropped.
            table.setdefault(normalize_header(s.replace("(", "").replace(")", "")), f)
    return table


LOOKUPS = {k: _lookup(k) for k in FIELDS}


@functools.lru_cache(maxsize=8192)
def match_field(kind: str, header: str) -> str | None:
    """The canonical field a header names in a kind of sheet (cached: detection tries every candidate row)."""
    h = normalize_header(header)
    if not h:
        return None
    table = LOOKUPS[kind]
    if h in table:
        return table[h]
    # The raw text with its brackets (e.g. '乡镇(街道)') is a spelling of its own.
    raw = "".join(unicodedata.normalize("NFKC", str(header)).split())
    return table.get(normalize_header(raw.replace("(", "").replace(")", "")))


@dataclass
class HeaderGuess:
    kind: str | None
    header_row: int                    # 1-based Excel row of the (last) header row
    header_rows: int                   # 1 or 2
    headers: list[str]                 # one combined header text per column
    mapping: dict[int, str]            # column index -> field
    extra: list[int] = field(default_factory=list)   # columns not mapped (unknown headers, non-empty)
    duplicates: list[int] = field(default_factory=list)
    missing_required: list[str] = field(default_factory=list)


def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _combined_rows(rows: list[list], merged, width: int) -> list[tuple[int, int, list[str]]]:
    """Candidate header rows: (row index, n rows, header texts) for single rows and pairs (two-row headers)."""
    fill = {}
    for (r0, c0), (r1, c1) in merged:
        value = rows[r0][c0] if r0 < len(rows) and c0 < len(rows[r0]) else None
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    fill[(r, c)] = value

    def texts(i):
        row = rows[i] if i < len(rows) else []
        return [_cell_text(row[c] if c < len(row) else fill.get((i, c))) or _cell_text(fill.get((i, c)))
                for c in range(width)]

    out = []
    limit = min(len(rows), 30)
    for i in range(limit):
        top = texts(i)
        if not any(top):
            continue
        out.append((i, 1, top))
        if i + 1 < len(rows):
            low = texts(i + 1)
            if any(low):
                # Forward-fill the upper row across blanks above a filled lower row (merged group headers
                # written without merge information, e.g. in CSV).
                filled, last = [], ""
                for c in range(width):
                    if top[c]:
                        last = top[c]
                    filled.append(top[c] or (last if low[c] else ""))
                out.append((i, 2, [_pair(a, b) for a, b in zip(filled, low)]))
    return out


def _pair(top: str, low: str) -> str:
    if not low or low == top:
        return top
    return low if not top else f"{top}\x1f{low}"


def _map(kind: str, headers: list[str]) -> tuple[dict[int, str], list[int]]:
    mapping, dups, seen = {}, [], set()
    for c, h in enumerate(headers):
        f = None
        if "\x1f" in h:
            top, low = h.split("\x1f", 1)
            f = match_field(kind, low) or match_field(kind, top + low) or match_field(kind, top)
        else:
            f = match_field(kind, h)
        if f is None:
            continue
        if f in seen:
            dups.append(c)
            continue
        seen.add(f)
        mapping[c] = f
    return mapping, dups


def map_headers(kind: str, headers: list[str]) -> dict[int, str]:
    """Column index → field for a kind's own matching of these headers (used when a person changes the kind)."""
    return _map(kind, headers)[0]


def column_letter(c: int) -> str:
    """The spreadsheet letter of a 0-based column (0 → A, 26 → AA)."""
    s = ""
    c += 1
    while c:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s


def display_header(h: str) -> str:
    return h.replace("\x1f", "-")


def detect(rows: list[list], merged=()) -> HeaderGuess:
    """The best (kind, header row) of a sheet; kind None when no kind's required headers are found."""
    width = max((len(r) for r in rows[:40]), default=0)
    best = None
    for i, n, headers in _combined_rows(rows, merged, width):
        for kind in PRIORITY:
            mapping, dups = _map(kind, headers)
            fields = set(mapping.values())
            required = {f for f, req, _, _ in FIELDS[kind] if req}
            if not required <= fields:
                continue
            if kind == "directory" and not fields & DIRECTORY_MARKERS:
                continue
            if kind == "registry" and len(fields) < 3:
                continue
            score = (len(fields), -n, -PRIORITY.index(kind))
            if best is None or score > best[0]:
                best = (score, kind, i, n, headers, mapping, dups)
    if best is None:
        return HeaderGuess(None, 0, 0, [], {})
    _, kind, i, n, headers, mapping, dups = best
    extra = [c for c, h in enumerate(headers) if h and c not in mapping]
    return HeaderGuess(kind, i + n, n, [display_header(h) for h in headers], mapping, extra, dups)


def remap(kind: str, headers: list[str], mapping: dict[int, str]) -> HeaderGuess:
    """A guess rebuilt from a user-corrected mapping."""
    missing = [f for f, req, _, _ in FIELDS[kind] if req and f not in mapping.values()]
    extra = [c for c, h in enumerate(headers) if h and c not in mapping]
    return HeaderGuess(kind, 0, 0, headers, dict(mapping), extra, [], missing)
