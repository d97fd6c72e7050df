"""英模档案 reads: search conditions, masking for viewers, one person's file, 聊城义士, the xlsx export."""
from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest

from analytics import corrections, registry, store


@pytest.fixture(scope="module")
def con(demo_db_readonly):
    c = store.connect(demo_db_readonly, read_only=True)
    yield c
    c.close()


def _a_hero(con):
    return con.execute("SELECT hero_id, name, id_number, county, town, phone FROM heroes ORDER BY hero_id LIMIT 1 "
                       "OFFSET 10").fetchone()


def test_search_by_name_fragment_and_id_tail(con):
    hid, name, idn, county, town, phone = _a_hero(con)
    df, total = registry.search_heroes(con, name=name, role="admin")
    assert hid in set(df["hero_id"]) and total == len(df)
    assert all(name in n for n in df["name"])
    df, total = registry.search_heroes(con, id_last4=idn[-4:].lower(), role="admin")
    assert hid in set(df["hero_id"])
    assert all(i.endswith(idn[-4:]) for i in df["id_number"])


def test_search_conditions_combine_and_count(con):
    df, total = registry.search_heroes(con, county="东昌府", level="市级", status="健在", limit=5, role="admin")
    expected = con.execute(
        "SELECT count(*) FROM heroes h WHERE county = '东昌府区' AND status = '健在' AND EXISTS "
        "(SELECT 1 FROM recognitions r WHERE r.hero_id = h.hero_id AND r.level = '市级')").fetchone()[0]
    assert total == expected > 5 and len(df) == 5
    assert set(df["county"]) == {"东昌府区"} and set(df["status"]) == {"健在"}
    df, total = registry.search_heroes(con, deed_type="火灾救援", year=2023, role="admin", limit=10_000)
    assert total == len(df) > 0
    assert all("火灾救援" in t for t in df["deed_types"])
    assert all(d.year == 2023 for d in pd.to_datetime(df["registered_on"]))


def test_search_national_level_top_level(con):
    df, total = registry.search_heroes(con, level="国家级", role="admin")
    assert total >= 3 and set(df["top_level"]) == {"国家级"}


def test_like_wildcards_are_escaped(con):
    assert registry.like_pattern("a%b_c") == "%a\\%b\\_c%"
    df, total = registry.search_heroes(con, name="%", role="admin")
    assert total == 0
    df, total = registry.search_heroes(con, name="_", role="admin")
    assert total == 0


@pytest.mark.parametrize("kwargs, message", [
    ({"id_last4": "12"}, "后四位"), ({"county": "济南市"}, "不是聊城市"), ({"level": "乡级"}, "表扬级别"),
    ({"year": "二〇二四"}, "年份"), ({"deed_type": "救火"}, "事迹类型"),
])
def test_bad_search_input_gives_chinese_sentence(con, kwargs, message):
    with pytest.raises(registry.SearchError, match=message):
        registry.search_heroes(con, **kwargs)


def test_viewer_sees_masked_values(con):
    hid, name, idn, county, town, phone = _a_hero(con)
    df, _ = registry.search_heroes(con, name=name, county=county, role="viewer")
    row = df[df["hero_id"] == hid].iloc[0]
    assert row["id_number"] == idn[:6] + "********" + idn[-4:]
    assert row["phone"] == phone[:3] + "****" + phone[-4:]
    f = registry.person_file(con, hid, "viewer")
    assert f["person"]["id_number"] == row["id_number"] and f["person"]["phone"] == row["phone"]
    assert f["person"]["address"].endswith(town)
    full = registry.person_file(con, hid, "editor")
    assert full["person"]["id_number"] == idn and full["person"]["phone"] == phone


def test_person_file_has_deeds_steps_recognitions_assistance_and_origin(con):
    hid = con.execute("SELECT hero_id FROM studios ORDER BY studio_id LIMIT 1").fetchone()[0]
    f = registry.person_file(con, hid, "viewer")
    assert f["person"]["hero_id"] == hid
    assert len(f["deeds"]) >= 1
    for col in ("discovered_on", "investigated_on", "confirmed_on", "commended_on", "first_assisted_on"):
        assert col in f["deeds"].columns
    assert len(f["recognitions"]) >= 1
    assert len(f["studios"]) == 1 and f["studios"].iloc[0]["name"].startswith("见义勇为")
    assert f["person"]["plaque_on"] is not None
    assert f["created"]["kind"] == "demo"
    assert registry.person_file(con, 10**9) is None


def test_history_shows_changes_and_masks_for_viewers(demo_db):
    con = store.connect(demo_db)
    try:
        hid, name, idn, *_ = _a_hero(con)
        r = corrections.correct_person(con, hid, {"phone": "13900001111", "status": "受伤"}, actor="张科长",
                                       role="editor")
        h = registry.file_history(con, hid, "viewer")
        assert set(h["字段"]) == {"联系电话", "人员状态"}
        phone_row = h[h["字段"] == "联系电话"].iloc[0]
        assert phone_row["新值"] == "139****1111" and phone_row["操作人"] == "张科长"
        assert phone_row["change_id"] == r.change_id and phone_row["状态"] == "有效"
        h = registry.file_history(con, hid, "admin")
        assert h[h["字段"] == "联系电话"].iloc[0]["新值"] == "13900001111"
        corrections.undo(con, r.change_id, actor="张科长", role="editor")
        h = registry.file_history(con, hid, "viewer")
        assert "已撤销" in set(h["状态"]) and "撤销记录" in set(h["状态"])
    finally:
        con.close()


def test_outside_city_list(con):
    df = registry.outside_city_heroes(con, as_of=dt.date(2026, 10, 31))
    expected = con.execute("SELECT count(*) FROM deeds d JOIN deed_heroes USING (deed_id) "
                           "WHERE d.outside_city").fetchone()[0]
    assert len(df) == expected > 0
    assert df["place"].notna().all()
    assert any("聊城义士" in (r or "") for r in df["recognitions"])
    assert df["id_number"].isna().all() if "id_number" in df.columns else True
    only = registry.outside_city_heroes(con, county="冠县")
    assert set(only["county"]) <= {"冠县"}


def _read_xlsx(data: bytes) -> pd.DataFrame:
    return pd.read_excel(io.BytesIO(data), dtype=str)


def test_export_full_for_editors_masked_for_viewers(con):
    full = _read_xlsx(registry.export_xlsx(con, role="editor", county="冠县"))
    masked = _read_xlsx(registry.export_xlsx(con, role="viewer", county="冠县"))
    n = con.execute("SELECT count(*) FROM heroes WHERE county = '冠县'").fetchone()[0]
    assert len(full) == len(masked) == n
    assert full["身份证号"].str.fullmatch(r"\d{17}[\dX]").all()
    assert masked["身份证号"].str.fullmatch(r"\d{6}\*{8}[\dX]{4}").all()
    assert masked["联系电话"].str.contains(r"\*\*\*\*").all()
    assert list(full.columns[:3]) == ["档案编号", "姓名", "性别"]


def test_export_neutralizes_formulas(demo_db):
    con = store.connect(demo_db)
    try:
        hid = _a_hero(con)[0]
        corrections.correct_person(con, hid, {"employer": "=HYPERLINK(\"http://x\")"}, actor="t", role="admin")
        df = _read_xlsx(registry.export_xlsx(con, role="editor", name=_a_hero(con)[1]))
        assert df[df["档案编号"] == str(hid)].iloc[0]["工作单位"].startswith("'=")
    finally:
        con.close()


def test_directories_five_has_and_studios(con):
    from analytics import directories
    st = directories.workstations(con, "东昌府区", dt.date(2024, 7, 31))
    assert len(st) >= 14 and st["complete"].all()          # 东昌府区: every station meets all five
    summary = directories.five_has_by_county(con, None, dt.date(2024, 7, 31))
    assert summary["workstations"].sum() == len(directories.workstations(con, None, dt.date(2024, 7, 31)))
    assert (summary["complete"] <= summary["workstations"]).all()
    assert len(directories.studios(con, None, dt.date(2024, 7, 31))) == 20   # DOMAIN.md: 20 studios in 2024
    assert len(directories.studios(con, None, dt.date(2025, 4, 30))) == 25
