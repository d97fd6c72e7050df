"""The press material as a Word (.docx) document in the office-document layout of `gov_doc` (GB/T 9704-2012 as
the model): title, 截至日期, the scope paragraph, 一、主要数据（发布口径）, 二、统计表, 三、典型事迹 (when chosen),
四、数据说明, signature.
"""
from __future__ import annotations

from analytics.press import gov_doc as g
from analytics.press import material as mat
from analytics.press import tables as tables_mod


def to_docx(m: mat.Material) -> bytes:
    doc = g.new_document(m.title, m.subtitle, mat.ORG)
    g.title(doc, m.title_lines)
    g.centred(doc, f"（{m.subtitle}）")
    g.note(doc, m.scope_note, space_after=6)

    section = 0
    g.heading1(doc, section, "主要数据（发布口径）")
    for s in m.sentences:
        g.body(doc, s)
    section += 1

    g.heading1(doc, section, "统计表")
    for t in m.tables:
        g.table(doc, t.title, t.labels, tables_mod.rows_text(t), first_width_cm=4.2 if t.category == "unit" else 3.0,
                total_last=len(t.body) < len(t.frame), note_text=t.note)
    section += 1

    if m.cases:
        g.heading1(doc, section, "典型事迹")
        for i, case in enumerate(m.cases, 1):
            g.body(doc, case.summary, lead=f"{i}. {case.name}（{case.county}）：")
        section += 1

    g.heading1(doc, section, "数据说明")
    for i, text in enumerate(m.notes, 1):
        g.note(doc, f"{i}. {text}", size=g.SIZE_4 - 2)
    g.signature(doc, f"{mat.ORG}　{m.generated_at.year}年{m.generated_at.month}月{m.generated_at.day}日")
    return g.to_bytes(doc)
