"""Login, first-run setup, idle timeout, the sidebar user box and page-level role checks (Streamlit side).

The logic lives in analytics/accounts.py; this module only draws it. The session holds
st.session_state["auth"] = {"username": ..., "last_seen": <unix time>}; the role is read from the database
on every run, so a changed role or a disabled account takes effect at the user's next click.
"""
from __future__ import annotations

import time

import streamlit as st

from analytics import accounts, store
from analytics.accounts import AccountError, User
from ui import db, nav

SESSION_KEY = "auth"
NOTICE_KEY = "auth_notice"
APP_TITLE = "聊城市见义勇为数据分析系统"


def _read(fn, *args):
    cur = db.cursor()
    try:
        return fn(cur, *args)
    finally:
        cur.close()


def session_user() -> User | None:
    """The logged-in user of this session, or None (not logged in, idle too long, or account disabled)."""
    info = st.session_state.get(SESSION_KEY)
    if not isinstance(info, dict) or not info.get("username"):
        return None
    now = time.time()
    minutes = _read(accounts.idle_minutes)
    if accounts.session_expired(info.get("last_seen"), now, minutes):
        logout(f"由于超过{minutes}分钟未操作，已自动退出登录，请重新登录。")
        return None
    user = _read(accounts.get_user, info["username"])
    if user is None or not user.active:
        logout("该账号已停用或已删除，请联系系统管理员。")
        return None
    info["last_seen"] = now
    st.session_state["auth_user"] = user
    return user


def current_role() -> str | None:
    """The role of the logged-in user (for pages: `privacy.can(auth.current_role(), "see_personal")`)."""
    user = st.session_state.get("auth_user")
    return user.role if isinstance(user, User) else None


def current_user() -> User | None:
    user = st.session_state.get("auth_user")
    return user if isinstance(user, User) else None


def actor() -> str:
    """The user name to record as actor of a change."""
    user = current_user()
    return user.username if user else "system"


def logout(notice: str | None = None) -> None:
    """End the session: forget the user and everything the session held (uploads, previews, edits)."""
    keep = {k: st.session_state[k] for k in ("as_of", "county", "years") if k in st.session_state}
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    for k, v in keep.items():
        st.session_state[k] = v
    if notice:
        st.session_state[NOTICE_KEY] = notice


def _log_in(user: User) -> None:
    st.session_state[SESSION_KEY] = {"username": user.username, "last_seen": time.time()}
    st.session_state.pop(NOTICE_KEY, None)


def render_gate() -> None:
    """Draw the first-run page or the login form, then stop the run (the caller has no user)."""
    cur = db.cursor()
    try:
        first_run = accounts.needs_first_admin(cur)
    finally:
        cur.close()
    if first_run:
        try:
            if accounts.ensure_admin_from_env(db.connection()):
                first_run = False
        except AccountError as exc:
            st.error(str(exc))
    _, mid, _ = st.columns([1, 1.2, 1])
    with mid:
        st.title(APP_TITLE)
        if first_run:
            _first_run_form()
        else:
            _login_form()
    st.stop()


def _login_form() -> None:
    from ui import warmup
    warmup.import_in_background()
    warmup.preload_charts()
    st.subheader("用户登录")
    notice = st.session_state.get(NOTICE_KEY)
    if notice:
        st.info(notice)
    with st.form("login_form"):
        username = st.text_input("用户名", max_chars=32, autocomplete="username")
        password = st.text_input("密码", type="password", max_chars=72, autocomplete="current-password")
        submitted = st.form_submit_button("登录", type="primary", width="stretch")
    if submitted:
        try:
            user = accounts.authenticate(db.connection(), username, password)
        except AccountError as exc:
            st.error(str(exc))
            return
        except store.StoreError as exc:
            st.error(str(exc))
            return
        _log_in(user)
        st.rerun()
    st.caption("本系统存有个人信息，仅限授权工作人员使用。账号由系统管理员分配，忘记密码请联系系统管理员。")


def _first_run_form() -> None:
    st.subheader("首次使用：设置系统管理员账号")
    st.info("系统中还没有管理员账号。请设置管理员的用户名和密码；设置后，由管理员在“账号管理”中为其他人员分配账号。")
    with st.form("first_run_form"):
        username = st.text_input("用户名", value="admin", max_chars=32)
        password = st.text_input("密码", type="password", max_chars=72,
                                 help="至少8位，且须包含字母、数字、符号中的至少两类")
        confirm = st.text_input("确认密码", type="password", max_chars=72)
        submitted = st.form_submit_button("创建管理员账号", type="primary", width="stretch")
    if submitted:
        if password != confirm:
            st.error("两次输入的密码不一致。")
            return
        try:
            user = accounts.create_first_admin(db.connection(), username, password)
        except AccountError as exc:
            st.error(str(exc))
            return
        _log_in(user)
        st.rerun()


def render_sidebar(user: User) -> None:
    """当前用户, role and 退出登录 (and a change-password box) at the top of the sidebar."""
    with st.sidebar:
        name = f"{user.display_name}（{user.username}）" if user.display_name else user.username
        st.markdown(f"当前用户：**{name}**  \n角色：{user.role_label}")
        c1, c2 = st.columns(2)
        if c1.button("退出登录", key="logout_button", width="stretch"):
            logout("您已退出登录。")
            st.rerun()
        with c2.popover("修改密码", width="stretch"):
            with st.form("own_password_form", clear_on_submit=True):
                old = st.text_input("原密码", type="password", max_chars=72)
                new = st.text_input("新密码", type="password", max_chars=72)
                again = st.text_input("确认新密码", type="password", max_chars=72)
                if st.form_submit_button("确认修改"):
                    if new != again:
                        st.error("两次输入的新密码不一致。")
                    else:
                        try:
                            accounts.change_own_password(db.connection(), user.username, old, new)
                            st.success("密码已修改，下次登录请使用新密码。")
                        except AccountError as exc:
                            st.error(str(exc))


def allowed(page, user: User | None) -> bool:
    """May `user` run `page` (the object st.navigation returned)?"""
    minimum = nav.min_role_by_title().get(page.title, "admin")   # unknown pages: admins only
    return accounts.role_at_least(user.role if user else None, minimum)


def refuse(title: str, minimum: str = "admin") -> None:
    user = current_user()
    what = f"“{title}”页面" if title else "本页面"
    st.error(f"您的账号（角色：{accounts.role_label(user.role if user else None)}）无权使用{what}，"
             f"需要“{accounts.ROLE_LABELS.get(minimum, minimum)}”及以上权限。如有需要，请联系系统管理员。")


def require(minimum: str, title: str | None = None) -> User:
    """At the top of a page: stop with a Chinese refusal unless the session's role is at least `minimum`."""
    db.route_through_frame()                    # a page started without app.py reruns through it
    user = current_user()
    if user is None or not accounts.role_at_least(user.role, minimum):
        refuse(title, minimum)
        st.stop()
    return user


def require_page(file: str) -> User:
    """`require` with the page's minimum role and title taken from ui/nav.py (for `auth.require_page(__file__)`).

    A second line of defence: app.py already refuses pages above the user's role, but Streamlit can run a file
    in pages/ directly, without app.py, on a fresh server (see ui/db._route_through_frame)."""
    from pathlib import Path

    from ui import nav

    name = Path(file).name
    for entries in nav.SECTIONS.values():
        for path, title, _icon, minimum in entries:
            if Path(path).name == name:
                return require(minimum, title)
    return require("admin")  # a page missing from the registry is for administrators only


def who() -> tuple[str, str]:
    """(actor, role) of this session, for pages that write: the user name to record, and the role to check."""
    return actor(), current_role() or "viewer"
