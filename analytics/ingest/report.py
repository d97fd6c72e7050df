"""What a person takes away from an import: the problems as a table, the rejected rows as a spreadsheet with a
问题说明 column (fix and upload again), and the column-mapping table shown for correction."""
from __future__ import annotations

import datetime as dt
import io

import pandas as pd

from analytics.ingest.headers import FIELDS, SHEET_KINDS, column_letter, field_label
from analytics.ingest.normalize import display
from analytics.ingest.plan import FilePlan, SheetPlan

SEVERITY = {"error": "错误（该行不导入）", "warning": "提示（照常导入）"}
NOT_IMPORTED = "（不导入）"


def problems_frame(s: SheetPlan, mask=None) -> pd.DataFrame:
    """One line per problem; `mask(field, value)` may hide personal data for viewers."""
    rows = [{"行号": p.row, "列": p.column, "内容": display(mask(p.field, p.value) if mask else p.value),
             "类别": SEVERITY[p.severity], "说明": p.message} for p in s.problems]
    return pd.DataFrame(rows, columns=["行号", "列", "内容", "类别", "说明"])


def mapping_frame(s: SheetPlan) -> pd.DataFrame:
    """列 / 表头 / 对应字段 for each non-empty header column (the user may change 对应字段)."""
    kind = s.kind or s.guess.kind
    rows = []
    for c, h in enumerate(s.guess.headers):
        if not h and c not in s.guess.mapping:
            continue
        f = s.guess.mapping.get(c)
        rows.append({"列": _col_letter(c), "表头": h, "对应字段": option_label(kind, f) if f and kind else NOT_IMPORTED})
    return pd.DataFrame(rows, columns=["列", "表头", "对应字段"])


def option_label(kind: str, f: str) -> str:
    """A field as the 对应字段 column shows it: its label, with （必填） for a required field (as in the options)."""
    for name, req, label, _ in FIELDS[kind]:
        if name == f:
            return label + ("（必填）" if req else "")
    return field_label(kind, f)


def field_options(kind: str) -> list[str]:
    return [NOT_IMPORTED] + [option_label(kind, f) for f, _, _, _ in FIELDS[kind]]


def mapping_from_frame(kind: str, s: SheetPlan, frame: pd.DataFrame) -> dict[int, str]:
    by_label = {label: f for f, _, label, _ in FIELDS[kind]}
    by_label.update({label + "（必填）": f for f, req, label, _ in FIELDS[kind] if req})
    letters = {_col_letter(c): c for c in range(len(s.guess.headers))}
    out, seen = {}, set()
    for _, row in frame.iterrows():
        f = by_label.get(str(row["对应字段"]))
        c = letters.get(str(row["列"]))
        if f and c is not None and f not in seen:
            out[c] = f
            seen.add(f)
    return out


_col_letter = column_letter


def rejected_xlsx(files: list[FilePlan]) -> bytes | None:
    """The rows with errors, as they were in the file (same headers), plus 问题说明; None when there are none."""
    buf = io.BytesIO()
    written = 0
    with pd.ExcelWriter(buf, engine="xlsxwriter",
                        engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_numbers": False,
                                                   "strings_to_urls": False}}) as xw:
        used = set()
        for f in files:
            for s in f.imported:
                bad = s.clean[s.clean["_error"]] if s.clean is not None else None
                if bad is None or bad.empty:
                    continue
                reasons: dict[int, list[str]] = {}
                for p in s.problems:
                    if p.severity == "error":
                        reasons.setdefault(p.row, []).append(f"{p.column}：{p.message}")
                headers = [h or f"第{i + 1}列" for i, h in enumerate(s.guess.headers)]
                data = []
                for r in bad["_row"]:
                    cells = list(s.raw.rows[int(r) - 1]) if int(r) - 1 < len(s.raw.rows) else []
                    cells = (cells + [None] * len(headers))[:len(headers)]
                    data.append([r, *[_cell(v) for v in cells], "；".join(reasons.get(int(r), []))])
                frame = pd.DataFrame(data, columns=["原行号", *_unique(headers), "问题说明"])
                name = _sheet_name(f"{s.sheet}", used)
                frame.to_excel(xw, sheet_name=name, index=False)
                ws = xw.sheets[name]
                ws.set_column(1, len(headers), 14)
                ws.set_column(len(headers) + 1, len(headers) + 1, 60)
                written += 1
    return buf.getvalue() if written else None


def _cell(v):
    if v is None or v == "":
        return None
    if isinstance(v, dt.datetime):
        return v.date() if v.time() == dt.time() else v
    return v


def _unique(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for h in headers:
        n = seen.get(h, 0)
        seen[h] = n + 1
        out.append(h if n == 0 else f"{h}_{n + 1}")
    return out


def _sheet_name(name: str, used: set) -> str:
    base = "".join(ch for ch in name if ch not in "[]:*?/\\")[:28] or "Sheet"
    out, i = base, 2
    while out in used:
        out, i = f"{base}_{i}", i + 1
    used.add(out)
    return out


def kind_label(kind: str | None) -> str:
    return SHEET_KINDS.get(kind, "未识别") if kind else "未识别"
