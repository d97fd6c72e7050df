"""The list of import batches and undoing one (the page and `python -m analytics history/undo`)."""
from __future__ import annotations

import json

from analytics import changes


class NotAnImport(Exception):
    """The id names no import batch."""


def imports(con, limit: int = 200) -> list[dict]:
    rows = con.execute(
        "SELECT change_id, created_at, actor, file_names, sha256, counts_json, undone_at, undone_by "
        "FROM changes WHERE kind = 'import' ORDER BY change_id DESC LIMIT ?", [limit]).fetchall()
    out = []
    for cid, at, actor, names, sha, counts, undone_at, undone_by in rows:
        out.append({"batch_id": str(cid), "created_at": at, "actor": actor, "file_names": names or "",
                    "sha256": sha or "", "counts": json.loads(counts) if counts else {},
                    "undone_at": undone_at, "undone_by": undone_by})
    return out


def files_of(con, batch_id: int) -> list[dict]:
    rows = con.execute("SELECT file_no, file_name, sha256, size_bytes, format, encoding, report_json "
                       "FROM import_files WHERE change_id = ? ORDER BY file_no", [batch_id]).fetchall()
    return [{"file_no": r[0], "file_name": r[1], "sha256": r[2], "size_bytes": r[3], "format": r[4],
             "encoding": r[5], "report": json.loads(r[6]) if r[6] else {}} for r in rows]


def undo(con, batch_id: int, actor: str) -> int:
    row = con.execute("SELECT kind FROM changes WHERE change_id = ?", [batch_id]).fetchone()
    if row is None:
        raise NotAnImport(f"找不到编号为 {batch_id} 的导入批次。")
    if row[0] != "import":
        raise NotAnImport(f"编号为 {batch_id} 的操作不是导入批次，不能在此撤销。")
    return changes.undo_change(con, batch_id, actor)
