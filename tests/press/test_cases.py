"""典型事迹 candidates: scope, default choice, and no personal identifiers."""
from __future__ import annotations

from analytics.press import cases
from tests.press.conftest import D


def test_candidates_in_scope_and_ordered(ro_con):
    as_of = D("2024-07-31")
    frame = cases.candidates(ro_con, as_of, "东昌府区")
    assert not frame.empty and set(frame["county"]) == {"东昌府区"}
    assert (frame["recognized_on"] <= as_of).all()
    assert list(frame.columns) == ["hero_id", "name", "county", "level", "title", "recognized_on", "summary", "high"]
    highs = frame[frame["high"]]
    assert list(highs["recognized_on"]) == sorted(highs["recognized_on"], reverse=True)
    assert frame["hero_id"].is_unique


def test_default_is_most_recent_municipal_or_higher(ro_con):
    frame = cases.candidates(ro_con, D("2024-07-31"), None)
    ids = cases.default_ids(frame)
    assert len(ids) == cases.DEFAULT_COUNT
    chosen = frame[frame["hero_id"].isin(ids)]
    assert set(chosen["level"]) <= {"国家级", "省级", "市级"}
    assert min(chosen["recognized_on"]) >= sorted(frame.loc[frame["high"], "recognized_on"])[-5]


def test_pick_keeps_order_and_ignores_out_of_scope(ro_con):
    frame = cases.candidates(ro_con, D("2024-07-31"), "冠县")
    ids = [int(x) for x in frame["hero_id"].head(3)][::-1]
    picked = cases.pick(ro_con, D("2024-07-31"), "冠县", ids + [999999])
    assert [c.hero_id for c in picked] == ids
    assert all(set(vars(c)) == {"hero_id", "name", "county", "summary"} for c in picked)
    assert all(c.summary.endswith("”。") for c in picked)


def test_clean_summary_masks_identifiers():
    s = cases.clean_summary("2024年5月1日，在东昌湖救人，电话13812345678，身份证371502199001011234，住址：古楼街道光明小区3号楼，事后离开。")
    assert "13812345678" not in s and "371502199001011234" not in s and "光明小区" not in s
    assert s.startswith("2024年5月1日，在东昌湖救人") and "事后离开" in s
    assert cases.clean_summary(None) == ""
    assert cases.clean_summary("救起2名落水儿童，获奖金100000元") == "救起2名落水儿童，获奖金100000元"


def test_label_reads_naturally(ro_con):
    frame = cases.candidates(ro_con, D("2024-07-31"), None)
    text = cases.label(frame.iloc[0])
    assert text.startswith(frame.iloc[0]["name"] + "（") and "表扬，2024年" in text
