"""英模档案: search the registry, open one person's file (一人一档), correct it, undo, export."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from analytics import corrections, fields, privacy, reference, registry, values
from analytics.fields import LABELS
from analytics.registry import SearchError
from ui import auth, db, queries, writes
from ui.filters import current
from ui.formatting import cell_text as fmt
from ui.formatting import date_texts
from ui.text import plain

ANY = "全部"
PAGE_SIZE = 500
NONE_LABEL = "（请选择人员）"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHOICES = {"gender": ["男", "女"], "status": reference.STATUSES, "political_status": reference.POLITICAL_STATUSES,
           "education": reference.EDUCATION, "occupation": reference.OCCUPATIONS}


def write(fn, *args, success: str, **kwargs):
    return writes.write(fn, *args, success=success, flash_key="reg_flash", unchanged="内容与档案一致，未作修改。",
                        undo_hint="，可在“变更记录”中撤销", **kwargs)


def _any(value):
    return None if value == ANY else value


# ---- search -------------------------------------------------------------------------------------------------

def search_form(default_county: str | None) -> tuple[dict, str]:
    """The search conditions and the sort order the user chose."""
    if "reg_county" not in st.session_state:
        st.session_state["reg_county"] = default_county or ANY
    with st.container(border=True):
        c1, c2, c3, c4 = st.columns(4)
        name = c1.text_input("姓名", key="reg_name", placeholder="可输入姓名中的一部分", max_chars=20)
        tail = c2.text_input("身份证号后四位", key="reg_tail", max_chars=4, placeholder="如 1234 或 123X")
        county = c3.selectbox("县市区（户籍地）", [ANY, *reference.county_names()], key="reg_county")
        towns = queries.towns_in_registry(_any(county))
        if st.session_state.get("reg_town", ANY) not in (ANY, *towns):  # the county changed under it
            st.session_state["reg_town"] = ANY
        town = c4.selectbox("镇街", [ANY, *towns], key="reg_town")
        c5, c6, c7, c8, c9 = st.columns(5)
        level = c5.selectbox("表扬级别", [ANY, *reference.LEVELS], key="reg_level", help="受到过该级别表扬的人员")
        status = c6.selectbox("人员状态", [ANY, *reference.STATUSES], key="reg_status")
        deed_type = c7.selectbox("事迹类型", [ANY, *reference.DEED_TYPES], key="reg_deed_type")
        year = c8.selectbox("登记年度", [ANY, *queries.registration_years()], key="reg_year")
        sort = c9.selectbox("排序", list(registry.SORTS), format_func=lambda k: registry.SORTS[k][0], key="reg_sort")
    conditions = {"name": name or None, "id_last4": tail or None, "county": _any(county), "town": _any(town),
                  "level": _any(level), "status": _any(status), "deed_type": _any(deed_type),
                  "year": None if year == ANY else int(year)}
    return conditions, sort


def results_table(role: str, conditions: dict, sort: str) -> pd.DataFrame:
    """The matching people as a selectable table (a pick opens the file), with the Excel export."""
    results, total = pd.DataFrame(), 0
    try:
        results, total = queries.search_heroes(role, sort, PAGE_SIZE, **conditions)
    except SearchError as exc:
        st.error(str(exc))
    if total == 0:
        st.info("没有符合条件的人员，请调整查询条件。")
        return results
    shown = f"，按{registry.SORTS[sort][0]}显示前 {len(results):,} 人，可缩小查询条件" if total > len(results) else ""
    st.markdown(f"共找到 **{total:,}** 人{shown}。")
    st.caption("勾选表格左侧的方框，或在表格下方“查看档案”中选择，即可查看该人员档案。")
    table = results.rename(columns=registry.RESULT_LABELS)
    table[registry.RESULT_LABELS["outside_city"]] = results["outside_city"].map({True: "是", False: ""})
    for col in ("top_level", "deed_types"):
        table[registry.RESULT_LABELS[col]] = results[col].fillna("")
    event = st.dataframe(
        table, key="reg_table", on_select="rerun", selection_mode="single-row", hide_index=True,
        width="stretch", height=min(420, 38 + 35 * len(table)),
        column_config={
            registry.RESULT_LABELS["hero_id"]: st.column_config.NumberColumn(format="%d", width="small"),
            **{registry.RESULT_LABELS[c]: st.column_config.DateColumn(format="YYYY-MM-DD")
               for c in ("birth_date", "registered_on", "last_deed_date")},
        })
    rows = event.selection.rows if event is not None and hasattr(event, "selection") else []
    picked = int(results.iloc[rows[0]]["hero_id"]) if rows else None
    if picked is not None and picked != st.session_state.get("reg_last_pick"):
        st.session_state["reg_last_pick"] = picked
        st.session_state["reg_open"] = picked
    export(role, conditions, sort, total)
    return results


def export(role: str, conditions: dict, sort: str, total: int) -> None:
    with st.expander("导出查询结果（Excel）"):
        note = ("导出内容含完整身份证号、联系电话和住址，请妥善保管，不得外传。" if privacy.can(role, "export_personal")
                else "导出内容中的身份证号、联系电话和住址已脱敏。")
        st.caption(f"将导出全部 {total:,} 人（不限于上表显示的前 {PAGE_SIZE} 人）。{note}")

        def make_xlsx() -> bytes:
            c = db.cursor()
            try:
                return registry.export_xlsx(c, role=role, sort=sort, **conditions)
            finally:
                c.close()

        st.download_button("下载 Excel 文件", data=make_xlsx, file_name=f"英模档案_{dt.date.today():%Y%m%d}.xlsx",
                           mime=XLSX, key="reg_export", icon=":material/download:")


# ---- which file is open -------------------------------------------------------------------------------------

def open_file_id(results: pd.DataFrame) -> int | None:
    """The hero whose file is open: picked in the table, in 查看档案, or named by ?hero= in the URL."""
    if "reg_open" not in st.session_state and st.query_params.get("hero", "").isdigit():
        st.session_state["reg_open"] = int(st.query_params["hero"])
    open_id = st.session_state.get("reg_open")
    labels = {int(r.hero_id): f"{r.name} · {r.county} · 档案编号 {r.hero_id}" for r in results.itertuples()}
    if open_id is not None and open_id not in labels:
        labels = {open_id: queries.hero_label(int(open_id)) or f"档案编号 {open_id}", **labels}
    by_label = {v: k for k, v in labels.items()}

    def picked() -> None:
        st.session_state["reg_open"] = by_label.get(st.session_state.get("reg_pick"))

    if labels:
        want = labels.get(open_id, NONE_LABEL)
        if st.session_state.get("reg_pick") != want:
            st.session_state["reg_pick"] = want
        st.selectbox("查看档案", [NONE_LABEL, *labels.values()], key="reg_pick", on_change=picked)
    open_id = st.session_state.get("reg_open")
    if open_id is not None and st.query_params.get("hero") != str(open_id):
        st.query_params["hero"] = str(open_id)
    return open_id


def person_file(open_id: int, role: str, can_edit: bool) -> None:
    file = queries.person_file(int(open_id), role)
    if file is None:
        st.warning(f"找不到档案编号为 {open_id} 的人员，可能已被撤销。")
        return
    p = file["person"]
    hid = int(p["hero_id"])
    st.divider()
    st.subheader(f"{plain(p['name'])}（档案编号 {hid}）")
    badges = [plain(fmt(p["county"]) + fmt(p["town"])) or "县市区未填", plain(p["status"]) or "状态未填",
              f"登记日期 {fmt(p['registered_on']) or '未填'}"]
    if len(file["deeds"]) and file["deeds"]["outside_city"].any():
        badges.append("聊城义士（市域外见义勇为）")
    st.caption(" · ".join(badges))
    t_info, t_deeds, t_rec, t_assist, t_honor, t_hist = st.tabs(
        ["基本信息", f"事迹（{len(file['deeds'])}）", f"表扬（{len(file['recognitions'])}）",
         f"帮扶（{len(file['assistance'])}）", "工作室与光荣牌", "变更记录"])
    with t_info:
        info_tab(p, hid, can_edit)
    with t_deeds:
        deeds_tab(file["deeds"], p, hid, can_edit)
    with t_rec:
        recognitions_tab(file, p, hid, can_edit)
    with t_assist:
        assistance_tab(file["assistance"], p, hid, can_edit)
    with t_honor:
        honor_tab(p, file["studios"])
    with t_hist:
        history_tab(file, hid, role)


# ---- personal data ------------------------------------------------------------------------------------------

def info_tab(p: dict, hid: int, can_edit: bool) -> None:
    cols = st.columns(3)
    for i, field in enumerate(fields.PERSON_FILE):
        cols[i % 3].markdown(f"**{LABELS[field]}**：{plain(p[field]) or '—'}")
    if p.get("updated_at"):
        st.caption(f"最近更正：{fmt(p['updated_at'])}")
    if can_edit:
        with st.expander("更正基本信息", icon=":material/edit:"):
            st.caption("只保存改动过的项目；校验规则与表格导入相同（身份证号校验位、日期、县市区、人员状态等）。"
                       "日期可写作 2024-05-01、2024/5/1 或 2024年5月1日。")
            person_form(p, hid)


def _shown_key(hid: int) -> str:
    return f"pf_shown_{hid}"


def _shown(p: dict, hid: int) -> dict:
    """What the correction form shows: the record's version and values when its inputs were created. Kept while
    the inputs live (they keep what the user typed across reruns), so a save is checked against the record the
    user saw, not against one re-read after someone else saved."""
    key = _shown_key(hid)
    if f"pf_name_{hid}" not in st.session_state or key not in st.session_state:
        st.session_state[key] = {"version": p.get("version"),
                                 "values": {f: fmt(p[f]) for f in fields.EDITABLE}}
    return st.session_state[key]


def _saved(hid: int) -> None:
    """After a save: the next run takes the stored record as what the form shows."""
    st.session_state.pop(_shown_key(hid), None)
    st.session_state.pop(f"pf_stale_{hid}", None)


def _reload_person(hid: int) -> None:
    """Drop the form's inputs and what it showed: the next run shows the record as stored now."""
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith("pf_") and k.endswith(f"_{hid}")]:
        del st.session_state[key]


def person_form(p: dict, hid: int) -> None:
    shown = _shown(p, hid)
    choices = {**CHOICES, "county": reference.county_names()}
    with st.form(f"person_form_{hid}"):
        cols = st.columns(3)
        typed = {}
        for i, field in enumerate(fields.EDITABLE):
            label, value = LABELS[field], fmt(p[field])
            if field in choices:
                opts = ["", *choices[field]]
                if value not in opts:
                    opts.append(value)
                typed[field] = cols[i % 3].selectbox(label, opts, index=opts.index(value), key=f"pf_{field}_{hid}")
            else:
                typed[field] = cols[i % 3].text_input(label, value=value, key=f"pf_{field}_{hid}")
        reason = st.text_input("更正原因（记入变更记录）", key=f"pf_reason_{hid}")
        submitted = st.form_submit_button("保存更正", type="primary")
    if submitted:
        edits = {k: v for k, v in typed.items() if v != shown["values"][k]}
        if not edits:
            st.info("没有改动任何项目。")
        else:
            refused = write(corrections.correct_person, hid, edits, reason=reason, version=shown["version"],
                            on_success=lambda: _saved(hid),
                            success=f"已更正{plain(p['name'])}的{'、'.join(LABELS[k] for k in edits)}")
            if refused is not None and refused.message == corrections.STALE:
                st.session_state[f"pf_stale_{hid}"] = True
    if st.session_state.get(f"pf_stale_{hid}"):
        st.button("放弃本次填写，显示最新档案", key=f"pf_reload_{hid}", icon=":material/refresh:",
                  on_click=_reload_person, args=(hid,))


# ---- deeds and the five steps -------------------------------------------------------------------------------

def deeds_tab(deeds: pd.DataFrame, p: dict, hid: int, can_edit: bool) -> None:
    if deeds.empty:
        st.info("档案中尚无事迹记录。")
    for d in deeds.itertuples():
        with st.container(border=True):
            deed_card(d)
            if can_edit:
                with st.expander(f"更正此事迹（事迹编号 {d.deed_id}）", icon=":material/edit:"):
                    deed_form(d, hid)
    if can_edit:
        with st.expander("新增事迹", icon=":material/add:"):
            new_deed_form(p, hid)


def deed_card(d) -> None:
    where = plain(d.place) or plain(d.county)
    st.markdown(f"**{fmt(d.deed_date) or '时间未填'} · {plain(d.deed_type) or '类型未填'}** · {where}"
                + (" · :orange[市域外]" if not pd.isna(d.outside_city) and bool(d.outside_city) else ""))
    if fmt(d.summary):
        st.markdown(plain(d.summary))
    if fmt(d.co_heroes):
        st.caption(f"同一事迹的其他人员：{plain(d.co_heroes)}")
    steps = []
    base = pd.Timestamp(d.deed_date) if d.deed_date is not None and not pd.isna(d.deed_date) else None
    for col, label in reference.FIVE_STEPS:
        v = getattr(d, col)
        has = v is not None and not pd.isna(v)
        days = (pd.Timestamp(v) - base).days if has and base is not None else None
        steps.append({"环节": label, "日期": fmt(v) if has else "未办理", "距事迹发生": f"{days}天" if days is not None else ""})
    st.table(pd.DataFrame(steps).set_index("环节").T)


def deed_form(d, hid: int) -> None:
    cur_vals = {f: fmt(getattr(d, f)) for f in ("deed_date", "place", "deed_type", "summary",
                                                *[c for c, _ in reference.FIVE_STEPS])}
    with st.form(f"deed_form_{hid}_{d.deed_id}"):
        cols = st.columns(3)
        typed = {}
        for i, (field, value) in enumerate(cur_vals.items()):
            if field == "deed_type":
                opts = ["", *values.choices_with(reference.DEED_TYPES, value)]
                typed[field] = cols[i % 3].selectbox(LABELS[field], opts, index=opts.index(value) if value in opts else 0,
                                                     key=f"df_{field}_{d.deed_id}")
            else:
                typed[field] = cols[i % 3].text_input(LABELS[field], value=value, key=f"df_{field}_{d.deed_id}")
        ok = st.form_submit_button("保存更正", type="primary")
    if ok:
        edits = {k: v for k, v in typed.items() if v != cur_vals[k]}
        if not edits:
            st.info("没有改动任何项目。")
        else:
            write(corrections.correct_deed, hid, int(d.deed_id), edits,
                  success=f"已更正事迹 {d.deed_id} 的{'、'.join(LABELS[k] for k in edits)}")


def new_deed_form(p: dict, hid: int) -> None:
    with st.form(f"new_deed_{hid}", clear_on_submit=False):
        c1, c2, c3 = st.columns(3)
        nd = {"deed_date": c1.text_input("事迹时间", key=f"nd_date_{hid}", placeholder="如 2024-05-01"),
              "deed_type": c2.selectbox("事迹类型", reference.DEED_TYPES, key=f"nd_type_{hid}"),
              "outside_city": "是" if c3.checkbox("市域外事迹（聊城义士）", key=f"nd_out_{hid}") else "否",
              "place": st.text_input("事迹地点", key=f"nd_place_{hid}", placeholder="市域外请写明省市县"),
              "summary": st.text_area("事迹简介", key=f"nd_summary_{hid}", height=80)}
        cols = st.columns(5)
        for i, (col, label) in enumerate(reference.FIVE_STEPS):
            nd[col] = cols[i].text_input(label, key=f"nd_{col}_{hid}", placeholder="日期，可空")
        if st.form_submit_button("保存事迹", type="primary"):
            write(corrections.add_deed, hid, nd, success=f"已为{plain(p['name'])}新增事迹")


# ---- recognitions and assistance ----------------------------------------------------------------------------

def recognitions_tab(file: dict, p: dict, hid: int, can_edit: bool) -> None:
    rec = file["recognitions"]
    if rec.empty:
        st.info("档案中尚无表扬记录。")
    else:
        show = rec.assign(recognized_on=date_texts(rec["recognized_on"]))[
            ["level", "recognized_on", "title", "form", "award_yuan"]].rename(columns=LABELS)
        st.dataframe(show, hide_index=True, width="stretch",
                     column_config={LABELS["award_yuan"]: st.column_config.NumberColumn(format="%.2f")})
    if not can_edit:
        return
    with st.expander("新增表扬", icon=":material/add:"):
        deed_opts = [None, *[int(x) for x in file["deeds"]["deed_id"]]]
        with st.form(f"new_rec_{hid}"):
            c1, c2, c3 = st.columns(3)
            nr = {"level": c1.selectbox("表扬级别", reference.LEVELS, index=2, key=f"nr_level_{hid}"),
                  "recognized_on": c2.text_input("表扬时间", key=f"nr_date_{hid}",
                                                 placeholder="如 2024-05-01 或 2024年5月"),
                  "form": c3.selectbox("表扬形式", ["", *reference.RECOGNITION_FORMS], key=f"nr_form_{hid}"),
                  "title": c1.selectbox("荣誉称号", ["", *reference.TITLES], key=f"nr_title_{hid}",
                                        accept_new_options=True),
                  "award_yuan": c2.text_input("奖金（元）", key=f"nr_award_{hid}", placeholder="如 5000 或 0.5万"),
                  "deed_id": c3.selectbox("对应事迹", deed_opts, key=f"nr_deed_{hid}",
                                          format_func=lambda x: "（不指定）" if x is None else f"事迹编号 {x}")}
            if st.form_submit_button("保存表扬", type="primary"):
                write(corrections.add_recognition, hid, nr, success=f"已为{plain(p['name'])}新增{nr['level']}表扬")


def assistance_tab(ast: pd.DataFrame, p: dict, hid: int, can_edit: bool) -> None:
    if ast.empty:
        st.info("档案中尚无帮扶记录。")
    else:
        total_yuan = pd.to_numeric(ast["amount_yuan"], errors="coerce").sum()
        st.caption(f"共 {len(ast)} 人次，金额合计 {total_yuan:,.2f} 元")
        show = ast.assign(assisted_on=date_texts(ast["assisted_on"]))[
            ["assisted_on", "type", "amount_yuan", "provider", "note"]].rename(columns=LABELS)
        st.dataframe(show, hide_index=True, width="stretch",
                     column_config={LABELS["amount_yuan"]: st.column_config.NumberColumn(format="%.2f")})
    if not can_edit:
        return
    with st.expander("新增帮扶记录", icon=":material/add:"):
        with st.form(f"new_ast_{hid}"):
            c1, c2, c3 = st.columns(3)
            na = {"assisted_on": c1.text_input("帮扶日期", key=f"na_date_{hid}", placeholder="如 2024-05-01"),
                  "type": c2.selectbox("帮扶类型", reference.ASSISTANCE_TYPES, key=f"na_type_{hid}"),
                  "amount_yuan": c3.text_input("金额（元）", key=f"na_amount_{hid}"),
                  "provider": c1.text_input("实施单位", key=f"na_provider_{hid}"),
                  "note": st.text_input("备注", key=f"na_note_{hid}")}
            if st.form_submit_button("保存帮扶记录", type="primary"):
                write(corrections.add_assistance, hid, na, success=f"已为{plain(p['name'])}新增帮扶记录")


# ---- studio, plaque, history --------------------------------------------------------------------------------

def honor_tab(p: dict, studios: pd.DataFrame) -> None:
    st.markdown(f"**光荣牌（见义勇为光荣之家）**：{'已于 ' + fmt(p['plaque_on']) + ' 悬挂' if fmt(p['plaque_on']) else '尚未悬挂'}")
    if studios.empty:
        st.markdown("**英模工作室**：无以其命名的工作室")
    for s in studios.itertuples():
        st.markdown(f"**英模工作室**：{plain(s.name)}（{plain(fmt(s.county) + fmt(s.town))}，"
                    f"{fmt(s.established_on) or '日期未填'} 成立，负责人 {plain(s.head) or '—'}）")


def history_tab(file: dict, hid: int, role: str) -> None:
    created = file["created"]
    if created:
        origin = (f"{plain(created['kind_label'])}（操作编号 {created['change_id']}，{fmt(created['created_at'])}，"
                  f"操作人 {plain(created['actor'])}）")
        if fmt(created.get("file_names")):
            origin += f"，来源文件：{plain(created['file_names'])}"
        st.markdown(f"**档案建立**：{origin}" + (f"。{plain(created['summary'])}" if fmt(created.get("summary")) else ""))
    hist = file["history"]
    if hist.empty:
        st.info("建档以来没有更正记录。")
        return
    hist_show = hist.drop(columns=["change_id", "kind", "undone"]).copy()
    hist_show["时间"] = hist_show["时间"].map(lambda v: f"{v:%Y-%m-%d %H:%M}")
    st.dataframe(hist_show, hide_index=True, width="stretch")
    if privacy.can(role, "undo"):
        undo_form(hist, hid)


def undo_form(hist: pd.DataFrame, hid: int) -> None:
    undoable = hist[(hist["kind"] == "edit") & (~hist["undone"])].drop_duplicates("change_id")
    if undoable.empty:
        return
    choices = {int(r.change_id): f"操作编号 {r.change_id}：{r.说明}" for r in undoable.itertuples()}
    c1, c2 = st.columns([4, 1], vertical_alignment="bottom")
    target = c1.selectbox("撤销一次更正", list(choices), format_func=choices.get, key=f"undo_pick_{hid}",
                          help="撤销后恢复原值，并记入变更记录。较早的操作须先撤销其后修改同一记录的操作。")
    if c2.button("撤销", key=f"undo_btn_{hid}", icon=":material/undo:"):
        write(corrections.undo, target, success=f"已撤销操作 {target}")


def main() -> None:
    role = auth.require_page(__file__).role
    st.title("英模档案")
    st.caption("按姓名、身份证号后四位、县市区、镇街、表扬级别、人员状态、事迹类型和登记年度查询见义勇为人员，查看“一人一档”。"
               + ("" if privacy.can(role, "see_personal") else "当前账号为查看权限，身份证号、联系电话和住址已按规定脱敏显示。"))
    writes.show_flash("reg_flash")
    conditions, sort = search_form(current().county)
    results = results_table(role, conditions, sort)
    open_id = open_file_id(results)
    if open_id is not None:
        person_file(open_id, role, privacy.can(role, "edit"))


main()
