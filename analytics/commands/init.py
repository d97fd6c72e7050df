"""python -m analytics init [--db PATH]: a new, empty database (schema and reference data, no people).

The first administrator comes from $YIYONG_ADMIN_PASSWORD (user $YIYONG_ADMIN_USER, default admin), else is
asked for at the terminal; without either (an unattended run, or an empty answer) the database remembers that
the app's first start may set the administrator (the only case in which the app shows that form).
A path that already exists is refused: `init` never touches an existing database.
"""
from __future__ import annotations

import getpass
import sys
from pathlib import Path

from analytics import accounts, store
from analytics.accounts import AccountError
from analytics.cli import UsageError


def register(sub, db_parent) -> None:
    p = sub.add_parser("init", parents=[db_parent],
                       help="新建空数据库（数据结构和基础数据，无人员数据），并设置第一个管理员账号")
    p.set_defaults(func=run)


def _ask_admin() -> tuple[str, str] | None:
    """(user, password) from the environment or the terminal; None to leave it to the app's first start."""
    import os

    password = os.environ.get(accounts.ADMIN_PASSWORD_ENV)
    if password:
        return os.environ.get(accounts.ADMIN_USER_ENV) or "admin", password
    if sys.stdin is None or not sys.stdin.isatty():
        return None
    name = input("第一个管理员的用户名（直接回车即为 admin）：").strip() or "admin"
    password = getpass.getpass("管理员密码（直接回车则在首次打开看板时设置）：")
    if not password:
        return None
    if getpass.getpass("请再次输入密码：") != password:
        raise UsageError("两次输入的密码不一致，未创建数据库。")
    return name, password


def run(args) -> int:
    db = store.resolve_db_path(args.db)
    if db.exists() or Path(str(db) + ".wal").exists():
        raise UsageError(f"数据库文件“{db}”已存在，未作任何改动。如需新建，请换一个路径。")
    admin = _ask_admin()
    if admin:
        try:
            accounts.check_username(admin[0])
            accounts.check_password(admin[1], admin[0])
        except AccountError as exc:
            raise UsageError(f"管理员账号不符合要求：{exc}未创建数据库。") from None
    con = store.connect(db, create=True)
    try:
        if admin:
            accounts.create_first_admin(con, admin[0], admin[1], actor="命令行")
        else:
            accounts.await_first_admin(con, actor="命令行")
        version = store.schema_version(con)
    except BaseException:
        con.close()
        for leftover in (db, Path(str(db) + ".wal")):
            leftover.unlink(missing_ok=True)
        raise
    con.close()
    print(f"已新建空数据库：{db}（数据结构版本 {version}，含县市区、镇街等基础数据，无人员数据）。")
    if admin:
        print(f"已设置系统管理员账号 {admin[0]}。启动看板后即可用该账号登录。")
    else:
        print("尚未设置管理员账号：首次打开看板时，页面会请您设置系统管理员的用户名和密码。")
    return 0
