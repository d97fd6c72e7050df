"""Summary, subtotal and footer rows (合计, 小计, 填表人 …) of government forms: found by the whole row, wherever
the marker stands (the 序号 column, a mapped or unmapped column, a footer spread over several cells).

A row is such a row when one of its cells starts with a marker and every other non-empty cell is
- after a summary marker (合计, 小计, 总计, 共计, 本页小计, 累计): a count or an amount ("5人", "12", "4户",
  "3,000元"), a county or town name, or a placeholder ("—", "/");
- after a footer marker (填表人, 审核人, 负责人, 联系电话, 填报日期, 制表, (盖章) …): also a short text (the name,
  the telephone number, the date written in the next cell).
A cell that looks like an ID number (15 or 18 digits), or a date or free text in a summary row, makes the row a
record: a real person named 合计, with an ID number, a county and dates, is still imported.

normalize.py looks at a row whole only when it cannot be a complete record (it has an error, or its name is a
count, a place or a marker), so a large clean sheet costs one cheap test per distinct name.
"""
from __future__ import annotations

import functools
import re
import unicodedata

import numpy as np

from analytics import reference

SUMMARY_MARKERS = ["本页小计", "本页合计", "合计", "小计", "总计", "共计", "累计", "总数"]
FOOTER_MARKERS = ["填表人", "填报人", "制表人", "审核人", "审核", "负责人", "联系人", "联系电话", "填表日期", "填报日期",
                  "制表日期", "制表", "填报单位", "填表单位", "单位(盖章)", "(盖章)", "盖章", "备注:", "注:", "说明:"]

_SUMMARY = re.compile("^(?:" + "|".join(map(re.escape, SUMMARY_MARKERS)) + ")")
_FOOTER = re.compile("^(?:" + "|".join(map(re.escape, FOOTER_MARKERS)) + ")")     # cells are NFKC-folded first
_SUMMARY_REST = re.compile(r"^:?\(?(?:[\d,.]+(?:人|户|次|场|场次|人次|个|家|名|项|元|万元|万|%)?)?\)?$")
_FOOTER_REST = re.compile(r"^(?:$|:|\(|\d)")
_COUNT = re.compile(r"^(?:共|计)?[¥￥]?[\d,.]+(?:人|户|次|场|场次|人次|个|家|名|项|元|万元|万|%|人次/场次)?$")
_PLACEHOLDER = re.compile(r"^[-—–/\\、.·…*＊]+$")
_PERIOD = re.compile(r"^\d{4}年?(?:度|\d{1,2}(?:-\d{1,2})?月(?:份)?)?$")
_ID_LIKE = re.compile(r"\d{15}(?:\d{2}[\dXx])?")
_FIRST = frozenset(m.lstrip("(")[0] for m in SUMMARY_MARKERS + FOOTER_MARKERS)
_LAST = tuple(m[-1] for m in SUMMARY_MARKERS)


def _fold(v) -> str:
    """NFKC, no whitespace, full-width brackets and colons as ASCII."""
    text = unicodedata.normalize("NFKC", str(v))
    return "".join(text.split())


@functools.lru_cache(maxsize=4096)
def _marker(v) -> str | None:
    """'summary' / 'footer' when the cell starts with a marker, else None."""
    if type(v) is not str:
        return None
    head = v.lstrip(" \t\u3000(（")
    if not head or (head[0] not in _FIRST and not v.rstrip().endswith(_LAST)):   # cheap: most cells stop here
        return None
    text = _fold(v)
    m = _SUMMARY.match(text)
    if m:
        return "summary" if _SUMMARY_REST.match(text[m.end():]) else None
    for marker in SUMMARY_MARKERS:      # '东昌府区小计', '2024年合计', '2024年1-6月小计'
        if text.endswith(marker) and (text[:-len(marker)] in _place_names() or _PERIOD.match(text[:-len(marker)])):
            return "summary"
    m = _FOOTER.match(text)
    if m:
        rest = text[m.end():]
        if _FOOTER_REST.match(rest) or m.group(0).endswith((":", ")", "章")) or (
                m.group(0).endswith("人") and len(rest) <= 10):
            return "footer"
    return None


_PLACES = None


def _place_names() -> set[str]:
    global _PLACES
    if _PLACES is None:
        names = {"聊城", "聊城市", "全市", "市本级"}
        for c in reference.counties():
            names.update({c.name, c.short_name, *c.aliases})
        names.update(t["town"] for t in reference.towns())
        _PLACES = {_fold(n) for n in names if n}
    return _PLACES


def _trivial(v) -> bool:
    """A count, an amount, a county or town name, or a placeholder: what a summary row holds besides its marker."""
    if isinstance(v, bool):
        return False
    if isinstance(v, (int, float, np.integer, np.floating)):
        return True
    if type(v) is not str:
        return False
    text = _fold(v)
    return (not text or bool(_COUNT.match(text)) or bool(_PLACEHOLDER.match(text)) or text in _place_names()
            or (text.startswith("聊城市") and text[3:] in _place_names()))


def _follower(v) -> bool:
    """What a footer row holds besides its markers: a name, a telephone number, a date — anything short that is
    not an ID number."""
    if isinstance(v, bool):
        return False
    if isinstance(v, (int, float, np.integer, np.floating)):
        return not (isinstance(v, float) and v >= 1e14) and not (isinstance(v, (int, np.integer)) and v >= 10 ** 14)
    if hasattr(v, "isoformat"):
        return True
    text = _fold(v)
    return len(text) <= 30 and not _ID_LIKE.search(text)


def is_summary_row(cells) -> bool:
    """Whether a row (its non-empty cells, in any order) is a summary or footer row."""
    kinds = [_marker(v) if type(v) is str else None for v in cells]
    if not any(kinds):
        return False
    footer = "footer" in kinds
    followers = 0
    for v, k in zip(cells, kinds):
        if k is not None or _trivial(v):
            continue
        if footer and _follower(v):
            followers += 1
            continue
        return False
    # A footer spread over cells has one value after each marker ('填表人：' | '张三'); more short texts than
    # markers is a record whose free text happens to start with a marker word.
    return followers <= sum(1 for k in kinds if k == "footer")


_NAME_ODD_FIRST = frozenset("0123456789０１２３４５６７８９¥￥-—–/\\、.·…*＊ \t\u3000(（") | _FIRST


def suspicious_names(values: list) -> list[bool]:
    """For each cell of the name column, whether it may belong to a summary or footer row: not text (a count), or
    text that opens like a count, a placeholder or a marker, or a place name ('4人', '—', '合计', '东昌府区',
    '临清市小计'). One inline test per distinct name."""
    odd, last, places = _NAME_ODD_FIRST, _LAST, _place_names()
    return [type(v) is not str or v[:1] in odd or v.endswith(last) or v in places for v in values]


def note(rows: list[int]) -> str | None:
    """The one note per sheet: '第12、18行为小计/合计/落款行，未导入'."""
    if not rows:
        return None
    shown = "、".join(str(r) for r in rows[:30]) + (f"等{len(rows)}" if len(rows) > 30 else "")
    return f"第{shown}行为小计/合计/落款行，未导入"
