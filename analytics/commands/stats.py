"""python -m analytics stats [--db PATH] [--as-of YYYY-MM-DD] [--county NAME] [--json]"""
from __future__ import annotations

import datetime as dt
import json

from analytics import store
from analytics.metrics.figures import key_figures
from analytics.cli import county_arg, parse_date

LABELS = [
    ("registered", "登记在册人数", "人"),
    ("recognized_people.national", "国家级表扬人数", "人"),
    ("recognized_people.provincial", "省级表扬人数", "人"),
    ("recognized_people.municipal", "市级表扬人数", "人"),
    ("recognized_people.county", "县级表扬人数", "人"),
    ("recognitions", "表扬记录", "条"),
    ("studios", "英模工作室", "个"),
    ("workstations", "见义勇为工作站", "个"),
    ("activities.publicity_events", "今年以来宣传活动", "场次"),
    ("activities.reports", "今年以来发现上报", "人次"),
    ("activities.assistance_visits", "今年以来慰问帮扶", "人次"),
    ("assistance.times", "今年以来帮扶优抚", "人次"),
    ("assistance.amount_yuan", "今年以来帮扶金额", "元"),
    ("sacrificed", "牺牲人员", "人"),
    ("outside_city", "市域外见义勇为人员", "人"),
    ("plaques", "已挂光荣牌家庭", "户"),
]


def register(sub, db_parent) -> None:
    p = sub.add_parser("stats", parents=[db_parent], help="输出关键数据（与看板、发布材料同一口径）")
    p.add_argument("--as-of", type=parse_date, default=None, metavar="YYYY-MM-DD", help="截至日期（默认今天）")
    p.add_argument("--county", default=None, metavar="县市区", help="只统计一个县市区（全称或简称）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=run)


def _get(d: dict, dotted: str):
    for part in dotted.split("."):
        d = d[part]
    return d


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
    for key, label, unit in LABELS:
        print(f"  {label}：{_get(figures, key)} {unit}")
    return 0
