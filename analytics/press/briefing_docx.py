"""The 见义勇为工作简报 as a Word file, in the same office-document layout as the press material (gov_doc)."""
from __future__ import annotations

from analytics.press import gov_doc as g
from analytics.press.briefing import Briefing
from analytics.press.material import ORG


def to_docx(b: Briefing) -> bytes:
    doc = g.new_document("".join(b.title_lines), b.subtitle, ORG)
    g.title(doc, b.title_lines)
    g.centred(doc, f"（{b.subtitle}）")
    g.note(doc, b.scope_note, space_after=6)
    for i, s in enumerate(b.sections):
        g.heading1(doc, i, s.title)
        for p in s.paragraphs:
            g.body(doc, p)
        for k, c in enumerate(s.cases, 1):
            g.body(doc, c.summary, lead=f"{k}. {c.name}（{c.county}）：")
        for t in s.tables:
            g.table(doc, t.caption, t.labels, t.rows, first_width_cm=t.first_width_cm, widths_cm=t.widths_cm, total_last=t.total_last,
                    note_text=t.note)
    g.heading1(doc, len(b.sections), "说明")
    for i, text in enumerate(b.notes, 1):
        g.note(doc, f"{i}. {text}", size=g.SIZE_4 - 2)
    g.signature(doc, f"{ORG}　{b.generated_at.year}年{b.generated_at.month}月{b.generated_at.day}日")
    return g.to_bytes(doc)
