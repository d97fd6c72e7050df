"""python -m analytics users add NAME --role 查看|录入|管理 [--name 姓名] | list | passwd NAME | disable NAME |
enable NAME | unlock NAME   [--db PATH]

Passwords are read from $YIYONG_NEW_PASSWORD, else from the first line of standard input (never from the
command line, where other users could see them). Exit 2 with one Chinese sentence on bad input.
"""
from __future__ import annotations

import getpass
import os
import sys

from analytics import accounts, store
from analytics.accounts import ROLE_LABELS, AccountError
from analytics.cli import UsageError

PASSWORD_ENV = "YIYONG_NEW_PASSWORD"
ACTOR = "命令行"


def register(sub, db_parent) -> None:
    p = sub.add_parser("users", help="管理登录账号（新增、列出、重置密码、停用、启用、解锁）")
    ops = p.add_subparsers(dest="op", metavar="操作")
    add = ops.add_parser("add", parents=[db_parent], help="新增账号（密码取自环境变量 YIYONG_NEW_PASSWORD 或标准输入）")
    add.add_argument("username", metavar="NAME", help="用户名")
    add.add_argument("--role", required=True, metavar="ROLE", help="角色：查看/录入/管理（或 viewer/editor/admin）")
    add.add_argument("--name", default=None, metavar="姓名", help="显示的姓名（可选）")
    add.set_defaults(func=run_add)
    ls = ops.add_parser("list", parents=[db_parent], help="列出全部账号")
    ls.set_defaults(func=run_list)
    for op, help_text in (("passwd", "重置密码（新密码取自环境变量 YIYONG_NEW_PASSWORD 或标准输入）"),
                          ("disable", "停用账号"), ("enable", "启用账号"), ("unlock", "解除登录锁定")):
        q = ops.add_parser(op, parents=[db_parent], help=help_text)
        q.add_argument("username", metavar="NAME", help="用户名")
        q.set_defaults(func=run_op)
    p.set_defaults(func=lambda args: p.print_help() or 2)


def _password() -> str:
    pw = os.environ.get(PASSWORD_ENV)
    if pw:
        return pw
    if sys.stdin is not None and sys.stdin.isatty():
        pw = getpass.getpass("请输入密码：")
        if getpass.getpass("请再次输入密码：") != pw:
            raise UsageError("两次输入的密码不一致。")
        return pw
    line = sys.stdin.readline() if sys.stdin is not None else ""
    pw = line.rstrip("\r\n")
    if not pw:
        raise UsageError(f"未提供密码：请设置环境变量 {PASSWORD_ENV}，或从标准输入提供密码。")
    return pw


def run_add(args) -> int:
    con = store.connect(args.db)
    try:
        user = accounts.create_user(con, args.username, _password(), args.role, actor=ACTOR, display_name=args.name)
    except AccountError as exc:
        raise UsageError(str(exc)) from None
    finally:
        con.close()
    print(f"已新增账号 {user.username}（角色：{user.role_label}）。")
    return 0


def run_list(args) -> int:
    con = store.connect_for_reading(args.db)
    try:
        users, locked = accounts.list_users(con), accounts.locked_names(con)
    finally:
        con.close()
    if not users:
        print("暂无账号。请用 users add NAME --role 管理 新增管理员账号（由 init 新建的数据库也可在首次打开看板时设置）。")
        return 0
    for u in users:
        state = "已锁定" if u.username in locked else ("正常" if u.active else "已停用")
        last = f"{u.last_login_at:%Y-%m-%d %H:%M}" if u.last_login_at else "从未登录"
        print(f"{u.username}\t{ROLE_LABELS.get(u.role, u.role)}\t{u.display_name or ''}\t{state}\t最近登录：{last}")
    return 0


def run_op(args) -> int:
    con = store.connect(args.db)
    try:
        if accounts.get_user(con, args.username) is None:
            raise UsageError(f"账号“{args.username}”不存在。")
        if args.op == "passwd":
            accounts.set_password(con, args.username, _password(), actor=ACTOR)
            done = "密码已重置"
        elif args.op == "disable":
            accounts.set_active(con, args.username, False, actor=ACTOR)
            done = "已停用"
        elif args.op == "enable":
            accounts.set_active(con, args.username, True, actor=ACTOR)
            done = "已启用"
        else:
            accounts.unlock(con, args.username, actor=ACTOR)
            done = "已解除登录锁定"
    except AccountError as exc:
        raise UsageError(str(exc)) from None
    finally:
        con.close()
    print(f"账号 {args.username}：{done}。")
    return 0
