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
