"""Accounts: bcrypt hashes only, roles, rate limiting per user name, idle expiry, first admin, CLI."""
from __future__ import annotations

import datetime as dt
import io

import pytest

from analytics import accounts, sessions, store
from analytics.accounts import AccountError
from analytics.cli import main


@pytest.fixture
def con(tmp_db):
    c = store.connect(tmp_db)
    yield c
    c.close()


def add(con, name="zhang", pw="Zhang-2024x", role="editor", **kw):
    return accounts.create_user(con, name, pw, role, actor="tester", rounds=4, **kw)


def test_password_stored_only_as_bcrypt_hash(con):
    add(con)
    (h,) = con.execute("SELECT password_hash FROM users WHERE username = 'zhang'").fetchone()
    assert h.startswith("$2b$") and "Zhang-2024x" not in h
    dump = str(con.execute("SELECT * FROM users").fetchall()) + str(con.execute("SELECT * FROM changes").fetchall())
    assert "Zhang-2024x" not in dump
    assert accounts.verify_password("Zhang-2024x", h) and not accounts.verify_password("zhang-2024x", h)


def test_account_change_recorded_as_change_set(con):
    add(con)
    kind, actor, summary = con.execute("SELECT kind, actor, summary FROM changes").fetchone()
    assert (kind, actor) == ("system", "tester") and "zhang" in summary and "录入" in summary
    accounts.set_role(con, "zhang", "查看", actor="tester")
    assert accounts.get_user(con, "zhang").role == "viewer"
    assert con.execute("SELECT count(*) FROM changes").fetchone()[0] == 2


@pytest.mark.parametrize("name,pw,role,msg", [
    ("a", "Good-pass-1", "viewer", "用户名"),
    ("有 空格", "Good-pass-1", "viewer", "用户名"),
    ("x" * 40, "Good-pass-1", "viewer", "用户名"),
    ("li'; DROP TABLE users; --", "Good-pass-1", "viewer", "用户名"),
    ("li", "short1", "viewer", "密码"),
    ("li", "onlyletters", "viewer", "密码"),
    ("li", "密" * 30, "viewer", "过长"),
    ("li", "Good-pass-1", "superuser", "角色"),
    ("liuyang", "liuyang", "viewer", "密码"),
])
def test_bad_account_input_refused(con, name, pw, role, msg):
    with pytest.raises(AccountError, match=msg):
        add(con, name, pw, role)
    assert accounts.count_users(con) == 0
    assert con.execute("SELECT count(*) FROM changes").fetchone()[0] == 0


def test_duplicate_name_refused(con):
    add(con)
    with pytest.raises(AccountError, match="已存在"):
        add(con)


def test_login_ok_and_wrong(con):
    add(con)
    user = accounts.authenticate(con, "zhang", "Zhang-2024x")
    assert user.role == "editor" and user.last_login_at is not None
    with pytest.raises(AccountError, match="用户名或密码不正确"):
        accounts.authenticate(con, "zhang", "wrong-password1")
    with pytest.raises(AccountError, match="用户名或密码不正确"):       # same sentence: no enumeration
        accounts.authenticate(con, "nobody", "wrong-password1")
    with pytest.raises(AccountError, match="请输入"):
        accounts.authenticate(con, "", "")
    reasons = [r[0] for r in con.execute("SELECT reason FROM login_events ORDER BY event_id").fetchall()]
    assert reasons == ["ok", "bad_password", "unknown_user"]


def test_five_failures_lock_the_name_for_ten_minutes(con):
    add(con)
    t0 = dt.datetime(2026, 1, 5, 9, 0)
    for i in range(accounts.MAX_FAILURES):
        with pytest.raises(AccountError) as e:
            accounts.authenticate(con, "zhang", "bad-pass-1", now=t0 + dt.timedelta(seconds=10 * i))
    assert "锁定" in str(e.value)
    # locked: even the right password is refused, and the lock is in the database
    with pytest.raises(AccountError, match="临时锁定"):
        accounts.authenticate(con, "zhang", "Zhang-2024x", now=t0 + dt.timedelta(minutes=5))
    assert con.execute("SELECT failures FROM login_attempts WHERE username='zhang'").fetchone()[0] == 5
    assert accounts.lock_status(con, "zhang", t0 + dt.timedelta(minutes=5)) is not None
    # after 10 minutes the right password works and clears the record
    assert accounts.authenticate(con, "zhang", "Zhang-2024x", now=t0 + dt.timedelta(minutes=11)).username == "zhang"
    assert con.execute("SELECT count(*) FROM login_attempts").fetchone()[0] == 0


def test_lock_applies_to_unknown_names_and_admin_can_unlock(con):
    add(con)
    t0 = dt.datetime(2026, 1, 5, 9, 0)
    for i in range(5):
        with pytest.raises(AccountError):
            accounts.authenticate(con, "ghost", "whatever-1", now=t0 + dt.timedelta(seconds=10 * i))
    assert accounts.lock_status(con, "ghost", t0 + dt.timedelta(seconds=40)) is not None
    for i in range(5):
        with pytest.raises(AccountError):
            accounts.authenticate(con, "zhang", "bad-pass-1", now=t0 + dt.timedelta(seconds=10 * i))
    accounts.unlock(con, "zhang", actor="admin")
    assert accounts.authenticate(con, "zhang", "Zhang-2024x", now=t0 + dt.timedelta(seconds=50)).username == "zhang"


def test_disabled_account_cannot_log_in(con):
    add(con, "boss", "Boss-pass-2024", "admin")
    add(con)
    accounts.set_active(con, "zhang", False, actor="boss")
    with pytest.raises(AccountError, match="停用"):
        accounts.authenticate(con, "zhang", "Zhang-2024x")


def test_last_admin_protected(con):
    add(con, "boss", "Boss-pass-2024", "admin")
    for op in (lambda: accounts.set_role(con, "boss", "viewer", actor="boss"),
               lambda: accounts.set_active(con, "boss", False, actor="x"),
               lambda: accounts.delete_user(con, "boss", actor="x")):
        with pytest.raises(AccountError, match="唯一"):
            op()
    assert accounts.get_user(con, "boss").role == "admin"


def test_change_own_password(con):
    add(con)
    with pytest.raises(AccountError, match="原密码"):
        accounts.change_own_password(con, "zhang", "nope", "New-pass-2025")
    accounts.change_own_password(con, "zhang", "Zhang-2024x", "New-pass-2025")
    assert accounts.authenticate(con, "zhang", "New-pass-2025")


def test_first_admin_and_env(con):
    assert accounts.needs_first_admin(con)
    assert accounts.ensure_admin_from_env(con, {}) is None
    with pytest.raises(AccountError, match="YIYONG_ADMIN_PASSWORD"):
        accounts.ensure_admin_from_env(con, {"YIYONG_ADMIN_PASSWORD": "weak"})
    user = accounts.ensure_admin_from_env(con, {"YIYONG_ADMIN_PASSWORD": "Setup-pass-2024",
                                                "YIYONG_ADMIN_USER": "chief"})
    assert user.username == "chief" and user.role == "admin" and not accounts.needs_first_admin(con)
    assert accounts.ensure_admin_from_env(con, {"YIYONG_ADMIN_PASSWORD": "Other-pass-2024"}) is None
    with pytest.raises(AccountError, match="已经设置"):
        accounts.create_first_admin(con, "second", "Other-pass-2024")


def test_roles_order():
    assert accounts.role_at_least("admin", "editor") and accounts.role_at_least("editor", "viewer")
    assert not accounts.role_at_least("viewer", "editor") and not accounts.role_at_least(None, "viewer")
    assert not accounts.role_at_least("root", "viewer")


def test_idle_expiry(con):
    assert accounts.idle_minutes(con, {}) == 30
    assert accounts.idle_minutes(con, {"YIYONG_SESSION_IDLE_MINUTES": "15"}) == 15
    assert accounts.idle_minutes(con, {"YIYONG_SESSION_IDLE_MINUTES": "0.1"}) == 0.1    # tests: 6 seconds
    assert accounts.idle_minutes(con, {"YIYONG_SESSION_IDLE_MINUTES": "0"}) == 30
    accounts.set_idle_minutes(con, 45, actor="admin")
    assert accounts.idle_minutes(con, {"YIYONG_SESSION_IDLE_MINUTES": "15"}) == 45
    with pytest.raises(AccountError):
        accounts.set_idle_minutes(con, 0, actor="admin")
    assert accounts.idle_minutes(con, {"YIYONG_SESSION_IDLE_MINUTES": "0.1"}) == 45      # the setting wins


def test_demo_accounts(demo_db_readonly):
    con = store.connect(demo_db_readonly, read_only=True)
    try:
        users = {u.username: u.role for u in accounts.list_users(con)}
        assert users == {"admin": "admin", "editor": "editor", "viewer": "viewer"}
        (h,) = con.execute("SELECT password_hash FROM users WHERE username = 'viewer'").fetchone()
        assert accounts.verify_password(accounts.DEMO_ACCOUNTS["viewer"], h)
        assert con.execute("SELECT count(*) FROM changes").fetchone()[0] == 1    # inside the demo change set
    finally:
        con.close()


def test_demo_accounts_are_shown_on_the_demo_database_only(demo_db, tmp_db):
    """The login page's hint lists the demo accounts while the database is the demo (its demo setting, the one
    meaning of "demo database", also behind the footer's notice): not once the setting is gone, not elsewhere."""
    con = store.connect(demo_db)
    try:
        assert [u.username for u in accounts.demo_accounts_shown(con)] == ["admin", "editor", "viewer"]
        with store.transaction(con) as cur:
            store.set_setting(cur, "demo", None)
        assert accounts.demo_accounts_shown(con) == []
    finally:
        con.close()
    con = store.connect(tmp_db)
    try:
        add(con, "admin", role="admin")
        assert accounts.demo_accounts_shown(con) == []
    finally:
        con.close()


def test_accounts_view_holds_what_the_admin_page_shows(con):
    t0 = dt.datetime.now().replace(microsecond=0)
    add(con, "admin", "Admin-2024x", role="admin")
    add(con)
    _try(con, "zhang", "wrong-pass-1", t0, client="10.0.0.5")
    _try(con, "admin", "Admin-2024x", t0, client="10.0.0.6")
    sessions.start(con, "admin", ip="10.0.0.6", user_agent="Mozilla/5.0 Firefox/120.0", now=t0)
    view = accounts.accounts_view(con, now=t0)
    assert [(u.username, u.role, u.active) for u in view.users] == [("admin", "admin", True),
                                                                    ("zhang", "editor", True)]
    assert view.locked == {} and view.idle_minutes == 30 and view.throttled == []
    assert [(s.username, s.ip) for s in view.sessions] == [("admin", "10.0.0.6")]
    assert [(e.username, e.success, e.reason, e.client) for e in view.events] == [
        ("admin", True, "ok", "10.0.0.6"), ("zhang", False, "bad_password", "10.0.0.5")]


def test_users_command(tmp_db, monkeypatch, capsys):
    monkeypatch.setattr(accounts, "BCRYPT_ROUNDS", 4)
    monkeypatch.setattr("sys.stdin", io.StringIO("Cli-pass-2024\n"))
    assert main(["users", "add", "wangwu", "--role", "editor", "--db", str(tmp_db)]) == 0
    assert "wangwu" in capsys.readouterr().out
    monkeypatch.setenv("YIYONG_NEW_PASSWORD", "Env-pass-2024")
    assert main(["users", "add", "zhaoliu", "--role", "查看", "--db", str(tmp_db)]) == 0
    assert main(["users", "add", "bad name", "--role", "viewer", "--db", str(tmp_db)]) == 2
    assert "用户名" in capsys.readouterr().err
    assert main(["users", "add", "zhaoliu", "--role", "viewer", "--db", str(tmp_db)]) == 2
    assert main(["users", "list", "--db", str(tmp_db)]) == 0
    out = capsys.readouterr().out
    assert "wangwu" in out and "录入" in out and "zhaoliu" in out and "查看" in out and "$2b$" not in out
    monkeypatch.setenv("YIYONG_NEW_PASSWORD", "Reset-pass-2024")
    assert main(["users", "passwd", "wangwu", "--db", str(tmp_db)]) == 0
    assert main(["users", "disable", "wangwu", "--db", str(tmp_db)]) == 0
    assert main(["users", "enable", "wangwu", "--db", str(tmp_db)]) == 0
    assert main(["users", "unlock", "wangwu", "--db", str(tmp_db)]) == 0
    assert main(["users", "passwd", "nobody", "--db", str(tmp_db)]) == 2
    con = store.connect(tmp_db)
    try:
        assert accounts.authenticate(con, "wangwu", "Reset-pass-2024").role == "editor"
    finally:
        con.close()


# ---- throttling (issue: 4 clients made 112 attempts in 40 s without any limit) ---------------------------

def _try(con, name, pw, at, client=None):
    try:
        accounts.authenticate(con, name, pw, now=at, client=client)
        return "ok"
    except AccountError as exc:
        return str(exc)


def test_account_delay_grows_before_the_lock(con):
    add(con)
    t0 = dt.datetime(2026, 1, 5, 9, 0)
    assert [accounts.account_delay(n) for n in range(5)] == [0, 0, 1, 2, 4]
    assert _try(con, "zhang", "bad-pass-1", t0) == "用户名或密码不正确。"
    assert _try(con, "zhang", "bad-pass-1", t0) == "用户名或密码不正确。"          # 2 failures: no wait yet
    # the third attempt within 1 s is refused without checking the password (not counted, not logged)
    events = con.execute("SELECT count(*) FROM login_events").fetchone()[0]
    assert _try(con, "zhang", "Zhang-2024x", t0) == "登录尝试过于频繁，请1秒后再试。"
    assert con.execute("SELECT failures FROM login_attempts").fetchone()[0] == 2
    assert con.execute("SELECT count(*) FROM login_events").fetchone()[0] == events
    assert _try(con, "zhang", "Zhang-2024x", t0 + dt.timedelta(seconds=1)) == "ok"


def test_client_address_delay_then_block_logged_and_shown(con):
    t0 = dt.datetime(2026, 1, 5, 9, 0)
    assert [accounts.client_delay(n) for n in (1, 2, 3, 4, 5, 8, 9, 19)] == [0, 0, 1, 2, 4, 30, 30, 30]
    t, names = t0, iter(f"probe{i:02d}" for i in range(100))
    answers = []
    for _ in range(19):                        # unknown names from one address, each as soon as allowed
        answers.append(_try(con, next(names), "guess-pass-1", t, client="10.0.0.9"))
        row = con.execute("SELECT failures, last_failure_at FROM login_clients").fetchone()
        t = row[1] + dt.timedelta(seconds=accounts.client_delay(row[0]))
    assert set(answers) == {"用户名或密码不正确。"}
    assert _try(con, next(names), "guess-pass-1", t - dt.timedelta(seconds=29), client="10.0.0.9") == \
        "登录尝试过于频繁，请29秒后再试。"
    # the 20th failure blocks the address for 15 minutes; other addresses are not affected
    assert _try(con, next(names), "guess-pass-1", t, client="10.0.0.9") == "用户名或密码不正确。"
    blocked = _try(con, "probe00", "guess-pass-1", t + dt.timedelta(minutes=14), client="10.0.0.9")
    assert blocked.startswith("该网络地址登录失败次数过多，已暂停登录至") and f"{t + dt.timedelta(minutes=15):%H:%M}" in blocked
    assert _try(con, "nobody", "guess-pass-1", t + dt.timedelta(minutes=14), client="10.0.0.10") == "用户名或密码不正确。"
    (hit,) = accounts.throttled_clients(con, t + dt.timedelta(minutes=14))
    assert (hit.client, hit.failures, hit.blocked_until) == ("10.0.0.9", 20, t + dt.timedelta(minutes=15))
    reasons = [r[0] for r in con.execute("SELECT reason FROM login_events WHERE reason LIKE 'client%' "
                                         "ORDER BY event_id").fetchall()]
    assert reasons == ["client_throttled", "client_blocked"]
    assert [(e.client, e.success, e.reason) for e in accounts.login_log(con, 2)] == [
        ("10.0.0.10", False, "unknown_user"), ("10.0.0.9", False, "client_blocked")]
    # after the block a correct login from that address works and clears its record
    add(con)
    assert _try(con, "zhang", "Zhang-2024x", t + dt.timedelta(minutes=16), client="10.0.0.9") == "ok"
    assert con.execute("SELECT count(*) FROM login_clients WHERE client = '10.0.0.9'").fetchone()[0] == 0


def test_throttling_tables_do_not_grow_without_bound(con):
    t0 = dt.datetime(2026, 1, 5, 9, 0)
    for i in range(30):                        # 30 different names from 30 addresses
        _try(con, f"name{i:02d}", "guess-pass-1", t0, client=f"10.1.0.{i}")
    assert con.execute("SELECT count(*) FROM login_attempts").fetchone()[0] == 30
    assert con.execute("SELECT count(*) FROM login_clients").fetchone()[0] == 30
    _try(con, "late", "guess-pass-1", t0 + dt.timedelta(days=1, minutes=1), client="10.2.0.1")
    assert con.execute("SELECT username FROM login_attempts").fetchall() == [("late",)]
    assert con.execute("SELECT client FROM login_clients").fetchall() == [("10.2.0.1",)]
    _try(con, "later", "guess-pass-1", t0 + dt.timedelta(days=accounts.LOGIN_EVENT_DAYS, minutes=2))
    assert con.execute("SELECT count(*) FROM login_events WHERE event_at < ?",
                       [t0 + dt.timedelta(days=1)]).fetchone()[0] == 0
