"""工作站与工作室名录: the workstation directory with its 五有 checks, and the hero studios; editors add and edit."""
from __future__ import annotations


import pandas as pd
import streamlit as st

from analytics import corrections, privacy, reference
from ui import auth, charts, queries, writes
from ui.formatting import cell_text, date_texts
from ui.filters import current
from ui.text import plain

auth.require_page(__file__)


fmt = cell_text


def write(fn, *args, success: str, **kwargs) -> None:
    writes.write(fn, *args, success=success, flash_key="dir_flash", unchanged="内容与名录一致，未作修改。", **kwargs)


actor, role = auth.user().username, auth.user().role
can_edit = privacy.can(role, "edit")
f = current()
st.title("工作站与工作室名录")
st.caption(f"{f.scope} · 截至 {f.as_of:%Y年%m月%d日} 已成立的见义勇为工作站和英模工作室。"
           "工作站按“五有”标准检查：" + "、".join(reference.FIVE_HAS.values()) + "。")
writes.show_flash("dir_flash")

counties = reference.county_names()
t_st, t_sd = st.tabs(["见义勇为工作站", "英模工作室"])

with t_st:
    stations = privacy.mask_frame(queries.workstations(f.county, f.as_of), role)
    c1, c2, c3 = st.columns(3)
    c1.metric("工作站", f"{len(stations)}个", border=True)
    done = int(stations["complete"].sum()) if len(stations) else 0
    c2.metric("“五有”齐全", f"{done}个", border=True)
    c3.metric("“五有”达标率", f"{done / len(stations):.1%}" if len(stations) else "—", border=True)
    if stations.empty:
        st.info("所选范围内尚无工作站。")
    else:
        summary = queries.five_has_by_county(f.county, f.as_of)
        if f.county is None:
            with st.expander("各县市区“五有”情况"):
                charts.table_with_downloads(summary, "各县市区工作站“五有”情况", key="dir_summary")
        only_gaps = st.toggle("只看“五有”未齐全的工作站", key="dir_gaps")
        view = stations[~stations["complete"]] if only_gaps else stations
        table = view.assign(established_on=date_texts(view["established_on"])).rename(columns={
            "station_id": "编号", "name": "名称", "county": "县市区", "town": "镇街", "established_on": "成立日期",
            "head": "站长", "five_has": "五有项数", **reference.FIVE_HAS}).drop(columns=["complete"])
        charts.table_with_downloads(table, "见义勇为工作站名录", key="dir_stations",
                                    height=min(520, 38 + 35 * len(table)),
                                    column_config={label: st.column_config.CheckboxColumn(label)
                                                   for label in reference.FIVE_HAS.values()})
    if can_edit:
        with st.expander("新增工作站", icon=":material/add:"):
            with st.form("new_station"):
                c1, c2, c3 = st.columns(3)
                new = {"name": c1.text_input("名称", placeholder="如 古楼街道见义勇为工作站", key="ns_name"),
                       "county": c2.selectbox("县市区", counties,
                                              index=counties.index(f.county) if f.county else 0, key="ns_county"),
                       "town": c3.text_input("镇街", key="ns_town"),
                       "established_on": c1.text_input("成立日期", placeholder="如 2024-05-01", key="ns_est"),
                       "head": c2.text_input("站长", key="ns_head")}
                cols = st.columns(5)
                for i, (col, label) in enumerate(reference.FIVE_HAS.items()):
                    new[col] = cols[i].checkbox(label, key=f"new_{col}")
                if st.form_submit_button("保存", type="primary"):
                    write(corrections.add_unit, "station", new, success=f"已新增工作站“{plain(new['name'])}”")
        if not stations.empty:
            with st.expander("修改工作站信息", icon=":material/edit:"):
                names = {int(r.station_id): f"{r.county} · {r.name}（编号 {r.station_id}）" for r in stations.itertuples()}
                sid = st.selectbox("选择工作站", list(names), format_func=names.get, key="edit_station")
                row = stations[stations["station_id"] == sid].iloc[0]
                with st.form(f"edit_station_{sid}"):
                    c1, c2, c3 = st.columns(3)
                    cur = {"name": row["name"], "county": row["county"], "town": fmt(row["town"]),
                           "established_on": fmt(row["established_on"]), "head": fmt(row["head"])}
                    typed = {"name": c1.text_input("名称", value=cur["name"]),
                             "county": c2.selectbox("县市区", counties, index=counties.index(cur["county"])
                                                    if cur["county"] in counties else 0),
                             "town": c3.text_input("镇街", value=cur["town"]),
                             "established_on": c1.text_input("成立日期", value=cur["established_on"]),
                             "head": c2.text_input("站长", value=cur["head"], key=f"es_head_{sid}")}
                    cols = st.columns(5)
                    for i, (col, label) in enumerate(reference.FIVE_HAS.items()):
                        cur[col] = bool(row[col]) if not pd.isna(row[col]) else False
                        typed[col] = cols[i].checkbox(label, value=cur[col], key=f"edit_{col}_{sid}")
                    if st.form_submit_button("保存修改", type="primary"):
                        edits = {k: v for k, v in typed.items() if v != cur[k]}
                        if not edits:
                            st.info("没有改动任何项目。")
                        else:
                            write(corrections.update_unit, "station", sid, edits, success=f"已修改工作站“{plain(row['name'])}”")

with t_sd:
    sds = privacy.mask_frame(queries.studios(f.county, f.as_of), role)
    st.metric("英模工作室", f"{len(sds)}个", border=True)
    if sds.empty:
        st.info("所选范围内尚无英模工作室。")
    else:
        table = sds.assign(established_on=date_texts(sds["established_on"])).rename(columns={
            "studio_id": "编号", "name": "名称", "county": "县市区", "town": "镇街", "hero_id": "命名英模档案编号",
            "hero_name": "命名英模", "established_on": "成立日期", "head": "负责人"})
        charts.table_with_downloads(table, "英模工作室名录", key="dir_studios",
                                    column_config={"命名英模档案编号": st.column_config.NumberColumn(format="%d")})
        named = sds.dropna(subset=["hero_id"]).drop_duplicates("hero_id")
        heroes = {int(h): f"{fmt(n) or '姓名未填'}（档案编号 {int(h)}）"
                  for h, n in zip(named["hero_id"].tolist(), named["hero_name"].tolist())}
        pick = st.selectbox("查看命名英模的档案", [None, *heroes],
                            format_func=lambda h: "（请选择）" if h is None else heroes[h], key="dir_hero")
        if pick is not None and st.button("打开档案", key="dir_open", icon=":material/badge:"):
            st.session_state["reg_open"] = int(pick)
            st.switch_page("pages/registry.py", query_params={"hero": str(pick)})
    if can_edit:
        with st.expander("新增英模工作室", icon=":material/add:"):
            with st.form("new_studio"):
                c1, c2, c3 = st.columns(3)
                new = {"name": c1.text_input("名称", placeholder="如 见义勇为陈强工作室"),
                       "county": c2.selectbox("县市区", counties, index=counties.index(f.county) if f.county else 0),
                       "town": c3.text_input("镇街"),
                       "hero_id": c1.text_input("命名英模档案编号", help="可在“英模档案”中查到"),
                       "established_on": c2.text_input("成立日期", placeholder="如 2024-05-01"),
                       "head": c3.text_input("负责人")}
                if st.form_submit_button("保存", type="primary"):
                    write(corrections.add_unit, "studio", new, success=f"已新增英模工作室“{plain(new['name'])}”")
        if not sds.empty:
            with st.expander("修改英模工作室信息", icon=":material/edit:"):
                names = {int(r.studio_id): f"{r.name}（编号 {r.studio_id}）" for r in sds.itertuples()}
                sdid = st.selectbox("选择工作室", list(names), format_func=names.get, key="edit_studio")
                row = sds[sds["studio_id"] == sdid].iloc[0]
                with st.form(f"edit_studio_{sdid}"):
                    c1, c2, c3 = st.columns(3)
                    cur = {"name": row["name"], "county": row["county"], "town": fmt(row["town"]),
                           "hero_id": fmt(int(row["hero_id"])) if not pd.isna(row["hero_id"]) else "",
                           "established_on": fmt(row["established_on"]), "head": fmt(row["head"])}
                    typed = {"name": c1.text_input("名称", value=cur["name"]),
                             "county": c2.selectbox("县市区", counties, index=counties.index(cur["county"])
                                                    if cur["county"] in counties else 0),
                             "town": c3.text_input("镇街", value=cur["town"]),
                             "hero_id": c1.text_input("命名英模档案编号", value=cur["hero_id"]),
                             "established_on": c2.text_input("成立日期", value=cur["established_on"]),
                             "head": c3.text_input("负责人", value=cur["head"])}
                    if st.form_submit_button("保存修改", type="primary"):
                        edits = {k: v for k, v in typed.items() if v != cur[k]}
                        if not edits:
                            st.info("没有改动任何项目。")
                        else:
                            write(corrections.update_unit, "studio", sdid, edits,
                                  success=f"已修改英模工作室“{plain(row['name'])}”")
