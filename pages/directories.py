"""工作站与工作室名录: the workstation directory with its 五有 checks, and the hero studios; editors add and edit."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import corrections, labels, privacy, reference
from analytics.metrics.figures import figure
from ui import auth, charts, queries, writes
from ui.filters import Filters, current
from ui.formatting import cell_text as fmt
from ui.formatting import date_texts
from ui.text import plain

STATION_LABELS = {**labels.DIRECTORY_STATIONS, **reference.FIVE_HAS}
SUMMARY_LABELS = {**labels.FIVE_HAS_SUMMARY, **reference.FIVE_HAS}


def write(fn, *args, success: str, **kwargs) -> None:
    writes.write(fn, *args, success=success, flash_key="dir_flash", unchanged="内容与名录一致，未作修改。", **kwargs)


def _county_index(counties: list[str], county: str | None) -> int:
    return counties.index(county) if county in counties else 0


def _edits(typed: dict, cur: dict) -> dict:
    return {k: v for k, v in typed.items() if v != cur[k]}


def _pick(frame: pd.DataFrame, id_col: str, describe, label: str, key: str) -> tuple[int, pd.Series]:
    """(id, row) of the station or studio chosen for editing."""
    names = {int(getattr(r, id_col)): describe(r) for r in frame.itertuples()}
    unit_id = st.selectbox(label, list(names), format_func=names.get, key=key)
    return unit_id, frame[frame[id_col] == unit_id].iloc[0]


def _current(row) -> dict:
    """A station's or studio's fields as the edit form shows them."""
    return {"name": row["name"], "county": row["county"],
            **{f: fmt(row[f]) for f in ("town", "established_on", "head")}}


def _unit_inputs(spec: list[tuple], cur: dict, names: dict[str, str], counties: list[str]) -> dict:
    """The edit form's inputs: (field, column[, widget key]) each, 县市区 as a list, the rest as text."""
    typed = {}
    for field, col, *key in spec:
        key = key[0] if key else None
        if field == "county":
            typed[field] = col.selectbox(names[field], counties, index=_county_index(counties, cur[field]), key=key)
        else:
            typed[field] = col.text_input(names[field], value=cur[field], key=key)
    return typed


def _save_edits(kind: str, unit_id: int, typed: dict, cur: dict, success: str) -> None:
    edits = _edits(typed, cur)
    if not edits:
        st.info("没有改动任何项目。")
    else:
        write(corrections.update_unit, kind, unit_id, edits, success=success)


# ---- 见义勇为工作站 -----------------------------------------------------------------------------------------------

def stations_tab(f: Filters, role: str, can_edit: bool, counties: list[str]) -> None:
    stations = privacy.mask_frame(queries.workstations(f.county, f.as_of), role)
    c1, c2, c3 = st.columns(3)
    c1.metric("工作站", f"{len(stations)}个", border=True)
    done = int(stations["complete"].sum()) if len(stations) else 0
    c2.metric("“五有”齐全", f"{done}个", border=True)
    c3.metric("“五有”达标率", f"{done / len(stations):.1%}" if len(stations) else "—", border=True)
    if stations.empty:
        st.info("所选范围内尚无工作站。")
    else:
        stations_table(stations, f)
    if can_edit:
        with st.expander("新增工作站", icon=":material/add:"):
            new_station_form(f, counties)
        if not stations.empty:
            with st.expander("修改工作站信息", icon=":material/edit:"):
                edit_station_form(stations, counties)


def stations_table(stations: pd.DataFrame, f: Filters) -> None:
    if f.county is None:
        summary = queries.five_has_by_county(f.county, f.as_of).rename(columns=SUMMARY_LABELS)
        with st.expander("各县市区“五有”情况"):
            charts.table_with_downloads(summary, "各县市区工作站“五有”情况", key="dir_summary")
    only_gaps = st.toggle("只看“五有”未齐全的工作站", key="dir_gaps")
    view = stations[~stations["complete"]] if only_gaps else stations
    table = view.assign(established_on=date_texts(view["established_on"])).rename(columns=STATION_LABELS)
    charts.table_with_downloads(table.drop(columns=["complete"]), "见义勇为工作站名录", key="dir_stations",
                                height=min(520, 38 + 35 * len(table)),
                                column_config={label: st.column_config.CheckboxColumn(label)
                                               for label in reference.FIVE_HAS.values()})


def new_station_form(f: Filters, counties: list[str]) -> None:
    with st.form("new_station"):
        c1, c2, c3 = st.columns(3)
        new = {"name": c1.text_input("名称", placeholder="如 古楼街道见义勇为工作站", key="ns_name"),
               "county": c2.selectbox("县市区", counties, index=_county_index(counties, f.county), key="ns_county"),
               "town": c3.text_input("镇街", key="ns_town"),
               "established_on": c1.text_input("成立日期", placeholder="如 2024-05-01", key="ns_est"),
               "head": c2.text_input("站长", key="ns_head")}
        cols = st.columns(5)
        for i, (col, label) in enumerate(reference.FIVE_HAS.items()):
            new[col] = cols[i].checkbox(label, key=f"new_{col}")
        if st.form_submit_button("保存", type="primary"):
            write(corrections.add_unit, "station", new, success=f"已新增工作站“{plain(new['name'])}”")


def edit_station_form(stations: pd.DataFrame, counties: list[str]) -> None:
    sid, row = _pick(stations, "station_id", lambda r: f"{r.county} · {r.name}（编号 {r.station_id}）", "选择工作站",
                     "edit_station")
    with st.form(f"edit_station_{sid}"):
        c1, c2, c3 = st.columns(3)
        cur = _current(row)
        typed = _unit_inputs([("name", c1), ("county", c2), ("town", c3), ("established_on", c1),
                              ("head", c2, f"es_head_{sid}")], cur, labels.DIRECTORY_STATIONS, counties)
        cols = st.columns(5)
        for i, (col, label) in enumerate(reference.FIVE_HAS.items()):
            cur[col] = bool(row[col]) if not pd.isna(row[col]) else False
            typed[col] = cols[i].checkbox(label, value=cur[col], key=f"edit_{col}_{sid}")
        if st.form_submit_button("保存修改", type="primary"):
            _save_edits("station", sid, typed, cur, f"已修改工作站“{plain(row['name'])}”")


# ---- 英模工作室 ----------------------------------------------------------------------------------------------

def studios_tab(f: Filters, role: str, can_edit: bool, counties: list[str]) -> None:
    sds = privacy.mask_frame(queries.studios(f.county, f.as_of), role)
    st.metric("英模工作室", f"{len(sds)}{figure('studios').unit}", border=True)
    if sds.empty:
        st.info("所选范围内尚无英模工作室。")
    else:
        studios_table(sds)
    if can_edit:
        with st.expander("新增英模工作室", icon=":material/add:"):
            new_studio_form(f, counties)
        if not sds.empty:
            with st.expander("修改英模工作室信息", icon=":material/edit:"):
                edit_studio_form(sds, counties)


def studios_table(sds: pd.DataFrame) -> None:
    table = sds.assign(established_on=date_texts(sds["established_on"])).rename(columns=labels.DIRECTORY_STUDIOS)
    hero_col = labels.DIRECTORY_STUDIOS["hero_id"]
    charts.table_with_downloads(table, "英模工作室名录", key="dir_studios",
                                column_config={hero_col: st.column_config.NumberColumn(format="%d")})
    named = sds.dropna(subset=["hero_id"]).drop_duplicates("hero_id")
    heroes = {int(h): f"{fmt(n) or '姓名未填'}（档案编号 {int(h)}）"
              for h, n in zip(named["hero_id"].tolist(), named["hero_name"].tolist())}
    pick = st.selectbox("查看命名英模的档案", [None, *heroes],
                        format_func=lambda h: "（请选择）" if h is None else heroes[h], key="dir_hero")
    if pick is not None and st.button("打开档案", key="dir_open", icon=":material/badge:"):
        st.session_state["reg_open"] = int(pick)
        st.switch_page("pages/registry.py", query_params={"hero": str(pick)})


def new_studio_form(f: Filters, counties: list[str]) -> None:
    with st.form("new_studio"):
        c1, c2, c3 = st.columns(3)
        new = {"name": c1.text_input("名称", placeholder="如 见义勇为陈强工作室"),
               "county": c2.selectbox("县市区", counties, index=_county_index(counties, f.county)),
               "town": c3.text_input("镇街"),
               "hero_id": c1.text_input("命名英模档案编号", help="可在“英模档案”中查到"),
               "established_on": c2.text_input("成立日期", placeholder="如 2024-05-01"),
               "head": c3.text_input("负责人")}
        if st.form_submit_button("保存", type="primary"):
            write(corrections.add_unit, "studio", new, success=f"已新增英模工作室“{plain(new['name'])}”")


def edit_studio_form(sds: pd.DataFrame, counties: list[str]) -> None:
    sdid, row = _pick(sds, "studio_id", lambda r: f"{r.name}（编号 {r.studio_id}）", "选择工作室", "edit_studio")
    with st.form(f"edit_studio_{sdid}"):
        c1, c2, c3 = st.columns(3)
        cur = {**_current(row), "hero_id": fmt(int(row["hero_id"])) if not pd.isna(row["hero_id"]) else ""}
        typed = _unit_inputs([("name", c1), ("county", c2), ("town", c3), ("hero_id", c1), ("established_on", c2),
                              ("head", c3)], cur, labels.DIRECTORY_STUDIOS, counties)
        if st.form_submit_button("保存修改", type="primary"):
            _save_edits("studio", sdid, typed, cur, f"已修改英模工作室“{plain(row['name'])}”")


def main() -> None:
    role = auth.require_page(__file__).role
    can_edit = privacy.can(role, "edit")
    f = current()
    st.title("工作站与工作室名录")
    st.caption(f"{f.scope} · 截至 {f.as_of:%Y年%m月%d日} 已成立的见义勇为工作站和英模工作室。"
               "工作站按“五有”标准检查：" + "、".join(reference.FIVE_HAS.values()) + "。")
    writes.show_flash("dir_flash")
    counties = reference.county_names()
    t_st, t_sd = st.tabs(["见义勇为工作站", "英模工作室"])
    with t_st:
        stations_tab(f, role, can_edit, counties)
    with t_sd:
        studios_tab(f, role, can_edit, counties)


main()
