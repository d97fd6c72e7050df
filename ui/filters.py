"""The shared sidebar filters (截至日期, 县市区, 年份范围): rendered by app.py on every page, kept in the
session and in the URL query string (bind="query-params"), so a view can be bookmarked and forwarded.

The default 截至日期 is the latest date the data covers (analytics.metrics.status.latest_data_date), not today: opened a
month after the last import, the dashboards would otherwise show the month without data as declines."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from analytics import reference

ALL = "全市"
FIRST_YEAR = reference.FOUNDATION_DATE.year
# Chinese month and weekday names in the date picker whatever the browser's language: Streamlit 1.67 gives its
# calendar the browser's navigator.language (read each time the app redraws), so the page reports zh-CN.
_CHINESE_CALENDAR = """<script>
try { Object.defineProperty(Navigator.prototype, "language", {get: () => "zh-CN", configurable: true});
      Object.defineProperty(Navigator.prototype, "languages", {get: () => ["zh-CN", "zh"], configurable: true}); }
catch (e) {}
</script>"""


@dataclass(frozen=True)
class Filters:
    as_of: dt.date
    county: str | None          # full name, None = 全市
    years: tuple[int, int]
    latest: dt.date | None = None   # the latest date the data covers (the default as_of)

    @property
    def scope(self) -> str:
        return self.county or ALL

    @property
    def as_of_note(self) -> str:
        """Which 截至日期 is in use and why, for a caption."""
        if self.latest and self.as_of == self.latest:
            return f"截至 {self.as_of:%Y年%m月%d日}（数据更新至该日，默认以此为截至日期）"
        if self.latest and self.as_of > self.latest:
            return (f"截至 {self.as_of:%Y年%m月%d日}（数据仅更新至 {self.latest:%Y年%m月%d日}，"
                    "此后的“今年以来”数字偏低，并非实际下降）")
        return f"截至 {self.as_of:%Y年%m月%d日}（所选日期）"


def latest_date() -> dt.date | None:
    from ui import queries
    return queries.latest_data_date()


def render_sidebar() -> Filters:
    today = dt.date.today()
    latest = latest_date()
    default = latest or today
    last_year = max(today.year, default.year)
    with st.sidebar:
        st.html(_CHINESE_CALENDAR, unsafe_allow_javascript=True, width="content")
        st.markdown("**筛选条件**")
        as_of = st.date_input(
            "截至日期", value=default, min_value=reference.FOUNDATION_DATE, max_value=dt.date(last_year + 1, 12, 31),
            key="as_of", bind="query-params", format="YYYY-MM-DD",
            help="默认为数据更新至的日期（最近一次登记、表扬、活动或帮扶的日期）。登记、表扬等累计数据统计到该日；"
                 "活动、帮扶为当年1月1日至该日（今年以来），与上年同期相比。",
        )
        county = st.selectbox(
            "县市区", [ALL, *reference.county_names()], index=0, key="county", bind="query-params",
        )
        years = st.slider(
            "年份范围", min_value=FIRST_YEAR, max_value=last_year, value=(FIRST_YEAR, default.year),
            key="years", bind="query-params", help="趋势图表的起止年份（截至日期之后的年份不计）",
        )
    f = Filters(as_of=as_of or default, county=None if county in (None, ALL) else county,
                years=(int(years[0]), int(years[1])), latest=latest)
    st.session_state["filters"] = f
    return f


def current() -> Filters:
    """The filters of this run (pages call this; app.py has rendered them before the page runs)."""
    f = st.session_state.get("filters")
    if f is None:
        latest = latest_date()
        default = latest or dt.date.today()
        f = Filters(as_of=default, county=None, years=(FIRST_YEAR, default.year), latest=latest)
    return f


def years_text(f: Filters) -> str:
    """The real range a page's year filter covers, cut at 截至日期: "2012年6月29日—2024年7月31日", never
    "2012—2026年" when the cut-off is 2024-07-31."""
    from analytics.labels import range_text
    from analytics.metrics.scope import years_in_range

    rng = years_in_range(f.as_of, f.years)
    return range_text(*rng) if rng else f"{f.years[0]}—{f.years[1]}年（截至日期之前无数据）"
