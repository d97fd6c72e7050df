"""The frame: page config, navigation, shared sidebar filters, footer. Nothing else.

`streamlit run app.py` first imports this file as a module to find the web server (`app` below: Streamlit
plus the login and logout endpoints of ui/routes.py, which set the HttpOnly session cookie); then it runs the
file as the script (`__main__`) for every page view.
"""
from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

if __name__ != "__main__":                      # imported by `streamlit run app.py`: the server, not a page
    from ui import lifespan, routes

    app = st.App(__file__, routes=routes.ROUTES, lifespan=lifespan.lifespan)   # lifespan: the backup job starts
else:
    from analytics.store import StoreError
    from ui import auth, filters, footer, nav

    st.set_page_config(page_title="聊城市见义勇为数据分析", page_icon="🏅", layout="wide")
    st.html(Path(__file__).parent / "ui" / "style.css")   # Chinese in place of Streamlit's own English texts
    log = logging.getLogger("yiyong")

    auth.open_database()                        # a missing or locked database: one Chinese sentence, stop
    user = auth.check_session()                  # None: not logged in, expired, ended elsewhere, or disabled
    # expanded=True: the whole menu is always shown, so Streamlit's English "View N more" button never appears
    page = st.navigation(nav.build_pages(user.role if user else None), position="sidebar" if user else "hidden",
                         expanded=True)
    if user is None:
        auth.render_gate(page)                  # first-run setup or login form; stops the run
    st.sidebar.markdown("### 聊城市见义勇为数据分析系统")
    auth.render_sidebar(user, page)
    filters.render_sidebar()
    nav.stop_if_not_found()                     # an unknown URL: 页面不存在 with a link to 总览
    try:
        if auth.allowed(page, user):
            page.run()
        else:
            auth.refuse(page.title, nav.min_role_by_title().get(page.title, "admin"))
    except StoreError as exc:
        st.error(str(exc))
    except Exception:  # never show a stack trace or a server path to a user
        log.exception("page %s failed", page.title)
        st.error("页面加载时出现问题，已记录日志。请稍后重试，或联系系统管理员。")
    footer.render()
