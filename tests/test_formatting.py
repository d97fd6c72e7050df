"""ui/formatting.py: the column-at-once date text equals the per-value cell text, for every dtype a page meets."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from ui.formatting import cell_text, date_texts

DATES = [dt.date(2024, 7, 31), None, dt.date(1999, 1, 2)]


@pytest.mark.parametrize("series", [
    pd.Series(DATES, dtype=object),                                       # date objects from DuckDB fetches
    pd.Series(pd.to_datetime(["2024-07-31", None, "1999-01-02"])),        # datetime64[ns] with NaT
    pd.Series(pd.to_datetime(["2024-07-31", None, "1999-01-02"])).astype("datetime64[us]"),
    pd.Series(pd.to_datetime(["2024-07-31", None, "1999-01-02"])).astype("timestamp[us][pyarrow]"),
    pd.Series(DATES, dtype="date32[pyarrow]"),
    pd.Series([None, None, None], dtype=object),                          # a column with no date at all
])
def test_date_texts_equals_cell_text_per_value(series):
    assert date_texts(series).tolist() == [cell_text(v) for v in series]


def test_date_texts_keeps_the_index():
    s = pd.Series(DATES, index=[10, 20, 30], dtype=object)
    assert date_texts(s).index.tolist() == [10, 20, 30]
