"""总览: the metric cards show exactly the stats function's figures, for several filter combinations."""
from __future__ import annotations

import datetime as dt

import pytest

from analytics.metrics.figures import key_figures
from tests.pages.apptest_util import app, metric_values


@pytest.mark.parametrize("as_of,county", [("2024-07-31", None), ("2024-07-31", "东昌府区"),
                                          ("2025-04-30", None), ("2023-12-31", "冠县")])
def test_cards_equal_stats(demo_db, as_of, county):
    at = app(demo_db, "pages/overview.py", as_of=as_of, county=county)
    assert not at.exception
    shown = metric_values(at)
    from ui import db as uidb
    cur = uidb.cursor()
    f = key_figures(cur, dt.date.fromisoformat(as_of), county)
    assert shown["登记在册"] == f"{f['registered']:,}人"
    assert shown["国家级表扬"] == f"{f['recognized_people']['national']:,}人"
    assert shown["省级表扬"] == f"{f['recognized_people']['provincial']:,}人"
    assert shown["市级表扬"] == f"{f['recognized_people']['municipal']:,}人"
    assert shown["英模工作室"] == f"{f['studios']:,}个"
    assert shown["见义勇为工作站"] == f"{f['workstations']:,}个"
    assert shown["今年以来宣传活动"] == f"{f['activities']['publicity_events']:,}场次"


def test_published_snapshot_on_landing_page(demo_db):
    at = app(demo_db, as_of="2024-07-31")
    shown = metric_values(at)
    assert shown["登记在册"] == "704人" and shown["国家级表扬"] == "3人"
    assert shown["省级表扬"] == "49人" and shown["市级表扬"] == "307人" and shown["英模工作室"] == "20个"
    assert any("演示数据库" in w.value for w in at.warning)


def test_default_as_of_is_the_data_latest_date(demo_db):
    """No 截至日期 in the URL or session: the demo's data end (2026-10-31), not today, and the caption says why."""
    at = app(demo_db)
    assert not at.exception
    assert at.date_input(key="as_of").value == dt.date(2026, 10, 31)
    assert any("截至 2026年10月31日（数据更新至该日，默认以此为截至日期）" in c.value for c in at.caption)
    labels = [m.label for m in at.metric]
    assert labels[:6] == ["登记在册", "国家级表扬", "省级表扬", "市级表扬", "英模工作室", "今年以来宣传活动"]
    # 慰问帮扶 and 帮扶优抚 each carry a line saying how they differ
    captions = " ".join(c.value for c in at.caption)
    assert "慰问帮扶：工作站走访慰问的人次" in captions and "帮扶优抚：基金会帮扶记录的人次与金额" in captions


def test_published_money_and_assistance_on_landing_page(demo_db):
    at = app(demo_db, as_of="2024-07-31")
    shown = metric_values(at)
    assert shown["今年以来帮扶优抚"] == "194人次" and shown["今年以来帮扶金额"] == "562,200元"
    assert shown["今年以来慰问帮扶"] == "550人次"
