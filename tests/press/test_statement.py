"""The statement: seed 001 word for word, counties, past periods, zero figures left out, the change sentence."""
from __future__ import annotations

import re

import pytest

from analytics import cli
from analytics.metrics.figures import key_figures, key_figures_with_change
from analytics.press import statement
from analytics.press.material import build_material
from tests.press.conftest import D

SEED = "聊城市见义勇为基金会成立以来，全市共登记在册见义勇为人员704人，其中受到国家级表扬3人、省级表扬49人、市级表扬307人。"


def test_cli_prints_seed_sentence_word_for_word(demo_db_readonly, capsys):
    assert cli.main(["press", "--db", str(demo_db_readonly), "--as-of", "2024-07-31"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(SEED)
    first_sentence = out.split("。", 1)[0] + "。"
    assert first_sentence == SEED


def test_statement_full_text_city(ro_con):
    s = statement.sentences(*key_figures_with_change(ro_con, D("2024-07-31")), D("2024-07-31"), None,
                            today=D("2026-11-22"))
    assert s[0] == SEED
    assert s[1] == "全市已建成以英模名字命名的见义勇为英模工作室20处、镇街见义勇为工作站101个。"
    assert s[2].startswith("2024年1月1日至7月31日，全市各见义勇为工作站和英模工作室组织开展见义勇为宣传活动")
    assert s[3].startswith("同期，全市开展见义勇为人员帮扶优抚") and s[3].endswith("万元。")
    assert s[-1].startswith("与上年同期（2023年7月31日）相比，全市登记在册见义勇为人员增加")
    text = "".join(s)
    for bad in (",", ";", ":", "(", ")", ".0人", ".0万"):
        assert bad not in text.replace("56.22", ""), bad      # full-width punctuation; no trailing .0
    assert not re.search(r"(?<![0-9.])0(人|个|处|场次|人次|元)", text)   # no zero clauses


def test_statement_this_year_reads_jin_nian_yi_lai(ro_con):
    now, before = key_figures_with_change(ro_con, D("2024-07-31"))
    s = statement.sentences(now, before, D("2024-07-31"), None, today=D("2024-08-02"))
    assert s[2].startswith("今年以来，全市各见义勇为工作站和英模工作室")


def test_period_phrases():
    today = D("2026-11-22")
    assert statement.period_phrase(D("2026-05-01"), today) == "今年以来"
    assert statement.period_phrase(D("2023-12-31"), today) == "2023年全年"
    assert statement.period_phrase(D("2024-07-31"), today) == "2024年1月1日至7月31日"


def test_county_statement_drops_foundation_clause(ro_con):
    text = statement.build_statement(ro_con, D("2024-07-31"), "东昌府区", today=D("2024-08-01"))
    f = key_figures(ro_con, D("2024-07-31"), "东昌府区")
    assert text.startswith(f"东昌府区共登记在册见义勇为人员{f['registered']}人，其中受到国家级表扬")
    assert "基金会成立以来" not in text
    # seed 000's 东昌府区 figures, in seed 000's phrasing
    assert "组织开展见义勇为宣传活动32场次，发现上报见义勇为行为20人次，慰问帮扶见义勇为人员15人次。" in text
    assert "镇街见义勇为工作站14个" in text
    assert "东昌府籍人员中" in text or f["outside_city"] == 0


def test_zero_figures_are_left_out(ro_con):
    # 冠县 early in 2013: a few registered people, no national/provincial recognition, no studio, no station.
    as_of = D("2013-03-01")
    f = key_figures(ro_con, as_of, "冠县")
    text = statement.build_statement(ro_con, as_of, "冠县", today=D("2026-01-01"))
    assert f["recognized_people"]["national"] == 0 and "国家级" not in text
    assert f["studios"] == 0 and "工作室" not in text.replace("各见义勇为工作站和英模工作室", "")
    assert f["sacrificed"] == 0 and "牺牲" not in text
    assert f["registered"] > 0 and text.startswith(f"冠县共登记在册见义勇为人员{f['registered']}人")
    assert "其中受到市级表扬" in text or f["recognized_people"]["municipal"] == 0


def test_empty_database_says_no_data(tmp_db):
    from analytics import store
    con = store.connect_for_reading(tmp_db)
    try:
        text = statement.build_statement(con, D("2024-07-31"), None)
        m = build_material(con, D("2024-07-31"), None)
    finally:
        con.close()
    assert text == "截至2024年7月31日，全市暂无可发布的见义勇为统计数据。"
    assert m.statement == text


def test_change_sentence_left_out_before_foundation_anniversary(ro_con):
    as_of = D("2013-03-01")                     # a year earlier precedes 2012-06-29
    now, before = key_figures_with_change(ro_con, as_of)
    assert statement.change_sentence(now, before, as_of, None) is None


def test_change_sentence_uses_same_day_last_year(ro_con):
    now, before = key_figures_with_change(ro_con, D("2024-02-29"))
    s = statement.change_sentence(now, before, D("2024-02-29"), None)
    assert s.startswith("与上年同期（2023年2月28日）相比")
    delta = now["registered"] - before["registered"]
    assert f"登记在册见义勇为人员增加{delta}人" in s


def test_cases_sentence_names_only(ro_con):
    from analytics.press import cases
    ids = tuple(cases.default_ids(cases.candidates(ro_con, D("2024-07-31"), None)))
    m = build_material(ro_con, D("2024-07-31"), None, ids)
    assert m.sentences[0] == SEED
    assert m.sentences[1].startswith("近年来，聊城市相继涌现出了") and m.sentences[1].endswith("等见义勇为先进典型。")
    for c in m.cases:
        assert c.name in m.sentences[1]


@pytest.mark.parametrize("county", ["聊城经济技术开发区", "临清市"])
def test_zone_and_city_subjects(ro_con, county):
    text = statement.build_statement(ro_con, D("2025-04-30"), county)
    assert text.startswith(f"{county}共登记在册见义勇为人员")
    assert "全市" not in text


# ---- on the hand-made fixture (tests/fixture_db.py): every sentence counted by hand -----------------------------
def test_statement_on_the_fixture_city(fixture_con):
    now, before = key_figures_with_change(fixture_con, D("2024-07-31"))
    assert statement.sentences(now, before, D("2024-07-31"), None, today=D("2026-01-01")) == [
        "聊城市见义勇为基金会成立以来，全市共登记在册见义勇为人员7人，其中受到国家级表扬1人、省级表扬1人、市级表扬3人。",
        "全市已建成以英模名字命名的见义勇为英模工作室2处、镇街见义勇为工作站3个。",
        "2024年1月1日至7月31日，全市各见义勇为工作站和英模工作室组织开展见义勇为宣传活动3场次，发现上报见义勇为行为3人次，"
        "慰问帮扶见义勇为人员5人次。",
        "同期，全市开展见义勇为人员帮扶优抚3人次，发放各类帮扶资金5000.5元。",
        "全市登记在册的见义勇为人员中，有1人英勇牺牲。",
        "聊城籍人员中，有1人在市域外见义勇为，均已纳入表扬优抚范围。",
        "全市已为5户见义勇为人员家庭挂上“光荣牌”。",
        # 2023-07-31: 4 registered (1, 3, 5, 7), no publicity event, one assistance record without an amount
        "与上年同期（2023年7月31日）相比，全市登记在册见义勇为人员增加3人，增长75%；宣传活动增加3场次；"
        "帮扶优抚增加2人次，增长200%；帮扶资金增加5000.5元。"]


def test_statement_on_the_fixture_county(fixture_con):
    now, before = key_figures_with_change(fixture_con, D("2024-12-31"), "冠县")
    assert statement.sentences(now, before, D("2024-12-31"), "冠县", today=D("2026-01-01")) == [
        "冠县共登记在册见义勇为人员2人，其中受到市级表扬2人。",
        "冠县已建成以英模名字命名的见义勇为英模工作室1处。",
        "冠县籍人员中，有2人在市域外见义勇为，均已纳入表扬优抚范围。",
        "冠县2名见义勇为人员家庭全部挂上“光荣牌”。",
        "与上年同期（2023年12月31日）相比，冠县登记在册见义勇为人员增加1人，增长100%。"]
