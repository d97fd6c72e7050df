"""Recorded writes: every insert, update and delete belongs to a change set and can be undone.

- Inserted rows carry `created_change`; undoing the change deletes them.
- Updates and deletes write the row's before/after image to audit_log; undoing restores the before image.
- Single-row helpers (`insert_row`, `update_row`, `delete_row`) serve the edit forms; the `*_df` helpers do
  the same in bulk for imports (one statement per table, not one per row).
"""
from __future__ import annotations

import datetime as dt
import decimal
import json

import pandas as pd

from analytics import store

# table -> (primary key, sequence)
TABLES: dict[str, tuple[str, str | None]] = {
    "heroes": ("hero_id", "seq_hero"),
    "deeds": ("deed_id", "seq_deed"),
    "deed_heroes": ("deed_id", None),          # composite key; only inserted/deleted with created_change
    "recognitions": ("recognition_id", "seq_recognition"),
    "assistance": ("assistance_id", "seq_assistance"),
    "workstations": ("station_id", "seq_station"),
    "studios": ("studio_id", "seq_studio"),
    "activities": ("activity_id", "seq_activity"),
}
# Order in which an undo deletes inserted rows (children before parents).
DELETE_ORDER = ["activities", "assistance", "recognitions", "deed_heroes", "studios", "workstations",
                "deeds", "heroes"]


class UndoError(Exception):
    """An undo that cannot be done, in one Chinese sentence."""


def _json_default(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return list(value)
    if pd.isna(value):
        return None
    return str(value)


def to_json(values: dict) -> str:
    return json.dumps(values, ensure_ascii=False, default=_json_default, sort_keys=True)


def _row(cur, table: str, record_id: int) -> dict | None:
    key = TABLES[table][0]
    res = cur.execute(f"SELECT * FROM {table} WHERE {key} = ?", [record_id])
    names = [d[0] for d in res.description]
    row = res.fetchone()
    return dict(zip(names, row)) if row else None


def _hero_of(table: str, values: dict) -> int | None:
    if table == "heroes":
        return values.get("hero_id")
    return values.get("hero_id")


def _audit(cur, change_id: int, actor: str, action: str, table: str, record_id: int,
           hero_id: int | None, before: dict | None, after: dict | None) -> None:
    cur.execute(
        "INSERT INTO audit_log VALUES (nextval('seq_audit'), ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [change_id, store._now(), actor, action, table, record_id, hero_id,
         to_json(before) if before is not None else None, to_json(after) if after is not None else None],
    )


def insert_row(cur, change_id: int, actor: str, table: str, values: dict, *, hero_id: int | None = None) -> int:
    """Insert one row (its id taken from the table's sequence); record it; return the id."""
    key, seq = TABLES[table]
    values = dict(values)
    if seq and values.get(key) is None:
        values[key] = cur.execute(f"SELECT nextval('{seq}')").fetchone()[0]
    values["created_change"] = change_id
    cols = list(values)
    cur.execute(
        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
        [values[c] for c in cols],
    )
    _audit(cur, change_id, actor, "insert", table, values[key], hero_id or _hero_of(table, values), None, values)
    return values[key]


def update_row(cur, change_id: int, actor: str, table: str, record_id: int, new_values: dict,
               *, hero_id: int | None = None) -> dict:
    """Update fields of one row; record old and new values; return {field: (old, new)} actually changed."""
    key = TABLES[table][0]
    before = _row(cur, table, record_id)
    if before is None:
        raise KeyError(f"{table} {record_id}")
    changed = {k: v for k, v in new_values.items() if k in before and not same_value(before[k], v)}
    if not changed:
        return {}
    sets = ", ".join(f"{c} = ?" for c in changed)
    if table == "heroes":
        sets += ", updated_at = now()::TIMESTAMP"
    cur.execute(f"UPDATE {table} SET {sets} WHERE {key} = ?", [*changed.values(), record_id])
    _audit(cur, change_id, actor, "update", table, record_id, hero_id or _hero_of(table, before),
           {k: before[k] for k in changed}, changed)
    return {k: (before[k], v) for k, v in changed.items()}


def delete_row(cur, change_id: int, actor: str, table: str, record_id: int, *, hero_id: int | None = None) -> None:
    key = TABLES[table][0]
    before = _row(cur, table, record_id)
    if before is None:
        return
    cur.execute(f"DELETE FROM {table} WHERE {key} = ?", [record_id])
    _audit(cur, change_id, actor, "delete", table, record_id, hero_id or _hero_of(table, before), before, None)


def same_value(a, b) -> bool:
    """Whether a stored value and a new one are the same (None/NaN alike, Decimal by value, a date against its
    text): an update writes only the fields that differ."""
    if a is None or (isinstance(a, float) and pd.isna(a)):
        return b is None or (isinstance(b, float) and pd.isna(b))
    if b is None:
        return False
    if isinstance(a, decimal.Decimal) or isinstance(b, decimal.Decimal):
        try:
            return decimal.Decimal(str(a)) == decimal.Decimal(str(b))
        except decimal.InvalidOperation:
            return False
    if isinstance(a, dt.datetime) != isinstance(b, dt.datetime):
        return str(a) == str(b)
    return a == b


# ---- bulk ----------------------------------------------------------------------------------------

def reserve_ids(cur, table: str, n: int) -> list[int]:
    """n fresh ids from the table's sequence."""
    if n <= 0:
        return []
    seq = TABLES[table][1]
    return cur.execute(f"SELECT nextval('{seq}') AS id FROM range(?)", [n]).fetchnumpy()["id"].tolist()


def _dates_as_datetime64(cur, table: str, df: pd.DataFrame) -> pd.DataFrame:
    """DATE columns given as Python date objects become datetime64 (DuckDB converts a datetime64 column about
    three times faster than it inspects date objects one by one). Anything pandas cannot convert stays as is."""
    dates = {r[0] for r in cur.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = ? "
                                       "AND data_type = 'DATE'", [table]).fetchall()}
    out = {}
    for name in df.columns:
        if name in dates and df[name].dtype == object:
            try:
                out[name] = pd.to_datetime(df[name], errors="raise")
            except (ValueError, TypeError, OverflowError, pd.errors.OutOfBoundsDatetime):
                pass
    return df.assign(**out) if out else df


def insert_df(cur, change_id: int, table: str, df: pd.DataFrame) -> None:
    """Insert a DataFrame whose columns are table columns (ids already assigned). Recorded via created_change."""
    if df.empty:
        return
    cols = list(df.columns)
    cur.register("_insert_df", _dates_as_datetime64(cur, table, df))
    try:
        cur.execute(f"INSERT INTO {table} ({', '.join(cols)}, created_change) "
                    f"SELECT {', '.join(cols)}, {int(change_id)} FROM _insert_df")
    finally:
        cur.unregister("_insert_df")


def update_df(cur, change_id: int, actor: str, table: str, df: pd.DataFrame, *, hero_col: str | None = None) -> None:
    """Update rows (df has the key column and the columns to set), recording before/after images in bulk."""
    if df.empty:
        return
    key = TABLES[table][0]
    cols = [c for c in df.columns if c != key]
    cur.register("_update_df", df)
    try:
        before = cur.execute(
            f"SELECT t.{key}, {', '.join('t.' + c for c in cols)}"
            + (f", t.{hero_col}" if hero_col and hero_col not in cols and hero_col != key else "")
            + f" FROM {table} t JOIN _update_df u ON t.{key} = u.{key}"
        ).df()
        before_by_id = before.set_index(key)
        now = store._now()
        audit = []
        for rec in df.to_dict("records"):
            rid = rec[key]
            old = before_by_id.loc[rid]
            old_vals = {c: _py(old[c]) for c in cols}
            new_vals = {c: _py(rec[c]) for c in cols}
            hero = rid if table == "heroes" else (_py(old[hero_col]) if hero_col else None)
            audit.append((change_id, now, actor, "update", table, rid, hero, to_json(old_vals), to_json(new_vals)))
        sets = ", ".join(f"{c} = u.{c}" for c in cols)
        if table == "heroes":
            sets += ", updated_at = now()::TIMESTAMP"
        cur.execute(f"UPDATE {table} AS t SET {sets} FROM _update_df AS u WHERE t.{key} = u.{key}")
    finally:
        cur.unregister("_update_df")
    audit_df = pd.DataFrame(audit, columns=["change_id", "at", "actor", "action", "table_name", "record_id",
                                            "hero_id", "before_json", "after_json"])
    cur.register("_audit_df", audit_df)
    try:
        cur.execute("INSERT INTO audit_log SELECT nextval('seq_audit'), * FROM _audit_df")
    finally:
        cur.unregister("_audit_df")


def _py(value):
    if value is None:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date() if value == value.normalize() else value.to_pydatetime()
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item"):
        return value.item()
    return value


# ---- undo ----------------------------------------------------------------------------------------

def undo_change(con, change_id: int, actor: str) -> int:
    """Undo one change set in one transaction; return the id of the change that records the undo.

    Refused (UndoError) when the change does not exist, was already undone, is itself an undo, or when a
    later change that is still in force touched the same records (undo that one first).
    """
    with store.transaction(con) as cur:
        row = cur.execute("SELECT kind, undone_at, summary FROM changes WHERE change_id = ?", [change_id]).fetchone()
        if row is None:
            raise UndoError(f"找不到编号为 {change_id} 的操作记录。")
        kind, undone_at, summary = row
        if undone_at is not None:
            raise UndoError(f"编号为 {change_id} 的操作已于 {undone_at:%Y-%m-%d %H:%M} 撤销，无需重复撤销。")
        if kind == "undo":
            raise UndoError("撤销记录本身不能再撤销。")
        _check_conflicts(cur, change_id)
        undo_id = store.begin_change(cur, "undo", actor, f"撤销操作 {change_id}：{summary or ''}", undo_of=change_id)
        entries = cur.execute(
            "SELECT action, table_name, record_id, before_json FROM audit_log WHERE change_id = ? "
            "ORDER BY audit_id DESC", [change_id]
        ).fetchall()
        for action, table, record_id, before_json in entries:
            key = TABLES[table][0]
            if action == "update":
                before = json.loads(before_json)
                cur_row = _row(cur, table, record_id)
                if cur_row is not None:
                    sets = ", ".join(f"{c} = ?" for c in before)
                    cur.execute(f"UPDATE {table} SET {sets} WHERE {key} = ?", [*before.values(), record_id])
                    _audit(cur, undo_id, actor, "update", table, record_id,
                           _hero_of(table, cur_row), {c: cur_row[c] for c in before}, before)
            elif action == "delete":
                before = json.loads(before_json)
                cols = list(before)
                cur.execute(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                            [before[c] for c in cols])
                _audit(cur, undo_id, actor, "insert", table, record_id, _hero_of(table, before), None, before)
        for table in DELETE_ORDER:
            key = TABLES[table][0]
            deleted = cur.execute(
                f"SELECT {key}{', hero_id' if table in ('heroes', 'recognitions', 'assistance') else ''} "
                f"FROM {table} WHERE created_change = ?", [change_id]).fetchall()
            if table != "deed_heroes":
                for rec in deleted[:1000]:  # keep the audit readable; the rest is implied by the change
                    _audit(cur, undo_id, actor, "delete", table, rec[0], rec[1] if len(rec) > 1 else None,
                           {"created_change": change_id}, None)
            cur.execute(f"DELETE FROM {table} WHERE created_change = ?", [change_id])
        cur.execute("UPDATE changes SET undone_at = ?, undone_by = ? WHERE change_id = ?",
                    [store._now(), actor, change_id])
    return undo_id


def _check_conflicts(cur, change_id: int) -> None:
    # Records this change touched or created that a later, still-valid change touched again.
    later = cur.execute(
        """
        WITH mine AS (
            SELECT table_name, record_id FROM audit_log WHERE change_id = $1
            UNION
            SELECT 'heroes', hero_id FROM heroes WHERE created_change = $1
            UNION
            SELECT 'deeds', deed_id FROM deeds WHERE created_change = $1
            UNION
            SELECT 'workstations', station_id FROM workstations WHERE created_change = $1
            UNION
            SELECT 'studios', studio_id FROM studios WHERE created_change = $1
        )
        SELECT DISTINCT c.change_id, c.summary
        FROM audit_log a JOIN mine m USING (table_name, record_id)
        JOIN changes c ON c.change_id = a.change_id
        WHERE a.change_id > $1 AND c.undone_at IS NULL AND c.kind <> 'undo'
        UNION
        SELECT DISTINCT c.change_id, c.summary FROM (
            SELECT created_change FROM recognitions WHERE hero_id IN (SELECT hero_id FROM heroes WHERE created_change = $1)
            UNION ALL SELECT created_change FROM assistance WHERE hero_id IN (SELECT hero_id FROM heroes WHERE created_change = $1)
            UNION ALL SELECT created_change FROM deed_heroes WHERE hero_id IN (SELECT hero_id FROM heroes WHERE created_change = $1)
            UNION ALL SELECT created_change FROM activities WHERE station_id IN (SELECT station_id FROM workstations WHERE created_change = $1)
        ) x JOIN changes c ON c.change_id = x.created_change
        WHERE x.created_change > $1 AND c.undone_at IS NULL
        ORDER BY 1
        """,
        [change_id],
    ).fetchall()
    if later:
        ids = "、".join(str(r[0]) for r in later[:5])
        raise UndoError(f"此后的操作（编号 {ids}）修改了同一批记录，请先撤销这些较晚的操作，再撤销本次操作。")


def history(con, limit: int = 200) -> pd.DataFrame:
    """The change sets, newest first (imports, edits, undos)."""
    return con.execute(
        "SELECT change_id, kind, actor, created_at, summary, file_names, sha256, counts_json, undone_at, undone_by, undo_of "
        "FROM changes ORDER BY change_id DESC LIMIT ?", [limit]
    ).df()
