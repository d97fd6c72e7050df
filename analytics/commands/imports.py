"""python -m analytics import FILE... [--db PATH] [--dry-run] [--accept-valid] [--json]
python -m analytics history [--db PATH]
python -m analytics undo BATCH_ID [--db PATH]

Exit codes (a contract): 0 committed (dry run: would commit) with no row errors, or --accept-valid;
1 row errors without --accept-valid (nothing committed); 2 a file unreadable, encrypted, empty, too large or of
no known kind (nothing committed from any file), with one Chinese sentence on stderr.
"""
from __future__ import annotations

import getpass
import json
import sys

from analytics import changes, store
from analytics.cli import UsageError
from analytics.values import CONTROL_CHARS, printable


def _say(text: str = "", *, file=None) -> None:
    """Print a line built from file contents: control characters (ESC sequences, bidirectional overrides) are
    shown as escapes, never sent raw to the terminal."""
    print(printable(text), file=file or sys.stdout)


def _json(obj) -> str:
    """JSON with Chinese as is, and every control character as a \\u escape (json escapes only C0 by itself)."""
    text = json.dumps(obj, ensure_ascii=False, default=str)
    return CONTROL_CHARS.sub(lambda m: "\\u%04x" % ord(m.group(0)), text)


def register(sub, db_parent) -> None:
    p = sub.add_parser("import", parents=[db_parent], help="导入表格文件（登记表、活动台账、帮扶记录、站室名录）")
    p.add_argument("files", nargs="+", metavar="FILE", help="一个或多个 .xlsx/.xls/.ods/.csv/.tsv 文件")
    p.add_argument("--dry-run", action="store_true", help="只检查并统计，不写入数据库")
    p.add_argument("--accept-valid", action="store_true", help="有问题的行不导入，其余行照常导入")
    p.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    p.add_argument("--user", default=None, metavar="NAME", help="记录的操作人（默认当前系统用户）")
    p.set_defaults(func=run_import)
    h = sub.add_parser("history", parents=[db_parent], help="列出导入记录")
    h.add_argument("--json", action="store_true", help="以 JSON 输出")
    h.set_defaults(func=run_history)
    u = sub.add_parser("undo", parents=[db_parent], help="撤销一次导入（整批）")
    u.add_argument("batch_id", metavar="BATCH_ID", help="导入批次编号（见 history）")
    u.add_argument("--user", default=None, metavar="NAME", help="记录的操作人")
    u.set_defaults(func=run_undo)


def _actor(args) -> str:
    if args.user:
        return args.user
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some containers
        return "命令行"


def run_import(args) -> int:
    from analytics.ingest.plan import import_paths

    con = store.connect(args.db)
    try:
        result = import_paths(con, args.files, _actor(args), commit=not args.dry_run,
                              accept_valid=args.accept_valid)
    finally:
        con.close()
    if result.file_errors:
        for msg in result.file_errors:
            _say(f"错误：{msg}", file=sys.stderr)
        if args.json:
            print(_json({"committed": False, "batch_id": None, "files": [], "errors": result.file_errors}))
        return 2
    report = result.report()
    if args.json:
        print(_json(report))
    else:
        _print_text(result, args)
    if result.row_errors and not args.accept_valid:
        if not args.json:
            _say(f"共有 {result.row_errors} 处错误，本次未写入任何数据。请修改后重新导入，"
                  "或加 --accept-valid 只导入无误的行。", file=sys.stderr)
        return 1
    return 0


def _print_text(result, args) -> None:
    for f in result.files:
        _say(f"文件：{f.name}（SHA-256 {f.sha256[:16]}…）")
        for s in f.sheets:
            if s.skipped:
                _say(f"  工作表“{s.sheet}”：{s.skipped}")
                continue
            _say(f"  工作表“{s.sheet}”：{_kind(s.kind)}，表头在第 {s.guess.header_row} 行，读取 {s.rows} 行；"
                  f"新增 {s.counts['new']}，更新 {s.counts['updated']}，未变 {s.counts['unchanged']}，"
                  f"未导入 {s.rejected}")
            for warning in s.warnings:
                _say(f"    注意：{warning}")
            for note in s.notes:
                _say(f"    说明：{note}")
            for p in s.problems[:200]:
                _say(f"    {'错误' if p.severity == 'error' else '提示'}：{p.text()}")
            if len(s.problems) > 200:
                _say(f"    ……另有 {len(s.problems) - 200} 条问题未列出（可用 --json 查看全部）")
    t = result.totals()
    if result.committed:
        _say(f"已导入，批次编号 {result.batch_id}：新增 {t['new']}，更新 {t['updated']}，未变 {t['unchanged']}，"
              f"未导入 {t['rejected']} 行。")
    elif args.dry_run and not (result.row_errors and not args.accept_valid):
        _say(f"试运行（未写入）：将新增 {t['new']}，更新 {t['updated']}，未变 {t['unchanged']}，未导入 {t['rejected']} 行。")


def _kind(kind: str) -> str:
    from analytics.ingest.headers import SHEET_KINDS

    return SHEET_KINDS.get(kind, kind)


def run_history(args) -> int:
    from analytics.ingest import history

    con = store.connect(args.db)
    try:
        rows = history.imports(con)
    finally:
        con.close()
    if args.json:
        print(_json(rows))
        return 0
    if not rows:
        _say("暂无导入记录。")
        return 0
    for r in rows:
        c = r["counts"] or {}
        state = f"（已于 {r['undone_at']:%Y-%m-%d %H:%M} 由 {r['undone_by']} 撤销）" if r["undone_at"] else ""
        _say(f"批次 {r['batch_id']}  {r['created_at']:%Y-%m-%d %H:%M}  {r['actor']}  {r['file_names']}{state}")
        _say(f"    SHA-256 {r['sha256']}")
        _say(f"    新增 {c.get('new', 0)}，更新 {c.get('updated', 0)}，未变 {c.get('unchanged', 0)}，"
              f"未导入 {c.get('rejected', 0)} 行")
    return 0


def run_undo(args) -> int:
    from analytics.ingest import history

    try:
        batch = int(str(args.batch_id).strip())
    except ValueError:
        raise UsageError(f"批次编号“{printable(args.batch_id)}”应为整数（见 python -m analytics history）。") from None
    user = args.user or _actor(args)
    con = store.connect(args.db)
    try:
        try:
            undo_id = history.undo(con, batch, user)
        except (changes.UndoError, history.NotAnImport) as exc:
            raise UsageError(printable(str(exc))) from None
    finally:
        con.close()
    _say(f"已撤销导入批次 {batch}（撤销记录编号 {undo_id}）。")
    return 0
