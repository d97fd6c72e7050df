"""Login and roles under AppTest: the login form (an HTML form for the login endpoint), the first-run page,
sessions ending (idle, logout elsewhere, disabled), a missing database, and what each role sees and may do — a page a role may not use is absent from its menu and refused (in Chinese) when reached by URL."""
from __future__ import annotations

import io
import re

import pytest

from analytics import accounts, sessions, store
from analytics.cli import main as cli_main
from tests.pages.apptest_util import app, login_session
from ui import nav, routes

ALL_PAGES = [(path, title, minimum) for path, title, _icon, minimum in nav.entries()]
ADMIN_PAGES = {"pages/accounts.py", "pages/backup.py"}
REFUSAL = "无权使用"


def texts(at) -> str:
    parts = [e.value for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error",
                                  "success") for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def _login_form(at) -> bool:
    """The login form: a plain HTML form that the browser posts to the login endpoint (ui/routes.py)."""
    return any(f'action="{routes.LOGIN_PATH}"' in h.proto.body and 'name="password"' in h.proto.body
               for h in at.get("html"))


def test_not_logged_in_sees_only_the_login_form(demo_db):
    at = app(demo_db, role=None)
    assert not at.exception
    assert _login_form(at)
    assert not at.metric and not at.date_input and not at.selectbox     # no figures, no filters
    # a direct URL to any page shows the login form, not the page
    for path in ("pages/overview.py", "pages/accounts.py"):
        at.switch_page(path).run()
        assert _login_form(at) and not at.metric and "账号管理" not in [t.value for t in at.title]


def test_login_form_returns_to_the_page_and_filters(demo_db):
    at = app(demo_db, role=None)
    at.query_params["as_of"] = "2024-07-31"
    at.query_params["county"] = "东昌府区"
    at.switch_page("pages/stations.py").run()
    form = next(h.proto.body for h in at.get("html") if routes.LOGIN_PATH in h.proto.body)
    assert ('name="next" value="/stations?as_of=2024-07-31&amp;county=%E4%B8%9C%E6%98%8C%E5%BA%9C%E5%8C%BA"'
            in form)


def test_demo_database_shows_the_demo_accounts_roles(demo_db, tmp_path, monkeypatch):
    at = app(demo_db, role=None)
    hint = " ".join(w.value for w in at.warning)
    assert "演示数据库" in hint and "admin（管理）" in hint and "editor（录入）" in hint and "viewer（查看）" in hint
    assert "Demo-admin-2024" not in hint                                 # roles, not passwords
    prod = tmp_path / "prod.duckdb"
    monkeypatch.setenv("YIYONG_ADMIN_PASSWORD", "Chief-pass-2024")
    assert cli_main(["init", "--db", str(prod)]) == 0
    at = app(prod, role=None)
    assert _login_form(at) and "演示" not in texts(at) + " ".join(w.value for w in at.warning)


@pytest.mark.parametrize("role", ["viewer", "editor", "admin"])
def test_session_of_demo_account(demo_db, role):
    at = app(demo_db, role=None, as_of="2024-07-31", session={"auth": login_session(role, demo_db)})
    assert not at.exception
    assert not _login_form(at)
    assert {m.label: m.value for m in at.metric}["登记在册"] == "704人"
    side = "\n".join(m.value for m in at.sidebar.markdown)
    assert "当前用户" in side and f"角色：{accounts.ROLE_LABELS[role]}" in side
    logout = [h.proto.body for h in at.sidebar.get("html") if routes.LOGOUT_PATH in h.proto.body]
    assert any(">退出登录<" in b for b in logout) and any(">退出所有设备<" in b and 'value="all"' in b for b in logout)


def test_logout_elsewhere_ends_this_session(demo_db):
    at = app(demo_db, role="editor")
    assert at.metric
    con = store.connect(demo_db)
    try:
        sessions.end(con, at.session_state["auth"]["session_id"])        # what the logout endpoint does
    finally:
        con.close()
    at.run()
    assert _login_form(at) and not at.metric
    assert any("登录已失效" in i.value for i in at.info)
    assert "auth" not in at.session_state


def test_idle_session_expires(demo_db):
    at = app(demo_db, role="viewer")
    assert at.metric
    con = store.connect(demo_db)
    try:
        con.execute("UPDATE sessions SET last_seen_at = last_seen_at - INTERVAL 31 MINUTE")
    finally:
        con.close()
    at.run()
    assert _login_form(at) and not at.metric
    assert [i.value for i in at.info] == ["登录已超时，请重新登录。"]


def test_disabled_account_is_logged_out_at_next_click(demo_db):
    at = app(demo_db, role="editor")
    con = store.connect(demo_db)
    try:
        accounts.set_active(con, "test-editor", False, actor="admin")
    finally:
        con.close()
    at.run()
    assert _login_form(at) and any("停用" in i.value for i in at.info)


def test_first_run_form_only_on_a_database_made_by_init(tmp_path, tmp_db, monkeypatch):
    monkeypatch.delenv("YIYONG_ADMIN_PASSWORD", raising=False)
    at = app(tmp_db, role=None)                       # no admin, but not made by init: no first-run form
    assert not at.exception and "首次使用" not in texts(at) and not _login_form(at)
    assert any("没有可用的系统管理员账号" in e.value and "users add" in e.value for e in at.error)

    db = tmp_path / "new.duckdb"
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert cli_main(["init", "--db", str(db)]) == 0
    at = app(db, role=None)
    assert not at.exception
    assert "首次使用" in texts(at)
    inputs = {t.label: t for t in at.text_input}
    assert set(inputs) >= {"用户名", "密码", "确认密码"}
    inputs["密码"].input("Chief-pass-2024")
    inputs["确认密码"].input("Chief-pass-9999")
    next(b for b in at.button if b.label == "创建管理员账号").click()
    at.run()
    assert any("不一致" in e.value for e in at.error)
    inputs = {t.label: t for t in at.text_input}
    inputs["密码"].input("Chief-pass-2024")
    inputs["确认密码"].input("Chief-pass-2024")
    next(b for b in at.button if b.label == "创建管理员账号").click()
    at.run()
    assert not at.exception and _login_form(at) and "首次使用" not in texts(at)
    assert any("系统管理员账号 admin 已创建" in i.value for i in at.info)
    con = store.connect(db)
    try:
        assert [(u.username, u.role) for u in accounts.list_users(con)] == [("admin", "admin")]
        assert not accounts.first_run_allowed(con)
    finally:
        con.close()


def test_admin_password_from_environment(tmp_db, monkeypatch):
    monkeypatch.setenv("YIYONG_ADMIN_PASSWORD", "Unattended-2024")
    at = app(tmp_db, role=None)
    assert _login_form(at) and "首次使用" not in texts(at)
    con = store.connect(tmp_db)
    try:
        assert accounts.authenticate(con, "admin", "Unattended-2024").role == "admin"
    finally:
        con.close()


def test_app_refuses_a_missing_database(tmp_path):
    missing = tmp_path / "typo" / "yiyong.duckdb"
    at = app(missing, role=None)
    assert not at.exception
    message = " ".join(e.value for e in at.error)
    assert f"数据库文件“{missing}”不存在" in message
    assert f"python -m analytics init --db {missing}" in message and "make run" in message
    assert not missing.exists() and not missing.parent.exists()
    assert not _login_form(at)


def test_menu_per_role():
    def titles(role):
        return {t for items in nav.visible_entries(role).values() for _p, t, _i, _r in items}
    viewer, editor, admin = titles("viewer"), titles("editor"), titles("admin")
    assert "账号管理" not in viewer and "备份与恢复" not in viewer
    assert "账号管理" not in editor and "备份与恢复" not in editor
    assert {"账号管理", "备份与恢复"} <= admin
    assert viewer <= editor <= admin
    assert "管理" not in nav.visible_entries("viewer")                  # no empty section header either
    for path, title, minimum in ALL_PAGES:
        assert (title in editor) == accounts.role_at_least("editor", minimum)
    assert titles(None) == set()


@pytest.mark.parametrize("role", ["viewer", "editor"])
@pytest.mark.parametrize("page", sorted(ADMIN_PAGES))
def test_admin_pages_refused_by_url(demo_db, role, page):
    at = app(demo_db, page, role=role)
    assert not at.exception
    assert any(REFUSAL in e.value for e in at.error)
    body = texts(at)
    assert "新增账号" not in body and "下载备份" not in body and "从备份恢复" not in body
    assert all(getattr(b, "key", None) not in ("make_backup", "restore_button") for b in at.button)
    assert all(t.label != "初始密码" for t in at.text_input)


def test_every_page_gated_by_its_minimum_role(demo_db):
    """Each role gets every page it may use (no refusal) and a refusal for every other page."""
    for role in ("viewer", "editor", "admin"):
        at = app(demo_db, role=role)
        for path, title, minimum in ALL_PAGES:
            at.switch_page(path).run()
            assert not at.exception, (role, path)
            refused = any(REFUSAL in e.value for e in at.error)
            assert refused != accounts.role_at_least(role, minimum), (role, path)


def test_admin_manages_accounts(demo_db):
    at = app(demo_db, "pages/accounts.py")
    assert not at.exception
    form = {t.label: t for t in at.text_input}
    form["用户名"].input("liuqiang")
    form["初始密码"].input("Liu-pass-2024")
    next(s for s in at.selectbox if s.label == "角色").set_value("录入")
    next(b for b in at.button if b.label == "新增账号").click()
    at.run()
    assert not at.exception
    assert any("已新增账号 liuqiang" in s.value for s in at.success), [e.value for e in at.error]
    con = store.connect(demo_db)
    try:
        assert accounts.get_user(con, "liuqiang").role == "editor"
        kind, actor = con.execute("SELECT kind, actor FROM changes ORDER BY change_id DESC LIMIT 1").fetchone()
        assert (kind, actor) == ("system", "test-admin")
    finally:
        con.close()


ID_RE = re.compile(r"(?<![0-9*])\d{17}[\dXx](?![0-9])")
PHONE_RE = re.compile(r"(?<![0-9*])1[3-9]\d{9}(?![0-9])")


def test_viewer_never_sees_full_id_or_phone(demo_db):
    """On every page a viewer may open, no table, text or metric shows a full ID number or phone number."""
    at = app(demo_db, role="viewer", as_of="2026-10-31")
    for path, _title, minimum in ALL_PAGES:
        if not accounts.role_at_least("viewer", minimum):
            continue
        at.switch_page(path).run()
        assert not at.exception, path
        blobs = [texts(at)]
        for df in at.dataframe:
            blobs.append(df.value.to_csv(index=False))
        for t in getattr(at, "table", []):
            blobs.append(t.value.to_csv(index=False))
        blob = "\n".join(blobs)
        assert not ID_RE.search(blob), (path, ID_RE.search(blob).group(0))
        assert not PHONE_RE.search(blob), (path, PHONE_RE.search(blob).group(0))


def test_editor_sees_full_values_where_the_viewer_sees_masks(demo_db):
    assert nav.min_role_by_path()["pages/registry.py"] == "viewer"
    found = {}
    for role in ("viewer", "editor"):
        at = app(demo_db, "pages/registry.py", role=role, as_of="2026-10-31")
        assert not at.exception
        found[role] = "\n".join(df.value.to_csv(index=False) for df in at.dataframe)
    assert "身份证号" in found["editor"] and "身份证号" in found["viewer"]
    assert ID_RE.search(found["editor"]) and not ID_RE.search(found["viewer"])
    assert "********" in found["viewer"]
