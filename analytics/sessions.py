"""Login sessions that survive a refresh: an opaque random token in the browser, its hash in the database.

No Streamlit here (ui/auth.py reads the cookie, ui/routes.py sets it). A session lives in the `sessions` table
(schema 004) with user, created, last seen, client address and browser, so it works in any app process on the
same database. It ends after `idle_minutes` without a page run (accounts.idle_minutes: setting, else
$YIYONG_SESSION_IDLE_MINUTES, else 30) or `max_hours` after the login ($YIYONG_SESSION_MAX_HOURS, else 12),
at logout, and when its user's password, role or status changes (analytics/accounts.py ends them).
The token itself is never stored, logged or put in a URL.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
from dataclasses import dataclass

from analytics import store

COOKIE_NAME = "yiyong_session"
NOTICE_COOKIE = "yiyong_notice"          # a one-sentence notice for the next page (login refused, logged out)
MAX_HOURS_ENV = "YIYONG_SESSION_MAX_HOURS"
SECURE_ENV = "YIYONG_COOKIE_SECURE"      # auto (default: when the request came over HTTPS) / 1 / 0
DEFAULT_MAX_HOURS = 12.0
TOUCH_SECONDS = 60                       # last_seen is written at most this often (less for short idle limits)
KEEP_EXPIRED = dt.timedelta(days=1)      # an expired row is kept this long, so a refresh says "登录已超时"

OK, EXPIRED, UNKNOWN = "ok", "expired", "unknown"


@dataclass(frozen=True)
class Session:
    session_id: str
    username: str
    created_at: dt.datetime
    last_seen_at: dt.datetime
    ip: str | None
    user_agent: str | None

    @property
    def browser(self) -> str:
        return browser_label(self.user_agent)


@dataclass(frozen=True)
class Check:
    """The result of checking a session: status OK / EXPIRED / UNKNOWN, and the session when found."""
    status: str
    session: Session | None = None


# ---- tokens ----------------------------------------------------------------------------------------------

def new_token() -> str:
    """256 random bits, URL-safe (43 characters)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """Hex SHA-256 of the token: what the database keeps. A token has 256 random bits, so a fast hash is
    enough (no salt or bcrypt needed: there is nothing to guess)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _valid_token(token) -> bool:
    return isinstance(token, str) and 20 <= len(token) <= 100 and token.isascii()


# ---- limits ----------------------------------------------------------------------------------------------

def _env_number(environ, name: str, default: float, low: float, high: float) -> float:
    try:
        value = float(str(environ.get(name, "")).strip())
    except ValueError:
        return default
    return value if low <= value <= high else default


def max_hours(environ=None) -> float:
    """Absolute lifetime of a session in hours: $YIYONG_SESSION_MAX_HOURS (0.01 … 720), else 12."""
    return _env_number(os.environ if environ is None else environ, MAX_HOURS_ENV, DEFAULT_MAX_HOURS, 0.01, 720)


def cookie_secure(https: bool, environ=None) -> bool:
    """Whether the cookie gets the Secure flag: $YIYONG_COOKIE_SECURE = 1 / 0, else when served over HTTPS."""
    value = str((os.environ if environ is None else environ).get(SECURE_ENV, "auto")).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    return bool(https)


def cookie_attributes(token: str, *, https: bool, environ=None) -> dict:
    """Keyword arguments for Starlette's Response.set_cookie: HttpOnly, SameSite=Strict, path /, Secure when
    configured or served over HTTPS, and a lifetime equal to the session's absolute limit."""
    return {"key": COOKIE_NAME, "value": token, "max_age": int(max_hours(environ) * 3600), "path": "/",
            "httponly": True, "samesite": "strict", "secure": cookie_secure(https, environ)}


# ---- reading ---------------------------------------------------------------------------------------------

_COLUMNS = "session_id, username, created_at, last_seen_at, ip, user_agent"


def _session(row) -> Session:
    return Session(*row)


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def _expired(s: Session, now: dt.datetime, idle_minutes: float, hours: float) -> bool:
    return (now - s.last_seen_at > dt.timedelta(minutes=idle_minutes)
            or now - s.created_at > dt.timedelta(hours=hours)
            or s.last_seen_at > now + dt.timedelta(minutes=5))          # a clock set back: do not trust it


def _check(con, where: str, value: str, *, idle_minutes: float, hours: float | None,
           now: dt.datetime | None) -> Check:
    row = con.execute(f"SELECT {_COLUMNS} FROM sessions WHERE {where} = ?", [value]).fetchone()
    if row is None:
        return Check(UNKNOWN)
    session = _session(row)
    if _expired(session, now or _now(), idle_minutes, max_hours() if hours is None else hours):
        return Check(EXPIRED, session)
    return Check(OK, session)


def check_token(con, token, *, idle_minutes: float, hours: float | None = None,
                now: dt.datetime | None = None) -> Check:
    """The session the cookie's token belongs to, and whether it is still valid."""
    if not _valid_token(token):
        return Check(UNKNOWN)
    return _check(con, "token_hash", token_hash(token), idle_minutes=idle_minutes, hours=hours, now=now)


def check_id(con, session_id, *, idle_minutes: float, hours: float | None = None,
             now: dt.datetime | None = None) -> Check:
    if not isinstance(session_id, str) or not session_id:
        return Check(UNKNOWN)
    return _check(con, "session_id", session_id, idle_minutes=idle_minutes, hours=hours, now=now)


def active(con, username: str | None = None, *, idle_minutes: float, hours: float | None = None,
           now: dt.datetime | None = None) -> list[Session]:
    """Sessions still valid (of one user, or of everyone), newest first."""
    now = now or _now()
    hours = max_hours() if hours is None else hours
    sql = f"SELECT {_COLUMNS} FROM sessions" + (" WHERE username = ?" if username else "")
    rows = con.execute(sql + " ORDER BY last_seen_at DESC", [username] if username else []).fetchall()
    return [s for s in map(_session, rows) if not _expired(s, now, idle_minutes, hours)]


# ---- writing (security state, not data: not part of a change set, like login_attempts) --------------------

def start(con, username: str, *, ip: str | None = None, user_agent: str | None = None,
          now: dt.datetime | None = None) -> tuple[str, Session]:
    """A new session for `username`; returns (token for the cookie, session). Purges long-expired rows."""
    now = now or _now()
    token = new_token()
    session = Session(secrets.token_hex(8), username, now, now, (ip or None) and str(ip)[:64],
                      (user_agent or None) and str(user_agent)[:300])
    with store.transaction(con) as cur:
        purge(cur, now)
        cur.execute(f"INSERT INTO sessions ({_COLUMNS}, token_hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [session.session_id, session.username, session.created_at, session.last_seen_at, session.ip,
                     session.user_agent, token_hash(token)])
    return token, session


def touch(con, session: Session, *, idle_minutes: float, now: dt.datetime | None = None) -> None:
    """Record activity: written at most every TOUCH_SECONDS (or a quarter of a short idle limit)."""
    now = now or _now()
    every = min(TOUCH_SECONDS, idle_minutes * 60 / 4)
    if (now - session.last_seen_at).total_seconds() >= every:
        with store.transaction(con) as cur:
            cur.execute("UPDATE sessions SET last_seen_at = ? WHERE session_id = ?", [now, session.session_id])


def end(con, session_id: str) -> None:
    with store.transaction(con) as cur:
        cur.execute("DELETE FROM sessions WHERE session_id = ?", [session_id])


def end_token(con, token) -> str | None:
    """Logout: delete the session of this token; returns its user name (None when there was none)."""
    if not _valid_token(token):
        return None
    with store.transaction(con) as cur:
        row = cur.execute("SELECT username FROM sessions WHERE token_hash = ?", [token_hash(token)]).fetchone()
        cur.execute("DELETE FROM sessions WHERE token_hash = ?", [token_hash(token)])
    return row[0] if row else None


def end_all(cur, username: str, keep: str | None = None) -> int:
    """Inside the caller's transaction: delete every session of `username` except `keep`; returns how many."""
    n = cur.execute("SELECT count(*) FROM sessions WHERE username = ? AND session_id <> ?",
                    [username, keep or ""]).fetchone()[0]
    cur.execute("DELETE FROM sessions WHERE username = ? AND session_id <> ?", [username, keep or ""])
    return n


def purge(cur, now: dt.datetime) -> None:
    """Delete sessions whose absolute limit passed more than KEEP_EXPIRED ago, or idle that long."""
    oldest = now - dt.timedelta(hours=max_hours()) - KEEP_EXPIRED
    cur.execute("DELETE FROM sessions WHERE created_at < ? OR last_seen_at < ?", [oldest, now - KEEP_EXPIRED])


# ---- display ---------------------------------------------------------------------------------------------

_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("QQBrowser", "QQ浏览器"), ("MicroMessenger", "微信"),
             ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
_SYSTEMS = (("Windows", "Windows"), ("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"),
            ("Mac OS X", "macOS"), ("Linux", "Linux"))


def browser_label(user_agent: str | None) -> str:
    """'Chrome（Windows）' from a User-Agent header; '未知' when there is none."""
    ua = user_agent or ""
    name = next((label for key, label in _BROWSERS if key in ua), "")
    system = next((label for key, label in _SYSTEMS if key in ua), "")
    if not name and not system:
        return "未知"
    return f"{name or '其他浏览器'}（{system}）" if system else name
