"""python -m analytics backup --to DIR [--keep N] [--db PATH]
   python -m analytics restore FILE [--db PATH]

Exit codes: 0 done; 2 a bad or corrupt snapshot, a snapshot larger than the restore limit (its declared
uncompressed size over YIYONG_RESTORE_MAX_MB, default the larger of 2 GB and 10 x the live database; checked
before anything is hashed or written), an unusable directory, or the database in use by another program (one
Chinese sentence on stderr; the database is untouched). A restore first removes the work folders of restores
that were killed midway.
"""
from __future__ import annotations

from pathlib import Path

from analytics import backup, store
from analytics.cli import UsageError


def register(sub, db_parent) -> None:
    p = sub.add_parser("backup", parents=[db_parent], help="备份数据库（生成带校验的ZIP快照，可用于定时任务）")
    p.add_argument("--to", required=True, metavar="DIR", help="备份文件存放目录")
    p.add_argument("--keep", type=int, default=None, metavar="N", help="只保留该目录中最近的 N 份备份")
    p.set_defaults(func=run_backup)
    r = sub.add_parser("restore", parents=[db_parent], help="从备份文件恢复数据库（先校验，再整体替换）")
    r.add_argument("file", metavar="FILE", help="备份文件（yiyong-backup-*.zip）")
    r.set_defaults(func=run_restore)


def run_backup(args) -> int:
    db = store.resolve_db_path(args.db)
    if not store.is_server(db) and not db.exists():
        raise UsageError(f"数据库文件 {db} 不存在，无需备份。")
    con = store.connect(db)
    try:
        path, manifest, deleted = backup.backup_to_dir(con, args.to, args.keep)
    except backup.BackupError as exc:
        raise UsageError(str(exc)) from None
    finally:
        con.close()
    rows = sum(manifest["tables"].values())
    print(f"备份完成：{path}（{path.stat().st_size / 1024:.0f} KB，{len(manifest['tables'])} 张数据表，共 {rows} 行）")
    if deleted:
        print(f"已按 --keep {args.keep} 删除较早的备份 {len(deleted)} 份：{'、'.join(p.name for p in deleted)}")
    return 0


def run_restore(args) -> int:
    file = Path(args.file)
    try:
        manifest = backup.restore(file, args.db, actor="命令行")
    except backup.BackupError as exc:
        raise UsageError(f"{exc}数据库未作任何改动。") from None
    db = store.resolve_db_path(args.db)
    if store.is_server(db):
        from analytics.transfer import describe
        print(f"已从 {file.name} 恢复数据库 {describe(db)}（备份时间 {manifest['created_at'].replace('T', ' ')}，"
              f"共 {sum(manifest['tables'].values())} 行）。")
        return 0
    print(f"已从 {file.name} 恢复数据库 {db}（备份时间 {manifest['created_at'].replace('T', ' ')}，"
          f"共 {sum(manifest['tables'].values())} 行）。原数据库已另存为 {db.name}.before-restore。")
    return 0
