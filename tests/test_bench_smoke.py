"""The bench imports and its table/budget logic works (no timing here: speeds live in `make bench`)."""
from __future__ import annotations

import importlib

import pytest

from scripts.bench_table import ERROR, NONE, OVER, PASS, SKIP, Row, format_markdown, format_table, summary, width


@pytest.mark.parametrize("module", ["scripts.bench", "scripts.bench_pages", "scripts.bench_import",
                                    "scripts.bench_press", "scripts.bench_browser", "scripts.bench_demo",
                                    "scripts.bench_server"])
def test_modules_import(module):
    importlib.import_module(module)


def test_result_against_budget():
    assert Row("a", value=0.30, budget=0.30).result == PASS      # the budget itself passes
    assert Row("a", value=0.31, budget=0.30).result == OVER
    assert Row("a", value=0.31).result == NONE                    # a reference row has no budget
    assert Row("a", value=900, unit="MB", budget=1024).result == PASS
    assert Row("a", status=SKIP).result == SKIP
    assert Row("a", status=ERROR).result == ERROR
    assert Row("a").result == ERROR                               # no value and no reason is a failure


def test_budget_cell_shows_derived_budget_and_source():
    row = Row("导入", value=2.0, budget=2.85, source="issue 3", budget_text="≤ 1.5×calamine")
    assert row.budget_cell() == "≤ 1.5×calamine = 2.850 s (issue 3)"
    assert Row("x", value=1, unit="MB", budget=1024, source="issue 3").budget_cell() == "< 1,024 MB (issue 3)"
    assert Row("x", value=1).budget_cell() == ""


def test_table_aligns_chinese_columns():
    rows = [Row("页面 总览 未缓存", "scale 100", 0.123, budget=0.5, source="issue 4"),
            Row("openpyxl 原始读取", "100,000 行", 10.5, note="参考"),
            Row("浏览器", "demo", status=SKIP, note="未安装 chromium")]
    lines = format_table(rows).splitlines()
    assert len(lines) == 2 + len(rows)
    # the result column starts at the same display column on every line
    starts = [width(line[:line.index(word)]) for line, word in zip(lines[2:], (PASS, NONE, SKIP))]
    assert len(set(starts)) == 1
    assert "0.123 s" in lines[2] and "≤ 0.500 s (issue 4)" in lines[2]
    assert "10.5 s" in lines[3]
    md = format_markdown(rows)
    assert md.count("\n") == 1 + len(rows) and md.startswith("| 项目")
    assert summary(rows) == "PASS 1，OVER 0，SKIP 1"


def test_pages_come_from_nav():
    from scripts.bench_pages import pages
    from ui import nav
    assert [p for p, _ in pages()] == [path for entries in nav.SECTIONS.values() for path, *_ in entries]


def test_demo_cache_key_follows_demo_source():
    from scripts import bench_demo
    key = bench_demo.content_key()
    assert key == bench_demo.content_key() and len(key) == 12
