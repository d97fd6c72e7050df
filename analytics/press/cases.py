"""典型事迹 candidates: recognized heroes in scope, by name, county and deed summary only.

The candidates come from analytics.deeds.recognized_heroes (which never selects ID numbers, phones, birth
dates or addresses); this module always masks the free-text summary (analytics.privacy.mask_text
with no role: ID numbers, phones, addresses below the town) plus any remaining long digit run. Missing values
(NULL read back as None, NaN or pd.NA) are treated as empty everywhere, never tested for truth.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from analytics import deeds, privacy, reference

HIGH_LEVELS = deeds.HIGH_LEVELS
DEFAULT_COUNT = 5
_DIGITS = re.compile(r"(?<![0-9])[0-9][0-9\- ]{5,}[0-9Xx]")            # phones, ID numbers, landlines
_ADDRESS = re.compile(r"(住址|家住|现住|地址)[:：]?[^，。；,;]*")


@dataclass(frozen=True)
class Case:
    """One 典型事迹 as printed: name, county and a summary. Nothing else leaves this module."""
    hero_id: int
    name: str
    county: str
    summary: str


def _text(value) -> str:
    """A database value as text: '' for None, NaN, pd.NA and NaT (which are truthy, or refuse a truth test)."""
    if value is None or isinstance(value, float) and value != value:
        return ""
    try:
        import pandas as pd
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value).strip()


def clean_summary(text: str | None) -> str:
    """The deed summary without anything that looks like a phone, ID number or address."""
    text = _text(text)
    if not text:
        return ""
    text = privacy.mask_text(_ADDRESS.sub("", text))

    def mask(m: re.Match) -> str:
        digits = re.sub(r"[^0-9Xx]", "", m.group(0))
        return m.group(0) if len(digits) < 7 else "*" * len(digits)
    text = _DIGITS.sub(mask, text).strip()
    text = re.sub(r"[，,、；;]\s*(?=[，,、；;。])", "", text)          # where an address was taken out
    return text.rstrip("，,、；;：: ")


def candidates(con, as_of: dt.date, county: str | None = None, limit: int | None = 300,
               hero_ids: tuple[int, ...] | None = None):
    """Heroes in scope registered and recognized on or before `as_of`, one row each, most relevant first:
    columns hero_id, name, county, level (highest), title (of that level), recognized_on (latest
    municipal-or-higher recognition, else latest recognition), summary (cleaned, of the highest recognition's
    deed), high (municipal or higher). Ordered: municipal-or-higher first, newest first; the first `limit`
    (a picker of tens of thousands of names helps nobody and costs seconds to draw)."""
    import pandas as pd

    df = deeds.recognized_heroes(con, as_of, county, limit, hero_ids)
    cols = deeds.COLUMNS
    if df.empty:
        return pd.DataFrame(columns=cols)
    df["recognized_on"] = [d.date() if hasattr(d, "date") and not pd.isna(d) else None for d in df["recognized_on"]]
    df["summary"] = [clean_summary(x) for x in df["summary"]]
    df["high"] = df["high"].astype(bool)
    df = df[cols]
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
    when = f"{on.year}年{on.month}月" if _text(on) else "日期不详"
    county = _text(row["county"])
    try:
        county = reference.county_by_name(county).short_name
    except KeyError:
        pass
    return f"{_text(row['name'])}（{county or '县市区不详'}，{_text(row['level'])}表扬，{when}）"


def pick(con, as_of: dt.date, county: str | None, hero_ids) -> list[Case]:
    """The chosen heroes as Cases, in the order given; ids out of scope are ignored."""
    hero_ids = tuple(int(h) for h in hero_ids)
    frame = candidates(con, as_of, county, limit=None, hero_ids=hero_ids)
    by_id = {int(r.hero_id): r for r in frame.itertuples()}
    out = []
    for hid in hero_ids:
        r = by_id.get(int(hid))
        if r is None:
            continue
        summary, title = _text(r.summary), privacy.mask_text(_text(r.title))
        if title:
            verb = "入选" if title.endswith("榜") else "获评"
            summary = (summary.rstrip("。") + "。" if summary else "") + f"{verb}“{title}”。"
        out.append(Case(hero_id=int(r.hero_id), name=_text(r.name), county=_text(r.county), summary=summary))
    return out
