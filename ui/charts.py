"""Streamlit helpers shared by the dashboards: the county palette, one chart-with-downloads helper, tables
with downloads, the empty-state sentence and the offline county map.

Every download (xlsx and UTF-8-with-BOM csv) goes through `export_frame`, which passes the cells through
analytics.privacy.safe_frame (text starting with = + - @ is written as text, never as a formula).
"""
from __future__ import annotations

import html
import io
import re

import pandas as pd
import streamlit as st

from analytics import numbers
from ui import plotly_locale
from ui.figures import COUNTY_COLORS, MAP_ATTRIBUTION, county_map, empty_topojson_config  # noqa: F401

EMPTY = "所选范围内暂无数据。"
PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"], **plotly_locale.CONFIG}


def export_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The one gate every exported table passes: spreadsheet-safe cells (no formulas)."""
    try:
        from analytics.privacy import safe_frame
    except ImportError:  # pragma: no cover - privacy module not installed
        def safe_frame(frame):
            out = frame.copy()
            for c in out.columns:
                if out[c].dtype == object or pd.api.types.is_string_dtype(out[c].dtype):
                    out[c] = out[c].map(lambda v: "'" + v if isinstance(v, str) and v[:1] in "=+-@\t\r" else v,
                                        na_action="ignore")
            return out
    return safe_frame(df)


def to_xlsx(df: pd.DataFrame, sheet: str = "数据") -> bytes:
    buf = io.BytesIO()
    sheet = re.sub(r"[\[\]:*?/\\]", "", sheet)[:31] or "数据"
    with pd.ExcelWriter(buf, engine="xlsxwriter",
                        engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}}) as xw:
        export_frame(df).to_excel(xw, sheet_name=sheet, index=False)
        ws = xw.sheets[sheet]
        for i, col in enumerate(df.columns):
            width = max([len(str(col))] + [len(str(v)) for v in df[col].head(200)]) * 2 + 2
            ws.set_column(i, i, min(width, 40))
    return buf.getvalue()


def to_csv(df: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, so Chinese Excel opens it without garbling."""
    return export_frame(df).to_csv(index=False).encode("utf-8-sig")


def _safe_name(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name)


def downloads(df: pd.DataFrame, name: str, key: str) -> None:
    """Two download buttons (xlsx, csv); the files are built only when clicked."""
    row = st.container(horizontal=True, gap="small")
    c1 = c2 = row
    fname = _safe_name(name)
    c1.download_button("下载 Excel", data=lambda: to_xlsx(df, name), file_name=f"{fname}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key=f"dlx_{key}", icon=":material/download:", on_click="ignore", width="content")
    c2.download_button("下载 CSV", data=lambda: to_csv(df), file_name=f"{fname}.csv", mime="text/csv",
                       key=f"dlc_{key}", icon=":material/download:", on_click="ignore", width="content")


def is_empty(df: pd.DataFrame | None, value_cols: list[str] | None = None) -> bool:
    if df is None or df.empty:
        return True
    if value_cols:
        return not df[value_cols].fillna(0).to_numpy().any()
    return False


def chart_with_downloads(fig, df: pd.DataFrame, name: str, *, key: str | None = None,
                         value_cols: list[str] | None = None, **plotly_kwargs):
    """Draw `fig` with downloads of `df` (its data, Chinese column names); an empty selection says so instead."""
    key = key or _safe_name(name)
    if is_empty(df, value_cols):
        st.info(f"{name}：{EMPTY}")
        return None
    # the toolbar's camera saves "<chart title>.png" at twice the screen resolution (sharp in Word and slides)
    config = {**PLOTLY_CONFIG, "toImageButtonOptions": {"filename": _safe_name(name), "scale": 2},
              **plotly_kwargs.pop("config", {})}
    chart_title(fig)
    event = st.plotly_chart(fig, width="stretch", key=f"chart_{key}", config=config, **plotly_kwargs)
    downloads(df, name, key)
    return event


def table_with_downloads(df: pd.DataFrame, name: str, *, key: str | None = None, height: int | str | None = None,
                         column_config: dict | None = None) -> None:
    key = key or _safe_name(name)
    if df is None or df.empty:
        st.info(f"{name}：{EMPTY}")
        return
    if height is None:
        height = "content" if len(df) <= 30 else 420
    if column_config is None and df.dtypes.iloc[0] != "int64":
        column_config = {df.columns[0]: st.column_config.Column(width="medium", pinned=True)}
    column_config = {**number_formats(df), **(column_config or {})}
    st.dataframe(df, width="stretch", hide_index=True, height=height, column_config=column_config)
    downloads(df, name, f"t_{key}")


def open_tab_only(tabs: dict, key: str) -> None:
    """Tabs {label: draw} of which only the open one is drawn (fewer charts per page switch; another is built
    when it is chosen). The tab's label is its value in st.session_state[key]."""
    for tab, draw in zip(st.tabs(list(tabs), key=key, on_change="rerun"), tabs.values()):
        with tab:
            if tab.open:
                draw()


def map_config() -> dict:
    return {**PLOTLY_CONFIG, **empty_topojson_config(st.get_option("server.baseUrlPath") or "")}


def select_county_from_map(chart_key: str) -> None:
    """on_select callback: the county clicked on the map becomes the sidebar filter (key "county")."""
    state = st.session_state.get(chart_key)
    points = []
    try:
        points = state["selection"]["points"] if state else []
    except (KeyError, TypeError):
        points = []
    for p in points:
        name = None
        cd = p.get("customdata")
        if isinstance(cd, (list, tuple)) and cd:
            name = cd[0]
        elif isinstance(cd, str):
            name = cd
        if not name and p.get("location"):
            from analytics import reference
            name = reference.resolve_county(p["location"])
        if name:
            st.session_state["county"] = name
            return


def county_map_with_downloads(df: pd.DataFrame, value: str, *, title: str, value_title: str, unit: str,
                              selected: str | None, name: str, key: str) -> None:
    """The offline county map (click a county to filter the page) with its data downloads and attribution."""
    chart_key = f"map_{key}"
    fig = county_map(df, value, title=title, value_title=value_title, unit=unit, selected=selected)
    chart_title(fig)
    st.plotly_chart(fig, width="stretch", key=chart_key, config=map_config(), on_select=lambda: select_county_from_map(chart_key),
                    selection_mode="points")
    st.caption(MAP_ATTRIBUTION)
    downloads(df, name, key)


PERIODS = {"ytd": "今年以来", "years": "年份范围内"}


def period_picker(f, key: str) -> tuple:
    """统计期间: 今年以来 (1 January … 截至日期, the key figures' period) or the sidebar's year range cut at
    截至日期. Returns (date_from, date_to, label)."""
    from analytics.metrics.scope import period

    choice = st.radio("统计期间", list(PERIODS), format_func=PERIODS.get, horizontal=True, key=key,
                      help="今年以来：当年1月1日至截至日期（与总览卡片一致）；年份范围内：侧栏所选年份范围，截至统计日期。")
    lo, hi = period(f.as_of, f.years, ytd=choice == "ytd")
    return lo, hi, f"{lo:%Y年%m月%d日}—{hi:%Y年%m月%d日}"


def compare_metric(col, label: str, now: int, before: int, unit: str, help_text: str | None = None) -> None:
    """A key-figure card with its change against an earlier figure: "+72人" in colour, or a grey 持平 without
    an arrow when nothing changed."""
    delta = now - before
    sign = "+" if delta > 0 else ""
    col.metric(label, f"{numbers.grouped(now)}{unit}", delta=f"{sign}{numbers.grouped(delta)}{unit}" if delta else "持平",
               delta_color="normal" if delta else "off", delta_arrow="auto" if delta else "off",
               help=help_text, border=True)


def metric(col, label: str, value, unit: str, help_text: str | None = None) -> None:
    text = numbers.yuan(value) if unit == "元" else f"{numbers.grouped(value)}{unit}"
    col.metric(label, text, help=help_text, border=True)


def chart_title(fig) -> None:
    """The chart's title as a line of page text above the plot: it wraps on a phone and the chart toolbar (inside
    the plot, top right) never covers it. The title stays in the figure for the camera's PNG; ui/style.css hides
    it on screen."""
    layout = fig.to_dict().get("layout", {})
    text = (layout.get("title") or {}).get("text")
    if text:
        st.html(f'<div class="yy-chart-title">{html.escape(str(text))}</div>')


_NOT_GROUPED = ("年份", "排名", "年度", "编号")


def number_formats(df: pd.DataFrame) -> dict:
    """Column formats for st.dataframe in the one display style (analytics.numbers): thousands separators,
    money without ".00" unless there are fen ("139,900", not "139900.00"), percentages with one decimal; years
    and ranks ungrouped."""
    out = {}
    for col in df.columns:
        name = str(col)
        kind = df[col].dtype.kind
        if kind not in "iuf" or any(w in name for w in _NOT_GROUPED):
            continue
        if name.endswith("（%）"):
            fmt = "%.1f"
        elif "率" in name or "占比" in name:
            fmt = "percent"
        elif kind == "f":
            values = df[col].dropna()
            fmt = "%,d" if ((values * 100).round() % 100 == 0).all() else "%,.2f"
        else:
            fmt = "%,d"
        out[col] = st.column_config.NumberColumn(format=fmt)
    return out


def metric_columns(n: int, key: str):
    """n columns for key-figure cards, in a container that ui/style.css lays out two cards a row on a phone."""
    return st.container(key=f"yykpi_{key}").columns(n)


def compare_money(col, label: str, now, before, help_text: str | None = None) -> None:
    """compare_metric for an amount of yuan: "562,200元", change "+12,000元" (fen only where there are any)."""
    delta = round(float(now) - float(before), 2)
    sign = "+" if delta > 0 else ""
    col.metric(label, numbers.yuan(now), delta=f"{sign}{numbers.yuan(delta)}" if delta else "持平",
               delta_color="normal" if delta else "off", delta_arrow="auto" if delta else "off",
               help=help_text, border=True)
