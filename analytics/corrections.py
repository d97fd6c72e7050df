"""英模档案 corrections, the write side: correct a person's fields, add a recognition, an assistance record or a
deed, correct a deed, add and edit workstations and studios, and undo.

Every function
- checks the caller's role first (analytics.privacy.can: editors and admins only), whatever the page showed;
- validates with the import's own rules (analytics.values) and refuses with a Chinese sentence
  (CorrectionError) before touching the database;
- writes in one transaction as one change set (store.begin_change, kind 'edit') through analytics.changes, so
  every field written has an audit row (who, when, old, new) and the change can be undone (`undo`).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from analytics import changes, identity, privacy, reference, store
from analytics.fields import CHECKED, EDITABLE, LABELS
from analytics.values import (ValueProblem, clean_text, parse_amount, parse_assistance_type, parse_county,
                              parse_date, parse_deed_type, parse_form, parse_level, parse_town, parse_yes_no,
                              validate_person)
from analytics.registry import person_version


class CorrectionError(ValueError):
    """A correction that cannot be made, in Chinese; `problems` lists (field label, reason)."""

    def __init__(self, message: str, problems: list[tuple[str, str]] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []


@dataclass
class CorrectionResult:
    change_id: int | None          # None when nothing changed
    record_id: int | None = None
    diff: dict = field(default_factory=dict)               # {field: (old, new)} for corrections
    warnings: list[str] = field(default_factory=list)      # Chinese sentences that did not block the write


PERSON_EDITABLE = EDITABLE
_PERSON_VALIDATED = CHECKED
# The record changed between showing the form and saving it (someone else saved the same person).
STALE = "该人员档案已被他人修改，请刷新页面后重新填写。"


def _require(role: str | None, action: str = "edit") -> None:
    if not privacy.can(role, action):
        what = "撤销操作" if action == "undo" else "修改档案"
        raise CorrectionError(f"当前账号没有{what}的权限，请使用录入或管理账号登录。")


def _fail(problems: list[tuple[str, str]]) -> None:
    if problems:
        text = "；".join(f"{label}：{msg}" for label, msg in problems)
        raise CorrectionError(f"未保存：{text}。", problems)


def _label(f: str) -> str:
    return LABELS.get(f, f)


def _date(value, f: str, problems: list, *, required: bool = False) -> tuple[dt.date | None, str | None]:
    try:
        d, precision = parse_date(value)
    except ValueProblem as p:
        problems.append((_label(f), p.message))
        return None, None
    if d is None and required:
        problems.append((_label(f), "不能为空"))
    return d, precision


def _choice(value, parse, f: str, problems: list, *, required: bool = False) -> str | None:
    """A value of a list through the import's own parser (analytics.values): the same spellings are accepted
    (抚恤 → 抚恤慰问) and open lists keep what was written (溺水救援)."""
    try:
        out = parse(value)
    except ValueProblem as p:
        problems.append((_label(f), p.message))
        return None
    if out is None and required:
        problems.append((_label(f), "不能为空"))
    return out


def _hero(cur, hero_id: int) -> dict:
    res = cur.execute("SELECT * FROM heroes WHERE hero_id = ?", [int(hero_id)])
    row = res.fetchone()
    if row is None:
        raise CorrectionError(f"找不到档案编号为 {hero_id} 的人员，可能已被撤销或删除，请刷新后重试。")
    return dict(zip([d[0] for d in res.description], row))


def _actor(actor: str | None) -> str:
    actor = clean_text(actor)
    if not actor:
        raise CorrectionError("无法确定操作人，请重新登录后再操作。")
    return actor


# ---- a person's fields ------------------------------------------------------------------------------------

def validate_person_edit(current: dict, edits: dict) -> tuple[dict, list[tuple[str, str]], list[str]]:
    """(clean values of the edited fields, blocking problems, warnings) for `edits` applied to `current`."""
    unknown = [f for f in edits if f not in PERSON_EDITABLE]
    if unknown:
        raise CorrectionError(f"以下字段不能在此更正：{'、'.join(unknown)}。")
    merged = {f: current.get(f) for f in _PERSON_VALIDATED}
    merged.update({f: v for f, v in edits.items() if f in _PERSON_VALIDATED})
    clean, found = validate_person(merged)
    problems, warnings = [], []
    for f, _value, severity, message in found:
        if severity == "error" and f in edits:
            problems.append((_label(f), message))
        elif severity != "error" and f in edits:
            warnings.append(f"{_label(f)}：{message}")
    out = {f: clean.get(f) for f in edits if f in _PERSON_VALIDATED}
    if "birth_date" in edits and clean_text(edits["birth_date"]) is None:
        out["birth_date"] = None  # cleared on purpose (validate_person would refill it from the ID number)
    if "gender" in edits and clean_text(edits["gender"]) is None:
        out["gender"] = None
    for f in ("registered_on", "plaque_on"):
        if f in edits:
            out[f], _ = _date(edits[f], f, problems)
    for f in ("address", "note"):
        if f in edits:
            out[f] = clean_text(edits[f])
    if out.get("registered_on") is None and "registered_on" in edits:
        problems.append((_label("registered_on"), "登记日期不能为空"))
    return out, problems, warnings


def _check_version(current: dict, version: str | None) -> None:
    if version is not None and person_version(current) != version:
        raise CorrectionError(STALE)


def correct_person(con, hero_id: int, edits: dict, *, actor: str, role: str | None,
                   reason: str | None = None, version: str | None = None) -> CorrectionResult:
    """Correct fields of a person's file (values as typed). One change set; refused with CorrectionError.

    `version` is registry.person_version of the record the form showed (person_file's "version"): when the
    record has changed since, nothing is written and the sentence STALE asks to reload."""
    _require(role)
    actor = _actor(actor)
    cur0 = con.cursor()
    try:
        current = _hero(cur0, hero_id)
    finally:
        cur0.close()
    _check_version(current, version)
    clean, problems, warnings = validate_person_edit(current, edits)
    _fail(problems)
    with store.transaction(con) as cur:
        current = _hero(cur, hero_id)  # re-read inside the transaction
        _check_version(current, version)
        diff_fields = {f: v for f, v in clean.items() if not changes.same_value(current.get(f), v)}
        if not diff_fields:
            return CorrectionResult(None, hero_id, {}, warnings)
        after = {**current, **diff_fields}
        # The one identity rule: a changed ID number / name / birth date / county changes the key.
        key = identity.identity_key(after["id_number"], after["name"], after["birth_date"], after["county"])
        other = cur.execute("SELECT hero_id, name FROM heroes WHERE hero_id <> ? AND (identity_key = ? OR "
                            "(? IS NOT NULL AND id_number = ?)) LIMIT 1",
                            [int(hero_id), key, after["id_number"], after["id_number"]]).fetchone()
        if other:
            raise CorrectionError(f"未保存：更正后与已登记的{other[1]}（档案编号 {other[0]}）为同一人"
                                  "（身份证号相同，或姓名、出生日期、县市区均相同），请核实后再更正。")
        if key != current["identity_key"]:
            diff_fields["identity_key"] = key
        labels = "、".join(_label(f) for f in diff_fields if f != "identity_key")
        summary = f"更正{current['name']}（档案编号 {hero_id}）的{labels}"
        if clean_text(reason):
            summary += f"：{clean_text(reason)}"
        change_id = store.begin_change(cur, "edit", actor, summary)
        diff = changes.update_row(cur, change_id, actor, "heroes", int(hero_id), diff_fields, hero_id=int(hero_id))
    return CorrectionResult(change_id, hero_id, diff, warnings)


# ---- recognitions, assistance -----------------------------------------------------------------------------

def validate_recognition(fields: dict) -> tuple[dict, list[tuple[str, str]]]:
    problems: list[tuple[str, str]] = []
    out: dict = {}
    try:
        out["level"] = parse_level(fields.get("level"))
        if out["level"] is None:
            problems.append((_label("level"), "不能为空"))
    except ValueProblem as p:
        problems.append((_label("level"), p.message))
    out["recognized_on"], out["date_precision"] = _date(fields.get("recognized_on"), "recognized_on", problems,
                                                        required=True)
    out["title"] = clean_text(fields.get("title"))
    out["form"] = _choice(fields.get("form"), parse_form, "form", problems)
    try:
        out["award_yuan"] = parse_amount(fields.get("award_yuan"))
    except ValueProblem as p:
        problems.append((_label("award_yuan"), p.message))
    deed = fields.get("deed_id")
    out["deed_id"] = int(deed) if deed not in (None, "") else None
    return out, problems


def add_recognition(con, hero_id: int, fields: dict, *, actor: str, role: str | None) -> CorrectionResult:
    """Add a recognition (表扬) to a person's file."""
    _require(role)
    actor = _actor(actor)
    values, problems = validate_recognition(fields)
    _fail(problems)
    with store.transaction(con) as cur:
        hero = _hero(cur, hero_id)
        if values["deed_id"] is not None and not cur.execute(
                "SELECT 1 FROM deed_heroes WHERE deed_id = ? AND hero_id = ?", [values["deed_id"], int(hero_id)]
        ).fetchone():
            raise CorrectionError("未保存：所选事迹不属于该人员。")
        dup = cur.execute(
            "SELECT recognition_id FROM recognitions WHERE hero_id = ? AND level = ? AND recognized_on = ? "
            "AND coalesce(title, '') = coalesce(?, '')",
            [int(hero_id), values["level"], values["recognized_on"], values["title"]]).fetchone()
        if dup:
            raise CorrectionError(f"未保存：该人员已有同一日期、同一级别和称号的表扬记录（编号 {dup[0]}），请勿重复录入。")
        change_id = store.begin_change(
            cur, "edit", actor, f"为{hero['name']}（档案编号 {hero_id}）新增{values['level']}表扬"
            f"（{values['recognized_on']:%Y-%m-%d}{('，' + values['title']) if values['title'] else ''}）")
        rid = changes.insert_row(cur, change_id, actor, "recognitions", {"hero_id": int(hero_id), **values},
                                 hero_id=int(hero_id))
    return CorrectionResult(change_id, rid)


def validate_assistance(fields: dict) -> tuple[dict, list[tuple[str, str]]]:
    problems: list[tuple[str, str]] = []
    out: dict = {}
    out["assisted_on"], _ = _date(fields.get("assisted_on"), "assisted_on", problems, required=True)
    out["type"] = _choice(fields.get("type"), parse_assistance_type, "type", problems, required=True)
    try:
        out["amount_yuan"] = parse_amount(fields.get("amount_yuan"))
    except ValueProblem as p:
        problems.append((_label("amount_yuan"), p.message))
    out["provider"] = clean_text(fields.get("provider"))
    out["note"] = clean_text(fields.get("note"))
    return out, problems


def add_assistance(con, hero_id: int, fields: dict, *, actor: str, role: str | None) -> CorrectionResult:
    """Add an assistance record (帮扶/优抚) to a person's file."""
    _require(role)
    actor = _actor(actor)
    values, problems = validate_assistance(fields)
    _fail(problems)
    with store.transaction(con) as cur:
        hero = _hero(cur, hero_id)
        amount = f"，{values['amount_yuan']:,.2f}元" if values["amount_yuan"] is not None else ""
        change_id = store.begin_change(
            cur, "edit", actor, f"为{hero['name']}（档案编号 {hero_id}）新增帮扶记录"
            f"（{values['assisted_on']:%Y-%m-%d} {values['type']}{amount}）")
        aid = changes.insert_row(cur, change_id, actor, "assistance", {"hero_id": int(hero_id), **values},
                                 hero_id=int(hero_id))
    return CorrectionResult(change_id, aid)


# ---- deeds ------------------------------------------------------------------------------------------------

DEED_FIELDS = ["deed_date", "place", "outside_city", "county", "deed_type", "summary",
               *[c for c, _ in reference.FIVE_STEPS]]


def validate_deed(fields: dict, home_county: str | None, *, partial: bool = False,
                  current: dict | None = None) -> tuple[dict, list[tuple[str, str]], list[str]]:
    """Clean deed fields. `partial`: only the fields given (a correction), checked against `current`."""
    problems: list[tuple[str, str]] = []
    warnings: list[str] = []
    out: dict = {}
    given = (lambda f: f in fields) if partial else (lambda f: True)
    if given("deed_date"):
        out["deed_date"], out["deed_date_precision"] = _date(fields.get("deed_date"), "deed_date", problems,
                                                             required=True)
    if given("place"):
        out["place"] = clean_text(fields.get("place"))
    if given("outside_city"):
        try:
            out["outside_city"] = bool(parse_yes_no(fields.get("outside_city")))
        except ValueProblem as p:
            problems.append((_label("outside_city"), p.message))
            out["outside_city"] = False
    if given("county") or given("outside_city"):
        outside = out.get("outside_city", (current or {}).get("outside_city", False))
        raw = fields.get("county") if "county" in fields else (None if partial else home_county)
        if outside:
            out["county"] = None
        else:
            try:
                out["county"] = parse_county(raw) or (current or {}).get("county") or home_county
            except ValueProblem as p:
                problems.append(("事迹发生县市区", p.message))
    if given("deed_type"):
        out["deed_type"] = _choice(fields.get("deed_type"), parse_deed_type, "deed_type", problems, required=True)
    if given("summary"):
        out["summary"] = clean_text(fields.get("summary"))
    for col, label in reference.FIVE_STEPS:
        if given(col):
            out[col], _ = _date(fields.get(col), col, problems)
    # the five steps never precede the deed; out of order is only a warning
    merged = {**(current or {}), **out}
    deed_date = merged.get("deed_date")
    if isinstance(deed_date, dt.datetime):
        deed_date = deed_date.date()
    prev = None
    for col, label in reference.FIVE_STEPS:
        d = merged.get(col)
        if isinstance(d, dt.datetime):
            d = d.date()
        if d is None:
            continue
        if deed_date and d < deed_date and (col in out or "deed_date" in out):
            problems.append((label, f"日期（{d:%Y-%m-%d}）早于事迹时间（{deed_date:%Y-%m-%d}）"))
        if prev and d < prev[1] and (col in out or prev[0] in out):
            warnings.append(f"{label}日期（{d:%Y-%m-%d}）早于{dict(reference.FIVE_STEPS)[prev[0]]}日期")
        prev = (col, d)
    return out, problems, warnings


def add_deed(con, hero_id: int, fields: dict, *, actor: str, role: str | None) -> CorrectionResult:
    """Add a deed (事迹, with the dates of the five steps) to a person's file."""
    _require(role)
    actor = _actor(actor)
    cur0 = con.cursor()
    try:
        hero = _hero(cur0, hero_id)
    finally:
        cur0.close()
    values, problems, warnings = validate_deed(fields, hero["county"])
    _fail(problems)
    values["deed_key"] = identity.deed_key(values["deed_date"], values["deed_type"],
                                           values["place"] or values["summary"])
    with store.transaction(con) as cur:
        hero = _hero(cur, hero_id)
        dup = cur.execute("SELECT d.deed_id FROM deeds d JOIN deed_heroes dh USING (deed_id) "
                          "WHERE dh.hero_id = ? AND d.deed_key = ?", [int(hero_id), values["deed_key"]]).fetchone()
        if dup:
            raise CorrectionError(f"未保存：该人员已有同一时间、类型和地点的事迹（事迹编号 {dup[0]}），请勿重复录入。")
        change_id = store.begin_change(
            cur, "edit", actor, f"为{hero['name']}（档案编号 {hero_id}）新增事迹"
            f"（{values['deed_date']:%Y-%m-%d} {values['deed_type']}{'，市域外' if values['outside_city'] else ''}）")
        deed_id = changes.insert_row(cur, change_id, actor, "deeds", values, hero_id=int(hero_id))
        changes.insert_row(cur, change_id, actor, "deed_heroes", {"deed_id": deed_id, "hero_id": int(hero_id)},
                           hero_id=int(hero_id))
    return CorrectionResult(change_id, deed_id, warnings=warnings)


def correct_deed(con, hero_id: int, deed_id: int, edits: dict, *, actor: str, role: str | None) -> CorrectionResult:
    """Correct fields of a deed of this person (e.g. the date of one of the five steps)."""
    _require(role)
    actor = _actor(actor)
    unknown = [f for f in edits if f not in DEED_FIELDS]
    if unknown:
        raise CorrectionError(f"以下字段不能在此更正：{'、'.join(unknown)}。")
    with store.transaction(con) as cur:
        hero = _hero(cur, hero_id)
        res = cur.execute("SELECT d.* FROM deeds d JOIN deed_heroes dh USING (deed_id) "
                          "WHERE d.deed_id = ? AND dh.hero_id = ?", [int(deed_id), int(hero_id)])
        row = res.fetchone()
        if row is None:
            raise CorrectionError("未保存：该事迹不属于此人员，或已被撤销。")
        current = dict(zip([d[0] for d in res.description], row))
        values, problems, warnings = validate_deed(edits, hero["county"], partial=True, current=current)
        _fail(problems)
        values = {f: v for f, v in values.items() if not changes.same_value(current.get(f), v)}
        if not values:
            return CorrectionResult(None, deed_id, {}, warnings)
        labels = "、".join(_label(f) for f in values if f != "deed_date_precision")
        change_id = store.begin_change(cur, "edit", actor,
                                       f"更正{hero['name']}（档案编号 {hero_id}）事迹 {deed_id} 的{labels}")
        diff = changes.update_row(cur, change_id, actor, "deeds", int(deed_id), values, hero_id=int(hero_id))
    return CorrectionResult(change_id, deed_id, diff, warnings)


# ---- directories: workstations and studios ---------------------------------------------------------------

def validate_unit(fields: dict, kind: str, *, partial: bool = False) -> tuple[dict, list, list[str]]:
    """Clean a workstation (kind 'station') or studio ('studio') row of the directory."""
    problems: list[tuple[str, str]] = []
    warnings: list[str] = []
    out: dict = {}
    given = (lambda f: f in fields) if partial else (lambda f: True)
    if given("name"):
        out["name"] = clean_text(fields.get("name"))
        if not out["name"]:
            problems.append(("名称", "不能为空"))
    if given("county"):
        try:
            out["county"] = parse_county(fields.get("county"))
            if out["county"] is None:
                problems.append(("县市区", "不能为空"))
        except ValueProblem as p:
            problems.append(("县市区", p.message))
    if given("town"):
        out["town"], warning = parse_town(fields.get("town"), out.get("county") or fields.get("_county"))
        if warning:
            warnings.append(warning)
    if given("established_on"):
        out["established_on"], _ = _date(fields.get("established_on"), "established_on", problems)
    if given("head"):
        out["head"] = clean_text(fields.get("head"))
    if kind == "station":
        for col, label in reference.FIVE_HAS.items():
            if given(col):
                try:
                    out[col] = parse_yes_no(fields.get(col))
                except ValueProblem as p:
                    problems.append((label, p.message))
    return out, problems, warnings


def _unit_table(kind: str) -> tuple[str, str, str]:
    if kind == "station":
        return "workstations", "station_id", "工作站"
    if kind == "studio":
        return "studios", "studio_id", "英模工作室"
    raise CorrectionError("名录类型应为工作站或英模工作室。")


def _studio_hero(cur, fields: dict, out: dict, problems: list) -> int | None:
    if "hero_id" not in fields:
        return None
    raw = fields.get("hero_id")
    if raw in (None, ""):
        out["hero_id"], out["hero_name"] = None, None
        return None
    try:
        hid = int(raw)
    except (TypeError, ValueError):
        problems.append(("命名英模", "档案编号应为数字"))
        return None
    row = cur.execute("SELECT name FROM heroes WHERE hero_id = ?", [hid]).fetchone()
    if row is None:
        problems.append(("命名英模", f"找不到档案编号为 {hid} 的人员"))
        return None
    out["hero_id"], out["hero_name"] = hid, row[0]
    return hid


def add_unit(con, kind: str, fields: dict, *, actor: str, role: str | None) -> CorrectionResult:
    """Add a workstation (kind 'station') or a hero studio ('studio') to the directory."""
    _require(role)
    actor = _actor(actor)
    table, key, label = _unit_table(kind)
    values, problems, warnings = validate_unit(fields, kind)
    _fail(problems)
    with store.transaction(con) as cur:
        hero = _studio_hero(cur, fields, values, problems) if kind == "studio" else None
        _fail(problems)
        dup = cur.execute(f"SELECT {key} FROM {table} WHERE name = ? AND county = ?",
                          [values["name"], values["county"]]).fetchone()
        if dup:
            raise CorrectionError(f"未保存：{values['county']}已有名为“{values['name']}”的{label}（编号 {dup[0]}）。")
        change_id = store.begin_change(cur, "edit", actor, f"新增{label}：{values['county']}{values['name']}")
        rid = changes.insert_row(cur, change_id, actor, table, values, hero_id=hero)
    return CorrectionResult(change_id, rid, warnings=warnings)


def update_unit(con, kind: str, unit_id: int, edits: dict, *, actor: str, role: str | None) -> CorrectionResult:
    """Edit fields of a workstation or studio (name, county, town, established date, head, 五有, named hero)."""
    _require(role)
    actor = _actor(actor)
    table, key, label = _unit_table(kind)
    with store.transaction(con) as cur:
        res = cur.execute(f"SELECT * FROM {table} WHERE {key} = ?", [int(unit_id)])
        row = res.fetchone()
        if row is None:
            raise CorrectionError(f"找不到编号为 {unit_id} 的{label}，可能已被撤销。")
        current = dict(zip([d[0] for d in res.description], row))
        values, problems, warnings = validate_unit({**edits, "_county": current["county"]}, kind, partial=True)
        values.pop("_county", None)
        if kind == "studio":
            _studio_hero(cur, edits, values, problems)
        _fail(problems)
        values = {f: v for f, v in values.items() if not changes.same_value(current.get(f), v)}
        if not values:
            return CorrectionResult(None, unit_id, {}, warnings)
        labels = "、".join(_label(f) for f in values if f != "hero_name")
        change_id = store.begin_change(cur, "edit", actor, f"修改{label}“{current['name']}”的{labels}")
        hero = values.get("hero_id", current.get("hero_id")) if kind == "studio" else None
        diff = changes.update_row(cur, change_id, actor, table, int(unit_id), values, hero_id=hero)
    return CorrectionResult(change_id, unit_id, diff, warnings)


# ---- undo -------------------------------------------------------------------------------------------------

def undo(con, change_id: int, *, actor: str, role: str | None) -> int:
    """Undo one change set (role-checked); returns the id of the undo record. CorrectionError when refused."""
    _require(role, "undo")
    actor = _actor(actor)
    try:
        return changes.undo_change(con, int(change_id), actor)
    except changes.UndoError as exc:
        raise CorrectionError(str(exc)) from exc
