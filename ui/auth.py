"""Login, first-run setup, session checks, the sidebar user box and page-level role checks (Streamlit side).

The logic lives in analytics/accounts.py and analytics/sessions.py; the login and logout endpoints (which set
and clear the HttpOnly session cookie) in ui/routes.py. Every script run checks the session against the
database: from the cookie the browser sent (st.context.cookies) on a new page load, then from the session id
kept in st.session_state["auth"] = {"session_id": ...} (a server-side id, never the token). So a refresh, a new
tab or a forwarded link stays logged in, and a logout elsewhere, an expiry, a password or role change, or a
disabled account takes effect at the user's next click.

The session user, one API: app.py calls `check_session()` at the start of every run; pages and ui/ read that
run's user with `user()` (`.username` is recorded as the actor of a change, `.role` decides what it may see and
do), or take it from `require(...)`, which refuses the page without one.
"""
from __future__ import annotations

import html
from functools import partial
from urllib.parse import urlencode

import streamlit as st

from analytics import accounts, sessions, store
from analytics.accounts import AccountError, User
from ui.text import plain
from ui import db, frame, nav, routes

SESSION_KEY = "auth"
USER_KEY = "auth_user"
NOTICE_KEY = "auth_notice"
APP_TITLE = "聊城市见义勇为数据分析系统"
TIMED_OUT = "登录已超时，请重新登录。"
ENDED = "您的登录已失效（已在别处退出，或账号已停用、密码或角色已变更），请重新登录。"
DISABLED = "该账号已停用或已删除，请联系系统管理员。"


def _cookie(name: str) -> str | None:
    """A cookie the browser sent when this session's page was loaded (None without a browser)."""
    try:
        value = st.context.cookies.get(name)
    except Exception:  # noqa: BLE001 - no browser session (bare mode): no cookies
        return None
    return value if isinstance(value, str) else None      # AppTest's stand-in client returns mock objects


def open_database() -> None:
    """Stop the run with the Chinese reason when the database cannot be opened (a missing path is never
    created by the app: the message names the path and how to make one)."""
    try:
        db.cursor().close()             # the first read opens (or copies) the database
    except store.StoreError as exc:
        st.title(APP_TITLE)
        st.error(str(exc))
        st.stop()


def check_session() -> User | None:
    """app.py, at the start of every run: check this browser session against the database and return its user, or
    None (not logged in, expired, ended elsewhere, or disabled). The user is kept for the run: `user()`."""
    info = st.session_state.get(SESSION_KEY)
    if isinstance(info, dict) and info.get("session_id"):
        check_it = partial(sessions.check_id, session_id=info["session_id"])
    else:
        info = None
        token = _cookie(sessions.COOKIE_NAME)
        if not token:
            return None
        check_it = partial(sessions.check_token, token=token)
    cur = db.cursor()
    try:
        minutes = accounts.idle_minutes(cur)
        check = check_it(cur, idle_minutes=minutes)
        source = cur
        if check.status == sessions.UNKNOWN:
            # A login made a moment ago may not be in this process's read copy yet (another thread is still
            # refreshing it): ask the database itself before calling the session unknown.
            source = db.connection()
            check = check_it(source, idle_minutes=minutes)
        found = accounts.get_user(source, check.session.username) if check.status == sessions.OK else None
    finally:
        cur.close()
    return _start(check, found, minutes, info)


def _start(check, found: User | None, minutes: float, info: dict | None) -> User | None:
    """check_session's verdict on a checked session: the run's user, or None with the reason noted."""
    if check.status in (sessions.EXPIRED, sessions.UNKNOWN):
        notice = TIMED_OUT if check.status == sessions.EXPIRED else ENDED
        if info is not None:
            logout(notice)                  # a session that was running: forget what it held
        else:
            st.session_state[NOTICE_KEY] = notice   # a stale cookie: keep the form's own widget state
        return None
    if found is None or not found.active:
        sessions.end(db.connection(), check.session.session_id)
        logout(DISABLED)
        return None
    sessions.touch(db.connection(), check.session, idle_minutes=minutes)
    st.session_state[SESSION_KEY] = {"session_id": check.session.session_id}
    st.session_state[USER_KEY] = found
    return found


def user() -> User | None:
    """The logged-in user of this run, as `check_session` found it (None before that or without a login). Pages
    read `user().username` (the actor recorded with a change) and `user().role` (what it may see or edit); a page
    behind `require` always has one."""
    found = st.session_state.get(USER_KEY)
    return found if isinstance(found, User) else None


def current_session_id() -> str | None:
    """This browser session's login-session id (server-side; never the token)."""
    info = st.session_state.get(SESSION_KEY)
    return info.get("session_id") if isinstance(info, dict) else None


def logout(notice: str | None = None) -> None:
    """Forget the user and everything the session held (uploads, previews, edits), keeping the filters.
    (The browser's cookie is cleared by the logout endpoint; a session that ended in the database is refused
    at the next run anyway.)"""
    keep = {k: st.session_state[k] for k in ("as_of", "county", "years") if k in st.session_state}
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    for k, v in keep.items():
        st.session_state[k] = v
    if notice:
        st.session_state[NOTICE_KEY] = notice


def return_path(page) -> str:
    """This page and its filters as a path ("/stations?as_of=2024-07-31&county=东昌府区"): where the login
    and logout endpoints send the browser back to."""
    url_path = getattr(page, "url_path", "") or ""
    pairs = [(key, value) for key in st.query_params for value in st.query_params.get_all(key)]
    return "/" + url_path + ("?" + urlencode(pairs) if pairs else "")


def render_gate(page=None) -> None:
    """Draw the first-run page or the login form, then stop the run (the caller has no user)."""
    cur = db.cursor()
    try:
        no_admin = accounts.needs_first_admin(cur)
    finally:
        cur.close()
    if no_admin:
        try:
            if accounts.ensure_admin_from_env(db.connection()):
                no_admin = False
        except AccountError as exc:
            st.error(str(exc))
    cur = db.cursor()
    try:
        first_run = no_admin and accounts.first_run_allowed(cur)
        demo_users = accounts.demo_accounts_shown(cur)
    finally:
        cur.close()
    _, mid, _ = st.columns([1, 1.2, 1])
    with mid:
        st.title(APP_TITLE)
        if first_run:
            _first_run_form()
        elif no_admin:
            st.error("本数据库中没有可用的系统管理员账号，无法登录。请在服务器上用命令 python -m analytics users add "
                     "用户名 --role 管理 新增管理员账号（密码取自环境变量 YIYONG_NEW_PASSWORD 或标准输入）。")
        else:
            _login_form(return_path(page), demo_users)
    st.stop()


_FORM_STYLE = """<style>
.yy-login label{display:block;font-size:.875rem;margin:.75rem 0 .25rem;color:rgb(49,51,63)}
.yy-login input[type=text],.yy-login input[type=password]{box-sizing:border-box;width:100%;height:2.5rem;
 padding:.5rem .75rem;border:1px solid rgba(49,51,63,.2);border-radius:.5rem;background:#f0f2f6;font-size:1rem}
.yy-login input:focus{outline:none;border-color:#B22222}
.yy-login button,.yy-logout button{width:100%;min-height:2.5rem;border-radius:.5rem;font-size:1rem;cursor:pointer}
.yy-login button{margin-top:1.25rem;border:1px solid #B22222;background:#B22222;color:#fff}
.yy-logout button{border:1px solid rgba(49,51,63,.2);background:#fff;color:rgb(49,51,63);font-size:.9rem}
.yy-logout button:hover{border-color:#B22222;color:#B22222}
.yy-logout.yy-small button{min-height:2rem;font-size:.8rem;border:none;background:none;text-decoration:underline}
</style>"""


def login_form_html(next_path: str) -> str:
    """A plain HTML form the browser posts to the login endpoint (so the answer can set an HttpOnly cookie;
    the password never passes through the Streamlit session)."""
    return (f'{_FORM_STYLE}<form class="yy-login" method="post" action="{routes.LOGIN_PATH}">'
            '<label for="yy-username">用户名</label>'
            '<input type="text" id="yy-username" name="username" maxlength="32" autocomplete="username" required>'
            '<label for="yy-password">密码</label>'
            '<input type="password" id="yy-password" name="password" maxlength="72" '
            'autocomplete="current-password" required>'
            f'<input type="hidden" name="next" value="{html.escape(next_path, quote=True)}">'
            '<button type="submit">登录</button></form>')


def logout_form_html(next_path: str, *, everywhere: bool = False) -> str:
    label = "退出所有设备" if everywhere else "退出登录"
    scope = '<input type="hidden" name="scope" value="all">' if everywhere else ""
    return (f'{_FORM_STYLE}<form class="yy-logout{" yy-small" if everywhere else ""}" method="post" '
            f'action="{routes.LOGOUT_PATH}">{scope}'
            f'<input type="hidden" name="next" value="{html.escape(next_path, quote=True)}">'
            f'<button type="submit">{label}</button></form>')


def _login_form(next_path: str, demo_users: list[User]) -> None:
    from ui import warmup
    warmup.import_in_background()
    warmup.preload_charts()
    st.subheader("用户登录")
    notice = st.session_state.get(NOTICE_KEY) or routes.decode_notice(_cookie(sessions.NOTICE_COOKIE))
    if notice:
        st.info(notice)
    st.html(login_form_html(next_path))
    if demo_users:
        roles = "、".join(f"{u.username}（{u.role_label}）" for u in demo_users)
        st.warning(f"当前使用的是演示数据库，其中的人员和数据均为虚构，仅供演示。演示账号：{roles}，"
                   "密码见系统说明。", icon="ℹ️")
    st.caption("本系统存有个人信息，仅限授权工作人员使用。账号由系统管理员分配，忘记密码请联系系统管理员。")


def _first_run_form() -> None:
    st.subheader("首次使用：设置系统管理员账号")
    st.info("系统中还没有管理员账号。请设置管理员的用户名和密码；设置后请用该账号登录，"
            "再由管理员在“账号管理”中为其他人员分配账号。")
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
        logout(f"系统管理员账号 {user.username} 已创建，请用该账号登录。")
        st.rerun()


def render_sidebar(user: User, page=None) -> None:
    """当前用户, role, 退出登录 / 退出所有设备 and a change-password box at the top of the sidebar."""
    with st.sidebar:
        name = f"{user.display_name}（{user.username}）" if user.display_name else user.username
        st.markdown(f"当前用户：**{plain(name)}**  \n角色：{user.role_label}")
        here = return_path(page)
        c1, c2 = st.columns(2)
        with c1:
            st.html(logout_form_html(here))
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
                            accounts.change_own_password(db.connection(), user.username, old, new,
                                                         keep_session=current_session_id())
                            st.success("密码已修改，下次登录请使用新密码；该账号在其他设备上的登录已全部退出。")
                        except AccountError as exc:
                            st.error(str(exc))
        st.html(logout_form_html(here, everywhere=True))


def allowed(page, user: User | None) -> bool:
    """May `user` run `page` (the object st.navigation returned)?"""
    minimum = nav.min_role_by_title().get(page.title, "admin")   # unknown pages: admins only
    return accounts.role_at_least(user.role if user else None, minimum)


def refuse(title: str, minimum: str = "admin") -> None:
    me = user()
    what = f"“{title}”页面" if title else "本页面"
    st.error(f"您的账号（角色：{accounts.role_label(me.role if me else None)}）无权使用{what}，"
             f"需要“{accounts.ROLE_LABELS.get(minimum, minimum)}”及以上权限。如有需要，请联系系统管理员。")


def require(minimum: str, title: str | None = None) -> User:
    """At the top of a page: stop with a Chinese refusal unless the session's role is at least `minimum`."""
    frame.route_through_frame()                 # a page started without app.py reruns through it
    me = user()
    if me is None or not accounts.role_at_least(me.role, minimum):
        refuse(title, minimum)
        st.stop()
    return me


def require_page(file: str) -> User:
    """`require` with the page's minimum role and title taken from ui/nav.py (for `auth.require_page(__file__)`).

    A second line of defence: app.py already refuses pages above the user's role, but Streamlit can run a file
    in pages/ directly, without app.py, on a fresh server (see ui/frame.py)."""
    from pathlib import Path

    from ui import nav

    name = Path(file).name
    for entries in nav.SECTIONS.values():
        for path, title, _icon, minimum in entries:
            if Path(path).name == name:
                return require(minimum, title)
    return require("admin")  # a page missing from the registry is for administrators only

