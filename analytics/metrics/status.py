"""What the data covers, for the date pickers and the page footer: its date range, the last import in force,
and whether this is the demo database."""
from __future__ import annotations

import datetime as dt


def data_bounds(con) -> tuple[dt.date | None, dt.date | None]:
    """Earliest and latest date that any record carries (for date pickers and the footer)."""
    row = con.execute(
        """SELECT min(d), max(d) FROM (
               SELECT registered_on AS d FROM heroes
               UNION ALL SELECT recognized_on FROM recognitions
               UNION ALL SELECT activity_date FROM activities
               UNION ALL SELECT assisted_on FROM assistance)"""
    ).fetchone()
    return row[0], row[1]


def last_import(con) -> dict | None:
    """The latest import still in force: {change_id, at, actor, file_names}."""
    row = con.execute(
        "SELECT change_id, created_at, actor, file_names FROM changes WHERE kind = 'import' AND undone_at IS NULL "
        "ORDER BY change_id DESC LIMIT 1"
    ).fetchone()
    if not row:
        return None
    return {"change_id": row[0], "created_at": row[1], "actor": row[2], "file_names": row[3]}


def is_demo(con) -> bool:
    """This is the demo database: built by `python -m analytics demo`, which sets the setting demo = '1' in the
    transaction that writes its data (the only meaning of "demo database": the login page's demo accounts, the
    footer's notice, 备份与恢复's 类型)."""
    row = con.execute("SELECT value FROM settings WHERE key = 'demo'").fetchone()
    return bool(row and row[0] == "1")


def latest_data_date(con) -> dt.date | None:
    """The latest date the data covers: the latest of registration, recognition, activity and assistance dates
    (None for an empty database). The dashboards' default 截至日期, so that opening them after the last import
    does not show the months without data as declines."""
    return data_bounds(con)[1]
