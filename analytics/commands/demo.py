"""python -m analytics demo [--db PATH] [--scale N] [--force]"""
from __future__ import annotations

import time

from analytics import demo
from analytics.cli import UsageError


def register(sub, db_parent) -> None:
    p = sub.add_parser("demo", parents=[db_parent], help="生成演示数据库（合成人员，可复现2024年发布数据）")
    p.add_argument("--scale", type=int, default=1, metavar="N", help="人员和活动数量放大倍数（基准测试用）")
    p.add_argument("--force", action="store_true", help="覆盖已有数据的数据库")
    p.set_defaults(func=run)


def run(args) -> int:
    t0 = time.perf_counter()
    try:
        info = demo.build(args.db, scale=args.scale, force=args.force)
    except demo.DemoError as exc:
        raise UsageError(str(exc)) from None
    print(f"演示数据库已生成：{info['db']}（规模 {info['scale']}，用时 {time.perf_counter() - t0:.1f} 秒）")
    print(f"人员 {info['heroes']} 名，事迹 {info['deeds']} 件，表扬 {info['recognitions']} 条，"
          f"帮扶 {info['assistance']} 条，工作站 {info['workstations']} 个，工作室 {info['studios']} 处，"
          f"活动 {info['activities']} 条。")
    return 0
