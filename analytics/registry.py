"""英模档案 (the hero registry), read side: search, one person's file (一人一档), 聊城义士, the export frame.

Every function takes the reader's `role`; for viewers (查看) ID numbers, phones and addresses are masked here,
before the data leaves analytics/, through analytics.privacy.mask_frame -- in the structured columns and inside
every free-text field (事迹简介, 工作单位, 备注, 地点, change summaries) alike. User values are always passed to SQL
as parameters; name patterns go through `like_pattern` (LIKE wildcards escaped).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json

import pandas as pd

from analytics import fields, labels, privacy, reference
from analytics.changes import to_json
from analytics.values import clean_text

DEFAULT_LIMIT = 500
SORTS = {  # key -> (Chinese label, SQL order expression)
    "registered_desc": ("登记日期（新→旧）", "h.registered_on DESC NULLS LAST, h.hero_id DESC"),
    "registered_asc": ("登记日期（旧→新）", "h.registered_on ASC NULLS LAST, h.hero_id"),
    "name": ("姓名", "h.name, h.hero_id"),
    "county": ("县市区", "c.sort_order, h.town, h.name, h.hero_id"),
    "hero_id": ("档案编号", "h.hero_id"),
}
LEVEL_RANK_SQL = "CASE r.level WHEN '国家级' THEN 1 WHEN '省级' THEN 2 WHEN '市级' THEN 3 WHEN '县级' THEN 4 END"
SEARCH_FIELDS = ["name", "gender", "birth_date", "id_number", "county", "town", "phone", "status", "registered_on"]
RESULT_LABELS = {**labels.REGISTRY_COLUMNS, **{f: fields.LABELS[f] for f in SEARCH_FIELDS},
                 "outside_city": labels.SEARCH_OUTSIDE_CITY}


class SearchError(ValueError):
    """A search condition that cannot be used, in one Chinese sentence."""


def like_pattern(text: str) -> str:
    """'%text%' with LIKE's wildcards escaped (use with ESCAPE '\\')."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _where(name=None, id_last4=None, county=None, town=None, level=None, status=None, deed_type=None,
           year=None) -> tuple[str, list]:
    """WHERE clause over heroes h (with parameters) for the search conditions; validates them."""
    clauses, params = ["TRUE"], []
    name = clean_text(name)
    if name:
        clauses.append("h.name LIKE ? ESCAPE '\\'")
        params.append(like_pattern("".join(name.split())))
    tail = clean_text(id_last4)
    if tail:
        tail = tail.upper()
        if len(tail) != 4 or not (tail[:3].isdigit() and (tail[3].isdigit() or tail[3] == "X")):
            raise SearchError("身份证号后四位应为4个字符（数字，最后一位可为X）。")
        clauses.append("right(h.id_number, 4) = ?")
        params.append(tail)
    if county:
        resolved = reference.resolve_county(county)
        if resolved is None:
            raise SearchError(f"“{county}”不是聊城市的县市区。")
        clauses.append("h.county = ?")
        params.append(resolved)
    if town:
        clauses.append("h.town = ?")
        params.append(clean_text(town))
    if level:
        if level not in reference.LEVELS:
            raise SearchError(f"表扬级别“{level}”无法识别，应为国家级、省级、市级或县级。")
        clauses.append("EXISTS (SELECT 1 FROM recognitions r WHERE r.hero_id = h.hero_id AND r.level = ?)")
        params.append(level)
    if status:
        if status not in reference.STATUSES:
            raise SearchError(f"人员状态“{status}”无法识别。")
        clauses.append("h.status = ?")
        params.append(status)
    if deed_type:
        if deed_type not in reference.DEED_TYPES:
            raise SearchError(f"事迹类型“{deed_type}”无法识别。")
        clauses.append("EXISTS (SELECT 1 FROM deed_heroes dh JOIN deeds d USING (deed_id) "
                       "WHERE dh.hero_id = h.hero_id AND d.deed_type = ?)")
        params.append(deed_type)
    if year:
        try:
            y = int(year)
        except (TypeError, ValueError):
            raise SearchError("登记年度应为四位数字年份。") from None
        if not 1900 <= y <= 2100:
            raise SearchError("登记年度应为四位数字年份。")
        clauses.append("h.registered_on >= ? AND h.registered_on < ?")
        params += [dt.date(y, 1, 1), dt.date(y + 1, 1, 1)]
    return " AND ".join(clauses), params


def search_heroes(con, *, name=None, id_last4=None, county=None, town=None, level=None, status=None,
                  deed_type=None, year=None, sort: str = "registered_desc", limit: int = DEFAULT_LIMIT,
                  offset: int = 0, role: str | None = "viewer") -> tuple[pd.DataFrame, int]:
    """(one page of matching people, total count). Columns: see RESULT_LABELS. Masked for viewers.

    `year` is the year of registration (登记年度). Raises SearchError for unusable conditions."""
    where, params = _where(name, id_last4, county, town, level, status, deed_type, year)
    order = SORTS.get(sort, SORTS["registered_desc"])[1]
    total = con.execute(f"SELECT count(*) FROM heroes h WHERE {where}", params).fetchone()[0]
    df = con.execute(
        f"""
        WITH page AS (
            SELECT h.*, c.sort_order FROM heroes h LEFT JOIN counties c ON c.name = h.county
            WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?
        ),
        lv AS (
            SELECT r.hero_id, min({LEVEL_RANK_SQL}) AS rank FROM recognitions r
            WHERE r.hero_id IN (SELECT hero_id FROM page) GROUP BY r.hero_id
        ),
        dd AS (
            SELECT dh.hero_id, string_agg(DISTINCT d.deed_type, '、') AS deed_types,
                   max(d.deed_date) AS last_deed_date, bool_or(d.outside_city) AS outside_city
            FROM deed_heroes dh JOIN deeds d USING (deed_id)
            WHERE dh.hero_id IN (SELECT hero_id FROM page) GROUP BY dh.hero_id
        )
        SELECT h.hero_id, h.name, h.gender, h.birth_date, h.id_number, h.county, h.town, h.phone, h.status,
               h.registered_on,
               CASE lv.rank WHEN 1 THEN '国家级' WHEN 2 THEN '省级' WHEN 3 THEN '市级' WHEN 4 THEN '县级' END
                   AS top_level,
               dd.deed_types, dd.last_deed_date, coalesce(dd.outside_city, FALSE) AS outside_city
        FROM page h LEFT JOIN lv USING (hero_id) LEFT JOIN dd USING (hero_id)
        ORDER BY {order.replace('c.sort_order', 'h.sort_order')}
        """,
        [*params, int(limit), int(offset)],
    ).df()
    return privacy.mask_frame(df, role), int(total)


def towns_in_registry(con, county: str | None = None) -> list[str]:
    """Towns that occur in the registry (for the search's town list), in the official order where known."""
    if county:
        rows = con.execute("SELECT DISTINCT town FROM heroes WHERE county = ? AND town IS NOT NULL", [county])
    else:
        rows = con.execute("SELECT DISTINCT town FROM heroes WHERE town IS NOT NULL")
    found = {r[0] for r in rows.fetchall()}
    official = [t["town"] for t in reference.towns()]
    return [t for t in official if t in found] + sorted(found - set(official))


def registration_years(con) -> list[int]:
    rows = con.execute("SELECT DISTINCT year(registered_on) FROM heroes WHERE registered_on IS NOT NULL "
                       "ORDER BY 1 DESC").fetchall()
    return [int(r[0]) for r in rows]


# ---- one person's file (一人一档) ----------------------------------------------------------------------

PERSON_FIELDS = ["hero_id", *fields.PERSON_FILE, "created_change", "updated_at"]
MASKS = {"id": privacy.mask_id, "phone": privacy.mask_phone, "address": privacy.mask_address}
SENSITIVE = {f.name: MASKS[f.masked] for f in fields.PERSON if f.masked}


def person_version(row: dict) -> str:
    """A short fingerprint of a person's editable fields as stored: the correction form carries the version it
    showed, and analytics.corrections refuses the write when the record has changed since (someone else saved)."""
    return hashlib.sha256(to_json({f: row.get(f) for f in fields.EDITABLE}).encode()).hexdigest()[:20]


def _records(con, sql: str, params: list) -> pd.DataFrame:
    return con.execute(sql, params).df()


def person_file(con, hero_id: int, role: str | None = "viewer") -> dict | None:
    """Everything about one person, or None when there is no such file.

    Keys: person (dict), deeds, recognitions, assistance, studios (DataFrames), created (the change set that
    created the record: dict), history (DataFrame, newest first)."""
    res = con.execute(f"SELECT {', '.join(PERSON_FIELDS)} FROM heroes WHERE hero_id = ?", [int(hero_id)])
    row = res.fetchone()
    if row is None:
        return None
    person_df = privacy.mask_frame(pd.DataFrame([row], columns=PERSON_FIELDS), role)
    person = {k: _plain(v) for k, v in person_df.iloc[0].to_dict().items()}
    if privacy.can(role, "edit"):
        person["version"] = person_version(dict(zip(PERSON_FIELDS, row)))
    deeds = _records(con, """
        SELECT d.deed_id, d.deed_date, d.deed_date_precision, d.place, d.county, d.outside_city, d.deed_type,
               d.summary, d.discovered_on, d.investigated_on, d.confirmed_on, d.commended_on, d.first_assisted_on,
               (SELECT string_agg(h2.name, '、' ORDER BY h2.hero_id) FROM deed_heroes x JOIN heroes h2 USING (hero_id)
                 WHERE x.deed_id = d.deed_id AND x.hero_id <> ?) AS co_heroes
        FROM deeds d JOIN deed_heroes dh USING (deed_id) WHERE dh.hero_id = ?
        ORDER BY d.deed_date DESC NULLS LAST, d.deed_id DESC""", [int(hero_id), int(hero_id)])
    recognitions = _records(con, """
        SELECT recognition_id, level, recognized_on, date_precision, title, form, award_yuan, deed_id
        FROM recognitions WHERE hero_id = ?
        ORDER BY recognized_on DESC NULLS LAST, recognition_id DESC""", [int(hero_id)])
    assistance = _records(con, """
        SELECT assistance_id, assisted_on, type, amount_yuan, provider, note FROM assistance WHERE hero_id = ?
        ORDER BY assisted_on DESC, assistance_id DESC""", [int(hero_id)])
    studios = _records(con, """
        SELECT studio_id, name, county, town, established_on, head FROM studios WHERE hero_id = ?
        ORDER BY established_on""", [int(hero_id)])
    created = con.execute(
        "SELECT change_id, kind, actor, created_at, summary, file_names, undone_at FROM changes WHERE change_id = ?",
        [person["created_change"]]).fetchone()
    created_d = None
    if created:
        created_d = dict(zip(["change_id", "kind", "actor", "created_at", "summary", "file_names", "undone_at"],
                             created))
        created_d["kind_label"] = labels.CHANGE_KINDS.get(created_d["kind"], created_d["kind"])
        for key in ("summary", "file_names"):
            created_d[key] = privacy.mask_text(created_d[key], role)
    deeds, recognitions, assistance, studios = (privacy.mask_frame(x, role)
                                                for x in (deeds, recognitions, assistance, studios))
    return {"person": person, "deeds": deeds, "recognitions": recognitions, "assistance": assistance,
            "studios": studios, "created": created_d, "history": file_history(con, hero_id, role)}


def _plain(v):
    if isinstance(v, pd.Timestamp):
        return v.date() if v == v.normalize() else v.to_pydatetime()
    try:
        if v is not None and not isinstance(v, (str, bytes)) and pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return v.item() if hasattr(v, "item") else v


def _show(field: str, value, role) -> str:
    if value is None or value == "":
        return "（空）"
    if field in SENSITIVE and not privacy.can(role, "see_personal"):
        value = SENSITIVE[field](value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return privacy.mask_text(str(value), role)


def _describe_insert(table: str, after: dict, role=None) -> str:
    keys = {"recognitions": ("level", "title", "recognized_on"), "assistance": ("type", "assisted_on", "amount_yuan"),
            "deeds": ("deed_type", "deed_date", "place"), "heroes": ("name", "county"),
            "studios": ("name",), "deed_heroes": ("deed_id",)}.get(table, ())
    parts = [str(after[k]) for k in keys if after.get(k) not in (None, "")]
    return privacy.mask_text(" ".join(parts), role)


def file_history(con, hero_id: int, role: str | None = "viewer") -> pd.DataFrame:
    """The history of changes to one person's file, one row per changed field (newest first).

    Columns: 时间, 操作人, 操作编号, 操作类型, 内容, 字段, 原值, 新值, 状态, change_id, kind, undone."""
    rows = con.execute(
        """SELECT a.audit_id, a.created_at, a.actor, a.change_id, a.action, a.table_name, a.record_id,
                  a.before_json, a.after_json, c.kind, c.summary, c.undone_at, c.undo_of
           FROM audit_log a JOIN changes c USING (change_id)
           WHERE a.hero_id = ? AND a.table_name <> 'deed_heroes' ORDER BY a.audit_id DESC LIMIT 2000""", [int(hero_id)]).fetchall()
    out = []
    for (audit_id, at, actor, change_id, action, table, record_id, before_json, after_json, kind, summary,
         undone_at, undo_of) in rows:
        before = json.loads(before_json) if before_json else {}
        after = json.loads(after_json) if after_json else {}
        what = f"{labels.CHANGE_ACTIONS.get(action, action)}{labels.RECORD_TABLES.get(table, table)}"
        state = "已撤销" if undone_at is not None else ("撤销记录" if kind == "undo" else "有效")
        base = {"时间": at, "操作人": actor, "操作编号": change_id, "操作类型": labels.CHANGE_KINDS.get(kind, kind),
                "内容": what, "说明": privacy.mask_text(summary or "", role), "状态": state,
                "change_id": change_id, "kind": kind,
                "undone": undone_at is not None}
        if action == "update":
            for field in after:
                out.append({**base, "字段": fields.LABELS.get(field, field), "原值": _show(field, before.get(field), role),
                            "新值": _show(field, after.get(field), role)})
        elif action == "insert":
            out.append({**base, "字段": "", "原值": "", "新值": _describe_insert(table, after, role)})
        else:
            out.append({**base, "字段": "", "原值": _describe_insert(table, before, role), "新值": ""})
    cols = ["时间", "操作人", "操作编号", "操作类型", "内容", "字段", "原值", "新值", "状态", "说明", "change_id",
            "kind", "undone"]
    return pd.DataFrame(out, columns=cols)


def hero_label(con, hero_id: int) -> str | None:
    row = con.execute("SELECT name, county FROM heroes WHERE hero_id = ?", [int(hero_id)]).fetchone()
    return f"{row[0]}（{row[1]}，档案编号 {hero_id}）" if row else None


# ---- 聊城义士 -------------------------------------------------------------------------------------------

def outside_city_heroes(con, as_of: dt.date | None = None, county: str | None = None,
                        role: str | None = "viewer") -> pd.DataFrame:
    """Liaocheng natives recognized for deeds outside the city: one row per person and deed, newest first."""
    params: list = []
    cond = ""
    if as_of is not None:
        cond += " AND h.registered_on <= ?"
        params.append(as_of)
    if county:
        cond += " AND h.county = ?"
        params.append(county)
    df = con.execute(f"""
        SELECT h.hero_id, h.name, h.gender, h.county, h.town, d.deed_date, d.place, d.deed_type, d.summary,
               h.registered_on,
               (SELECT string_agg(DISTINCT r.level || coalesce('·' || r.title, ''), '；')
                  FROM recognitions r WHERE r.hero_id = h.hero_id
                  {'AND r.recognized_on <= ?' if as_of is not None else ''}) AS recognitions,
               h.plaque_on, h.status
        FROM deeds d JOIN deed_heroes dh USING (deed_id) JOIN heroes h USING (hero_id)
        WHERE d.outside_city {cond}
        ORDER BY d.deed_date DESC NULLS LAST, h.hero_id""",
        ([as_of] if as_of is not None else []) + params).df()
    return privacy.mask_frame(df, role)


# ---- export ---------------------------------------------------------------------------------------------

EXPORT_FIELDS = [f for f in fields.PERSON_FILE if f != "note"]
EXPORT_COLUMNS = {"hero_id": labels.REGISTRY_COLUMNS["hero_id"], **{f: fields.LABELS[f] for f in EXPORT_FIELDS},
                  **{k: v for k, v in labels.REGISTRY_COLUMNS.items() if k != "hero_id"},
                  "outside_city": fields.LABELS["outside_city"]}
EXPORT_MAX_ROWS = 200_000


def export_frame(con, *, role: str | None = "viewer", **conditions) -> pd.DataFrame:
    """All people matching the search conditions, with Chinese headers; masked for viewers, formula-safe."""
    conditions.pop("limit", None)
    conditions.pop("offset", None)
    sort = conditions.pop("sort", "registered_desc")
    where, params = _where(**conditions)
    order = SORTS.get(sort, SORTS["registered_desc"])[1]
    df = con.execute(f"""
        WITH sel AS (SELECT h.*, c.sort_order FROM heroes h LEFT JOIN counties c ON c.name = h.county
                     WHERE {where}),
        lv AS (SELECT r.hero_id, min({LEVEL_RANK_SQL}) AS rank FROM recognitions r
               WHERE r.hero_id IN (SELECT hero_id FROM sel) GROUP BY r.hero_id),
        dd AS (SELECT dh.hero_id, string_agg(DISTINCT d.deed_type, '、') AS deed_types,
                      max(d.deed_date) AS last_deed_date, bool_or(d.outside_city) AS outside_city
               FROM deed_heroes dh JOIN deeds d USING (deed_id)
               WHERE dh.hero_id IN (SELECT hero_id FROM sel) GROUP BY dh.hero_id)
        SELECT h.hero_id, {", ".join("h." + f for f in EXPORT_FIELDS)},
               CASE lv.rank WHEN 1 THEN '国家级' WHEN 2 THEN '省级' WHEN 3 THEN '市级' WHEN 4 THEN '县级' END
                   AS top_level,
               dd.deed_types, dd.last_deed_date,
               CASE WHEN dd.outside_city THEN '是' ELSE '否' END AS outside_city
        FROM sel h LEFT JOIN lv USING (hero_id) LEFT JOIN dd USING (hero_id)
        ORDER BY {order.replace('c.sort_order', 'h.sort_order')} LIMIT ?""",
        [*params, EXPORT_MAX_ROWS]).df()
    df = privacy.mask_frame(df, role)
    for col in ("birth_date", "registered_on", "plaque_on", "last_deed_date"):
        df[col] = pd.to_datetime(df[col]).dt.strftime("%Y-%m-%d").astype(object).where(df[col].notna(), None)
    df = df.rename(columns=EXPORT_COLUMNS)
    return privacy.safe_frame(df)


def export_xlsx(con, *, role: str | None = "viewer", **conditions) -> bytes:
    """The filtered registry as an .xlsx workbook (one sheet 英模档案); every cell written as text or number,
    never as a formula."""
    df = export_frame(con, role=role, **conditions)
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                   "strings_to_numbers": False})
    ws = wb.add_worksheet("英模档案")
    head = wb.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1})
    ws.write_row(0, 0, list(df.columns), head)
    widths = {fields.LABELS[f]: w for f, w in (("id_number", 22), ("address", 30), ("employer", 20), ("deed_type", 16))}
    for i, col in enumerate(df.columns):
        ws.set_column(i, i, widths.get(col, 12))
    ws.freeze_panes(1, 0)
    columns = [df[c].astype(object).where(df[c].notna(), None).tolist() for c in df.columns]
    for r, row in enumerate(zip(*columns), start=1):
        for c, v in enumerate(row):
            if v is None:
                continue
            if isinstance(v, str):
                ws.write_string(r, c, v)
            else:
                ws.write_number(r, c, v) if isinstance(v, (int, float)) and not isinstance(v, bool) \
                    else ws.write_string(r, c, str(v))
    wb.close()
    return buf.getvalue()
