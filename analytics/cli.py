"""`python -m analytics <command>`: every module in analytics/commands/ adds its own subcommand.

Exit codes: 0 success; 1 row errors in an import (nothing committed); 2 bad input (an unreadable file,
an unknown county, a malformed date or option) with one Chinese sentence on stderr.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib
import pkgutil
import sys
from pathlib import Path

from analytics import reference
from analytics.store import StoreError

_MESSAGES = [
    ("the following arguments are required: ", "缺少必填参数："),
    ("unrecognized arguments: ", "无法识别的参数："),
    ("invalid choice: ", "无效的选项："),
    ("expected one argument", "需要一个参数值"),
    ("argument ", "参数 "),
    ("invalid int value: ", "不是整数："),
    ("choose from ", "可选："),
]


class UsageError(Exception):
    """Bad command-line input: exit 2 with this Chinese sentence."""


class ChineseArgumentParser(argparse.ArgumentParser):
    def error(self, message: str):  # noqa: D401 - argparse API
        for en, zh in _MESSAGES:
            message = message.replace(en, zh)
        self.print_usage(sys.stderr)
        self.exit(2, f"错误：{message}\n")


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”格式不正确，应为 YYYY-MM-DD，例如 2024-07-31") from None


def _os_reason(exc: OSError) -> str:
    import errno

    return {errno.ENAMETOOLONG: "路径过长", errno.ENOENT: "路径不存在", errno.EACCES: "没有访问权限",
            errno.EROFS: "磁盘只读", errno.ENOSPC: "磁盘空间不足"}.get(exc.errno, "系统拒绝访问")


def shorten(text: str, limit: int = 30) -> str:
    """User input echoed in a message, cut to a readable length."""
    text = str(text)
    return text if len(text) <= limit else text[:limit] + "…"


def county_arg(text: str | None) -> str | None:
    """Full county name for a user's spelling; UsageError for a name that is not a Liaocheng county."""
    if text is None:
        return None
    name = reference.resolve_county(text)
    if name is None:
        raise UsageError(f"“{shorten(text)}”不是聊城市的县市区，可用：{'、'.join(reference.county_names())}。")
    return name


def not_before_foundation(day, what: str) -> None:
    """UsageError for a date before the foundation existed (nothing to count then)."""
    from analytics import numbers
    if day < reference.FOUNDATION_DATE:
        raise UsageError(f"{what}{numbers.date(day)}早于聊城市见义勇为基金会成立日期"
                         f"（{numbers.date(reference.FOUNDATION_DATE)}），请重新指定。")


def output_format(fmt: str | None, output: str | None, by_suffix: dict[str, str]) -> str:
    """--format as given, else from the -o file's suffix, else text."""
    if fmt is not None:
        return fmt
    return by_suffix.get(Path(output).suffix.lower(), "text") if output else "text"


def write_output(out: Path, data: bytes) -> int:
    """Write a command's file, say where it went; UsageError when it cannot be written."""
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise UsageError(f"无法写入文件“{out}”：{exc.strerror or exc}。") from None
    print(f"已生成：{out}")
    return 0


def open_for_reading(db: str | None):
    """The database for a reading command; UsageError for an unusable --db value."""
    from analytics import store
    if db is not None and ("\x00" in db or not db.strip()):
        raise UsageError("数据库文件路径无效，请检查 --db 参数。")
    try:
        return store.connect_for_reading(db)
    except (OSError, ValueError) as exc:       # a path too long, or with a NUL byte
        raise UsageError(f"无法打开数据库文件：{type(exc).__name__}。请检查 --db 参数。") from None


def db_parent() -> argparse.ArgumentParser:
    p = ChineseArgumentParser(add_help=False)
    p.add_argument("--db", metavar="PATH", help="数据库文件（默认 $YIYONG_DB 或 data/yiyong.duckdb）")
    return p


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(prog="python -m analytics", description="聊城市见义勇为数据分析系统 命令行工具")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=ChineseArgumentParser)
    import analytics.commands as pkg

    for mod in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"analytics.commands.{mod.name}")
        module.register(sub, db_parent())
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except (UsageError, StoreError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a path that cannot exist (too long, NUL byte, no permission …)
        print(f"错误：无法访问所给的文件或路径（{_os_reason(exc)}），请检查路径后重试。", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
