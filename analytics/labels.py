"""The Chinese words a user reads for the English keys of the metrics and the registry: column labels, units,
the 合计 row. Metrics return English keys; pages, press exports and the CLI label them here, so that one word is
written once."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics import numbers, reference
from analytics.metrics.period import month_end

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


# ---- 看板 pages: 表扬等级 / 趋势 / 工作站 / 及时性 / 帮扶 ------------------------------------------------------
# (the dashboards' tables and charts; a key not listed keeps its name)
UNIT, TOWN, YEAR, MONTH = COLUMN_LABELS["unit"], "镇街", "年份", "月份"
NOT_DONE, NO_RECORD, NOT_FILLED = "未完成", "无记录", "未填写"


def filled(df: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """The table with a value not filled in (None) shown as 未填写 in `columns`."""
    return df.fillna({c: NOT_FILLED for c in columns})

# 表扬等级分析
LEVEL_RULES = {"people": "按人数", "highest": "按最高级别"}
LEVEL_COLUMNS = {"unit": UNIT, "level": "表扬等级", "people": "人数", **{lv: f"{lv}（人）" for lv in reference.LEVELS}}
LEVEL_TOTAL_COLUMN = {"people": "各级合计（人次）", "highest": "合计（人）"}   # the 合计 column, by rule


def with_pivot_total(table: pd.DataFrame) -> pd.DataFrame:
    """A pivot table (units × levels or years) with a 合计 column and a 合计 row."""
    table = table.copy()
    table[TOTAL] = table.sum(axis=1)
    table.loc[TOTAL] = table.sum(axis=0)
    return table


def pivot_labelled(table: pd.DataFrame, first: str = UNIT, total: str = TOTAL) -> pd.DataFrame:
    """A pivot table as a page shows it: the index as the first column (`first`), levels as "国家级（人）",
    the 合计 column as `total`, years as text."""
    out = table.reset_index().rename(columns={**LEVEL_COLUMNS, "unit": first, TOTAL: total})
    out.columns = [c if isinstance(c, str) else str(c) for c in out.columns]
    return out


# 趋势
PERIODS = {"year": YEAR, "month": MONTH}
FREQUENCIES = {"year": "按年", "month": "按月"}
PLACES = {"inside": "市域内", "outside": "市域外"}
TREND_CATEGORIES = {"type": "事迹类型", "place": "发生地", "unit": UNIT, "status": "人员状况", "occupation": "职业",
                    "political": "政治面貌"}
DEEDS, PEOPLE, CONFIRMED = "事迹（件）", "人数（人）", "确认人数（人）"
PARTY_COLUMNS = {"year": YEAR, "people": CONFIRMED, "party": "党员（人）", "share": "党员占比"}
WHOLE_YEAR = "全年"


def trend_columns(by: str, period: str = "year") -> dict[str, str]:
    """The labels of a 趋势 table grouped `by` (deeds_by_period / heroes_by_year) per `period`."""
    return {"period": PERIODS[period], "year": YEAR, "category": TREND_CATEGORIES[by], "deeds": DEEDS,
            "people": PEOPLE}


def comparison_range(until) -> str:
    """比较期间 of a year-over-year row: 全年, or "1月1日—7月31日" for a part year up to `until`."""
    if until is None or until != until:
        return WHOLE_YEAR
    return f"1月1日—{numbers.month_day(until)}"


def range_text(date_from, date_to) -> str:
    """A date range as a caption writes it (the year filter cut at 截至日期, metrics.scope.years_in_range):
    "2012年6月29日—2024年7月31日"; whole years as "2013—2015年"."""
    if (date_from.month, date_from.day) == (1, 1) and (date_to.month, date_to.day) == (12, 31):
        if date_from.year == date_to.year:
            return f"{date_from.year}年"
        return f"{date_from.year}—{date_to.year}年"
    return f"{numbers.date(date_from)}—{numbers.date(date_to)}"


def yoy_columns(period: str, value: str, value_label: str, unit: str) -> dict[str, str]:
    """The labels of a year-over-year table (fair_year_over_year on `period` and `value`) whose value is counted
    in `unit`, in the order the table shows them."""
    return {period: YEAR, "until": "比较期间", value: value_label, "previous": f"上年同期（{unit}）",
            "change": f"同比增减（{unit}）", "change_pct": "同比增减（%）"}


# 工作站与工作室
ACTIVITY_COLUMNS = {**COLUMN_LABELS, "town": TOWN, "month": MONTH, "type": "活动类型", "count": "数量",
                    "name": "工作站", "total": "活动合计", "established_on": "成立日期",
                    "last_activity": "最近一次活动", "days_since": "距今天数", "stations": "工作站（个）",
                    **{k: f"{v}（个）" for k, v in reference.FIVE_HAS.items()},
                    "all_five": "“五有”全部达标（个）", "rate": "达标率", "venue": "宣传场所"}
STUDIO_COLUMNS = {**ACTIVITY_COLUMNS, "name": "工作室", "hero_name": "命名英模"}
RANK = "排名"


def venue_label(venue: str) -> str:
    """A 五进 venue as the chart names it: 进社区 (other venues as they are)."""
    return f"进{venue}" if venue in reference.VENUES else venue


# 及时性
STEP_LABELS = dict(reference.FIVE_STEPS)          # deed column → 及时发现 …
TIMELINESS_COLUMNS = {"unit": UNIT, "year": YEAR, "step": "环节", "deeds": "已完成事迹（件）",
                      "median_days": "中位数（天）", "p90_days": "90%分位数（天）"}
STATISTIC = "统计量"


def overdue_columns(step: str) -> dict[str, str]:
    """The labels of the overdue-deeds table for the step `step` (a deed column)."""
    return {"deed_date": "事迹发生日期", "unit": UNIT, "deed_type": "事迹类型", "place": "发生地点",
            "heroes": "见义勇为人员", "step_on": f"{STEP_LABELS[step]}日期", "days": "用时（天）"}


# 帮扶优抚
ASSISTANCE_COLUMNS = {**COLUMN_LABELS, "year": YEAR, "town": TOWN, "name": "姓名", "people": PEOPLE}


# ---- 工作简报 periods ----------------------------------------------------------------------------------------
PERIOD_KINDS = {"month": "月度", "quarter": "季度", "year": "年度"}


def period_label(date_from: dt.date, date_to: dt.date) -> str:
    """"2024年6月", "2024年第二季度", "2024年上半年", "2024年", else "2024年4月1日至6月30日"."""
    y = date_from.year
    if date_from.day == 1 and date_to.year == y:
        if date_to == month_end(y, date_from.month):
            return f"{y}年{date_from.month}月"
        if date_from.month % 3 == 1 and date_to == month_end(y, date_from.month + 2):
            return f"{y}年第{NUMERALS[date_from.month // 3]}季度"
        if date_from.month in (1, 7) and date_to == month_end(y, date_from.month + 5):
            return f"{y}年{'上' if date_from.month == 1 else '下'}半年"
        if date_from.month == 1 and date_to == dt.date(y, 12, 31):
            return f"{y}年"
    if date_from.year == date_to.year:
        return f"{y}年{date_from.month}月{date_from.day}日至{date_to.month}月{date_to.day}日"
    return f"{y}年{date_from.month}月{date_from.day}日至{date_to.year}年{date_to.month}月{date_to.day}日"


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
DIRECTORY_COLUMNS = {"name": "名称", "county": UNIT, "town": TOWN, "established_on": "成立日期"}
DIRECTORY_STATIONS = {"station_id": "编号", **DIRECTORY_COLUMNS, "head": "站长", "five_has": "五有项数"}
DIRECTORY_STUDIOS = {"studio_id": "编号", **DIRECTORY_COLUMNS, "hero_id": "命名英模档案编号", "hero_name": "命名英模",
                     "head": "负责人"}
FIVE_HAS_SUMMARY = {"unit": UNIT, "workstations": "工作站", "complete": "五有齐全"}

# 数据导入: the import history.
IMPORT_HISTORY_COLUMNS = {"batch_id": "批次", "created_at": "时间", "actor": "操作人", "file_names": "文件",
                          "new": "新增", "updated": "更新", "unchanged": "未变", "rejected": "未导入", "state": "状态",
                          "sha256": "SHA-256"}
