"""The footer on every page: 统计截至, 数据更新至, 最近一次导入, and a notice while the demo database is in use."""
from __future__ import annotations

import html

import streamlit as st

from ui import queries
from ui.filters import current


def render() -> None:
    f = current()
    # cached on the data version: the footer is drawn on every run, and data_bounds scans every dated table
    latest = queries.latest_data_date()
    last = queries.last_import()
    demo = queries.is_demo()
    parts = [f"统计截至 {f.as_of:%Y年%m月%d日}"]
    parts.append(f"数据更新至 {latest:%Y年%m月%d日}" if latest else "数据库暂无数据")
    if last:
        parts.append(f"最近一次导入 {last['created_at']:%Y-%m-%d %H:%M}（{last['file_names'] or '—'}）")
    else:
        parts.append("最近一次导入 暂无")
    st.divider()
    if demo:
        st.warning("当前使用的是演示数据库：人员均为虚构，数据仅供演示，不得对外引用。", icon="⚠️")
    # plain text (file names are data, never Markdown)
    st.html(f'<div class="yy-footer">{html.escape(" ｜ ".join(parts) + " ｜ 聊城市见义勇为基金会")}</div>')
    if latest:                        # the other pages' data, computed while this one is read (ui/prefetch.py)
        from ui import prefetch
        prefetch.start(f)
