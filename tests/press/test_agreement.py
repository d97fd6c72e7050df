"""The statement, the three exports and `stats` agree, for several dates and counties."""
from __future__ import annotations

import json

import pytest

from analytics import cli
from analytics import numbers
from analytics.press.docx_export import to_docx
from analytics.metrics.figures import KEY_FIGURES, of_source, value
from analytics.press.material import build_material
from analytics.press.pptx_export import to_pptx
from analytics.press.xlsx_export import to_xlsx
from tests.press.conftest import D
from tests.press.readback import docx_content, pptx_content, xlsx_content, xlsx_table

CASES = [("2024-07-31", None), ("2024-07-31", "东昌府区"), ("2025-04-30", None), ("2023-12-31", "冠县"),
         ("2026-10-31", "江北水城旅游度假区"), ("2016-03-15", "临清市")]


def _stats(db, as_of, county, capsys) -> dict:
    argv = ["stats", "--db", str(db), "--as-of", as_of, "--json"] + (["--county", county] if county else [])
    assert cli.main(argv) == 0
    return json.loads(capsys.readouterr().out)


def _phrases(f: dict) -> dict[str, bool]:
    """Phrase that must appear in the statement → whether its figure is non-zero."""
    a, r = f["activities"], f["recognized_people"]
    return {
        f"共登记在册见义勇为人员{numbers.count(f['registered'])}人": f["registered"] > 0,
        f"国家级表扬{numbers.count(r['national'])}人": r["national"] > 0 and f["registered"] > 0,
        f"省级表扬{numbers.count(r['provincial'])}人": r["provincial"] > 0 and f["registered"] > 0,
        f"市级表扬{numbers.count(r['municipal'])}人": r["municipal"] > 0 and f["registered"] > 0,
        f"见义勇为英模工作室{numbers.count(f['studios'])}处": f["studios"] > 0,
        f"镇街见义勇为工作站{numbers.count(f['workstations'])}个": f["workstations"] > 0,
        f"宣传活动{numbers.count(a['publicity_events'])}场次": a["publicity_events"] > 0,
        f"发现上报见义勇为行为{numbers.count(a['reports'])}人次": a["reports"] > 0,
        f"慰问帮扶见义勇为人员{numbers.count(a['assistance_visits'])}人次": a["assistance_visits"] > 0,
        f"帮扶优抚{numbers.count(f['assistance']['times'])}人次": f["assistance"]["times"] > 0,
        f"发放各类帮扶资金{numbers.money(f['assistance']['amount_yuan'])}": f["assistance"]["amount_yuan"] > 0,
        f"有{numbers.count(f['sacrificed'])}人英勇牺牲": f["sacrificed"] > 0,
        f"有{numbers.count(f['outside_city'])}人在市域外见义勇为": f["outside_city"] > 0,
    }


@pytest.mark.parametrize("as_of,county", CASES)
def test_statement_exports_and_stats_agree(demo_db_readonly, ro_con, capsys, as_of, county):
    stats = _stats(demo_db_readonly, as_of, county, capsys)
    m = build_material(ro_con, D(as_of), county)
    assert m.figures == stats

    # statement: every non-zero figure in its phrase, no zero one
    for phrase, present in _phrases(stats).items():
        assert (phrase in m.statement) == present, phrase

    # CLI text: the same statement first
    argv = ["press", "--db", str(demo_db_readonly), "--as-of", as_of] + (["--county", county] if county else [])
    assert cli.main(argv) == 0
    assert capsys.readouterr().out.split("\n", 1)[0] == m.statement

    total = (lambda rows: rows[-1]) if county is None else (lambda rows: rows[0])

    # Word: statement paragraphs and the three tables' totals
    d = docx_content(to_docx(m))
    for s in m.sentences:
        assert s in d["paragraphs"]
    t1, t2, t3 = d["tables"]
    r = stats["recognized_people"]
    assert total(t1[1:]) [1:] == [str(x) for x in (stats["registered"], r["national"], r["provincial"],
                                                   r["municipal"], r["county"])]
    a = stats["activities"]
    assert total(t2[1:])[1:] == [str(x) for x in (stats["workstations"], a["publicity_events"], a["reports"],
                                                  a["assistance_visits"])]
    if stats["assistance"]["times"]:
        assert t3[-1][1:] == [numbers.grouped(stats["assistance"]["times"]),
                              numbers.yuan(stats["assistance"]["amount_yuan"]).removesuffix("元")]

    # Excel: 主要数据 equals stats; table sheets' totals equal stats
    x = xlsx_content(to_xlsx(m))
    figures = of_source(KEY_FIGURES)
    rows = {row[0]: row for row in x["sheets"]["主要数据"][3:3 + len(figures)]}
    assert list(rows) == [fig.label for fig in figures]                  # the catalogue, in its order
    for fig in figures:
        assert rows[fig.label][1] == value(stats, fig.key) and rows[fig.label][4] == fig.unit, fig.label
    _, b1 = xlsx_table(x["sheets"]["表1 登记及表扬"])
    assert total(b1)[1:] == [stats["registered"], r["national"], r["provincial"], r["municipal"], r["county"]]
    _, b2 = xlsx_table(x["sheets"]["表2 活动情况"])
    assert total(b2)[1:] == [stats["workstations"], a["publicity_events"], a["reports"], a["assistance_visits"]]
    _, b3 = xlsx_table(x["sheets"]["表3 帮扶优抚"])
    if b3:
        assert b3[-1][1] == stats["assistance"]["times"]
        assert round(b3[-1][2], 2) == stats["assistance"]["amount_yuan"]
    assert len(x["charts"]["表1 登记及表扬"]) == 1 and len(x["charts"]["表2 活动情况"]) == 1

    # PowerPoint: chart series sum to stats
    p = pptx_content(to_pptx(m))
    levels, activity = p["charts"][0]["series"], p["charts"][1]["series"]
    assert sum(levels["登记在册（人）"]) == stats["registered"]
    assert sum(levels["国家级表扬（人）"]) == r["national"]
    assert sum(levels["省级表扬（人）"]) == r["provincial"]
    assert sum(levels["市级表扬（人）"]) == r["municipal"]
    assert sum(activity["宣传活动（场次）"]) == a["publicity_events"]
    assert sum(activity["发现上报（人次）"]) == a["reports"]
    assert sum(activity["慰问帮扶（人次）"]) == a["assistance_visits"]
    if stats["assistance"]["times"]:
        assert sum(p["charts"][2]["series"]["帮扶（人次）"]) == stats["assistance"]["times"]
    assert numbers.count(stats["registered"]) in p["texts"]
    assert all(any(s in t for t in p["texts"]) for s in m.sentences)      # split over slides of ≤ 8 lines
