"""The pages, in their navigation groups. Each entry: (file, Chinese title, icon, minimum role).

Roles: viewer (查看) < editor (录入) < admin (管理). Add a page by adding one line here.
"""
from __future__ import annotations

SECTIONS: dict[str, list[tuple[str, str, str, str]]] = {
    "看板": [
        ("pages/overview.py", "总览", ":material/dashboard:", "viewer"),
        ("pages/levels.py", "表扬等级分析", ":material/military_tech:", "viewer"),
        ("pages/trends.py", "趋势", ":material/trending_up:", "viewer"),
        ("pages/stations.py", "工作站与工作室", ":material/home_work:", "viewer"),
        ("pages/timeliness.py", "及时性", ":material/timer:", "viewer"),
        ("pages/assistance.py", "帮扶优抚", ":material/volunteer_activism:", "viewer"),
    ],
    "数据": [
        ("pages/registry.py", "英模档案", ":material/badge:", "viewer"),
        ("pages/outside_city.py", "聊城义士", ":material/travel_explore:", "viewer"),
        ("pages/directories.py", "工作站与工作室名录", ":material/list_alt:", "viewer"),
        ("pages/import_data.py", "数据导入", ":material/upload_file:", "editor"),
    ],
    "发布": [
        ("pages/press.py", "发布会统计", ":material/campaign:", "viewer"),
    ],
    "管理": [
        ("pages/accounts.py", "账号管理", ":material/manage_accounts:", "admin"),
        ("pages/backup.py", "备份与恢复", ":material/backup:", "admin"),
    ],
}


# ---- role enforcement (used by app.py; see ui/auth.py) ---------------------------------------------

def entries() -> list[tuple[str, str, str, str]]:
    return [e for section in SECTIONS.values() for e in section]


def min_role_by_title() -> dict[str, str]:
    return {title: role for _path, title, _icon, role in entries()}


def min_role_by_path() -> dict[str, str]:
    return {path: role for path, _title, _icon, role in entries()}


def visible_entries(role: str | None) -> dict[str, list[tuple[str, str, str, str]]]:
    """The menu a role sees: sections with the pages it may use (empty sections left out)."""
    from analytics.accounts import role_at_least

    out = {}
    for section, items in SECTIONS.items():
        allowed = [e for e in items if role_at_least(role, e[3])]
        if allowed:
            out[section] = allowed
    return out


def build_pages(role: str | None) -> dict:
    """st.Page objects for st.navigation. Every page is registered (so a bookmarked URL still resolves), but a
    page the role may not use is hidden from the menu; app.py refuses to run it (ui/auth.allowed)."""
    import streamlit as st

    def page(entry, visible: bool):
        path, title, icon, _minimum = entry
        return st.Page(path, title=title, icon=icon, url_path=path.split("/")[-1].removesuffix(".py"),
                       visibility="visible" if visible else "hidden")

    shown = visible_entries(role)
    out = {section: [page(e, True) for e in items] for section, items in shown.items()}
    hidden = [page(e, False) for e in entries() if not any(e in items for items in shown.values())]
    if hidden:   # kept out of the menu (no empty section headers) but still routable, to be refused
        if out:
            first = next(iter(out))
            out[first] = out[first] + hidden
        else:
            out[""] = hidden
    return out


# ---- an unknown URL: a Chinese 页面不存在 instead of Streamlit's English "Page not found" dialog -----------------
# Streamlit 1.67's st.navigation sends the browser a page_not_found message (drawn as an English dialog) and runs
# the default page. Installed when this module is imported (app.py imports it before calling st.navigation), the
# hook below records the miss in the session instead; app.py then calls `stop_if_not_found()`.
_NOT_FOUND_KEY = "_yiyong_page_not_found"


def _install_not_found_hook() -> None:
    try:
        from streamlit.commands import navigation as _navigation
    except ImportError:  # pragma: no cover - other Streamlit versions keep their own dialog
        return
    if getattr(_navigation.send_page_not_found, "_yiyong", False):
        return

    def _record_not_found(ctx) -> None:  # runs inside the script run, on its session
        import streamlit as st
        st.session_state[_NOT_FOUND_KEY] = True

    _record_not_found._yiyong = True
    _navigation.send_page_not_found = _record_not_found


_install_not_found_hook()


def stop_if_not_found() -> None:
    """After login: if the URL named no page, show 页面不存在 with a link to 总览 and end the run."""
    import streamlit as st

    if not st.session_state.pop(_NOT_FOUND_KEY, False):
        return
    st.title("页面不存在")
    st.write("您访问的页面不存在，可能是链接有误或页面已调整。请从左侧菜单选择页面，或返回总览。")
    first = entries()[0]
    st.page_link(first[0], label=f"返回{first[1]}", icon=":material/home:")
    st.stop()
