"""How pages write a single value in a table cell or a line of text."""
from __future__ import annotations

import datetime as dt

import pandas as pd


def cell_text(v) -> str:
    """'' for missing values, YYYY-MM-DD for dates, 是/否 for booleans, else str()."""
    if v is None or (not isinstance(v, (str, bool)) and pd.isna(v)):
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, (pd.Timestamp, dt.datetime, dt.date)):
        return f"{v:%Y-%m-%d}"
    return str(v)


def date_texts(values: pd.Series) -> pd.Series:
    """cell_text for a whole column of dates at once: YYYY-MM-DD, '' where missing (a per-value .map(cell_text)
    over Arrow-backed columns cost 30 ms per 1,000 rows on the 聊城义士 page)."""
    return pd.to_datetime(values, errors="coerce").dt.strftime("%Y-%m-%d").fillna("").astype(object)
