"""Missing values never break a page: a registry in which each optional column is empty in turn (one person per
empty column, one person with every optional column empty, and the probe's 国家级 row without 荣誉称号) runs
every page, every person's file and every press export."""
from __future__ import annotations

import datetime as dt

import pytest

from analytics import store
from analytics.press import cases
from analytics.press.docx_export import to_docx
from analytics.press.material import build_material
from analytics.press.pptx_export import to_pptx
from analytics.press.xlsx_export import to_xlsx
from tests.pages.apptest_util import app
from tests.registry_rows import HEADERS, REQUIRED, full_row, import_rows
from ui import nav

PAGES = [path for entries in nav.SECTIONS.values() for path, *_ in entries]
OPTIONAL = [h for h in HEADERS if h not in REQUIRED]
AS_OF = "2025-12-31"
FAILED = "页面加载时出现问题"
# a recognition without its level is refused on import, so 表扬级别 is emptied with the whole recognition
TOGETHER = {"表扬级别": ("表扬级别", "表扬时间", "荣誉称号", "表扬形式", "奖金")}


@pytest.fixture(scope="module")
def sparse_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("sparse") / "sparse.duckdb"
    store.connect(db, create=True).close()
    rows = [full_row(i, **{c: "" for c in TOGETHER.get(col, (col,))}) for i, col in enumerate(OPTIONAL)]
    rows.append(full_row(len(rows), **{col: "" for col in OPTIONAL}))
    # the row that took 发布会统计 down: the newest high recognition, so the page picks it by default
    rows.append(full_row(len(rows), 表扬级别="国家级", 荣誉称号="", 表扬时间="2024-09-01"))
    import_rows(db, rows)
    return db


def _hero_ids(db) -> list[int]:
    con = store.connect_for_reading(db)
    try:
        return [r[0] for r in con.execute("SELECT hero_id FROM heroes ORDER BY hero_id").fetchall()]
    finally:
        con.close()


def test_fixture_has_every_optional_column_empty_once(sparse_db):
    con = store.connect_for_reading(sparse_db)
    try:
        assert con.execute("SELECT count(*) FROM heroes").fetchone()[0] == len(OPTIONAL) + 2
        assert con.execute("SELECT count(*) FROM heroes WHERE employer IS NULL").fetchone()[0] == 2
        assert con.execute("SELECT count(*) FROM recognitions WHERE level = '国家级' AND title IS NULL").fetchone()[0] == 1
    finally:
        con.close()


@pytest.mark.parametrize("role", ["admin", "viewer"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs(sparse_db, page, role):
    at = app(sparse_db, page, as_of=AS_OF, role=role)
    assert not at.exception, at.exception
    assert not [e.value for e in at.error if FAILED in e.value]


def test_every_person_file_opens_for_an_editor(sparse_db):
    for hid in _hero_ids(sparse_db):
        at = app(sparse_db, "pages/registry.py", as_of=AS_OF, role="editor", session={"reg_open": hid})
        assert not at.exception, (hid, at.exception)
        assert not [e.value for e in at.error if FAILED in e.value], hid
        assert any(f"档案编号 {hid}" in h.value for h in at.subheader), hid
        assert "nan" not in " ".join([m.value for m in at.markdown] + [c.value for c in at.caption]), hid


def test_press_page_with_national_recognition_without_title(sparse_db):
    at = app(sparse_db, "pages/press.py", as_of=AS_OF)
    assert not at.exception and not [e for e in at.error if FAILED in e.value]
    assert [h.value for h in at.subheader].count("典型事迹") == 1
    national = full_row(len(OPTIONAL) + 1)["姓名"]
    assert any(m.value.startswith(f"1. **{national}**（东昌府区）：") for m in at.markdown)


def test_every_press_export_with_every_person(sparse_db):
    as_of = dt.date.fromisoformat(AS_OF)
    con = store.connect_for_reading(sparse_db)
    try:
        ids = tuple(_hero_ids(sparse_db))
        frame = cases.candidates(con, as_of, None)
        labels = [cases.label(r) for _, r in frame.iterrows()]
        # no candidate: the persons without a recognition, without 表扬时间, without 登记日期, and with nothing
        assert len(ids) == 25 and len(labels) == 21
        assert all("nan" not in x and "None" not in x for x in labels)
        m = build_material(con, as_of, None, ids)
        national = next(c for c in m.cases if c.name == full_row(len(OPTIONAL) + 1)["姓名"])
        assert national.summary == "在东昌湖救起落水儿童一名。"                     # no “获评…” without a title
        for export in (to_docx, to_xlsx, to_pptx):
            assert len(export(m)) > 1000
    finally:
        con.close()
