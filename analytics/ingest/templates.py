"""Import templates: one .xlsx per kind with the canonical headers, an example row and a notes sheet."""
from __future__ import annotations

import datetime as dt
import io

import xlsxwriter

from analytics.ingest.headers import FIELDS, SHEET_KINDS

FILE_NAMES = {"registry": "人员登记导入模板.xlsx", "activities": "活动台账导入模板.xlsx",
              "assistance": "帮扶优抚导入模板.xlsx", "directory": "工作站工作室名录导入模板.xlsx"}

EXAMPLES = {
    "registry": {"name": "张三", "gender": "男", "ethnicity": "汉族", "birth_date": dt.date(1985, 6, 3),
                 "id_number": "371502198506030014", "political_status": "群众", "education": "高中",
                 "occupation": "农民", "employer": "", "county": "东昌府区", "town": "古楼街道",
                 "phone": "13700000000", "status": "健在", "deed_date": dt.date(2024, 5, 1),
                 "deed_place": "东昌湖", "deed_outside_city": "否", "deed_type": "救落水",
                 "deed_summary": "在东昌湖边跳入水中救起落水儿童一名。", "registered_on": dt.date(2024, 6, 1),
                 "level": "市级", "recognized_on": dt.date(2024, 7, 1), "title": "见义勇为先进个人",
                 "form": "集中表扬", "award_yuan": 5000, "plaque_on": dt.date(2024, 8, 1)},
    "activities": {"date": dt.date(2024, 7, 10), "county": "东昌府区", "town": "古楼街道",
                   "station": "古楼街道见义勇为工作站", "type": "宣传活动", "venue": "进校园", "count": 1,
                   "participants": 120, "note": "暑期防溺水宣传"},
    "assistance": {"name": "张三", "id_number": "371502198506030014", "county": "东昌府区",
                   "date": dt.date(2024, 9, 1), "type": "抚恤慰问", "amount_yuan": 2000,
                   "provider": "聊城市见义勇为基金会", "note": "中秋节慰问"},
    "directory": {"name": "古楼街道见义勇为工作站", "county": "东昌府区", "town": "古楼街道", "kind": "工作站",
                  "hero": "", "established_on": dt.date(2023, 3, 1), "head": "王某", "has_sign": "是",
                  "has_staff": "是", "has_duties": "是", "has_archive": "是", "has_volunteers": "否"},
}

NOTES = [
    "1. 请勿修改第1行表头；可以删除不需要的列，列的顺序可以调整。标“*”的列为必填。",
    "2. 身份证号码请按文本填写（本模板已设为文本格式），不要写成数字，否则后几位会丢失。",
    "3. 日期可写作 2024-05-01、2024/5/1、2024年5月1日；只知道年月的可写 2024年5月，只知道年份的可写 2024。",
    "4. 县市区可写全称或简称（如 东昌府、临清、开发区），但必须是聊城市的县市区。",
    "5. 示例行（第2行）导入前请删除或改为真实数据。",
    "6. 同一文件重复导入不会产生重复记录；导入后可在“导入记录”中整批撤销。",
]


def template_xlsx(kind: str) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"})
    text = wb.add_format({"num_format": "@"})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws = wb.add_worksheet(SHEET_KINDS[kind][:31].replace("/", "、"))
    for c, (f, req, label, _) in enumerate(FIELDS[kind]):
        ws.write_string(0, c, label + ("*" if req else ""), head)
        value = EXAMPLES[kind].get(f)
        ws.set_column(c, c, 14 if f not in ("deed_summary", "note", "id_number", "name") or kind == "directory"
                      else 22, text if f in ("id_number", "phone") else None)
        if isinstance(value, dt.date):
            ws.write_datetime(1, c, dt.datetime(value.year, value.month, value.day), date)
        elif isinstance(value, (int, float)):
            ws.write_number(1, c, value)
        elif value:
            ws.write_string(1, c, value, text if f in ("id_number", "phone") else None)
    ws.freeze_panes(1, 0)
    notes = wb.add_worksheet("填表说明")
    notes.set_column(0, 0, 100)
    for r, line in enumerate(NOTES):
        notes.write_string(r, 0, line)
    wb.close()
    return buf.getvalue()
