"""Summary, subtotal and footer rows (合计, 小计, 填表人 …) of government forms: found by the whole row, wherever
the marker stands (the 序号 column, a mapped or unmapped column, a footer spread over several cells).

A row is such a row when one of its cells starts with a marker and every other non-empty cell is
- after a summary marker (合计, 小计, 总计, 共计, 本页小计, 累计): a count or an amount ("5人", "12", "4户",
  "3,000元"), a county or town name, or a placeholder ("—", "/");
- after a footer marker (填表人, 审核人, 负责人, 联系电话, 填报日期, 制表, (盖章) …): also a short text (the name,
  the telephone number, the date written in the next cell).
A cell that looks like an ID number (15 or 18 digits), or a date or free text in a summary row, makes the row a
record: a real person named 合计, with an ID number, a county and dates, is still imported.
"""
from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from analytics import reference

SUMMARY_MARKERS = ["本页小计", "本页合计", "合计", "小计", "总计", "共计", "累计", "总数"]
FOOTER_MARKERS = ["填表人", "填报人", "制表人", "审核人", "审核", "负责人", "联系人", "联系电话", "填表日期", "填报日期",
                  "制表日期", "制表", "填报单位", "填表单位", "单位(盖章)", "(盖章)", "盖章", "备注:", "注:", "说明:"]
# The markers README lists (the ones staff write); the others are spellings of the same.
LISTED = ["合计", "小计", "总计", "共计", "本页小计", "累计", "填表人", "审核人", "负责人", "联系电话", "填报日期", "制表",
          "(盖章)"]

_SUMMARY = re.compile("^(?:" + "|".join(map(re.escape, SUMMARY_MARKERS)) + ")")
_FOOTER = re.compile("^(?:" + "|".join(map(re.escape, FOOTER_MARKERS)).replace(":", "[:]") + ")")
_SUMMARY_REST = re.compile(r"^:?\(?(?:[\d,.]+(?:人|户|次|场|场次|人次|个|家|名|项|元|万元|万|%)?)?\)?$")
_FOOTER_REST = re.compile(r"^(?:$|:|\(|\d)")
_COUNT = re.compile(r"^[¥￥]?[\d,.]+(?:人|户|次|场|场次|人次|个|家|名|项|元|万元|万|%|人次/场次)?$")
_PLACEHOLDER = re.compile(r"^[-—–/\\、.·…*＊]+$")
_ID_LIKE = re.compile(r"\d{15}(?:\d{2}[\dXx])?")
_FIRST = frozenset(m.lstrip("(")[0] for m in SUMMARY_MARKERS + FOOTER_MARKERS)
_LAST = tuple(m[-1] for m in SUMMARY_MARKERS)


def _fold(v) -> str:
    """NFKC, no whitespace, full-width brackets and colons as ASCII."""
    text = unicodedata.normalize("NFKC", str(v))
    return "".join(text.split())


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
    for marker in SUMMARY_MARKERS:      # '东昌府区小计'
        if text.endswith(marker) and text[:-len(marker)] in _place_names():
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
    kinds = [_marker(v) for v in cells]
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


_OPENERS = _FIRST | frozenset(" \t\u3000(（")


_OPEN_RE = re.compile("\x00[" + "".join(re.escape(c) for c in sorted(_OPENERS)) + "]")
_CLOSE_RE = re.compile("[" + "".join(re.escape(c) for c in sorted(set(_LAST))) + "]\x00")


def _candidates(column: np.ndarray) -> np.ndarray:
    """Boolean mask of the cells of one column that may hold a marker (a superset, decided by _marker): text
    whose first character can open a marker, or whose last can close a summary marker ('东昌府区小计'). The
    column's texts are joined with NUL and searched by two small regular expressions, at C speed."""
    texts = [v if type(v) is str else "" for v in column.tolist()]
    joined = "\x00" + "\x00".join(texts) + "\x00"
    pos = [m.start() for m in _OPEN_RE.finditer(joined)] + [m.start() for m in _CLOSE_RE.finditer(joined)]
    out = np.zeros(len(texts), dtype=bool)
    if pos:
        starts = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]])      # where the NUL before each cell stands
        out[np.searchsorted(starts, np.array(pos), side="right") - 1] = True
    return out


def summary_rows(grid: np.ndarray, nonblank: np.ndarray) -> np.ndarray:
    """Boolean mask of the rows of `grid` (rows × columns, object) that are summary or footer rows. Each column is
    searched at once for cells that may start with a marker; only rows with a marker are looked at whole."""
    n = len(grid)
    hit = np.zeros(n, dtype=bool)
    if not n or not grid.shape[1]:
        return hit
    for k in range(grid.shape[1]):
        cand = _candidates(grid[:, k]) & nonblank[:, k]
        for i in np.flatnonzero(cand & ~hit):
            if _marker(grid[i, k]) is not None:
                hit[i] = True
    out = np.zeros(n, dtype=bool)
    for i in np.flatnonzero(hit):
        out[i] = is_summary_row([v for v, nb in zip(grid[i], nonblank[i]) if nb])
    return out


def note(rows: list[int]) -> str | None:
    """The one note per sheet: '第12、18行为小计/合计/落款行，未导入'."""
    if not rows:
        return None
    shown = "、".join(str(r) for r in rows[:30]) + (f"等{len(rows)}" if len(rows) > 30 else "")
    return f"第{shown}行为小计/合计/落款行，未导入"
