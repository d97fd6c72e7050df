"""数据导入: upload exports → preview per file and sheet (kind, header row, column mapping, counts, problems)
→ commit in one transaction → summary; import history with 撤销; templates."""
from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from analytics import changes, labels
from analytics.ingest import history, report, templates
from analytics.ingest.headers import FIELDS, SHEET_KINDS, map_headers
from analytics.ingest.limits import Limits
from analytics.ingest.plan import HEADER_ONLY, analyze_file, run
from ui import auth, db, queries, upload
from ui.text import plain

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _state() -> dict:
    return st.session_state.setdefault("import_state", {"uploader": 0})


# ---- 导入文件 -----------------------------------------------------------------------------------------------

def _analyze(uploads, overrides: dict, limits: Limits) -> list:
    plans = []
    with st.status("正在读取文件…", expanded=False) as status:
        bar = st.progress(0.0)
        for i, up in enumerate(uploads):
            status.update(label=f"正在读取 {up.name}（{i + 1}/{len(uploads)}）…")
            plans.append(analyze_file(up.name, up.getvalue(), limits, overrides.get(up.name)))
            bar.progress((i + 1) / len(uploads))
        if not any(p.error for p in plans):
            status.update(label="正在与已有数据比对…")
            run(db.connection(), plans, auth.user().username, commit=False)
        status.update(label="读取完成", state="complete")
    return plans


def _mapping_editor(fp, s) -> None:
    kind = s.kind
    key = f"map-{fp.name}-{s.sheet}"
    kinds = list(SHEET_KINDS)
    c1, c2 = st.columns([1, 3])
    new_kind = c1.selectbox("表格类别", kinds, index=kinds.index(kind), format_func=SHEET_KINDS.get,
                            key=key + "-kind")
    frame = report.mapping_frame(s)
    edited = c2.data_editor(
        frame, key=key + "-table", hide_index=True, width="stretch", disabled=["列", "表头"],
        column_config={"对应字段": st.column_config.SelectboxColumn(
            "对应字段", options=report.field_options(new_kind), required=True)})
    if st.button("按修改后的对应关系重新检查", key=key + "-apply"):
        if new_kind != kind:
            # A different kind: start from that kind's own matching of the same headers.
            mapping = map_headers(new_kind, list(s.guess.headers))
        else:
            mapping = report.mapping_from_frame(new_kind, s, edited)
        state = _state()
        state.setdefault("overrides", {}).setdefault(fp.name, {})[s.sheet] = (new_kind, mapping)
        state.pop("sig", None)
        st.rerun()


def _sheet_preview(fp, s) -> None:
    if s.skipped:
        (st.warning if s.skipped == HEADER_ONLY else st.info)(f"工作表“{plain(s.sheet)}”：{plain(s.skipped)}")
        return
    st.markdown(f"**工作表“{plain(s.sheet)}”** · {report.kind_label(s.kind)} · 表头在第 {s.guess.header_row} 行 · "
                f"读取 {s.rows} 行")
    cols = st.columns(4)
    unit = "人" if s.kind == "registry" else "条"
    cols[0].metric("新增", f"{s.counts['new']}{unit}")
    cols[1].metric("更新", f"{s.counts['updated']}{unit}")
    cols[2].metric("未变（重复）", f"{s.counts['unchanged']}{unit}")
    cols[3].metric("有错误不导入", f"{s.rejected}行")
    for warning in s.warnings:
        st.warning(plain(warning))
    for note in s.notes:
        st.caption("说明：" + plain(note))
    with st.expander("列对应关系（可修改）", expanded=False):
        _mapping_editor(fp, s)
    if s.problems:
        errors = sum(1 for p in s.problems if p.severity == "error")
        st.markdown(f"发现问题 {len(s.problems)} 处，其中错误 {errors} 处（错误行不导入，提示不影响导入）：")
        st.dataframe(report.problems_frame(s), hide_index=True, width="stretch",
                     height=min(400, 38 + 35 * len(s.problems)))


def _summary(result) -> str:
    t = result.totals()
    return (f"导入成功（批次编号 {result.batch_id}）：新增 {t['new']} 条，更新 {t['updated']} 条，"
            f"未变 {t['unchanged']} 条，未导入 {t['rejected']} 行。各页面已显示最新数据。")


def previews(plans: list) -> None:
    """One box per file: its format and, per sheet, what the import would do."""
    for p in plans:
        with st.container(border=True):
            st.subheader(plain(p.name))
            if p.error:
                st.error(plain(p.error))
                continue
            st.caption(f"格式：{p.raw.format}" + (f"，编码：{p.raw.encoding}" if p.raw.encoding else "")
                       + f"，SHA-256：{p.sha256}")
            for s in p.sheets:
                _sheet_preview(p, s)


def commit_form(plans: list) -> None:
    """The errors, the rows to download, the choice to import only the valid rows, and 确认导入."""
    errors = sum(s.errors for p in plans for s in p.imported)
    rejected = report.rejected_xlsx(plans)
    accept = True
    if errors:
        st.warning(f"共有 {errors} 处错误。可下载有错误的行，修改后重新上传；也可选择只导入无误的行。")
        if rejected:
            st.download_button("下载有错误的行（.xlsx，含问题说明）", rejected, "未导入的行.xlsx", mime=XLSX)
        accept = st.checkbox("有错误的行不导入，其余行照常导入", key="accept_valid")
    if st.button("确认导入", type="primary", disabled=not accept):
        commit(plans, accept_valid=bool(errors))


def commit(plans: list, accept_valid: bool) -> None:
    with st.status("正在导入…", expanded=True) as status:
        bar = st.progress(0.0)
        result = run(db.connection(), plans, auth.user().username, commit=True, accept_valid=accept_valid,
                     progress=lambda x, text: bar.progress(min(x, 1.0), text=text))
        status.update(label="导入完成" if result.committed else "未导入", state="complete")
    if not result.committed:
        st.error("导入未完成，数据库未作任何修改。")
        return
    db.after_write()
    state = _state()
    state.update(done=_summary(result), uploader=state["uploader"] + 1)
    for k in ("plans", "sig", "overrides"):
        state.pop(k, None)
    st.rerun()


def import_tab(limits: Limits) -> None:
    state = _state()
    if state.get("done"):
        st.success(state.pop("done"))
    max_mb = limits.max_upload_bytes // (1024 * 1024)
    uploads = upload.file_uploader(f"选择一个或多个文件（每个不超过 {max_mb} MB）", upload.IMPORT_TYPES,
                                   multiple=True, key=f"uploader-{state['uploader']}", max_mb=max_mb)
    if not uploads:
        return
    sig = hashlib.sha256(b"".join(u.name.encode() + hashlib.sha256(u.getvalue()).digest() for u in uploads)
                         + repr(sorted(state.get("overrides", {}).items())).encode()).hexdigest()
    if state.get("sig") != sig:
        state["plans"] = _analyze(uploads, state.get("overrides", {}), limits)
        state["sig"] = sig
    plans = state["plans"]
    previews(plans)
    if any(p.error for p in plans):
        st.error("有文件无法导入（见上），本次不会写入任何数据。请处理后重新上传，或移除该文件。")
    else:
        commit_form(plans)


# ---- 导入记录 -----------------------------------------------------------------------------------------------

def history_table(rows: list[dict]) -> None:
    table = pd.DataFrame([{
        "batch_id": r["batch_id"], "created_at": r["created_at"], "actor": r["actor"], "file_names": r["file_names"],
        **{k: r["counts"].get(k, 0) for k in ("new", "updated", "unchanged", "rejected")},
        "state": f"已撤销（{r['undone_by']}）" if r["undone_at"] else "有效", "sha256": r["sha256"],
    } for r in rows]).rename(columns=labels.IMPORT_HISTORY_COLUMNS)
    at = labels.IMPORT_HISTORY_COLUMNS["created_at"]
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={at: st.column_config.DatetimeColumn(at, format="YYYY-MM-DD HH:mm")})


def undo_form(active: list[dict]) -> None:
    c1, c2 = st.columns([2, 1])
    choice = c1.selectbox("撤销整批导入", [r["batch_id"] for r in active],
                          format_func=lambda b: next(f"批次 {r['batch_id']} · {r['created_at']:%Y-%m-%d %H:%M} · "
                                                     f"{r['file_names']}" for r in active if r["batch_id"] == b))
    confirm = c1.checkbox("我已确认：撤销将删除该批次新增的记录，并恢复被其修改的内容", key="undo_confirm")
    if not c2.button("撤销", disabled=not confirm):
        return
    try:
        history.undo(db.connection(), int(choice), auth.user().username)
    except (changes.UndoError, history.NotAnImport) as exc:
        st.error(plain(str(exc)))
        return
    db.after_write()
    st.session_state.pop("undo_confirm", None)
    _state()["undone"] = f"已撤销导入批次 {choice}，各页面已显示最新数据。"
    st.rerun()


def history_tab() -> None:
    state = _state()
    if state.get("undone"):
        st.success(state.pop("undone"))
    rows = queries.import_history()
    if not rows:
        st.info("暂无导入记录。")
        return
    history_table(rows)
    active = [r for r in rows if not r["undone_at"]]
    if active:
        undo_form(active)


# ---- 模板下载 -----------------------------------------------------------------------------------------------

def templates_tab() -> None:
    st.markdown("下载模板填写后上传。表头可以用常见的其他写法（如“身份证号”“公民身份号码”），列的顺序不限。")
    for kind, label in SHEET_KINDS.items():
        required = "、".join(lab for _, req, lab, _ in FIELDS[kind] if req)
        c1, c2 = st.columns([3, 1])
        c1.markdown(f"**{label}**　必填列：{required}")
        c2.download_button("下载模板", templates.template_xlsx(kind), templates.FILE_NAMES[kind], key=f"tpl-{kind}",
                           mime=XLSX)


def main() -> None:
    auth.require("editor", "数据导入")
    st.title("数据导入")
    st.caption("上传从 Excel、WPS 或其他系统导出的表格（.xlsx、.xls、.ods、.csv、.txt），系统自动识别表格类别和表头，"
               "预览无误后确认导入。同一内容重复导入不会产生重复记录，每次导入均可整批撤销。表中的合计、小计、总计行"
               "和填表人、审核人等落款行自动跳过。")
    limits = Limits.from_env()
    tab_import, tab_history, tab_templates = st.tabs(["导入文件", "导入记录", "模板下载"])
    with tab_import:
        import_tab(limits)
    with tab_history:
        history_tab()
    with tab_templates:
        templates_tab()


main()
