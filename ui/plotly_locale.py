"""Plotly's own texts (the chart toolbar's tooltips and notices) in Chinese.

plotly.js draws them in English unless the chart's config names a locale and carries its dictionary (config
`locale` + `locales`); Streamlit passes the config through unchanged. The strings are those plotly.js 3 looks up
(checked against the bundle Streamlit 1.67 ships), translated as plotly.js's own zh-CN locale does."""
from __future__ import annotations

LOCALE = "zh-CN"

DICTIONARY = {
    "Autoscale": "自动缩放",
    "Box Select": "矩形框选",
    "Click to enter Colorscale title": "点击输入色阶标题",
    "Click to enter Plot title": "点击输入图表标题",
    "Click to enter Plot subtitle": "点击输入图表副标题",
    "Click to enter X axis title": "点击输入X轴标题",
    "Click to enter Y axis title": "点击输入Y轴标题",
    "Compare data on hover": "悬停时比较数据",
    "Double-click on legend to isolate one trace": "双击图例以单独显示该项",
    "Double-click to zoom back out": "双击返回缩放前",
    "Download plot": "下载图片",
    "Download plot as a PNG": "下载图片（PNG）",
    "Download plot as a png": "下载图片（PNG）",
    "Download plot as JSON": "下载图表数据（JSON）",
    "Image download succeeded": "图片已下载",
    "JSON download succeeded": "图表数据已下载",
    "Lasso Select": "套索选择",
    "Orbital rotation": "轨道旋转",
    "Pan": "平移",
    "Preparing image - this may take a few seconds": "正在生成图片，请稍候",
    "Reset": "重置",
    "Reset axes": "重置坐标轴",
    "Reset camera to default": "重置视角为默认",
    "Reset camera to last save": "重置视角为上次保存",
    "Reset view": "重置视图",
    "Reset views": "重置视图",
    "Show closest data on hover": "悬停时显示最近的数据",
    "Snapshot succeeded": "截图成功",
    "Sorry, there was a problem downloading your snapshot!": "抱歉，下载截图时出现问题。",
    "Taking snapshot - this may take a few seconds": "正在截图，请稍候",
    "Toggle Spike Lines": "显示/隐藏辅助线",
    "Toggle show closest data on hover": "切换悬停时显示最近的数据",
    "Turntable rotation": "转盘旋转",
    "Zoom": "缩放",
    "Zoom in": "放大",
    "Zoom out": "缩小",
    "Draw line": "画线",
    "Draw open freeform": "画开放曲线",
    "Draw closed freeform": "画闭合图形",
    "Draw rectangle": "画矩形",
    "Draw circle": "画圆",
    "Erase active shape": "删除所选图形",
    "trace": "数据系列",
    "new text": "新文本",
}

FORMAT = {
    "days": ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
    "shortDays": ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
    "months": ["一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月"],
    "shortMonths": ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"],
    "date": "%Y-%m-%d",
    "decimal": ".",
    "thousands": ",",
    "grouping": [3],            # without it d3-format groups nothing: "400000" instead of "400,000"
    "currency": ["¥", ""],
}

CONFIG = {"locale": LOCALE, "locales": {LOCALE: {"dictionary": DICTIONARY, "format": FORMAT}}}
