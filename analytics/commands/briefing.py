"""python -m analytics briefing --from DATE --to DATE [--db PATH] [--county NAME] [--format docx|text] [-o FILE]

The 见义勇为工作简报 for a period (a month, a quarter, a year or any range). text (default without -o): on
stdout. docx: written to FILE, or without -o to 见义勇为工作简报[_县市区简称]_<期间>.docx in the current
directory; the path written is printed. Without --format, a FILE ending in .docx/.txt chooses the format.
Exit 2 with one Chinese sentence on stderr for an unknown county, a malformed date, a start after the end,
a date before the foundation, or a file that cannot be written.
"""
from __future__ import annotations

import sys
from pathlib import Path

from analytics import numbers
from analytics.cli import (UsageError, county_arg, not_before_foundation, open_for_reading, output_format,
                           parse_date, write_output)
from analytics.press.briefing import build_briefing, render_text

FORMATS = ("text", "docx")
SUFFIX_FORMAT = {".txt": "text", ".docx": "docx"}


def register(sub, db_parent) -> None:
    p = sub.add_parser("briefing", parents=[db_parent], help="生成一个时期（月、季度、年）的见义勇为工作简报")
    p.add_argument("--from", dest="date_from", type=parse_date, required=True, metavar="DATE",
                   help="统计期间起始日期 YYYY-MM-DD（含当日）")
    p.add_argument("--to", dest="date_to", type=parse_date, required=True, metavar="DATE",
                   help="统计期间截止日期 YYYY-MM-DD（含当日）")
    p.add_argument("--county", default=None, metavar="NAME", help="只统计一个县市区（全称或简称；默认全市）")
    p.add_argument("--format", choices=FORMATS, default=None, help="输出格式：text 文字（默认，输出到屏幕）、docx")
    p.add_argument("-o", "--output", default=None, metavar="FILE", help="输出文件；docx 未指定时在当前目录按默认文件名生成")
    p.set_defaults(func=run)


def run(args) -> int:
    county = county_arg(args.county)
    start, end = args.date_from, args.date_to
    if start > end:
        raise UsageError(f"起始日期{numbers.date(start)}晚于截止日期{numbers.date(end)}，请重新指定统计期间。")
    not_before_foundation(start, "起始日期")
    fmt = output_format(args.format, args.output, SUFFIX_FORMAT)
    con = open_for_reading(args.db)
    try:
        b = build_briefing(con, start, end, county)
    finally:
        con.close()
    if fmt == "text" and not args.output:
        sys.stdout.write(render_text(b))
        return 0
    out = Path(args.output) if args.output else Path.cwd() / f"{b.file_stem()}.{'txt' if fmt == 'text' else 'docx'}"
    if fmt == "docx":
        from analytics.press.briefing_docx import to_docx
        data = to_docx(b)
    else:
        data = render_text(b).encode("utf-8")
    return write_output(out, data)
