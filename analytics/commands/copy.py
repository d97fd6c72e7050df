"""python -m analytics copy --from SOURCE --to TARGET [--force] [--json]

Each side is a database file path or a PostgreSQL URL (postgresql://user:password@host:port/dbname).
Exit codes: 0 copied and checked; 2 refused (the target holds people and no --force, a missing source, an
unreachable server, a check that failed) with one Chinese sentence on stderr.
"""
from __future__ import annotations

import json

from analytics import transfer
from analytics.cli import UsageError


def register(sub, db_parent) -> None:
    p = sub.add_parser("copy", help="在数据库文件与数据库服务器（PostgreSQL）之间整体复制数据库，并核对结果")
    p.add_argument("--from", dest="source", required=True, metavar="SOURCE", help="源数据库：文件路径或 postgresql:// 地址")
    p.add_argument("--to", dest="target", required=True, metavar="TARGET", help="目标数据库：文件路径或 postgresql:// 地址")
    p.add_argument("--force", action="store_true", help="目标数据库已有人员数据时仍整体覆盖")
    p.add_argument("--json", action="store_true", help="以 JSON 输出核对结果")
    p.set_defaults(func=run)


def run(args) -> int:
    try:
        report = transfer.copy_database(args.source, args.target, force=args.force)
    except transfer.TransferError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
        return 0
    rows = sum(report["tables"].values())
    print(f"已将 {transfer.describe(args.source)} 复制到 {transfer.describe(args.target)}："
          f"{len(report['tables'])} 张数据表共 {rows} 行，各表行数一致；"
          f"截至 {'、'.join(report['dates'])} 的关键数据一致（用时 {report['seconds']:.1f} 秒）。")
    return 0
