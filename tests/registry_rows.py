"""Put registry rows into a database the way staff do: a CSV file through the import (analytics.ingest), so the
values reach the pages exactly as an upload would leave them."""
from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from analytics import store
from analytics.idnumber import make_id_number
from analytics.ingest.plan import analyze_file, run

# every registry column the import knows (IMPORT_SPEC.md), by its usual header
HEADERS = ["姓名", "性别", "民族", "出生日期", "身份证号", "政治面貌", "文化程度", "职业", "工作单位", "县市区", "镇街",
           "联系电话", "人员状态", "事迹时间", "事迹地点", "是否市域外", "事迹类型", "事迹简介", "登记日期", "表扬级别",
           "表扬时间", "荣誉称号", "表扬形式", "奖金", "光荣牌悬挂日期"]
REQUIRED = ("姓名", "县市区")


def full_row(i: int = 0, **values) -> dict:
    """A complete, valid row for person `i` (every optional column filled); `values` override columns."""
    birth = dt.date(1970 + i % 30, 1 + i % 12, 1 + i % 27)
    row = {
        "姓名": f"样例{'甲乙丙丁戊己庚辛壬癸'[i % 10]}{i}", "性别": "男", "民族": "汉族", "出生日期": birth.isoformat(),
        "身份证号": make_id_number("371502", birth, (100 + 2 * i + 1) % 1000), "政治面貌": "群众",
        "文化程度": "高中", "职业": "农民", "工作单位": "聊城市某公司", "县市区": "东昌府区", "镇街": "古楼街道",
        "联系电话": f"1390635{i:04d}", "人员状态": "健在", "事迹时间": "2024-05-01", "事迹地点": "东昌府区古楼街道东昌湖",
        "是否市域外": "否", "事迹类型": "救落水", "事迹简介": "在东昌湖救起落水儿童一名。", "登记日期": "2024-06-01",
        "表扬级别": "市级", "表扬时间": "2024-06-15", "荣誉称号": "见义勇为先进个人", "表扬形式": "通报表扬",
        "奖金": "5000", "光荣牌悬挂日期": "2024-07-01",
    }
    row.update(values)
    return row


def csv_bytes(rows: list[dict]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=HEADERS)
    w.writeheader()
    for r in rows:
        w.writerow({h: r.get(h, "") for h in HEADERS})
    return buf.getvalue().encode("utf-8")


def import_rows(db: Path, rows: list[dict], name: str = "样例.csv") -> None:
    """Import `rows` into `db` as one CSV upload; fails the test when any row is refused."""
    con = store.connect(db)
    try:
        plan = analyze_file(name, csv_bytes(rows))
        assert not plan.error, plan.error
        result = run(con, [plan], "测试员")
        problems = [p for s in plan.imported for p in s.problems if p.severity == "error"]
        assert result.committed and not result.row_errors, problems
    finally:
        con.close()
