"""The shared sidebar filters (截至日期, 县市区, 年份范围): rendered by app.py on every page, kept in the
session and in the URL query string (bind="query-params"), so a view can be bookmarked and forwarded."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from analytics import reference

ALL = "全市"
FIRST_YEAR = reference.FOUNDATION_DATE.year


@dataclass(frozen=True)
class Filters:
    as_of: dt.date
    county: str | None          # full name, None = 全市
    years: tuple[int, int]

    @property
    def scope(self) -> str:
        return self.county or ALL


def render_sidebar() -> Filters:
    today = dt.date.today()
    with st.sidebar:
        st.markdown("**筛选条件**")
        as_of = st.date_input(
            "截至日期", value=today, min_value=reference.FOUNDATION_DATE, max_value=dt.date(today.year + 1, 12, 31),
            key="as_of", bind="query-params", format="YYYY-MM-DD",
            help="登记、表扬等累计数据统计到该日；活动、帮扶为当年1月1日至该日（今年以来）。",
        )
        county = st.selectbox(
            "县市区", [ALL, *reference.county_names()], index=0, key="county", bind="query-params",
        )
        years = st.slider(
            "年份范围", min_value=FIRST_YEAR, max_value=today.year, value=(FIRST_YEAR, today.year),
            key="years", bind="query-params", help="趋势图表的起止年份",
        )
    f = Filters(as_of=as_of or today, county=None if county in (None, ALL) else county,
                years=(int(years[0]), int(years[1])))
    st.session_state["filters"] = f
    return f


def current() -> Filters:
    """The filters of this run (pages call this; app.py has rendered them before the page runs)."""
    f = st.session_state.get("filters")
    if f is None:
        today = dt.date.today()
        f = Filters(as_of=today, county=None, years=(FIRST_YEAR, today.year))
    return f
