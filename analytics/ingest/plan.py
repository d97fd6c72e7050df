"""The whole import of a set of files: read and check every file, find each sheet's kind and header, normalize,
then write all accepted rows in ONE transaction (or roll it back for a preview / dry run).

    files = [analyze_file(name, data) for name, data in uploads]       # no database needed
    result = run(con, files, actor="张三", commit=True, accept_valid=False)

A file-level problem (unreadable, encrypted, empty, too large, no known sheet) is `FilePlan.error`; `run`
refuses to write anything while any file has one.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field

import pandas as pd

from analytics import store
from analytics.ingest import ImportFileError, apply
from analytics.ingest.footer import note as footer_note
from analytics.ingest.headers import HeaderGuess, column_letter, detect, normalize_header, remap
from analytics.ingest.limits import Limits
from analytics.ingest.normalize import Problem, SheetData, concat, extract, normalize
from analytics.ingest.read import RawFile, RawSheet, read_bytes

HEADER_ONLY = "只有表头，没有数据行"
EMPTY_SHEET = "是空工作表"
ROW_NUMBER_HEADERS = {"序号", "编号", "排序", "行号", "No", "NO", "no", "序"}
ORDER = ["registry", "directory", "activities", "assistance"]   # assistance needs this batch's people


@dataclass
class SheetPlan:
    sheet: str
    raw: RawSheet
    guess: HeaderGuess
    kind: str | None = None
    data: SheetData | None = None
    clean: pd.DataFrame | None = None
    problems: list[Problem] = field(default_factory=list)
    skipped: str | None = None               # why the sheet is not imported
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)   # shown as warnings (a column not imported …)
    counts: dict = field(default_factory=lambda: {"new": 0, "updated": 0, "unchanged": 0})

    @property
    def rows(self) -> int:
        return 0 if self.clean is None else len(self.clean)

    @property
    def rejected(self) -> int:
        return 0 if self.clean is None else int(self.clean["_error"].sum())

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")

    def report(self) -> dict:
        return {"sheet": self.sheet, "kind": self.kind, "header_row": self.guess.header_row, "rows": self.rows,
                "new": self.counts["new"], "updated": self.counts["updated"],
                "unchanged": self.counts["unchanged"], "rejected": self.rejected,
                "problems": [p.as_dict() for p in self.problems], "warnings": list(self.warnings),
                "notes": list(self.notes)}


@dataclass
class FilePlan:
    name: str
    data_size: int = 0
    raw: RawFile | None = None
    error: str | None = None
    sheets: list[SheetPlan] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return self.raw.sha256 if self.raw else ""

    @property
    def imported(self) -> list[SheetPlan]:
        return [s for s in self.sheets if s.kind and not s.skipped]

    def report(self) -> dict:
        return {"file": self.name, "sheets": [s.report() for s in self.imported],
                "skipped": [{"sheet": s.sheet, "reason": s.skipped} for s in self.sheets if s.skipped]}


UNREADABLE = "文件“{}”的内容有异常，系统无法读取，请在表格软件中重新另存为 .xlsx 或 CSV 后再导入。"


def analyze_file(name: str, data: bytes, limits: Limits | None = None,
                 overrides: dict | None = None) -> FilePlan:
    """Read, detect and normalize one file. `overrides` maps sheet name → (kind, {column index: field})
    for mappings a person corrected. Whatever the file holds, the answer is a plan: a file that breaks the reader
    in a way not foreseen gets one Chinese sentence (and the cause goes to the log)."""
    try:
        return _analyze_file(name, data, limits, overrides)
    except Exception:  # noqa: BLE001 - an unforeseen file must never surface as a traceback
        import logging

        if logging.getLogger().handlers:   # a configured server log; the command line prints only the sentence
            logging.getLogger(__name__).exception("import: unreadable file %r", name)
        plan = FilePlan(name, len(data))
        plan.error = UNREADABLE.format(name)
        return plan


def _analyze_file(name: str, data: bytes, limits: Limits | None, overrides: dict | None) -> FilePlan:
    plan = FilePlan(name, len(data))
    heads: dict[str, _Head | None] = {}

    failed: set[str] = set()

    def on_part(sheet_name: str, first_row: int, rows: list[list]) -> None:   # while the rest is still read
        if first_row < 0:                 # the reader fell back to reading the sheet whole
            failed.add(sheet_name)
            heads[sheet_name] = None
        if sheet_name in failed:          # a part was missed: later parts must not be joined to earlier ones
            return
        try:
            _analyze_part(heads, sheet_name, first_row, rows)
        except Exception:
            failed.add(sheet_name)
            heads[sheet_name] = None
            raise

    try:
        plan.raw = read_bytes(name, data, limits, on_part=on_part)
    except ImportFileError as exc:
        plan.error = str(exc)
        return plan
    limits = limits or Limits.from_env()
    total_rows = sum(len(s.rows) for s in plan.raw.sheets)
    if total_rows > limits.max_rows:
        plan.error = f"文件“{name}”共有 {total_rows} 行，超过单次导入上限 {limits.max_rows} 行，请拆分后分批导入。"
        return plan
    for raw in plan.raw.sheets:
        plan.sheets.append(analyze_sheet(raw, (overrides or {}).get(raw.name), heads.get(raw.name)))
    if not plan.imported and any(s.skipped == HEADER_ONLY for s in plan.sheets):
        plan.error = f"文件“{name}”中只有表头，没有数据行。"
    elif not plan.imported:
        reasons = "；".join(f"“{s.sheet}”{s.skipped}" for s in plan.sheets)
        plan.error = (f"文件“{name}”中没有可识别的数据表（{reasons}），请使用本系统提供的模板或检查表头。")
    return plan


@dataclass
class _Head:
    """A sheet's first rows analyzed while the rest of it was still being read (see `analyze_file`)."""
    guess: HeaderGuess
    stop: int                                     # rows[:stop] are done
    parts: list                                   # (SheetData, clean frame, problems) of each part done


def _analyze_part(heads: dict, sheet_name: str, first_row: int, rows: list[list]) -> None:
    """Analyze one part of a big sheet (rows[i] is Excel row first_row+i+1) as it arrives from the reader.
    The first part must hold the header; parts must follow each other (rows between them are blank). Anything
    unexpected leaves None, and the sheet is analyzed whole afterwards."""
    head = heads.get(sheet_name)
    heads[sheet_name] = None
    if first_row == 0:
        guess = detect(rows, [])
        if guess.kind is None or guess.missing_required or guess.header_row >= len(rows):
            return
        head = _Head(guess, guess.header_row, [])
    elif head is None or first_row < head.stop:
        return
    data = extract(RawSheet(sheet_name, rows, []), head.guess, offset=first_row)
    head.parts.append((data, *normalize(head.guess.kind, data)))
    head.stop = first_row + len(rows)
    heads[sheet_name] = head


def analyze_sheet(raw: RawSheet, override: tuple[str, dict] | None = None, head: _Head | None = None) -> SheetPlan:
    guess = detect(raw.rows, raw.merged)
    if head is not None and (override or head.guess != guess):
        head = None                               # the whole sheet tells otherwise: analyze it from the top
    sp = SheetPlan(raw.name, raw, guess)
    if override:
        kind, mapping = override
        if kind is None:
            sp.skipped = "已按您的选择不导入"
            return sp
        g = remap(kind, guess.headers, mapping)
        g.header_row, g.header_rows = guess.header_row, guess.header_rows
        if not g.headers:
            sp.skipped = "未找到表头，无法按所选类别导入"
            return sp
        guess = sp.guess = g
    if guess.kind is None:
        if not any(any(v not in (None, "") for v in r) for r in raw.rows):
            sp.skipped = EMPTY_SHEET
        else:
            sp.skipped = "未识别出表头（未找到姓名、县市区、日期等必需列），不是可导入的数据表，已跳过"
        return sp
    if guess.missing_required:
        from analytics.ingest.headers import field_label

        sp.kind = guess.kind
        sp.skipped = "缺少必需的列：" + "、".join(field_label(guess.kind, f) for f in guess.missing_required)
        return sp
    sp.kind = guess.kind
    parts = list(head.parts) if head else []
    data = extract(raw, guess, start=head.stop if head else None)
    if not parts or len(data.raw):
        parts.append((data, *normalize(guess.kind, data)))
    sp.data, sp.clean, sp.problems = concat(parts)
    if guess.kind == "registry" and "registered_on" not in guess.mapping.values():
        sp.notes.append("表中没有“确认时间（登记日期）”列：本次新登记的人员不计入“截至某日登记在册”人数，"
                        "请补充该列后重新导入")
    ignored = [h for h in sp.data.extra if normalize_header(h) in ROW_NUMBER_HEADERS]
    lost = [h for h, n in sp.data.extra.items() if h not in ignored and n]
    if lost:
        sp.warnings.append("以下列不属于本系统字段，其内容未导入：" + "、".join(f"“{h}”" for h in lost)
                           + "。如其中有应导入的内容，请在“列对应关系”中指定对应字段")
    if ignored:
        sp.notes.append("“" + "”“".join(ignored) + "”列为序号，不导入")
    dropped = set(sp.data.footer_rows)
    for c, rws in sorted(sp.data.unnamed.items()):
        left = [r for r in rws if r not in dropped]
        if left:
            shown = "、".join(map(str, left[:5])) + ("等" if len(left) > 5 else "")
            sp.warnings.append(f"第{column_letter(c)}列没有表头，其中第{shown}行的内容未导入。"
                               "如需导入，请补上表头后重新上传")
    hidden = [guess.headers[c] or f"第{c + 1}列" for c in sorted(raw.hidden_cols) if c < len(guess.headers)
              and (guess.headers[c] or c in guess.mapping)]
    if hidden:
        sp.notes.append("以下列在表格中被隐藏，已照常读取：" + "、".join(f"“{h}”" for h in hidden))
    if raw.hidden:
        sp.notes.append("该工作表在表格中被隐藏，已照常读取")
    for c in guess.duplicates:
        sp.warnings.append(f"“{guess.headers[c]}”列与前面的列对应同一字段，该列内容未导入（只读取了前一列）")
    if guess.kind == "registry":
        sp.warnings.extend(_shared_deed_warnings(sp.clean))
    footer = footer_note(sp.data.footer_rows)
    if footer:
        sp.notes.append(footer)
    if sp.rows == 0:
        sp.skipped = HEADER_ONLY
    return sp


def _shared_deed_warnings(clean: pd.DataFrame) -> list[str]:
    """Rows that name one deed (same date, type and place: a deed with several heroes) but describe it in
    different words: every summary is kept in the deed (apply.combined_summaries); say which rows."""
    if clean is None or clean.empty or "deed_summary" not in clean:
        return []
    ok = clean[~clean["_error"] & clean["deed_summary"].notna()]
    if ok.empty:
        return []
    # Rows alone with their date, type and place cannot share a deed (a C-level check before any key is built).
    ok = ok[ok.duplicated(subset=["deed_date", "deed_type", "deed_place"], keep=False).to_numpy()]
    if ok.empty:
        return []
    from analytics import identity

    keys = pd.Series(identity.deed_keys(ok["deed_date"], ok["deed_type"],
                                        [p or s for p, s in zip(ok["deed_place"], ok["deed_summary"])]),
                     index=ok.index, dtype=object)
    shared = keys.duplicated(keep=False).to_numpy()        # only deeds named by several rows are looked at
    if not shared.any():
        return []
    ok, keys = ok[shared], keys[shared]
    groups: dict[str, list] = {}
    for k, row, text in zip(keys, ok["_row"], ok["deed_summary"]):
        groups.setdefault(k, []).append((int(row), text))
    out = []
    for items in groups.values():
        if len({t for _, t in items}) > 1:
            rows = "、".join(str(r) for r, _ in items)
            out.append(f"第{rows}行为同一事迹（事迹时间、地点和类型相同），各行的事迹简介不同，"
                       "已全部保存在该事迹的简介中（每行一段），不会遗漏")
    return out


# ---- running -------------------------------------------------------------------------------------

@dataclass
class ImportResult:
    committed: bool
    batch_id: str | None
    files: list[FilePlan]
    file_errors: list[str]
    row_errors: int
    seconds: float = 0.0

    def report(self) -> dict:
        return {"committed": self.committed, "batch_id": self.batch_id,
                "files": [f.report() for f in self.files if not f.error]}

    def totals(self) -> dict:
        t = {"rows": 0, "new": 0, "updated": 0, "unchanged": 0, "rejected": 0}
        for f in self.files:
            for s in f.imported:
                t["rows"] += s.rows
                t["rejected"] += s.rejected
                for k in ("new", "updated", "unchanged"):
                    t[k] += s.counts[k]
        return t


class _Rollback(Exception):
    pass


def run(con, files: list[FilePlan], actor: str, *, commit: bool = True, accept_valid: bool = False,
        progress=None) -> ImportResult:
    """Write every accepted row of every file in one transaction; roll back on a dry run, or when rows have
    errors and `accept_valid` is not set. `progress(fraction, text)` is called as sheets are written."""
    t0 = time.perf_counter()
    file_errors = [f.error for f in files if f.error]
    if file_errors:
        return ImportResult(False, None, files, file_errors, 0)
    sheets = [(f, s) for kind in ORDER for f in files for s in f.imported if s.kind == kind]
    for _, s in sheets:  # database-revealed problems are recomputed on every run
        s.problems = [p for p in s.problems if not getattr(p, "_db", False)]
        s.clean["_error"] = s.clean["_error_base"] if "_error_base" in s.clean else s.clean["_error"]
        s.clean["_error_base"] = s.clean["_error"].copy()
        s.counts = {"new": 0, "updated": 0, "unchanged": 0}
    names = "；".join(f.name for f in files)
    committed, batch_id = False, None
    try:
        with store.transaction(con) as cur:
            change_id = store.begin_change(cur, "import", actor, f"导入 {names}", file_names=names,
                                           sha256="；".join(f.sha256 for f in files))
            for i, (f, s) in enumerate(sheets):
                if progress:
                    progress(i / max(len(sheets), 1), f"正在写入 {f.name} · {s.sheet}")
                _apply_sheet(cur, change_id, actor, s)
            row_errors = sum(s.errors for _, s in sheets)
            totals = _totals(sheets)
            if not commit or (row_errors and not accept_valid):
                raise _Rollback()
            cur.execute("UPDATE changes SET counts_json = ?, summary = ? WHERE change_id = ?",
                        [json.dumps(totals, ensure_ascii=False), _summary(names, totals), change_id])
            for no, f in enumerate(files, 1):
                cur.execute("INSERT INTO import_files VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            [change_id, no, f.name, f.sha256, f.data_size, f.raw.format, f.raw.encoding,
                             json.dumps(f.report(), ensure_ascii=False)])
            _test_pause()
            committed, batch_id = True, str(change_id)
    except _Rollback:
        pass
    if progress:
        progress(1.0, "完成")
    return ImportResult(committed, batch_id, files, [], sum(s.errors for _, s in sheets), time.perf_counter() - t0)


def _apply_sheet(cur, change_id: int, actor: str, s: SheetPlan) -> None:
    df = s.clean
    if s.kind == "assistance":
        ok = df[~df["_error"]]
        hero, probs = apply.match_assistance(cur, ok, _labels(s))
        for p in probs:
            p._db = True
        s.problems = sorted(s.problems + probs, key=lambda p: (p.row, p.severity != "error"))
        bad_rows = {p.row for p in probs if p.severity == "error"}
        df["_error"] = df["_error"] | df["_row"].isin(bad_rows)
        ok = ok.assign(hero_id=hero)
        ok = ok[ok["hero_id"].notna()]
        s.counts = apply.assistance(cur, change_id, actor, ok)
    elif s.kind == "registry":
        s.counts = apply.registry(cur, change_id, actor, df[~df["_error"]])
    elif s.kind == "activities":
        s.counts = apply.activities(cur, change_id, actor, df[~df["_error"]])
    elif s.kind == "directory":
        s.counts, probs = apply.directory(cur, change_id, actor, df[~df["_error"]])
        for p in probs:
            p._db = True
        s.problems = sorted(s.problems + probs, key=lambda p: (p.row, p.severity != "error"))


def _labels(s: SheetPlan) -> dict:
    return s.data.labels if s.data else {}


def _totals(sheets) -> dict:
    t = {"new": 0, "updated": 0, "unchanged": 0, "rejected": 0}
    for _, s in sheets:
        for k in ("new", "updated", "unchanged"):
            t[k] += s.counts[k]
        t["rejected"] += s.rejected
    return t


def _summary(names: str, t: dict) -> str:
    return (f"导入 {names}：新增 {t['new']} 条，更新 {t['updated']} 条，未变 {t['unchanged']} 条，"
            f"未导入 {t['rejected']} 行")


def _test_pause() -> None:
    """Test hook (atomicity test): with $YIYONG_IMPORT_TEST_PAUSE set to a path, write that file once every
    row is written but before COMMIT, then wait — so a test can SIGKILL the process mid-commit."""
    path = os.environ.get("YIYONG_IMPORT_TEST_PAUSE")
    if path:
        with open(path, "w") as fh:
            fh.write("writing")
        time.sleep(60)


def import_paths(con, paths: list[str], actor: str, **kwargs) -> ImportResult:
    """Convenience for the command line and tests: analyze files from disk, then run."""
    plans = []
    for p in paths:
        name = os.path.basename(p)
        try:
            with open(p, "rb") as fh:
                data = fh.read()
        except OSError:
            fp = FilePlan(name)
            fp.error = f"无法读取文件“{name}”：文件不存在或没有读取权限。"
            plans.append(fp)
            continue
        plans.append(analyze_file(name, data))
    return run(con, plans, actor, **kwargs)

