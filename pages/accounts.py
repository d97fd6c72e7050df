"""账号管理 (admin): accounts and roles, password resets, locks, active sessions, the login timeout, throttled
client addresses, the login log."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import accounts, sessions
from analytics.accounts import ROLE_LABELS, AccountError, AccountsView, User
from ui import auth, db

NOTICE_KEY = "accounts_notice"
REASONS = {"ok": "登录成功", "bad_password": "密码错误", "unknown_user": "用户名不存在", "locked": "账号锁定中",
           "disabled": "账号已停用", "invalid_name": "用户名无效",
           "client_throttled": "该地址失败次数过多，开始限速", "client_blocked": "该地址失败次数过多，暂停登录"}


def done(message: str) -> None:
    """After a change: clear the caches, keep the message for the next run, rerun."""
    db.after_write()
    st.session_state[NOTICE_KEY] = message
    st.rerun()


def account_list(view: AccountsView) -> None:
    """现有账号: name, role, state (locked until, active or disabled), last login."""
    st.subheader("现有账号")
    table = pd.DataFrame([{
        "用户名": u.username, "姓名": u.display_name or "", "角色": ROLE_LABELS.get(u.role, u.role),
        "状态": (("已锁定至" + f"{view.locked[u.username]:%H:%M}") if u.username in view.locked
               else ("正常" if u.active else "已停用")),
        "最近登录": f"{u.last_login_at:%Y-%m-%d %H:%M}" if u.last_login_at else "—",
    } for u in view.users], columns=["用户名", "姓名", "角色", "状态", "最近登录"])
    st.dataframe(table, hide_index=True, width="stretch")


def add_account(me: User) -> None:
    """新增账号: name, optional 姓名, role, initial password."""
    st.subheader("新增账号")
    with st.form("add_user_form", clear_on_submit=True):
        name = st.text_input("用户名", max_chars=32, help="2至32位的字母、数字、汉字或“_ . -”")
        display = st.text_input("姓名（可选）", max_chars=32)
        role_label = st.selectbox("角色", list(ROLE_LABELS.values()))
        pw = st.text_input("初始密码", type="password", max_chars=72, help="至少8位，且须包含字母、数字、符号中的至少两类")
        if st.form_submit_button("新增账号", type="primary"):
            try:
                accounts.create_user(db.connection(), name, pw, accounts.ROLE_BY_LABEL[role_label],
                                     actor=me.username, display_name=display or None)
                done(f"已新增账号 {name.strip()}（{role_label}）。请将初始密码当面告知本人，并提醒其登录后修改。")
            except AccountError as exc:
                st.error(str(exc))


def edit_account(me: User, view: AccountsView) -> None:
    """修改账号: role and password of the chosen account; disable/enable, unlock, delete."""
    st.subheader("修改账号")
    names = [u.username for u in view.users]
    target = st.selectbox("选择账号", names, key="account_target") if names else None
    if not target:
        return
    user = next(u for u in view.users if u.username == target)
    with st.form("edit_user_form", clear_on_submit=True):
        new_role = st.selectbox("角色", list(ROLE_LABELS.values()),
                                index=list(ROLE_LABELS).index(user.role) if user.role in ROLE_LABELS else 0)
        new_pw = st.text_input("重置密码（不修改请留空）", type="password", max_chars=72)
        if st.form_submit_button("保存修改"):
            try:
                msgs = []
                if accounts.ROLE_BY_LABEL[new_role] != user.role:
                    accounts.set_role(db.connection(), target, new_role, actor=me.username)
                    msgs.append(f"角色改为{new_role}")
                if new_pw:
                    own = auth.current_session_id() if target == me.username else None    # own: keep this one
                    accounts.set_password(db.connection(), target, new_pw, actor=me.username, keep_session=own)
                    msgs.append("密码已重置，该账号的登录会话已全部结束")
                if msgs:
                    done(f"账号 {target}：{'，'.join(msgs)}。")
                else:
                    st.info("没有需要保存的修改。")
            except AccountError as exc:
                st.error(str(exc))
    c1, c2, c3 = st.columns(3)
    if user.active:
        if c1.button("停用账号", key="disable_user", disabled=target == me.username):
            try:
                accounts.set_active(db.connection(), target, False, actor=me.username)
                done(f"已停用账号 {target}。")
            except AccountError as exc:
                st.error(str(exc))
    elif c1.button("启用账号", key="enable_user"):
        accounts.set_active(db.connection(), target, True, actor=me.username)
        done(f"已启用账号 {target}。")
    if c2.button("解除锁定", key="unlock_user", disabled=target not in view.locked):
        accounts.unlock(db.connection(), target, actor=me.username)
        done(f"已解除账号 {target} 的登录锁定。")
    if c3.button("删除账号", key="delete_user", disabled=target == me.username):
        try:
            accounts.delete_user(db.connection(), target, actor=me.username)
            done(f"已删除账号 {target}。")
        except AccountError as exc:
            st.error(str(exc))


def login_sessions(me: User, view: AccountsView) -> None:
    """登录会话: who is logged in where (time, address, browser); end one session or all of a user's."""
    st.subheader("登录会话")
    st.caption("刷新页面或新开标签页不会退出登录；超过登录超时时间未操作，或自登录起超过"
               f"{sessions.max_hours():g}小时，须重新登录。修改密码、更改角色、停用账号会结束该账号的全部会话。")
    live = view.sessions
    if not live:
        st.info("目前没有有效的登录会话。")
        return
    mine = auth.current_session_id()
    st.dataframe(pd.DataFrame([{
        "用户名": s.username, "登录时间": f"{s.created_at:%Y-%m-%d %H:%M}", "最近操作": f"{s.last_seen_at:%Y-%m-%d %H:%M}",
        "IP地址": s.ip or "本机", "浏览器": s.browser, "说明": "当前会话" if s.session_id == mine else "",
    } for s in live], columns=["用户名", "登录时间", "最近操作", "IP地址", "浏览器", "说明"]),
        hide_index=True, width="stretch")
    labels = {s.session_id: f"{s.username}：{s.created_at:%m-%d %H:%M} 登录，{s.ip or '本机'}，{s.browser}"
              for s in live if s.session_id != mine}
    if not labels:
        return
    c1, c2 = st.columns([3, 1])
    chosen = c1.selectbox("选择会话", list(labels), format_func=labels.get, key="session_target")
    owner = next(s.username for s in live if s.session_id == chosen)
    c2.write("")
    if c2.button("结束该会话", key="end_session"):
        accounts.end_sessions(db.connection(), owner, chosen, actor=me.username)
        done(f"已结束账号 {owner} 的一个登录会话，该设备须重新登录。")
    if owner != me.username and st.button(f"结束账号 {owner} 的全部会话", key="end_user_sessions"):
        n = accounts.end_sessions(db.connection(), owner, actor=me.username)
        done(f"已结束账号 {owner} 的全部{n}个登录会话。")


def security_settings(me: User, view: AccountsView) -> None:
    """安全设置: the login timeout; the lock and throttling rules; the addresses being throttled."""
    st.subheader("安全设置")
    with st.form("idle_form"):
        new_minutes = st.number_input("登录超时（分钟）", min_value=1, max_value=1440, value=int(view.idle_minutes),
                                      step=5, help="超过该时间未操作，须重新登录")
        if st.form_submit_button("保存设置"):
            try:
                accounts.set_idle_minutes(db.connection(), int(new_minutes), actor=me.username)
                done(f"登录超时已设为{int(new_minutes)}分钟。")
            except AccountError as exc:
                st.error(str(exc))
    st.caption(f"连续{accounts.MAX_FAILURES}次输错密码，该用户名将被锁定{accounts.LOCK_MINUTES}分钟；管理员可提前解除锁定。"
               f"同一网络地址连续登录失败时，每次须等待的时间逐步加长，失败{accounts.CLIENT_BLOCK_AT}次后暂停该地址登录"
               f"{accounts.CLIENT_BLOCK_MINUTES}分钟。")
    if view.throttled:
        st.warning("以下网络地址因登录失败次数过多，正被限速或暂停登录：", icon="⚠️")
        st.dataframe(pd.DataFrame([{
            "IP地址": t.client, "失败次数": t.failures, "最近失败": f"{t.last_failure_at:%Y-%m-%d %H:%M:%S}",
            "暂停登录至": f"{t.blocked_until:%H:%M}" if t.blocked_until else "（限速中）",
        } for t in view.throttled], columns=["IP地址", "失败次数", "最近失败", "暂停登录至"]),
            hide_index=True, width="stretch")


def login_log(view: AccountsView) -> None:
    """最近50次登录记录, folded."""
    with st.expander(f"最近{accounts.LOGIN_LOG_SHOWN}次登录记录"):
        st.dataframe(pd.DataFrame([{
            "时间": f"{e.at:%Y-%m-%d %H:%M:%S}", "用户名": e.username, "结果": "成功" if e.success else "失败",
            "说明": REASONS.get(e.reason, e.reason), "IP地址": e.client or "本机",
        } for e in view.events], columns=["时间", "用户名", "结果", "说明", "IP地址"]), hide_index=True, width="stretch")


def main() -> None:
    me = auth.require("admin", "账号管理")
    st.title("账号管理")
    st.caption("角色：查看（看板、发布数据、脱敏后的英模档案）；录入（另可导入、更正、撤销，查看完整个人信息）；"
               "管理（另可管理账号、备份与恢复、系统设置）。密码仅以加密摘要（bcrypt）保存。")
    view = db.read(accounts.accounts_view)
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        st.success(notice)
    account_list(view)
    left, right = st.columns(2)
    with left:
        add_account(me)
    with right:
        edit_account(me, view)
    login_sessions(me, view)
    security_settings(me, view)
    login_log(view)


main()
