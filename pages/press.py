"""发布会统计: the press office's material for a cut-off date and scope — statement, tables, 典型事迹, and
Word / Excel / PowerPoint downloads — and, on a second tab, the 工作简报 of a month, quarter or year. All content
comes from analytics.press (the same figures as 总览 and the key-figure cards)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import labels, numbers, reference
from analytics.labels import NUMERALS
from analytics.metrics import period as metrics_period
from analytics.press import cases as press_cases
from analytics.press import tables as press_tables
from analytics.press.briefing import Briefing
from analytics.press.briefing_docx import to_docx as briefing_docx
from analytics.press.docx_export import to_docx
from analytics.press.pptx_export import to_pptx
from analytics.press.xlsx_export import to_xlsx
from ui import auth, charts, queries
from ui.filters import current
from ui.text import plain

MIME = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}


def text_table(labels: list[str], rows: list[list[str]]) -> None:
    """A table of printed cells (the dashboards' number format), figures right-aligned as in the files."""
    right = {label: st.column_config.TextColumn(label, alignment="right") for label in labels[1:]}
    st.dataframe(pd.DataFrame(rows, columns=labels), hide_index=True, column_config=right)


def briefing_period(f):
    """The period chosen on the 工作简报 tab: (start, end), or None when it ends before the foundation."""
    kinds = {label: kind for kind, label in labels.PERIOD_KINDS.items()}
    c1, c2, c3 = st.columns([2, 1, 1])
    label = c1.segmented_control("简报周期", list(kinds), default="季度", key="brief_kind") or "季度"
    kind = kinds[label]
    year0, n0 = metrics_period.last_full_period(kind, f.as_of)
    years = list(range(max(year0, f.as_of.year), reference.FOUNDATION_DATE.year - 1, -1))
    year = c2.selectbox("年份", years, index=years.index(year0), format_func=lambda y: f"{y}年",
                        key=f"brief_year_{kind}")
    if kind == "month":
        n = c3.selectbox("月份", list(range(1, 13)), index=n0 - 1, format_func=lambda m: f"{m}月",
                         key="brief_month")
    elif kind == "quarter":
        n = c3.selectbox("季度", [1, 2, 3, 4], index=n0 - 1, format_func=lambda q: f"第{NUMERALS[q - 1]}季度",
                         key="brief_quarter")
    else:
        n = 1
    start, end = metrics_period.period_bounds(kind, year, n)
    if end < reference.FOUNDATION_DATE:
        return None
    return max(start, reference.FOUNDATION_DATE), end


def briefing_tab(f) -> None:
    """工作简报: a month, quarter or year chosen here; the county from the sidebar; one Word download."""
    period = briefing_period(f)
    if period is None:
        st.info("所选期间早于聊城市见义勇为基金会成立日期，请重新选择。")
        return
    b: Briefing = queries.build_briefing(*period, f.county)
    st.subheader("".join(b.title_lines))
    st.caption(b.scope_note)
    st.download_button("下载工作简报（Word）", data=lambda: briefing_docx(b), file_name=f"{b.file_stem()}.docx",
                       mime=MIME["docx"], icon=":material/description:", on_click="ignore", key="briefing_docx")
    for i, section in enumerate(b.sections):
        st.markdown(f"**{NUMERALS[i]}、{section.title}**")
        for p in section.paragraphs:
            st.markdown(p)
        cases_list(section.cases)
        for t in section.tables:
            st.markdown(t.caption)
            text_table(t.labels, t.rows)
            if t.note:
                st.caption(f"注：{t.note}")


def chosen_cases(f) -> tuple[int, ...]:
    """典型事迹: the heroes the press office picks (default: the latest five recognized at 市级 and up)."""
    candidates = queries.case_candidates(f.as_of, f.county)
    labels = {int(r["hero_id"]): press_cases.label(r) for _, r in candidates.iterrows()}
    chosen = st.multiselect(
        "典型事迹（选择拟在发布会上介绍的见义勇为人员）", list(labels), default=press_cases.default_ids(candidates),
        format_func=lambda hid: labels.get(hid, str(hid)), max_selections=12,
        key=f"press_cases_{f.as_of:%Y%m%d}_{f.county or 'all'}",
        help="候选为截至日期前受到表扬的人员，默认选最近受到市级及以上表扬的5人。导出材料只列姓名、县市区和事迹概要，"
             "不含身份证号码、联系电话、出生日期、住址。",
        placeholder="不选则不列典型事迹",
    )
    return tuple(int(h) for h in chosen)


def cases_list(cases) -> None:
    for i, c in enumerate(cases, 1):
        st.markdown(f"{i}. **{plain(c.name)}**（{plain(c.county)}）：{plain(c.summary)}")


def downloads(m) -> None:
    """The material as Word, Excel and PowerPoint, each built only when clicked."""
    stem = m.file_stem()
    files = [("下载 Word 文稿", to_docx, "docx", ":material/description:"),
             ("下载 Excel 数据表", to_xlsx, "xlsx", ":material/table:"),
             ("下载 PPT 演示稿", to_pptx, "pptx", ":material/slideshow:")]
    for col, (label, build, ext, icon) in zip(st.columns(len(files)), files):
        col.download_button(label, data=lambda build=build: build(m), file_name=f"{stem}.{ext}", mime=MIME[ext],
                            icon=icon, on_click="ignore", key=f"press_{ext}", width="stretch")


def material_tab(f) -> None:
    """发布会材料: the statement, downloads, the three tables, 典型事迹 and 数据说明."""
    m = queries.build_material(f.as_of, f.county, chosen_cases(f))
    st.subheader("发布口径")
    st.code(m.statement, language=None, wrap_lines=True)
    st.caption("点击右上角图标可复制整段文字。数值为零的项目不作表述。")
    st.subheader("下载材料")
    downloads(m)
    st.subheader("统计表")
    for t in m.tables:
        st.markdown(f"**{t.title}**")
        if t.frame.empty:
            st.info("该期间暂无数据。")
            continue
        text_table(t.labels, press_tables.rows_text(t))
        st.caption(f"注：{t.note}")
    if m.cases:
        st.subheader("典型事迹")
        cases_list(m.cases)
    with st.expander("数据说明"):
        st.markdown("\n".join(f"{i}. {n}" for i, n in enumerate(m.notes, 1)))


def main() -> None:
    auth.require("viewer", "发布会统计")      # also when the script is reached without app.py's navigation
    f = current()
    st.title("发布会统计")
    st.caption(f"{f.scope} · 截至 {numbers.date(f.as_of)} · 截至日期和县市区在左侧筛选栏选择；"
               "数据与总览等看板同一数据源、同一口径")
    # only the open tab is built: the 工作简报 costs as much as the material itself (0.4 s at scale 100)
    charts.open_tab_only({"发布会材料": lambda: material_tab(f), "工作简报": lambda: briefing_tab(f)}, "press_tab")


main()
