"""The Chinese words a user reads for the English keys of the metrics and the registry: column labels, units,
the 合计 row. Metrics return English keys; pages, press exports and the CLI label them here, so that one word is
written once."""
from __future__ import annotations

import pandas as pd

TOTAL = "合计"

# ---- the tables shared by the dashboards and the press exports (levels/activity/assistance by county) ----
COLUMN_LABELS = {
    "unit": "县市区", "registered": "登记在册（人）", "national": "国家级表扬（人）", "provincial": "省级表扬（人）",
    "municipal": "市级表扬（人）", "county_level": "县级表扬（人）", "workstations": "工作站（个）",
    "publicity_events": "宣传活动（场次）", "reports": "发现上报（人次）", "assistance_visits": "慰问帮扶（人次）",
    "type": "帮扶类型", "times": "帮扶（人次）", "amount_yuan": "金额（元）",
}


def with_total(df, label_col: str = "unit", label: str = TOTAL):
    """The table with a 合计 row summing every numeric column."""
    if df.empty:
        return df
    total = {c: df[c].sum() for c in df.columns if c != label_col}
    total[label_col] = label
    return pd.concat([df, pd.DataFrame([total])], ignore_index=True)


def labelled(df, labels: dict[str, str] = COLUMN_LABELS):
    """The table with its English column names replaced by their Chinese labels (unknown names unchanged)."""
    return df.rename(columns=labels)


# ---- overview and press ---------------------------------------------------------------------------------------
# 总览's charts and tables: new heroes per year, the county ranking, the functional zones beside the map.
OVERVIEW_LABELS = {**COLUMN_LABELS, "year": "年份", "people": "新确认人数（人）", "rank": "排名"}
ZONE_LABELS = {**COLUMN_LABELS, "unit": "功能区"}
NUMERALS = "一二三四五六七八九十"          # the numbers of headings (一、 （一）) and counts in notes (前六项)


# ---- registry, import, directories (the person's own fields are in analytics/fields.py) -------------------
# What kind of change set a record came from or a history row belongs to (changes.kind). The kinds of sheet
# an import recognizes are analytics.ingest.headers.SHEET_KINDS.
CHANGE_KINDS = {"import": "导入", "edit": "更正", "demo": "演示数据", "restore": "恢复", "system": "系统", "undo": "撤销"}
CHANGE_ACTIONS = {"insert": "新增", "update": "修改", "delete": "删除"}
RECORD_TABLES = {"heroes": "基本信息", "deeds": "事迹", "deed_heroes": "事迹关联", "recognitions": "表扬",
                 "assistance": "帮扶", "studios": "英模工作室", "workstations": "工作站", "activities": "活动"}

# Columns the registry search and export add to a person's fields.
REGISTRY_COLUMNS = {"hero_id": "档案编号", "top_level": "最高表扬级别", "deed_types": "事迹类型",
                    "last_deed_date": "事迹时间"}
SEARCH_OUTSIDE_CITY = "市域外"          # the search table's yes column (the export says 是否市域外)

# 聊城义士 (people with a deed outside the city).
OUTSIDE_CITY_COLUMNS = {"hero_id": "档案编号", "name": "姓名", "gender": "性别", "home": "户籍地",
                        "deed_date": "事迹时间", "place": "事迹发生地", "deed_type": "事迹类型",
                        "recognitions": "表扬情况", "status": "人员状态", "plaque_on": "光荣牌悬挂日期"}

# 工作站与工作室名录.
UNIT_COLUMNS = {"name": "名称", "county": "县市区", "town": "镇街", "established_on": "成立日期"}
STATION_COLUMNS = {"station_id": "编号", **UNIT_COLUMNS, "head": "站长", "five_has": "五有项数"}
STUDIO_COLUMNS = {"studio_id": "编号", **UNIT_COLUMNS, "hero_id": "命名英模档案编号", "hero_name": "命名英模",
                  "head": "负责人"}
FIVE_HAS_SUMMARY = {"unit": "县市区", "workstations": "工作站", "complete": "五有齐全"}

# 数据导入: the import history.
IMPORT_HISTORY_COLUMNS = {"batch_id": "批次", "created_at": "时间", "actor": "操作人", "file_names": "文件",
                          "new": "新增", "updated": "更新", "unchanged": "未变", "rejected": "未导入", "state": "状态",
                          "sha256": "SHA-256"}
