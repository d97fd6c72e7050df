"""Raw sheet + header guess → a clean DataFrame per kind, with row-level problems (vectorized).

Every clean frame carries `_row` (the Excel row number) and `_error` (the row has an error and is rejected).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analytics import fields, reference, values
from analytics.ingest import columns as C
from analytics.ingest import footer
from analytics.ingest.headers import HeaderGuess, field_label
from analytics.ingest.read import RawSheet

@dataclass
class Problem:
    row: int
    column: str
    value: object
    severity: str
    message: str
    field: str | None = None

    def text(self, mask=None) -> str:
        """'第12行 身份证号码 '…' 校验位错误' — `mask(field, value)` may hide personal data for viewers."""
        value = self.value
        if mask is not None:
            value = mask(self.field, value)
        shown = "" if value is None or value == "" else f"“{display(value)}”"
        return f"第{self.row}行 {self.column}{shown}：{self.message}"

    def as_dict(self) -> dict:
        return {"row": int(self.row), "column": self.column, "value": display(self.value),
                "severity": self.severity, "message": self.message}


def display(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10] if getattr(value, "hour", 0) == 0 else value.isoformat(sep=" ")
    return str(value)


@dataclass
class SheetData:
    raw: pd.DataFrame                 # one column per mapped field (raw cell values), plus _row
    labels: dict[str, str]            # field -> header text in the file
    extra: dict[str, int]             # unknown header -> number of non-empty cells (kept aside, reported)
    footer_rows: list[int] = field(default_factory=list)   # Excel rows left out as 合计/小计/落款 rows
    body: list = field(default_factory=list, repr=False)   # the whole rows read (all columns): body[k] is Excel
    first_row: int = 0                                     # row first_row + k (for the whole-row footer check)
    unnamed: dict[int, list[int]] = field(default_factory=dict)   # column without header → Excel rows filled


def _grid(body: list[list], width: int) -> tuple[np.ndarray, bool]:
    """(the rows as one rows × width object array, whether it may hold None/NaN). pandas builds it in C; short
    rows are padded with None. The readers give "" for an empty cell, so a grid of full rows holds no None."""
    if not body:
        return np.empty((0, width), dtype=object), False
    grid = pd.DataFrame(body, dtype=object).to_numpy(dtype=object)
    ragged = grid.shape[1] < width or len({len(r) for r in body}) > 1
    if grid.shape[1] < width:
        grid = np.hstack([grid, np.full((len(grid), width - grid.shape[1]), None, dtype=object)])
    return grid, ragged


def extract(sheet: RawSheet, guess: HeaderGuess, start: int | None = None, stop: int | None = None,
            offset: int = 0) -> SheetData:
    """The data rows below the header (or those of rows start..stop-1, a part of them), mapped columns only;
    blank rows dropped (summary and footer rows are left out by `normalize`, which sees the whole rows). `sheet.rows` may be a part of a sheet: rows[i] is Excel
    row offset+i+1. Every row is handled on its own, so parts can be extracted separately and joined with
    `concat`."""
    lo = guess.header_row if start is None else max(start, guess.header_row)
    body = sheet.rows[max(lo - offset, 0):None if stop is None else max(stop - offset, 0)]
    first_row = max(lo, offset) + 1
    width = max(max((len(r) for r in body), default=0), len(guess.headers))
    cols = sorted(guess.mapping)
    extra_cols = [c for c in guess.extra if c < width]
    used = cols + extra_cols
    grid, ragged = _grid(body, width)
    rows = np.arange(first_row, first_row + len(grid))
    unnamed = {}                         # columns without a header that hold something: which rows
    for c in sorted(set(range(width)) - set(used)):
        filled = (grid[:, c] != "") & pd.notna(grid[:, c]) if ragged else grid[:, c] != ""
        if filled.any():
            unnamed[c] = [int(r) for r in rows[filled]]
    if used != list(range(width)):
        grid = grid[:, used]
    nonblank = grid != ""
    if ragged:
        nonblank &= pd.notna(grid)
    keep = nonblank.any(axis=1)
    if not keep.all():
        grid, nonblank = grid[keep], nonblank[keep]
    values = grid[:, :len(cols)].copy()
    values[~nonblank[:, :len(cols)]] = None
    raw = pd.DataFrame(values, columns=[guess.mapping[c] for c in cols], dtype=object)
    raw["_row"] = rows[keep]
    labels = {guess.mapping[c]: guess.headers[c] for c in cols}
    extra = {}
    for k, c in enumerate(extra_cols, len(cols)):
        name = guess.headers[c] or f"第{c + 1}列"
        extra[name] = int(nonblank[:, k].sum())
    return SheetData(raw, labels, extra, body=body, first_row=first_row, unnamed=unnamed)


def concat(parts: list[tuple[SheetData, pd.DataFrame, list[Problem]]]) -> tuple[SheetData, pd.DataFrame,
                                                                                 list[Problem]]:
    """Join the (extracted, normalized, problems) of consecutive parts of one sheet."""
    if len(parts) == 1:
        return parts[0]
    extra: dict[str, int] = {}
    for data, _, _ in parts:
        for name, n in data.extra.items():
            extra[name] = extra.get(name, 0) + n
    data = SheetData(pd.concat([d.raw for d, _, _ in parts], ignore_index=True), parts[0][0].labels, extra,
                     footer_rows=[r for d, _, _ in parts for r in d.footer_rows])
    for d, _, _ in parts:
        for c, rws in d.unnamed.items():
            data.unnamed.setdefault(c, []).extend(rws)
    clean = pd.concat([c for _, c, _ in parts], ignore_index=True)
    return data, clean, [p for _, _, probs in parts for p in probs]


class Collector:
    def __init__(self, kind: str, data: SheetData):
        self.kind, self.data = kind, data
        self.rows = data.raw["_row"]
        self.items: list[Problem] = []
        self.error = pd.Series(False, index=data.raw.index)

    def label(self, f: str) -> str:
        return self.data.labels.get(f) or field_label(self.kind, f)

    def add_series(self, f: str, probs: pd.Series, raw: pd.Series | None = None):
        hit = probs.notna()
        if not hit.any():
            return
        raw = self.data.raw[f] if raw is None and f in self.data.raw else raw
        for idx in probs.index[hit]:
            p = probs[idx]
            self.add(idx, f, raw[idx] if raw is not None else None, p.message, p.severity)

    def add_mask(self, f: str, mask: pd.Series, message, severity="error", value=None):
        if not mask.any():
            return
        raw = self.data.raw[f] if f in self.data.raw else None
        for idx in mask.index[mask]:
            msg = message(idx) if callable(message) else message
            v = value[idx] if value is not None else (raw[idx] if raw is not None else None)
            self.add(idx, f, v, msg, severity)

    def add(self, idx, f, value, message, severity="error"):
        self.items.append(Problem(int(self.rows[idx]), self.label(f), value, severity, message, f))
        if severity == "error":
            self.error[idx] = True


def _col(raw: pd.DataFrame, f: str) -> pd.Series:
    return raw[f] if f in raw else pd.Series([None] * len(raw), index=raw.index, dtype=object)


def _parse(col: Collector, out: dict, f: str, fn):
    vals, probs = C.map_unique(_col(col.data.raw, f), fn)
    col.add_series(f, probs)
    out[f] = vals


def _required(col: Collector, out: dict, f: str, message: str):
    missing = out[f].isna() & _col(col.data.raw, f).isna()
    col.add_mask(f, missing, message)


def _town(col: Collector, out: dict, county: pd.Series):
    """values.parse_town once per distinct (town, county) pair; unknown towns are kept with a warning."""
    raw = _col(col.data.raw, "town")
    t_codes, towns = C.factorize(raw)
    c_codes, counties = C.factorize(county)
    pair = np.where(t_codes < 0, -1, t_codes * (len(counties) + 1) + c_codes + 1)
    p_codes, pairs = pd.factorize(pair)
    names = np.empty(len(pairs) + 1, dtype=object)
    names[-1] = None
    warned = {}
    for k, code in enumerate(pairs):
        if code < 0:
            names[k] = None
            continue
        c = int(code) % (len(counties) + 1) - 1
        name, warning = values.parse_town(towns[int(code) // (len(counties) + 1)], counties[c] if c >= 0 else None)
        names[k] = name
        if warning:
            warned[k] = warning
    for idx in np.flatnonzero(np.isin(p_codes, list(warned))) if warned else []:
        col.add(raw.index[idx], "town", raw.iloc[idx], warned[p_codes[idx]], "warning")
    out["town"] = C.series(names[p_codes], raw.index)


CONTROL_REMOVED = "含有不可见的控制字符（如文字方向控制符），已删除，请核对该内容"


def _joined(s: pd.Series) -> str:
    """The column's text cells joined with line breaks (one C-level join when every cell is text)."""
    cells = s.to_numpy(dtype=object).tolist()
    try:
        return "\n".join(cells)
    except TypeError:
        return "\n".join(v for v in cells if type(v) is str)


def _strip_controls(col: Collector) -> None:
    """Drop control and bidirectional characters from every text cell (values.CONTROL_CHARS), with a warning
    naming the row and column; tested once per distinct value, and only in columns that hold any."""
    raw = col.data.raw
    for f in [c for c in raw.columns if c != "_row"]:
        if not values.CONTROL_CHARS.search(_joined(raw[f])):
            continue
        codes, uniques = C.factorize(raw[f])
        bad = [i for i, u in enumerate(uniques) if type(u) is str and values.CONTROL_CHARS.search(u)]
        shown = {i: values.printable(uniques[i]) for i in bad}
        cleaned = list(uniques)
        for i in bad:
            cleaned[i] = values.strip_controls(uniques[i]).strip() or None
        hit = np.isin(codes, bad)
        for pos in np.flatnonzero(hit):
            col.add(raw.index[pos], f, shown[int(codes[pos])], CONTROL_REMOVED, "warning")
        raw[f] = C.spread(codes, cleaned, raw.index)


def normalize(kind: str, data: SheetData) -> tuple[pd.DataFrame, list[Problem]]:
    col = Collector(kind, data)
    _strip_controls(col)
    out = {"_row": data.raw["_row"]}
    {"registry": _registry, "activities": _activities, "assistance": _assistance,
     "directory": _directory}[kind](col, out)
    df = pd.DataFrame(out)
    df["_error"] = col.error.to_numpy()
    df, items = _drop_summary_rows(data, df, col.items)
    items.sort(key=lambda p: (p.row, p.severity != "error"))
    return df, items


def _drop_summary_rows(data: SheetData, df: pd.DataFrame, items: list[Problem]) -> tuple[pd.DataFrame,
                                                                                           list[Problem]]:
    """Leave out summary, subtotal and footer rows (合计, 小计, 填表人 …; analytics.ingest.footer), decided by the
    whole row as read, every column included (序号 and columns not imported too). Such a row cannot be a complete
    record: it has an error (a required field empty or not a value), or its name is a count, a place or a marker
    ('4人', '东昌府区', '合计'). Only those rows are looked at whole, so a large clean sheet costs nothing here;
    a real person named 合计 (ID number, county, dates) is looked at and kept."""
    body, data.body = data.body, []          # the rows are kept in the RawSheet; not twice
    if df.empty or not body:
        return df, items
    cand = df["_error"].to_numpy(dtype=bool).copy()
    if "name" in data.raw:
        codes, uniques = C.factorize(data.raw["name"])
        odd = np.array(footer.suspicious_names(uniques) + [False], dtype=bool)
        cand |= odd[codes]
    if not cand.any():
        return df, items
    drop = np.zeros(len(df), dtype=bool)
    rows = df["_row"].to_numpy()
    for i in np.flatnonzero(cand):
        k = int(rows[i]) - data.first_row
        if 0 <= k < len(body):
            cells = [v for v in body[k] if v is not None and v != "" and v == v]
            drop[i] = footer.is_summary_row(cells)
    if not drop.any():
        return df, items
    gone = {int(r) for r in rows[drop]}
    data.footer_rows = sorted(set(data.footer_rows) | gone)
    data.raw = data.raw[~drop].reset_index(drop=True)
    return df[~drop].reset_index(drop=True), [p for p in items if p.row not in gone]


# ---- registry ----------------------------------------------------------------------------------------

_CN_NAME = re.compile(r"[\u4e00-\u9fff·•\s]+")


def _cn_name(v: str) -> str:
    """A Chinese name loses its inner spaces (李 四 → 李四); other names are kept as written."""
    return "".join(v.split()) if _CN_NAME.fullmatch(v) else v


_NAME_FIX = re.compile(r"[\s•]")   # names without spaces or • are kept as they are


def _person_name(v: str) -> str:
    return _cn_name(v).replace("•", "·")


def person_columns(col: Collector, out: dict) -> None:
    """The vectorized twin of values.validate_person (tests check they agree)."""
    raw = col.data.raw
    name = C.text(_col(raw, "name"), _person_name, _NAME_FIX)
    out["name"] = name
    col.add_mask("name", out["name"].isna(), "姓名不能为空")
    _parse(col, out, "gender", values.parse_gender)
    _parse(col, out, "status", values.parse_status)
    idn, probs = C.ids(_col(raw, "id_number"))
    col.add_series("id_number", probs)
    out["id_number"] = idn
    _parse(col, out, "county", values.parse_county)
    _required(col, out, "county", "县市区不能为空")
    bd, _, probs = C.dates(_col(raw, "birth_date"))
    col.add_series("birth_date", probs)
    out["birth_date"] = bd
    _town(col, out, out["county"])
    for f in fields.PLAIN_TEXT:
        out[f] = C.text(_col(raw, f))
    has_id = idn.notna()
    if has_id.any():
        id_birth = C.birth_from_ids(idn)
        id_gender = C.gender_from_ids(idn)
        diff_b = has_id & bd.notna() & (bd != id_birth)
        col.add_mask("birth_date", diff_b,
                     lambda i: f"出生日期与身份证号中的出生日期（{id_birth[i]:%Y-%m-%d}）不一致", "warning")
        diff_g = has_id & out["gender"].notna() & (out["gender"] != id_gender)
        col.add_mask("gender", diff_g, lambda i: f"性别与身份证号显示的性别（{id_gender[i]}）不一致", "warning")
        out["birth_date"] = bd.where(~(has_id & bd.isna()), id_birth)
        out["gender"] = out["gender"].where(~(has_id & out["gender"].isna()), id_gender)


_CITY_WORDS = None


def _local_words() -> re.Pattern:
    global _CITY_WORDS
    if _CITY_WORDS is None:
        words = {"聊城"}
        for c in reference.counties():
            words.update({c.name, c.short_name, *c.aliases})
        words.update(t["town"] for t in reference.towns())
        words = sorted((w for w in words if len(w) >= 2), key=len, reverse=True)
        _CITY_WORDS = re.compile("|".join(map(re.escape, words)))
    return _CITY_WORDS


def looks_outside_city(place: str | None) -> bool | None:
    """Implied by a deed place outside 聊城: names another province or city and nothing of Liaocheng."""
    if not place:
        return None
    if _local_words().search(place):
        return False
    if re.search(r"[省市州盟]|自治区|北京|上海|天津|重庆", place):
        return True
    return None


NO_REGISTERED_ON = "未填写确认时间（登记日期）：档案中如也没有，该人员不计入“登记在册”人数，请补填"


def _registry(col: Collector, out: dict) -> None:
    raw = col.data.raw
    person_columns(col, out)
    out["deed_date"], out["deed_date_precision"], probs = C.dates(_col(raw, "deed_date"))
    col.add_series("deed_date", probs)
    out["deed_place"] = C.text(_col(raw, "deed_place"))
    _parse(col, out, "deed_outside_city", values.parse_yes_no)
    implied, _ = C.map_unique(out["deed_place"], looks_outside_city)
    out["deed_outside_city"] = out["deed_outside_city"].where(out["deed_outside_city"].notna(), implied)
    out["deed_type"] = C.text(_col(raw, "deed_type"), values.parse_deed_type)
    out["deed_summary"] = C.text(_col(raw, "deed_summary"))
    for f in ("registered_on", "plaque_on"):
        d, _, probs = C.dates(_col(raw, f))
        col.add_series(f, probs)
        out[f] = d
    if "registered_on" in raw:   # (a sheet without the column gets one note instead: see plan.analyze_sheet)
        col.add_mask("registered_on", out["registered_on"].isna() & _col(raw, "registered_on").isna()
                     & out["name"].notna(), NO_REGISTERED_ON, "warning")
    _parse(col, out, "level", values.parse_level)
    out["recognized_on"], out["rec_precision"], probs = C.dates(_col(raw, "recognized_on"))
    col.add_series("recognized_on", probs)
    out["title"] = C.text(_col(raw, "title"))
    out["form"] = C.text(_col(raw, "form"), values.parse_form)
    _parse(col, out, "award_yuan", values.parse_amount)
    rec_info = out["recognized_on"].notna() | out["title"].notna() | out["award_yuan"].notna() | out["form"].notna()
    col.add_mask("level", rec_info & out["level"].isna() & _col(raw, "level").isna(),
                 "已填写表扬信息但缺少表扬级别")


# ---- activities ------------------------------------------------------------------------------------

def _activities(col: Collector, out: dict) -> None:
    raw = col.data.raw
    out["date"], _, probs = C.dates(_col(raw, "date"))
    col.add_series("date", probs)
    _required(col, out, "date", "日期不能为空")
    _parse(col, out, "county", values.parse_county)
    _required(col, out, "county", "县市区不能为空")
    _town(col, out, out["county"])
    out["station"] = C.text(_col(raw, "station"))
    _parse(col, out, "type", values.parse_activity_type)
    _required(col, out, "type", "活动类型不能为空")
    _parse(col, out, "venue", values.parse_venue)
    _parse(col, out, "count", values.parse_count)
    out["count"] = out["count"].where(out["count"].notna(), 1)
    _parse(col, out, "participants", values.parse_count)
    out["note"] = C.text(_col(raw, "note"))


# ---- assistance ------------------------------------------------------------------------------------

def _assistance(col: Collector, out: dict) -> None:
    raw = col.data.raw
    out["name"] = C.text(_col(raw, "name"), _cn_name, _NAME_FIX)
    col.add_mask("name", out["name"].isna(), "姓名不能为空")
    idn, probs = C.ids(_col(raw, "id_number"))
    col.add_series("id_number", probs)
    out["id_number"] = idn
    _parse(col, out, "county", values.parse_county)
    out["date"], _, probs = C.dates(_col(raw, "date"))
    col.add_series("date", probs)
    _required(col, out, "date", "帮扶日期不能为空")
    _parse(col, out, "type", values.parse_assistance_type)
    _required(col, out, "type", "帮扶类型不能为空")
    _parse(col, out, "amount_yuan", values.parse_amount)
    out["provider"] = C.text(_col(raw, "provider"))
    out["note"] = C.text(_col(raw, "note"))
    col.add_mask("county", out["id_number"].isna() & out["county"].isna() & _col(raw, "county").isna()
                 & out["name"].notna(), "未填写身份证号时，县市区不能为空")


# ---- directory ---------------------------------------------------------------------------------------

def _directory(col: Collector, out: dict) -> None:
    raw = col.data.raw
    out["name"] = C.text(_col(raw, "name"))
    col.add_mask("name", out["name"].isna(), "名称不能为空")
    _parse(col, out, "county", values.parse_county)
    _required(col, out, "county", "县市区不能为空")
    _town(col, out, out["county"])
    _parse(col, out, "kind", values.parse_unit_kind)
    implied = out["name"].map(lambda n: "工作室" if n and "工作室" in n else "工作站")
    out["kind"] = out["kind"].where(out["kind"].notna(), implied)
    out["hero"] = C.text(_col(raw, "hero"))
    out["established_on"], _, probs = C.dates(_col(raw, "established_on"))
    col.add_series("established_on", probs)
    out["head"] = C.text(_col(raw, "head"))
    for f in reference.FIVE_HAS:
        _parse(col, out, f, values.parse_yes_no)
