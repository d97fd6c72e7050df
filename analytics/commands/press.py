"""python -m analytics press [--db PATH] [--as-of DATE] [--county NAME] [--format text|docx|xlsx|pptx] [-o FILE]

text (default): the statement, then the three tables (tab-separated, pastes into Excel/WPS) and the 数据说明,
on stdout — or into FILE with -o. docx/xlsx/pptx: written to FILE, or without -o to a default name in the
current directory (发布会数据[_县市区简称]_截至YYYYMMDD.docx|xlsx|pptx); the path written is printed.
Without --format, a FILE ending in .docx/.xlsx/.pptx/.txt chooses the format.
Exit 2 with one Chinese sentence on stderr for an unknown county, a malformed date, a date before the
foundation, or a file that cannot be written.
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from analytics.cli import (county_arg, not_before_foundation, open_for_reading, output_format, parse_date,
                           write_output)
from analytics.press.material import Material, build_material
from analytics.press.tables import rows_text

FORMATS = ("text", "docx", "xlsx", "pptx")
SUFFIX_FORMAT = {".txt": "text", ".docx": "docx", ".xlsx": "xlsx", ".pptx": "pptx"}


def register(sub, db_parent) -> None:
    p = sub.add_parser("press", parents=[db_parent], help="生成新闻发布会数据材料（文字稿、Word、Excel、PPT）")
    p.add_argument("--as-of", type=parse_date, default=None, metavar="DATE", help="截至日期 YYYY-MM-DD（默认今天）")
    p.add_argument("--county", default=None, metavar="NAME", help="只统计一个县市区（全称或简称；默认全市）")
    p.add_argument("--format", choices=FORMATS, default=None,
                   help="输出格式：text 文字稿（默认，输出到屏幕）、docx、xlsx、pptx")
    p.add_argument("-o", "--output", default=None, metavar="FILE",
                   help="输出文件；docx/xlsx/pptx 未指定时在当前目录按默认文件名生成")
    p.set_defaults(func=run)


def render_text(m: Material) -> str:
    """The text format: statement paragraph, title and scope, tables (tab-separated, the dashboards' number
    format), 数据说明."""
    lines = [m.statement, "", f"{m.title}（{m.subtitle}）", m.scope_note, ""]
    for t in m.tables:
        lines.append(t.title)
        lines.append("\t".join(t.labels))
        for row in rows_text(t):
            lines.append("\t".join(row))
        lines.append("")
    if m.cases:
        lines.append("典型事迹")
        for i, c in enumerate(m.cases, 1):
            lines.append(f"{i}. {c.name}（{c.county}）：{c.summary}")
        lines.append("")
    lines.append("数据说明")
    lines += [f"{i}. {n}" for i, n in enumerate(m.notes, 1)]
    return "\n".join(lines) + "\n"


def export_bytes(m: Material, fmt: str) -> bytes:
    if fmt == "docx":
        from analytics.press.docx_export import to_docx
        return to_docx(m)
    if fmt == "xlsx":
        from analytics.press.xlsx_export import to_xlsx
        return to_xlsx(m)
    if fmt == "pptx":
        from analytics.press.pptx_export import to_pptx
        return to_pptx(m)
    return render_text(m).encode("utf-8")


def run(args) -> int:
    county = county_arg(args.county)
    as_of = args.as_of or dt.date.today()
    not_before_foundation(as_of, "截至日期")
    fmt = output_format(args.format, args.output, SUFFIX_FORMAT)
    con = open_for_reading(args.db)
    try:
        m = build_material(con, as_of, county)
    finally:
        con.close()
    if fmt == "text" and not args.output:
        sys.stdout.write(render_text(m))
        return 0
    out = Path(args.output) if args.output else Path.cwd() / f"{m.file_stem()}.{'txt' if fmt == 'text' else fmt}"
    data = export_bytes(m, fmt)
    return write_output(out, data)
