"""The frame: page config, navigation, shared sidebar filters, footer. Nothing else."""
from __future__ import annotations

import logging

import streamlit as st

from analytics.store import StoreError
from ui import filters, footer, nav

st.set_page_config(page_title="聊城市见义勇为数据分析", page_icon="🏅", layout="wide")
log = logging.getLogger("yiyong")

pages = {
    section: [st.Page(path, title=title, icon=icon, url_path=path.split("/")[-1].removesuffix(".py"))
              for path, title, icon, _role in entries]
    for section, entries in nav.SECTIONS.items() if entries
}
page = st.navigation(pages)
st.sidebar.markdown("### 聊城市见义勇为数据分析系统")
filters.render_sidebar()
try:
    page.run()
except StoreError as exc:
    st.error(str(exc))
except Exception:  # never show a stack trace or a server path to a user
    log.exception("page %s failed", page.title)
    st.error("页面加载时出现问题，已记录日志。请稍后重试，或联系系统管理员。")
footer.render()
