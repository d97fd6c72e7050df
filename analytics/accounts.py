"""Accounts and roles: the users table, bcrypt hashing, login with lockout and throttling, idle-session expiry.

No Streamlit here (ui/auth.py is the Streamlit side). Roles, lowest first:
    viewer (查看): dashboards, press figures, the registry with personal data masked
    editor (录入): also import, corrections and undo, full personal data
    admin  (管理): also accounts, backup and restore, settings
Every account change is a change set (kind 'system', actor = who did it); passwords never leave this module
except as bcrypt hashes. Bad input raises AccountError with one Chinese sentence; the database is untouched.
A password change, a role change, disabling or deleting an account ends that user's sessions
(analytics/sessions.py); a user's own password change keeps the session in use.

Throttling of failed logins (checked before any password is hashed, so refusals cost nothing):
- per user name: after the 2nd failure in a row the next attempt waits 1 s, then 2 s, 4 s; the 5th locks the
  name for 10 minutes (an administrator can unlock);
- per client address: from the 3rd failure within 15 minutes a growing wait (1, 2, 4 … 30 s); the 20th blocks
  the address for 15 minutes. Delays and blocks are written to the login log and shown on 账号管理.
Old rows of login_attempts / login_clients (a day after the last failure) and login events older than
LOGIN_EVENT_DAYS are deleted at each login attempt, so none of these tables grows without bound.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from typing import NamedTuple

import bcrypt

from analytics import sessions, store
from analytics.metrics import status

ROLES = ("viewer", "editor", "admin")
ROLE_LABELS = {"viewer": "查看", "editor": "录入", "admin": "管理"}
ROLE_BY_LABEL = {v: k for k, v in ROLE_LABELS.items()}

BCRYPT_ROUNDS = 12                 # ≈0.35 s per hash on this kind of machine
MAX_FAILURES = 5                   # failed logins in a row …
LOCK_MINUTES = 10                  # … lock the user name for this long
DEFAULT_IDLE_MINUTES = 30
IDLE_SETTING = "session_idle_minutes"
ADMIN_PASSWORD_ENV = "YIYONG_ADMIN_PASSWORD"
ADMIN_USER_ENV = "YIYONG_ADMIN_USER"
IDLE_ENV = "YIYONG_SESSION_IDLE_MINUTES"
FIRST_RUN_SETTING = "awaiting_first_admin"   # set by `init` without an admin: only then the app asks for one

ACCOUNT_DELAY_FROM = 2                     # failures in a row on one name before its attempts are spaced out
CLIENT_DELAY_FROM = 3                      # failures from one address (within CLIENT_WINDOW) before the same
CLIENT_MAX_DELAY = 30                      # seconds
CLIENT_BLOCK_AT = 20                       # failures from one address that block it …
CLIENT_BLOCK_MINUTES = 15                  # … for this long
CLIENT_WINDOW = dt.timedelta(minutes=15)
KEEP_ATTEMPTS = dt.timedelta(days=1)       # login_attempts / login_clients rows older than this are deleted
LOGIN_EVENT_DAYS = 180

# The demo database's accounts (analytics/demo.py creates them; documented in README). Demo only.
DEMO_ACCOUNTS = {"admin": "Demo-admin-2024", "editor": "Demo-editor-2024", "viewer": "Demo-viewer-2024"}
DEMO_ROLES = {"admin": "admin", "editor": "editor", "viewer": "viewer"}
DEMO_NAMES = {"admin": "演示管理员", "editor": "演示录入员", "viewer": "演示查看员"}

_NAME_RE = re.compile(r"^[A-Za-z0-9_.\-\u4e00-\u9fff]{2,32}$")
_dummy_hash: bytes | None = None

BAD_LOGIN = "用户名或密码不正确。"


class AccountError(Exception):
    """A refused account operation or login, in one Chinese sentence."""


class DatabaseNotReady(AccountError):
    """No administrator, and the database was not made by `init`: the app cannot offer the first-run form."""


@dataclass(frozen=True)
class User:
    username: str
    role: str
    display_name: str | None
    active: bool
    last_login_at: dt.datetime | None = None

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


# ---- roles ----------------------------------------------------------------------------------------

def role_rank(role: str | None) -> int:
    """0 for no role / unknown; 1 viewer, 2 editor, 3 admin."""
    return ROLES.index(role) + 1 if role in ROLES else 0


def role_at_least(role: str | None, minimum: str) -> bool:
    return role_rank(role) >= role_rank(minimum) > 0


def role_label(role: str | None) -> str:
    return ROLE_LABELS.get(role or "", "未登录")


# ---- validation -------------------------------------------------------------------------------------

def check_username(name) -> str:
    if not isinstance(name, str) or not _NAME_RE.match(name.strip()):
        raise AccountError("用户名须为2至32位的字母、数字、汉字或“_ . -”，不能含空格。")
    return name.strip()


def check_password(password, username: str | None = None) -> str:
    if not isinstance(password, str) or len(password) < 8:
        raise AccountError("密码至少8位，且须包含字母、数字、符号中的至少两类。")
    if len(password.encode("utf-8")) > 72:
        raise AccountError("密码过长（不得超过72字节，约24个汉字或72个字母数字）。")
    if any(ord(c) < 32 for c in password):
        raise AccountError("密码不能包含控制字符。")
    kinds = sum([any(c.isalpha() for c in password), any(c.isdigit() for c in password),
                 any(not c.isalnum() for c in password)])
    if kinds < 2:
        raise AccountError("密码至少8位，且须包含字母、数字、符号中的至少两类。")
    if username and password.lower() == username.lower():
        raise AccountError("密码不能与用户名相同。")
    return password


def check_role(role: str) -> str:
    role = ROLE_BY_LABEL.get(role, role)
    if role not in ROLES:
        raise AccountError(f"角色“{role}”不存在，可选：查看、录入、管理。")
    return role


def hash_password(password: str, rounds: int | None = None) -> str:
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds or BCRYPT_ROUNDS)).decode("ascii")


def verify_password(password: str, password_hash: str | bytes) -> bool:
    data = password.encode("utf-8", "surrogatepass") if isinstance(password, str) else b""
    if not data or len(data) > 72:
        return False
    hashed = password_hash.encode("ascii") if isinstance(password_hash, str) else password_hash
    try:
        return bcrypt.checkpw(data, hashed)
    except ValueError:
        return False


# ---- reading ----------------------------------------------------------------------------------------

def _dummy() -> bytes:
    """A real hash of a random password, checked for unknown names so that timing does not reveal them."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = bcrypt.hashpw(os.urandom(16).hex().encode(), bcrypt.gensalt(BCRYPT_ROUNDS))
    return _dummy_hash


def _user(row) -> User:
    return User(username=row[0], role=row[1], display_name=row[2], active=bool(row[3]), last_login_at=row[4])


def get_user(con, username: str) -> User | None:
    if not isinstance(username, str) or "\x00" in username or len(username) > 64:
        return None
    row = con.execute(
        "SELECT username, role, display_name, active, last_login_at FROM users WHERE username = ?", [username]
    ).fetchone()
    return _user(row) if row else None


def list_users(con) -> list[User]:
    rows = con.execute(
        "SELECT username, role, display_name, active, last_login_at FROM users "
        "ORDER BY CASE role WHEN 'admin' THEN 0 WHEN 'editor' THEN 1 ELSE 2 END, username"
    ).fetchall()
    return [_user(r) for r in rows]


def count_users(con) -> int:
    return con.execute("SELECT count(*) FROM users").fetchone()[0]


def needs_first_admin(con) -> bool:
    """True while no active admin account exists (a new installation)."""
    return con.execute("SELECT count(*) FROM users WHERE role = 'admin' AND active").fetchone()[0] == 0


def first_run_allowed(con) -> bool:
    """The first-run form may be shown: no active admin, and `init` made this database and left the admin to
    the first start. Any other database without an admin is refused (an admin is added with `users add`)."""
    return needs_first_admin(con) and store.get_setting(con, FIRST_RUN_SETTING) == "1"


def demo_accounts_shown(con) -> list[User]:
    """On a demo database: the demo accounts that still exist, for the login page's hint; else none."""
    if not status.is_demo(con):
        return []
    return [u for u in list_users(con) if u.username in DEMO_ACCOUNTS and u.active]


class LoginEvent(NamedTuple):
    """One login attempt of the login log."""
    at: dt.datetime
    username: str
    success: bool
    reason: str                 # ok, bad_password, unknown_user, locked, disabled, client_throttled …
    client: str | None          # the client address (None: this machine)


class ThrottledClient(NamedTuple):
    """A client address being slowed down (blocked_until None) or blocked after failed logins."""
    client: str
    failures: int
    last_failure_at: dt.datetime
    blocked_until: dt.datetime | None


def login_log(con, limit: int = 50) -> list[LoginEvent]:
    """The latest login events, newest first."""
    return [LoginEvent(*row) for row in con.execute(
        "SELECT event_at, username, success, reason, client FROM login_events ORDER BY event_id DESC LIMIT ?",
        [int(limit)]).fetchall()]


def throttled_clients(con, now: dt.datetime | None = None) -> list[ThrottledClient]:
    """Client addresses being slowed down or blocked, latest failure first."""
    now = now or store._now()
    return [ThrottledClient(*row) for row in con.execute(
        "SELECT client, failures, last_failure_at, blocked_until FROM login_clients "
        "WHERE failures >= ? AND (last_failure_at > ? OR blocked_until > ?) "
        "ORDER BY last_failure_at DESC", [CLIENT_DELAY_FROM, now - CLIENT_WINDOW, now]).fetchall()]


def lock_status(con, username: str, now: dt.datetime | None = None) -> dt.datetime | None:
    """The time the user name is locked until, or None."""
    now = now or store._now()
    row = con.execute("SELECT locked_until FROM login_attempts WHERE username = ?", [username]).fetchone()
    if row and row[0] and row[0] > now:
        return row[0]
    return None


def locked_names(con, now: dt.datetime | None = None) -> dict[str, dt.datetime]:
    now = now or store._now()
    return dict(con.execute("SELECT username, locked_until FROM login_attempts WHERE locked_until > ?",
                            [now]).fetchall())


# ---- writing (each call is one transaction and one change set) ---------------------------------------

def _insert_user(cur, username: str, password_hash: str, role: str, display_name: str | None, actor: str) -> None:
    now = store._now()
    cur.execute(
        "INSERT INTO users (username, password_hash, role, display_name, active, created_at, created_by,"
        " password_changed_at) VALUES (?, ?, ?, ?, TRUE, ?, ?, ?)",
        [username, password_hash, role, display_name, now, actor, now],
    )


def create_user(con, username: str, password: str, role: str, *, actor: str = "system",
                display_name: str | None = None, change_id: int | None = None, record: bool = True,
                rounds: int | None = None) -> User:
    """Create an account. With `change_id`, `con` is a cursor inside the caller's transaction and the account
    joins that change set; otherwise this opens its own transaction (and change set unless record=False,
    which test helpers use so as not to add change sets)."""
    username = check_username(username)
    check_password(password, username)
    role = check_role(role)
    if display_name is not None:
        display_name = display_name.strip()[:32] or None
    password_hash = hash_password(password, rounds)
    summary = f"新增账号 {username}（{ROLE_LABELS[role]}）"
    if change_id is not None:
        if get_user(con, username):
            raise AccountError(f"用户名“{username}”已存在。")
        _insert_user(con, username, password_hash, role, display_name, actor)
    else:
        with store.transaction(con) as cur:
            if get_user(cur, username):
                raise AccountError(f"用户名“{username}”已存在。")
            if record:
                store.begin_change(cur, "system", actor, summary)
            _insert_user(cur, username, password_hash, role, display_name, actor)
    return User(username, role, display_name, True)


def add_demo_accounts(cur, change_id: int, rounds: int = 10) -> None:
    """The demo database's three accounts (inside the demo build's transaction and change set)."""
    for name, password in DEMO_ACCOUNTS.items():
        create_user(cur, name, password, DEMO_ROLES[name], actor="system", display_name=DEMO_NAMES[name],
                    change_id=change_id, rounds=rounds)


def create_first_admin(con, username: str, password: str, *, actor: str | None = None) -> User:
    """The first-run page / unattended install: refused once an active admin exists."""
    username = check_username(username)
    check_password(password, username)
    password_hash = hash_password(password)
    with store.transaction(con) as cur:
        if not needs_first_admin(cur):
            raise AccountError("系统管理员账号已经设置，请直接登录。")
        if get_user(cur, username):
            raise AccountError(f"用户名“{username}”已存在，请换一个用户名。")
        store.begin_change(cur, "system", actor or username, f"首次使用：设置系统管理员账号 {username}")
        _insert_user(cur, username, password_hash, "admin", "系统管理员", actor or username)
        store.set_setting(cur, FIRST_RUN_SETTING, None)
    return User(username, "admin", "系统管理员", True)


def await_first_admin(con, *, actor: str) -> None:
    """`init` without an administrator: let the app's first start ask for one (the only case it does)."""
    with store.transaction(con) as cur:
        store.begin_change(cur, "system", actor, "新建空数据库，待首次启动时设置系统管理员账号")
        store.set_setting(cur, FIRST_RUN_SETTING, "1")


def ensure_admin_from_env(con, environ=None) -> User | None:
    """Unattended install: when no admin exists and $YIYONG_ADMIN_PASSWORD is set, create the admin
    ($YIYONG_ADMIN_USER, default 'admin'). Returns the account created, or None."""
    environ = os.environ if environ is None else environ
    password = environ.get(ADMIN_PASSWORD_ENV)
    if not password or not needs_first_admin(con):
        return None
    try:
        return create_first_admin(con, environ.get(ADMIN_USER_ENV) or "admin", password, actor="system")
    except AccountError as exc:
        raise AccountError(f"环境变量 {ADMIN_PASSWORD_ENV} 中的管理员密码不符合要求：{exc}") from None


def _require_user(cur, username: str) -> User:
    user = get_user(cur, username)
    if user is None:
        raise AccountError(f"账号“{username}”不存在。")
    return user


def _other_active_admins(cur, username: str) -> int:
    return cur.execute("SELECT count(*) FROM users WHERE role = 'admin' AND active AND username <> ?",
                       [username]).fetchone()[0]


def set_role(con, username: str, role: str, *, actor: str) -> None:
    role = check_role(role)
    with store.transaction(con) as cur:
        user = _require_user(cur, username)
        if user.role == role:
            return
        if user.role == "admin" and not _other_active_admins(cur, username):
            raise AccountError("不能更改唯一的系统管理员账号的角色，请先设置另一个管理员。")
        store.begin_change(cur, "system", actor,
                           f"账号 {username} 角色由{ROLE_LABELS[user.role]}改为{ROLE_LABELS[role]}")
        cur.execute("UPDATE users SET role = ? WHERE username = ?", [role, username])
        sessions.end_all(cur, username)


def set_active(con, username: str, active: bool, *, actor: str) -> None:
    with store.transaction(con) as cur:
        user = _require_user(cur, username)
        if user.active == active:
            return
        if not active and user.role == "admin" and not _other_active_admins(cur, username):
            raise AccountError("不能停用唯一的系统管理员账号。")
        store.begin_change(cur, "system", actor, f"{'启用' if active else '停用'}账号 {username}")
        cur.execute("UPDATE users SET active = ? WHERE username = ?", [active, username])
        if not active:
            sessions.end_all(cur, username)


def set_password(con, username: str, password: str, *, actor: str, keep_session: str | None = None) -> None:
    """Set a password and end the user's sessions (all of them, or all but `keep_session`: the one in use when
    users change their own password)."""
    check_password(password, username)
    password_hash = hash_password(password)
    with store.transaction(con) as cur:
        _require_user(cur, username)
        store.begin_change(cur, "system", actor,
                           f"{'修改本人密码' if actor == username else '重置密码'}：账号 {username}")
        cur.execute("UPDATE users SET password_hash = ?, password_changed_at = ? WHERE username = ?",
                    [password_hash, store._now(), username])
        cur.execute("DELETE FROM login_attempts WHERE username = ?", [username])
        sessions.end_all(cur, username, keep=keep_session)


def change_own_password(con, username: str, old_password: str, new_password: str,
                        keep_session: str | None = None) -> None:
    row = con.execute("SELECT password_hash FROM users WHERE username = ?", [username]).fetchone()
    if row is None or not verify_password(old_password, row[0]):
        raise AccountError("原密码不正确。")
    if old_password == new_password:
        raise AccountError("新密码不能与原密码相同。")
    set_password(con, username, new_password, actor=username, keep_session=keep_session)


def unlock(con, username: str, *, actor: str) -> None:
    with store.transaction(con) as cur:
        if cur.execute("SELECT count(*) FROM login_attempts WHERE username = ?", [username]).fetchone()[0]:
            store.begin_change(cur, "system", actor, f"解除账号 {username} 的登录锁定")
            cur.execute("DELETE FROM login_attempts WHERE username = ?", [username])


def delete_user(con, username: str, *, actor: str) -> None:
    with store.transaction(con) as cur:
        user = _require_user(cur, username)
        if user.username == actor:
            raise AccountError("不能删除当前登录的账号。")
        if user.role == "admin" and not _other_active_admins(cur, username):
            raise AccountError("不能删除唯一的系统管理员账号。")
        store.begin_change(cur, "system", actor, f"删除账号 {username}")
        cur.execute("DELETE FROM users WHERE username = ?", [username])
        cur.execute("DELETE FROM login_attempts WHERE username = ?", [username])
        sessions.end_all(cur, username)


def active_sessions(con, username: str | None = None, now: dt.datetime | None = None) -> list:
    """The sessions still valid (of one user, or everyone's), newest activity first (sessions.Session)."""
    return sessions.active(con, username, idle_minutes=idle_minutes(con), now=now)


@dataclass(frozen=True)
class AccountsView:
    """Everything 账号管理 shows, read in one go."""
    users: list[User]
    locked: dict[str, dt.datetime]          # user name → locked until
    idle_minutes: float
    sessions: list[sessions.Session]        # still valid, newest activity first
    throttled: list[ThrottledClient]
    events: list[LoginEvent]                # the latest LOGIN_LOG_SHOWN, newest first


LOGIN_LOG_SHOWN = 50


def accounts_view(con, now: dt.datetime | None = None) -> AccountsView:
    """What 账号管理 shows: the accounts, their locks, the login timeout, live sessions, throttled addresses and
    the latest login events."""
    return AccountsView(users=list_users(con), locked=locked_names(con, now), idle_minutes=idle_minutes(con),
                        sessions=active_sessions(con, now=now), throttled=throttled_clients(con, now),
                        events=login_log(con, LOGIN_LOG_SHOWN))


def end_sessions(con, username: str, session_id: str | None = None, *, actor: str) -> int:
    """An administrator ends one session of `username` (or all of them); recorded as a change set.
    Returns how many ended."""
    with store.transaction(con) as cur:
        if session_id:
            n = cur.execute("SELECT count(*) FROM sessions WHERE session_id = ? AND username = ?",
                            [session_id, username]).fetchone()[0]
        else:
            n = cur.execute("SELECT count(*) FROM sessions WHERE username = ?", [username]).fetchone()[0]
        if not n:
            return 0
        store.begin_change(cur, "system", actor, f"结束账号 {username} 的{'一个' if session_id else '全部'}登录会话")
        if session_id:
            cur.execute("DELETE FROM sessions WHERE session_id = ? AND username = ?", [session_id, username])
        else:
            sessions.end_all(cur, username)
    return n


# ---- login ------------------------------------------------------------------------------------------

def _event(cur, username: str, success: bool, reason: str, now: dt.datetime, client: str | None = None) -> None:
    cur.execute("INSERT INTO login_events (event_id, event_at, username, success, reason, client) "
                "VALUES (nextval('seq_login_event'), ?, ?, ?, ?, ?)",
                [now, username[:64], success, reason, (client or None) and client[:64]])


def _purge_attempts(cur, now: dt.datetime) -> None:
    """Keep the throttling tables and the login log bounded (rows a day old, events LOGIN_EVENT_DAYS old)."""
    cur.execute("DELETE FROM login_attempts WHERE last_failure_at < ? AND (locked_until IS NULL OR locked_until < ?)",
                [now - KEEP_ATTEMPTS, now])
    cur.execute("DELETE FROM login_clients WHERE last_failure_at < ? AND (blocked_until IS NULL OR blocked_until < ?)",
                [now - KEEP_ATTEMPTS, now])
    cur.execute("DELETE FROM login_events WHERE event_at < ?", [now - dt.timedelta(days=LOGIN_EVENT_DAYS)])


def account_delay(failures: int) -> int:
    """Seconds a user name must wait after `failures` failures in a row (before the lock): 0, 0, 1, 2, 4."""
    return 0 if failures < ACCOUNT_DELAY_FROM else 2 ** (failures - ACCOUNT_DELAY_FROM)


def client_delay(failures: int) -> int:
    """Seconds a client address must wait after `failures` recent failures: 0, 0, 0, 1, 2, 4 … 30."""
    return 0 if failures < CLIENT_DELAY_FROM else min(2 ** (failures - CLIENT_DELAY_FROM), CLIENT_MAX_DELAY)


def _wait_sentence(seconds: float) -> str:
    return f"登录尝试过于频繁，请{max(1, int(seconds + 0.999))}秒后再试。"


def _client_refusal(row, now: dt.datetime) -> str | None:
    """Why a client address may not try now (blocked, or inside its growing delay), or None."""
    if row is None:
        return None
    failures, last, blocked = row
    if blocked is not None and blocked > now:
        return f"该网络地址登录失败次数过多，已暂停登录至{blocked:%H:%M}，请稍后再试或联系系统管理员。"
    if now - last > CLIENT_WINDOW:
        return None
    wait = (last + dt.timedelta(seconds=client_delay(failures)) - now).total_seconds()
    return _wait_sentence(wait) if wait > 0 else None


def _client_failed(cur, client: str, row, name: str, now: dt.datetime) -> None:
    failures = 1 if row is None or now - row[1] > CLIENT_WINDOW or (row[2] and row[2] <= now) else row[0] + 1
    blocked = now + dt.timedelta(minutes=CLIENT_BLOCK_MINUTES) if failures >= CLIENT_BLOCK_AT else None
    cur.execute("DELETE FROM login_clients WHERE client = ?", [client])
    cur.execute("INSERT INTO login_clients VALUES (?, ?, ?, ?)", [client, failures, now, blocked])
    if blocked is not None:
        _event(cur, name, False, "client_blocked", now, client)
    elif client_delay(failures) and not client_delay(failures - 1):
        _event(cur, name, False, "client_throttled", now, client)


def authenticate(con, username, password, now: dt.datetime | None = None, client: str | None = None) -> User:
    """Check a login. Returns the user, or raises AccountError: wrong name or password (the same sentence for
    both), too many attempts (from this client address or on this name), locked after MAX_FAILURES failures
    in a row, or disabled. Throttling is decided before the password is checked; failures are recorded per
    user name and per client address (and committed although the login fails); a success clears them."""
    now = now or store._now()
    name = username.strip() if isinstance(username, str) else ""
    password = password if isinstance(password, str) else ""
    client = client.strip()[:64] if isinstance(client, str) and client.strip() else None
    if not name or not password:
        raise AccountError("请输入用户名和密码。")
    if not _NAME_RE.match(name):
        verify_password(password, _dummy())
        raise AccountError(BAD_LOGIN)
    refusal = None
    with store.transaction(con) as cur:
        _purge_attempts(cur, now)
        client_row = (cur.execute("SELECT failures, last_failure_at, blocked_until FROM login_clients "
                                  "WHERE client = ?", [client]).fetchone() if client else None)
        attempt = cur.execute("SELECT failures, last_failure_at, locked_until FROM login_attempts "
                              "WHERE username = ?", [name]).fetchone()
        failures, last_failure, locked_until = attempt if attempt else (0, None, None)
        row = None
        account_wait = ((last_failure + dt.timedelta(seconds=account_delay(failures)) - now).total_seconds()
                        if last_failure is not None and locked_until is None else 0)
        if _client_refusal(client_row, now):
            refusal = _client_refusal(client_row, now)      # not logged per attempt: the start was logged
        elif locked_until is not None and locked_until > now:
            _event(cur, name, False, "locked", now, client)
            refusal = (f"该账号因连续{MAX_FAILURES}次登录失败已被临时锁定，请于{locked_until:%H:%M}后再试，"
                       "或联系系统管理员解锁。")
        elif account_wait > 0:
            refusal = _wait_sentence(account_wait)
        else:
            if locked_until is not None:          # the lock has expired: count again from zero
                failures = 0
            row = cur.execute("SELECT password_hash, active FROM users WHERE username = ?", [name]).fetchone()
            ok = verify_password(password, row[0] if row else _dummy()) and row is not None
            if ok and not row[1]:
                _event(cur, name, False, "disabled", now, client)
                refusal = "该账号已停用，请联系系统管理员。"
            elif not ok:
                failures += 1
                lock = now + dt.timedelta(minutes=LOCK_MINUTES) if failures >= MAX_FAILURES else None
                cur.execute("DELETE FROM login_attempts WHERE username = ?", [name])
                cur.execute("INSERT INTO login_attempts VALUES (?, ?, ?, ?)", [name, failures, now, lock])
                _event(cur, name, False, "bad_password" if row else "unknown_user", now, client)
                if client:
                    _client_failed(cur, client, client_row, name, now)
                refusal = BAD_LOGIN
                if lock is not None:
                    refusal += f"连续{MAX_FAILURES}次登录失败，该账号已被锁定{LOCK_MINUTES}分钟。"
                elif failures >= MAX_FAILURES - 2:
                    refusal += f"再失败{MAX_FAILURES - failures}次，该账号将被锁定{LOCK_MINUTES}分钟。"
            else:
                if attempt:
                    cur.execute("DELETE FROM login_attempts WHERE username = ?", [name])
                if client_row:
                    cur.execute("DELETE FROM login_clients WHERE client = ?", [client])
                cur.execute("UPDATE users SET last_login_at = ? WHERE username = ?", [now, name])
                _event(cur, name, True, "ok", now, client)
    if refusal:
        raise AccountError(refusal)
    return get_user(con, name)


# ---- sessions ---------------------------------------------------------------------------------------

def idle_minutes(con, environ=None) -> float:
    """Idle timeout: the 'session_idle_minutes' setting (whole minutes), else $YIYONG_SESSION_IDLE_MINUTES
    (minutes, decimals allowed, e.g. 0.1 for tests), else 30."""
    environ = os.environ if environ is None else environ
    try:
        minutes = int(str(store.get_setting(con, IDLE_SETTING)).strip())
        if 1 <= minutes <= 24 * 60:
            return minutes
    except (TypeError, ValueError):
        pass
    try:
        minutes = float(str(environ.get(IDLE_ENV)).strip())
        if 0.05 <= minutes <= 24 * 60:
            return int(minutes) if minutes == int(minutes) else minutes
    except (TypeError, ValueError):
        pass
    return DEFAULT_IDLE_MINUTES


def set_idle_minutes(con, minutes: int, *, actor: str) -> None:
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        raise AccountError("超时时间须为整数分钟。") from None
    if not 1 <= minutes <= 24 * 60:
        raise AccountError("超时时间须在1至1440分钟之间。")
    with store.transaction(con) as cur:
        store.begin_change(cur, "system", actor, f"登录超时时间改为{minutes}分钟")
        store.set_setting(cur, IDLE_SETTING, str(minutes))

