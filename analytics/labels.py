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
