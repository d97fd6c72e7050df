"""总览: the metric cards are the figure catalogue's (FIGURES), in its order, with the stats function's figures for
several filter combinations, and the hand-counted figures of the fixture (tests/fixture_db.py) as literals."""
from __future__ import annotations

import datetime as dt

import pytest

from analytics.metrics.figures import FIGURES, OVERVIEW_GROUPS, in_group, key_figures
from tests import fixture_db
from tests.pages.apptest_util import app, metric_values


@pytest.fixture(scope="module")
def fixture_path(tmp_path_factory):
    return fixture_db.build(tmp_path_factory.mktemp("fixture") / "fixture.duckdb")


def test_cards_are_the_catalogue_in_order_with_hand_counted_values(fixture_path):
    at = app(fixture_path, "pages/overview.py", as_of="2024-07-31")
    assert not at.exception
    shown = [(m.label, m.value) for m in at.metric]
    assert shown == [
        # the headline band
        ("登记在册", "7人"), ("国家级表扬", "1人"), ("省级表扬", "1人"), ("市级表扬", "3人"), ("英模工作室", "2处"),
        ("今年以来宣传活动", "3场次"),
        # 表扬, 工作站, 帮扶, 人员状况
        ("县级表扬", "2人"), ("表扬总人次", "8人次"), ("本年新确认", "2人"),
        ("见义勇为工作站", "3个"), ("今年以来发现上报", "3人次"), ("今年以来慰问帮扶", "5人次"),
        ("今年以来帮扶优抚", "3人次"), ("今年以来帮扶金额", "5,000.50元"), ("已挂光荣牌", "5户"),
        ("牺牲", "1人"), ("受伤", "1人"), ("致残", "1人"), ("市域外见义勇为", "1人")]
    # exactly the catalogue's cards, group by group, each group in catalogue order; every figure once
    assert [label for label, _ in shown] == [f.card_label for g in OVERVIEW_GROUPS for f in in_group(g)]
    assert len(shown) == len(FIGURES)
    # against 2023-07-31: "+" for a rise, 持平 for none (the fixture counted 5 registered then … 7 now: +2)
    deltas = {m.label: m.delta for m in at.metric}
    assert deltas["英模工作室"] == "+2处" and deltas["今年以来帮扶金额"] == "+5,000.50元"
    plaques_help = [m.help for m in at.metric if m.label == "已挂光荣牌"][0]
    assert "光荣牌覆盖率 71.4%" in plaques_help


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
    assert shown["英模工作室"] == f"{f['studios']:,}处"
    assert shown["见义勇为工作站"] == f"{f['workstations']:,}个"
    assert shown["今年以来宣传活动"] == f"{f['activities']['publicity_events']:,}场次"


def test_published_snapshot_on_landing_page(demo_db):
    at = app(demo_db, as_of="2024-07-31")
    shown = metric_values(at)
    assert shown["登记在册"] == "704人" and shown["国家级表扬"] == "3人"
    assert shown["省级表扬"] == "49人" and shown["市级表扬"] == "307人" and shown["英模工作室"] == "20处"
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
