"""The login and logout endpoints beside the Streamlit app (Starlette routes served by app.py's st.App).

POST /auth/login  — the login form (user name, password, the page to return to): checks the origin, the
                    throttles and the password (analytics/accounts.py), starts a session (analytics/sessions.py)
                    and sets its token in an HttpOnly, SameSite=Strict cookie; then back to the page and filters.
POST /auth/logout — ends this session (or, with scope=all, every session of its user) and clears the cookie.

Both refuse a post from another site (Origin, else Referer, must be this server, or one listed in
$YIYONG_TRUSTED_ORIGINS). A refusal or a notice for the next page travels in a short-lived HttpOnly cookie
(never in the URL). The password and the token are never logged. No Streamlit import at module level: the
database connection is the app's (ui/db.py), imported when a request arrives.
"""
from __future__ import annotations

import base64
import logging
import os
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.routing import Route

from analytics import sessions

LOGIN_PATH = "/auth/login"
LOGOUT_PATH = "/auth/logout"
TRUSTED_ORIGINS_ENV = "YIYONG_TRUSTED_ORIGINS"     # e.g. https://tongji.example.gov.cn (comma-separated)
NOTICE_SECONDS = 20
CROSS_SITE = "登录请求并非来自本系统的页面，已拒绝。请直接打开本系统的网址登录。"
LOGGED_OUT = "您已退出登录。"
LOGGED_OUT_ALL = "您已在所有设备上退出登录。"
log = logging.getLogger("yiyong.auth")


# ---- checks (pure functions, unit-tested) -----------------------------------------------------------------

def _netloc(url: str | None) -> str | None:
    if not url or url == "null":
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return parts.netloc.lower() if parts.scheme in ("http", "https") and parts.netloc else None


def same_origin(headers, environ=None) -> bool:
    """Whether a POST comes from a page of this server: its Origin (else its Referer) names the Host the
    request was sent to, or an origin listed in $YIYONG_TRUSTED_ORIGINS. Neither header: refused."""
    host = (headers.get("host") or "").lower()
    source = _netloc(headers.get("origin")) if headers.get("origin") else _netloc(headers.get("referer"))
    if source is None:
        return False
    if host and source == host:
        return True
    trusted = (os.environ if environ is None else environ).get(TRUSTED_ORIGINS_ENV, "")
    return source in {_netloc(t.strip()) for t in trusted.split(",") if t.strip()}


def safe_next(target) -> str:
    """The page to return to after a login: a path on this server ("/stations?as_of=…"), else "/"."""
    if not isinstance(target, str) or len(target) > 2000 or any(c in target for c in "\r\n\t\\"):
        return "/"
    if not target.startswith("/") or target.startswith("//") or target.startswith("/auth/"):
        return "/"
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else "/"


def client_address(request) -> str | None:
    host = request.client.host if request.client else None
    if host and host.startswith("::ffff:"):
        host = host[7:]
    return host


def encode_notice(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")


def decode_notice(value) -> str | None:
    """The sentence carried by the notice cookie (at most 300 characters), or None."""
    if not isinstance(value, str) or not value or len(value) > 1200:
        return None
    try:
        text = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    return text[:300] or None


# ---- responses --------------------------------------------------------------------------------------------

def _https(request) -> bool:
    return request.url.scheme == "https"


def _redirect(target: str, request, notice: str | None = None) -> RedirectResponse:
    response = RedirectResponse(target, status_code=303)
    response.headers["Cache-Control"] = "no-store"
    if notice:
        response.set_cookie(sessions.NOTICE_COOKIE, encode_notice(notice), max_age=NOTICE_SECONDS, path="/",
                            httponly=True, samesite="strict", secure=sessions.cookie_secure(_https(request)))
    else:
        response.delete_cookie(sessions.NOTICE_COOKIE, path="/", httponly=True, samesite="strict")
    return response


def _refused() -> PlainTextResponse:
    return PlainTextResponse(CROSS_SITE, status_code=403, media_type="text/plain; charset=utf-8")


def _connection():
    from ui import db       # imports streamlit: only when a request arrives, inside the running server

    return db.connection()


def _log_in(username, password, client, user_agent):
    """(token, None) on success, (None, Chinese sentence) when refused."""
    from analytics import accounts
    from analytics.store import StoreError

    try:
        con = _connection()
        user = accounts.authenticate(con, username, password, client=client)
        token, _session = sessions.start(con, user.username, ip=client, user_agent=user_agent)
    except (accounts.AccountError, StoreError) as exc:
        return None, str(exc)
    return token, None


async def login(request):
    if not same_origin(request.headers):
        log.warning("cross-site login post refused (client %s)", client_address(request))
        return _refused()
    form = await request.form()
    target = safe_next(form.get("next"))
    token, refusal = await run_in_threadpool(_log_in, form.get("username"), form.get("password"),
                                             client_address(request), request.headers.get("user-agent"))
    if refusal:
        return _redirect(target, request, refusal)
    response = _redirect(target, request)
    response.set_cookie(**sessions.cookie_attributes(token, https=_https(request)))
    return response


def _log_out(token, everywhere: bool) -> None:
    from analytics import store

    con = _connection()
    if everywhere:
        check = sessions.check_token(con, token, idle_minutes=24 * 60, hours=10 ** 4)
        if check.session is not None:
            with store.transaction(con) as cur:
                sessions.end_all(cur, check.session.username)
            return
    sessions.end_token(con, token)


async def logout(request):
    if not same_origin(request.headers):
        return _refused()
    form = await request.form()
    everywhere = form.get("scope") == "all"
    token = request.cookies.get(sessions.COOKIE_NAME)
    if token:
        await run_in_threadpool(_log_out, token, everywhere)
    response = _redirect(safe_next(form.get("next")), request, LOGGED_OUT_ALL if everywhere else LOGGED_OUT)
    response.delete_cookie(sessions.COOKIE_NAME, path="/", httponly=True, samesite="strict")
    return response


ROUTES = [Route(LOGIN_PATH, login, methods=["POST"]), Route(LOGOUT_PATH, logout, methods=["POST"])]
