"""发布会统计: the press office's material for a cut-off date and scope — statement, tables, 典型事迹, and
Word / Excel / PowerPoint downloads. All content comes from analytics.press (the same figures as 总览 and stats)."""
from __future__ import annotations

import streamlit as st

from analytics.press import cases as press_cases
from analytics.press import numbers
from analytics.press.docx_export import to_docx
from analytics.press.pptx_export import to_pptx
from analytics.press.xlsx_export import to_xlsx
from ui import auth, db
from ui.filters import current
from ui.text import plain

auth.require("viewer", "发布会统计")      # also when the script is reached without app.py's navigation
f = current()
st.title("发布会统计")
st.caption(f"{f.scope} · 截至 {numbers.date(f.as_of)} · 截至日期和县市区在左侧筛选栏选择；"
           "数据与总览看板、命令行 stats 同一口径")

candidates = db.call("press.cases.candidates", f.as_of, f.county)
labels = {int(r["hero_id"]): press_cases.label(r) for _, r in candidates.iterrows()}
chosen = st.multiselect(
    "典型事迹（选择拟在发布会上介绍的见义勇为人员）", list(labels), default=press_cases.default_ids(candidates),
    format_func=lambda hid: labels.get(hid, str(hid)), max_selections=12,
    key=f"press_cases_{f.as_of:%Y%m%d}_{f.county or 'all'}",
    help="候选为截至日期前受到表扬的人员，默认选最近受到市级及以上表扬的5人。导出材料只列姓名、县市区和事迹概要，"
         "不含身份证号码、联系电话、出生日期、住址。",
    placeholder="不选则不列典型事迹",
)
m = db.call("press.material.build_material", f.as_of, f.county, tuple(int(h) for h in chosen))

st.subheader("发布口径")
st.code(m.statement, language=None, wrap_lines=True)
st.caption("点击右上角图标可复制整段文字。数值为零的项目不作表述。")

st.subheader("下载材料")
cols = st.columns(3)
stem = m.file_stem()
cols[0].download_button("下载 Word 文稿", data=lambda: to_docx(m), file_name=f"{stem}.docx",
                        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                        icon=":material/description:", on_click="ignore", key="press_docx", width="stretch")
cols[1].download_button("下载 Excel 数据表", data=lambda: to_xlsx(m), file_name=f"{stem}.xlsx",
                        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        icon=":material/table:", on_click="ignore", key="press_xlsx", width="stretch")
cols[2].download_button("下载 PPT 演示稿", data=lambda: to_pptx(m), file_name=f"{stem}.pptx",
                        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                        icon=":material/slideshow:", on_click="ignore", key="press_pptx", width="stretch")

st.subheader("统计表")
for t in m.tables:
    st.markdown(f"**{t.title}**")
    frame = t.labelled()
    if frame.empty:
        st.info("该期间暂无数据。")
        continue
    money = {label: st.column_config.NumberColumn(label, format="%.2f")
             for col, label in zip(t.columns, t.labels) if col == "amount_yuan"}
    st.dataframe(frame, hide_index=True, column_config=money)
    st.caption(f"注：{t.note}")

if m.cases:
    st.subheader("典型事迹")
    for i, c in enumerate(m.cases, 1):
        st.markdown(f"{i}. **{plain(c.name)}**（{plain(c.county)}）：{plain(c.summary)}")

with st.expander("数据说明"):
    st.markdown("\n".join(f"{i}. {n}" for i, n in enumerate(m.notes, 1)))
