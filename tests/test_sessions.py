"""Sessions (analytics/sessions.py) and the login/logout endpoints (ui/routes.py): token hashing, cookie flags,
expiry, ending sessions, and refusal of cross-site posts. The endpoints are driven as a bare ASGI app."""
from __future__ import annotations

import asyncio
import datetime as dt
from urllib.parse import urlencode

import pytest
from starlette.applications import Starlette

from analytics import accounts, sessions, store
from ui import routes

T0 = dt.datetime(2026, 3, 2, 9, 0, 0)


@pytest.fixture
def con(tmp_db):
    c = store.connect(tmp_db)
    accounts.create_user(c, "zhang", "Zhang-2024x", "editor", actor="t", rounds=4, record=False)
    accounts.create_user(c, "boss", "Boss-pass-2024", "admin", actor="t", rounds=4, record=False)
    yield c
    c.close()


# ---- tokens and cookie ---------------------------------------------------------------------------------

def test_token_hash_is_sha256_hex():
    # the published SHA-256 test vector of "abc" (FIPS 180-2)
    assert sessions.token_hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    a, b = sessions.new_token(), sessions.new_token()
    assert a != b and len(a) == 43 and len(sessions.token_hash(a)) == 64


def test_only_the_hash_is_stored(con):
    token, session = sessions.start(con, "zhang", ip="10.1.2.3", user_agent="Mozilla/5.0 (Windows NT 10.0) "
                                    "AppleWebKit/537.36 Chrome/130.0 Safari/537.36", now=T0)
    dump = str(con.execute("SELECT * FROM sessions").fetchall())
    assert token not in dump and sessions.token_hash(token) in dump
    assert con.execute("SELECT username, ip, created_at FROM sessions").fetchall() == [("zhang", "10.1.2.3", T0)]
    assert session.browser == "Chrome（Windows）"
    assert sessions.check_token(con, token, idle_minutes=30, now=T0).status == sessions.OK
    assert sessions.check_token(con, sessions.token_hash(token), idle_minutes=30, now=T0).status == sessions.UNKNOWN


@pytest.mark.parametrize("env,https,secure", [({}, False, False), ({}, True, True),
                                              ({"YIYONG_COOKIE_SECURE": "1"}, False, True),
                                              ({"YIYONG_COOKIE_SECURE": "0"}, True, False)])
def test_cookie_flags(env, https, secure):
    attrs = sessions.cookie_attributes("tok", https=https, environ=env)
    assert attrs == {"key": "yiyong_session", "value": "tok", "max_age": 12 * 3600, "path": "/",
                     "httponly": True, "samesite": "strict", "secure": secure}
    assert sessions.cookie_attributes("t", https=False, environ={"YIYONG_SESSION_MAX_HOURS": "2"})["max_age"] == 7200


# ---- expiry and ending ---------------------------------------------------------------------------------

def test_idle_and_absolute_expiry(con):
    token, s = sessions.start(con, "zhang", now=T0)

    def status(at, idle=30, hours=12):
        return sessions.check_token(con, token, idle_minutes=idle, hours=hours, now=at).status

    assert status(T0 + dt.timedelta(minutes=29)) == sessions.OK
    assert status(T0 + dt.timedelta(minutes=31)) == sessions.EXPIRED
    assert status(T0 + dt.timedelta(seconds=7), idle=0.1) == sessions.EXPIRED        # 6 s, as the browser test sets
    # activity keeps it alive, but never past the absolute limit
    t = T0
    for _ in range(25):                       # every 29 minutes for 12 h 05 min
        t += dt.timedelta(minutes=29)
        sessions.touch(con, sessions.check_token(con, token, idle_minutes=30, hours=24, now=t).session,
                       idle_minutes=30, now=t)
    assert status(t, hours=24) == sessions.OK
    assert status(t, hours=12) == sessions.EXPIRED


def test_touch_writes_at_most_once_a_minute(con):
    _token, s = sessions.start(con, "zhang", now=T0)
    sessions.touch(con, s, idle_minutes=30, now=T0 + dt.timedelta(seconds=59))
    assert con.execute("SELECT last_seen_at FROM sessions").fetchone()[0] == T0
    sessions.touch(con, s, idle_minutes=30, now=T0 + dt.timedelta(seconds=60))
    assert con.execute("SELECT last_seen_at FROM sessions").fetchone()[0] == T0 + dt.timedelta(seconds=60)


def test_expired_rows_are_purged_a_day_later(con):
    sessions.start(con, "zhang", now=T0)
    sessions.start(con, "boss", now=T0 + dt.timedelta(hours=20))
    sessions.start(con, "boss", now=T0 + dt.timedelta(hours=12 + 24, minutes=1))   # purges the first
    assert sorted(r[0] for r in con.execute("SELECT username FROM sessions").fetchall()) == ["boss", "boss"]


def test_account_changes_end_sessions(con):
    a, sa = sessions.start(con, "zhang")
    b, sb = sessions.start(con, "zhang")
    boss, _ = sessions.start(con, "boss")

    def alive(token):
        return sessions.check_token(con, token, idle_minutes=30).status == sessions.OK

    accounts.change_own_password(con, "zhang", "Zhang-2024x", "Zhang-2025y", keep_session=sa.session_id)
    assert alive(a) and not alive(b) and alive(boss)                   # own change keeps the session in use
    accounts.set_password(con, "zhang", "Reset-2025z", actor="boss")
    assert not alive(a)                                                 # an admin's reset ends all of them
    for change in (lambda: accounts.set_role(con, "zhang", "viewer", actor="boss"),
                   lambda: accounts.set_active(con, "zhang", False, actor="boss"),
                   lambda: accounts.delete_user(con, "zhang", actor="boss")):
        if accounts.get_user(con, "zhang") and not accounts.get_user(con, "zhang").active:
            accounts.set_active(con, "zhang", True, actor="boss")
        token, _ = sessions.start(con, "zhang")
        change()
        assert not alive(token)
    assert alive(boss)


def test_admin_ends_one_or_all_sessions(con):
    a, sa = sessions.start(con, "zhang", ip="10.0.0.1")
    b, sb = sessions.start(con, "zhang", ip="10.0.0.2")
    assert [s.ip for s in accounts.active_sessions(con, "zhang")] in (["10.0.0.1", "10.0.0.2"],
                                                                     ["10.0.0.2", "10.0.0.1"])
    assert accounts.end_sessions(con, "zhang", sa.session_id, actor="boss") == 1
    assert [s.session_id for s in accounts.active_sessions(con)] == [sb.session_id]
    assert accounts.end_sessions(con, "zhang", actor="boss") == 1
    assert accounts.active_sessions(con) == []
    summaries = [r[0] for r in con.execute("SELECT summary FROM changes ORDER BY change_id").fetchall()]
    assert summaries[-2:] == ["结束账号 zhang 的一个登录会话", "结束账号 zhang 的全部登录会话"]


@pytest.mark.parametrize("ua,label", [
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36 Edg/130.0",
     "Edge（Windows）"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile Safari/604.1",
     "Safari（iPhone）"),
    (None, "未知")])
def test_browser_label(ua, label):
    assert sessions.browser_label(ua) == label


# ---- origin check and the endpoints --------------------------------------------------------------------

@pytest.mark.parametrize("headers,ok", [
    ({"host": "127.0.0.1:8501", "origin": "http://127.0.0.1:8501"}, True),
    ({"host": "127.0.0.1:8501", "referer": "http://127.0.0.1:8501/stations?county=x"}, True),
    ({"host": "127.0.0.1:8501", "origin": "http://evil.example"}, False),
    ({"host": "127.0.0.1:8501", "origin": "null"}, False),
    ({"host": "127.0.0.1:8501"}, False),
    ({"host": "127.0.0.1:8501", "origin": "http://127.0.0.1:8502"}, False),
    ({"host": "tongji.local", "origin": "https://tongji.example.gov.cn"}, False),
])
def test_same_origin(headers, ok):
    assert routes.same_origin(headers, environ={}) is ok


def test_trusted_origin_from_environment():
    headers = {"host": "10.0.0.5:8501", "origin": "https://tongji.example.gov.cn"}
    assert routes.same_origin(headers, environ={"YIYONG_TRUSTED_ORIGINS": "https://tongji.example.gov.cn"})


@pytest.mark.parametrize("target,expected", [
    ("/stations?as_of=2024-07-31&county=东昌府区", "/stations?as_of=2024-07-31&county=东昌府区"),
    ("https://evil.example/", "/"), ("//evil.example/x", "/"), ("/\\evil.example", "/"), ("/auth/login", "/"),
    ("/x\r\nSet-Cookie: a=b", "/"), (None, "/"), ("stations", "/")])
def test_safe_next(target, expected):
    assert routes.safe_next(target) == expected


def test_notice_round_trip():
    assert routes.decode_notice(routes.encode_notice("您已退出登录。")) == "您已退出登录。"
    assert routes.decode_notice("%%%") is None and routes.decode_notice(None) is None


class _Reply:
    def __init__(self):
        self.status, self.headers, self.body = None, [], b""


def _post(app, path: str, form: dict, headers: dict) -> _Reply:
    """One POST through the ASGI app, without a network."""
    body = urlencode(form).encode()
    raw = [(b"content-type", b"application/x-www-form-urlencoded"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    scope = {"type": "http", "method": "POST", "path": path, "raw_path": path.encode(), "query_string": b"",
             "headers": raw, "scheme": "http", "server": ("127.0.0.1", 8501), "client": ("10.9.8.7", 50000),
             "http_version": "1.1", "root_path": ""}
    reply, sent = _Reply(), [False]

    async def receive():
        if sent[0]:
            return {"type": "http.disconnect"}
        sent[0] = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            reply.status = message["status"]
            reply.headers = [(k.decode(), v.decode()) for k, v in message["headers"]]
        elif message["type"] == "http.response.body":
            reply.body += message.get("body", b"")

    asyncio.run(app(scope, receive, send))
    return reply


@pytest.fixture
def server(con, monkeypatch):
    monkeypatch.setattr(routes, "_connection", lambda: con)
    return Starlette(routes=routes.ROUTES)


HERE = {"host": "127.0.0.1:8501", "origin": "http://127.0.0.1:8501"}


def _cookies(reply) -> list[str]:
    return [v for k, v in reply.headers if k == "set-cookie"]


def test_login_sets_an_httponly_strict_cookie_and_returns_to_the_page(server, con):
    reply = _post(server, "/auth/login", {"username": "zhang", "password": "Zhang-2024x",
                                          "next": "/stations?as_of=2024-07-31&county=东昌府区"}, HERE)
    assert reply.status == 303
    assert dict(reply.headers)["location"] == "/stations?as_of=2024-07-31&county=%E4%B8%9C%E6%98%8C%E5%BA%9C%E5%8C%BA"
    (cookie,) = [c for c in _cookies(reply) if c.startswith("yiyong_session=")]
    token = cookie.split(";")[0].split("=", 1)[1]
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "path=/", "samesite=strict", "max-age=43200"} <= flags and "secure" not in flags
    assert sessions.check_token(con, token, idle_minutes=30).session.ip == "10.9.8.7"
    assert "Zhang-2024x" not in str(reply.headers) and "Zhang-2024x" not in reply.body.decode()


def test_cross_site_login_is_refused(server, con):
    reply = _post(server, "/auth/login", {"username": "zhang", "password": "Zhang-2024x"},
                  {"host": "127.0.0.1:8501", "origin": "http://evil.example"})
    assert reply.status == 403 and "已拒绝" in reply.body.decode("utf-8")
    assert _cookies(reply) == []
    assert con.execute("SELECT count(*) FROM sessions").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM login_events").fetchone()[0] == 0      # not even tried
    reply = _post(server, "/auth/login", {"username": "zhang", "password": "Zhang-2024x"}, {"host": "127.0.0.1:8501"})
    assert reply.status == 403


def test_wrong_password_comes_back_as_a_notice(server, con):
    reply = _post(server, "/auth/login", {"username": "zhang", "password": "wrong-pass-1", "next": "/trends"}, HERE)
    assert reply.status == 303 and dict(reply.headers)["location"] == "/trends"
    (notice,) = [c for c in _cookies(reply) if c.startswith("yiyong_notice=")]
    assert routes.decode_notice(notice.split(";")[0].split("=", 1)[1]) == "用户名或密码不正确。"
    assert not [c for c in _cookies(reply) if c.startswith("yiyong_session=")]


def test_logout_ends_this_session_or_all(server, con):
    a, _ = sessions.start(con, "zhang")
    b, _ = sessions.start(con, "zhang")
    c, _ = sessions.start(con, "zhang")
    reply = _post(server, "/auth/logout", {"next": "/"}, {**HERE, "cookie": f"yiyong_session={a}"})
    assert reply.status == 303
    assert any(x.startswith("yiyong_session=") and "max-age=0" in x.lower() for x in _cookies(reply))
    assert [sessions.check_token(con, t, idle_minutes=30).status for t in (a, b, c)] == ["unknown", "ok", "ok"]
    _post(server, "/auth/logout", {"scope": "all"}, {**HERE, "cookie": f"yiyong_session={b}"})
    assert [sessions.check_token(con, t, idle_minutes=30).status for t in (b, c)] == ["unknown", "unknown"]
    reply = _post(server, "/auth/logout", {}, {"host": "127.0.0.1:8501", "origin": "http://evil.example",
                                               "cookie": f"yiyong_session={c}"})
    assert reply.status == 403
