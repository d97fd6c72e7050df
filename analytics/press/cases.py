"""典型事迹 candidates: recognized heroes in scope, by name, county and deed summary only.

This module reads the database for the candidate list only (never for a figure). It never selects ID
numbers, phones, birth dates or addresses, and masks any long digit run (a phone or ID number typed into a
free-text summary) in what it returns.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from analytics import reference

HIGH_LEVELS = ("国家级", "省级", "市级")
DEFAULT_COUNT = 5
_LEVEL_RANK = {lv: i for i, lv in enumerate(reference.LEVELS)}      # 国家级 0 … 县级 3
_DIGITS = re.compile(r"(?<![0-9])[0-9][0-9\- ]{5,}[0-9Xx]")            # phones, ID numbers, landlines
_ADDRESS = re.compile(r"(住址|家住|现住|地址)[:：]?[^，。；,;]*")


@dataclass(frozen=True)
class Case:
    """One 典型事迹 as printed: name, county and a summary. Nothing else leaves this module."""
    hero_id: int
    name: str
    county: str
    summary: str


def clean_summary(text: str | None) -> str:
    """The deed summary without anything that looks like a phone, ID number or address."""
    if not text:
        return ""
    text = _ADDRESS.sub("", str(text))

    def mask(m: re.Match) -> str:
        digits = re.sub(r"[^0-9Xx]", "", m.group(0))
        return m.group(0) if len(digits) < 7 else "*" * len(digits)
    return _DIGITS.sub(mask, text).strip()


def candidates(con, as_of: dt.date, county: str | None = None, limit: int | None = 300):
    """Heroes in scope registered and recognized on or before `as_of`, one row each, most relevant first:
    columns hero_id, name, county, level (highest), title (of that level), recognized_on (latest
    municipal-or-higher recognition, else latest recognition), summary (cleaned, of the highest recognition's
    deed), high (municipal or higher). Ordered: municipal-or-higher first, newest first; the first `limit`
    (a picker of tens of thousands of names helps nobody and costs seconds to draw)."""
    import pandas as pd

    params: list = [as_of, as_of]
    where = ""
    if county is not None:
        where = " AND h.county = ?"
        params.append(county)
    rows = con.execute(
        f"""SELECT h.hero_id, h.name, h.county, r.level, r.title, r.recognized_on, d.summary
            FROM recognitions r
            JOIN heroes h USING (hero_id)
            LEFT JOIN deeds d ON d.deed_id = r.deed_id
            WHERE r.recognized_on <= ? AND h.registered_on <= ? {where}""",
        params).fetchall()
    best: dict[int, tuple] = {}
    latest: dict[int, tuple] = {}        # hero -> (is high, latest date at that tier)
    for hero_id, name, cty, level, title, on, summary in rows:
        rank = _LEVEL_RANK.get(level, 9)
        key = (rank, -(on.toordinal() if on else 0))
        if hero_id not in best or key < best[hero_id][0]:
            best[hero_id] = (key, [hero_id, name, cty, level, title, on, clean_summary(summary)])
        tier = (level in HIGH_LEVELS, on.toordinal() if on else 0)
        if hero_id not in latest or tier > latest[hero_id][0]:
            latest[hero_id] = (tier, on)
    for hero_id, (_key, row) in best.items():
        row[5] = latest[hero_id][1]      # the latest municipal-or-higher recognition (else the latest one)
    cols = ["hero_id", "name", "county", "level", "title", "recognized_on", "summary"]
    df = pd.DataFrame([v[1] for v in best.values()], columns=cols)
    df["high"] = df["level"].isin(HIGH_LEVELS)
    if df.empty:
        return df
    df["_ord"] = df["recognized_on"].map(lambda d: d.toordinal() if d else 0)
    df = df.sort_values(["high", "_ord", "hero_id"], ascending=[False, False, True]).drop(columns="_ord")
    if limit is not None:
        df = df.head(limit)
    return df.reset_index(drop=True)


def default_ids(frame, n: int = DEFAULT_COUNT) -> list[int]:
    """The default choice: the most recent municipal-or-higher heroes."""
    if frame is None or frame.empty:
        return []
    return [int(x) for x in frame.loc[frame["high"], "hero_id"].head(n)]


def label(row) -> str:
    """How a candidate is listed in the page's picker: 姓名（县市区，市级表扬，2024年6月）."""
    on = row["recognized_on"]
    when = f"{on.year}年{on.month}月" if on else "日期不详"
    return f"{row['name']}（{reference.county_by_name(row['county']).short_name}，{row['level']}表扬，{when}）"


def pick(con, as_of: dt.date, county: str | None, hero_ids) -> list[Case]:
    """The chosen heroes as Cases, in the order given; ids out of scope are ignored."""
    frame = candidates(con, as_of, county, limit=None)
    by_id = {int(r.hero_id): r for r in frame.itertuples()}
    out = []
    for hid in hero_ids:
        r = by_id.get(int(hid))
        if r is None:
            continue
        summary = r.summary or ""
        if r.title:
            verb = "入选" if r.title.endswith("榜") else "获评"
            summary = (summary.rstrip("。") + "。" if summary else "") + f"{verb}“{r.title}”。"
        out.append(Case(hero_id=int(r.hero_id), name=r.name, county=r.county, summary=summary))
    return out
