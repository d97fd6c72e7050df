"""python -m analytics stats [--db PATH] [--as-of YYYY-MM-DD] [--county NAME] [--json]"""
from __future__ import annotations

import datetime as dt
import json

from analytics import store
from analytics.metrics.figures import key_figures, of_source, value
from analytics.cli import county_arg, parse_date


def register(sub, db_parent) -> None:
    p = sub.add_parser("stats", parents=[db_parent], help="输出关键数据（与看板、发布材料同一口径）")
    p.add_argument("--as-of", type=parse_date, default=None, metavar="YYYY-MM-DD", help="截至日期（默认今天）")
    p.add_argument("--county", default=None, metavar="县市区", help="只统计一个县市区（全称或简称）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=run)


def run(args) -> int:
    county = county_arg(args.county)
    as_of = args.as_of or dt.date.today()
    con = store.connect_for_reading(args.db)
    try:
        figures = key_figures(con, as_of, county)
    finally:
        con.close()
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
        return 0
    print(f"{county or '全市'}  截至 {as_of:%Y年%m月%d日}")
    for fig in of_source():
        print(f"  {fig.label}：{value(figures, fig.key)} {fig.unit}")
    return 0
