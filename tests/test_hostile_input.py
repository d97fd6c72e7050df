"""Hostile input through every door that exists: command options (stats --county/--as-of/--db, users, restore),
the sidebar filters (URL query parameters and session state), the login form, and every text box of every
page (found by iterating ui/nav.py, so later pages are covered too). Each must end in a normal page or one
Chinese sentence: no exception, no stack trace, and the database unchanged."""
from __future__ import annotations

import pytest

from analytics import store
from analytics.cli import main
from tests.pages.apptest_util import app, ensure_test_user, login_session
from ui import nav

HOSTILE = [
    "'; DROP TABLE heroes; --",
    "东昌府区' OR '1'='1",
    "\" OR 1=1 --",
    "x" * 5000,
    "a\x00b",
    "<script>alert('xss')</script><img src=x onerror=alert(1)>",
    "=HYPERLINK(\"http://evil.example\",\"点我\")",
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "../../etc/passwd",
    "%s%s%n{0}{__class__}",
    "😀\u202e\ufeff",
]
SKIP_TABLES = {"login_events", "login_attempts", "login_clients", "sessions"}   # logins are recorded by design


def fingerprint(db) -> dict:
    con = store.connect(db)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()]
        out = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables if t not in SKIP_TABLES}
        out["_changes"] = con.execute("SELECT coalesce(max(change_id), 0), count(undone_at) FROM changes").fetchone()
        out["_heroes"] = con.execute("SELECT sum(hash(name || coalesce(id_number, ''))) FROM heroes").fetchone()[0]
        return out
    finally:
        con.close()


def _no_trace(text: str) -> None:
    assert "Traceback" not in text and 'File "' not in text and "/work/" not in text


# ---- command line --------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", HOSTILE)
def test_stats_options(demo_db, tmp_path, monkeypatch, capsys, value):
    monkeypatch.chdir(tmp_path)
    before = fingerprint(demo_db)
    for argv in (["stats", "--db", str(demo_db), "--county", value],
                 ["stats", "--db", str(demo_db), "--as-of", value]):
        try:
            rc = main(argv)
        except SystemExit as exc:          # argparse: usage error, exit 2
            rc = exc.code
        out = capsys.readouterr()
        assert rc == 2, argv
        assert out.err.strip() and "错误" in out.err
        _no_trace(out.err + out.out)
    assert fingerprint(demo_db) == before


DB_VALUES = HOSTILE


@pytest.mark.parametrize("value", DB_VALUES)
def test_stats_db_option(demo_db, tmp_path, monkeypatch, capsys, value):
    """--db pointing somewhere odd: never touches the real database, never a trace."""
    monkeypatch.chdir(tmp_path)
    before = fingerprint(demo_db)
    try:
        rc = main(["stats", "--db", value, "--as-of", "2024-07-31"])
    except SystemExit as exc:
        rc = exc.code
    out = capsys.readouterr()
    assert rc in (0, 2)
    _no_trace(out.err + out.out)
    assert fingerprint(demo_db) == before


@pytest.mark.parametrize("value", HOSTILE[:6])
def test_users_and_restore_commands(demo_db, tmp_path, monkeypatch, capsys, value):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("YIYONG_NEW_PASSWORD", value.replace("\x00", "") if len(value) < 70 else "Ok-pass-2024")
    before = fingerprint(demo_db)
    for argv in (["users", "add", value, "--role", "viewer", "--db", str(demo_db)],
                 ["users", "add", "okname", "--role", value, "--db", str(demo_db)],
                 ["users", "disable", value, "--db", str(demo_db)],
                 ["restore", value, "--db", str(demo_db)]):
        rc = main(argv)
        out = capsys.readouterr()
        assert rc == 2, argv
        assert "错误" in out.err
        _no_trace(out.err + out.out)
    assert fingerprint(demo_db) == before


# ---- the app -------------------------------------------------------------------------------------------

def _page_ok(at) -> None:
    assert not at.exception, at.exception
    shown = "\n".join(str(e.value) for kind in ("error", "warning", "info", "markdown", "caption", "code")
                      for e in getattr(at, kind))
    _no_trace(shown)
    assert not [e for e in at.error if "页面加载时出现问题" in e.value]


@pytest.mark.parametrize("value", HOSTILE)
def test_sidebar_filters_from_url(demo_db, value):
    """The filters are bound to the URL (?county=…&as_of=…&years=…), the way a forwarded link arrives."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT
    from ui import db as uidb
    import os
    user = ensure_test_user(demo_db, "admin")
    before = fingerprint(demo_db)
    os.environ["YIYONG_DB"] = str(demo_db)
    uidb.reset_for_tests()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["auth"] = login_session(user)
    at.query_params["county"] = value
    at.query_params["as_of"] = value
    at.query_params["years"] = value
    at.run()
    _page_ok(at)
    assert at.selectbox(key="county").value == "全市"
    assert at.metric
    assert fingerprint(demo_db) == before


@pytest.mark.parametrize("value", HOSTILE[:4] + HOSTILE[5:6])
def test_sidebar_county_from_session_state(demo_db, value):
    at = app(demo_db, county=value)
    _page_ok(at)


def test_login_form(demo_db, monkeypatch):
    """Hostile user names, passwords and return paths posted to the login endpoint (ui/routes.py): a Chinese
    refusal as the next page's notice, a return path on this server, no session, no data changed."""
    from starlette.applications import Starlette

    from analytics import store
    from tests.test_sessions import HERE, _cookies, _post
    from ui import routes
    before = fingerprint(demo_db)
    con = store.connect(demo_db)
    try:
        monkeypatch.setattr(routes, "_connection", lambda: con)
        server = Starlette(routes=routes.ROUTES)
        for value in HOSTILE[:7]:
            reply = _post(server, "/auth/login", {"username": value[:32], "password": value[:72], "next": value},
                          HERE)
            assert reply.status == 303, value
            location = dict(reply.headers)["location"]
            assert location.startswith("/") and not location.startswith("//"), value
            notices = [c for c in _cookies(reply) if c.startswith("yiyong_notice=")]
            text = routes.decode_notice(notices[0].split(";")[0].split("=", 1)[1])
            assert any(word in text for word in ("不正确", "请输入", "频繁")), (value, text)
            assert not [c for c in _cookies(reply) if c.startswith("yiyong_session=")]
        assert con.execute("SELECT count(*) FROM sessions").fetchone()[0] == 0
    finally:
        con.close()
    assert fingerprint(demo_db) == before


def _text_pages() -> list[tuple[str, str]]:
    return [(path, minimum) for path, _title, _icon, minimum in nav.entries()]


@pytest.fixture(scope="module")
def pages_with_text_boxes(demo_db_readonly, tmp_path_factory) -> list[str]:
    """Pages that show at least one text box to an admin (found by running each page once)."""
    import shutil
    db = tmp_path_factory.mktemp("hostile") / "demo.duckdb"
    shutil.copy(demo_db_readonly, db)
    found = []
    at = app(db)
    for path, _minimum in _text_pages():
        at.switch_page(path).run()
        if len(at.main.text_input) + len(at.main.text_area):
            found.append(path)
    return found


def test_every_text_box_on_every_page(demo_db, pages_with_text_boxes):
    """Every text box in the main area of every page (search boxes, filters, forms), without submitting
    forms that are meant to write (those are tested with their pages)."""
    assert pages_with_text_boxes, "no page has a text box?"
    at = app(demo_db, as_of="2024-07-31")
    before = fingerprint(demo_db)
    for path in pages_with_text_boxes:
        for value in HOSTILE[:7]:
            at.switch_page(path).run()
            boxes = list(at.main.text_input) + list(at.main.text_area)
            for box in boxes:
                limit = getattr(box, "max_chars", None) or getattr(box.proto, "max_chars", 0) or None
                box.input(value[:limit] if limit else value)
            at.run()
            _page_ok(at)
    after = fingerprint(demo_db)
    assert after == before, "a text box changed the database"


# ---- data values as plain text; every page through the frame ----------------------------------------------

PAYLOADS = ["[点我](http://evil.example/)", "![img](http://127.0.0.1:8999/pixel.png)", "**x**", "http://evil.example/a",
            ":red[x]", ":material/home:", "$x^2$", ":smile:", "<b>粗</b>", "# 标题", "1. 列表", "> 引用", "`代码`"]


def test_plain_escapes_markdown_and_streamlit_directives():
    from ui.text import plain
    j = "\u2060"           # word joiner: breaks the autolink and emoji plugins, which work on unescaped text
    assert plain("[点我](http://evil.example/)") == r"\[点我\]\(http" + j + r"\:\/\/evil\.example\/\)"
    assert plain("![img](http://127.0.0.1:8999/pixel.png)") == (r"\!\[img\]\(http" + j
                                                                 + r"\:\/\/127\.0\.0\.1\:8999\/pixel\.png\)")
    assert plain("www.evil.example a@b.cn") == "www" + j + r"\.evil\.example a\@" + j + r"b\.cn"
    assert plain("**x** :red[x] $x^2$") == r"\*\*x\*\* \:red\[x\] \$x\^2\$"
    assert plain(":material/home:") == r"\:material\/home\:"
    assert plain(":smile:") == "\\:\u2060smile\\:"                      # the emoji plugin no longer matches
    assert plain("    缩进\n# 标题") == "缩进\n\\# 标题"                  # no code block, no heading
    assert plain(None) == "" and plain(float("nan")) == "" and plain("王五") == "王五"


def test_person_file_draws_data_values_escaped(tmp_db):
    from tests.registry_rows import full_row, import_rows
    from ui.text import plain
    payload = " ".join(PAYLOADS)
    import_rows(tmp_db, [full_row(0, 姓名="王五**x**", 工作单位=payload, 事迹地点=payload, 事迹简介=payload,
                                  是否市域外="是")])
    for role in ("viewer", "admin"):
        at = app(tmp_db, "pages/registry.py", role=role, session={"reg_open": 1})
        assert not at.exception, at.exception
        assert at.subheader[0].value == r"王五\*\*x\*\*（档案编号 1）"
        drawn = [m.value for m in at.markdown] + [c.value for c in at.caption]
        assert any(plain(payload) in v for v in drawn)                          # summary, place, employer
        assert not [v for v in drawn if "[点我](http" in v or "![img]" in v or ":red[x]" in v]
        assert [v for v in drawn if v.endswith(" · :orange[市域外]")]           # the page's own badge stays


def test_page_started_without_the_frame_reruns_through_it(demo_db, monkeypatch):
    """On a fresh server Streamlit runs a pages/ file directly (its old pages/ directory mode) until a run
    calls st.navigation; a session that starts in that mode after ui.db was imported by another session used to
    show a blank page listing the page files in English. AppTest with Streamlit's own PagesManager is exactly
    that mode on every run."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import app_test

    import ui.db  # noqa: F401 - already imported: no import-time check can help
    monkeypatch.setattr(app_test, "PagesManager", PagesManager)
    at = app(demo_db, "pages/registry.py", role="viewer")
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["英模档案"]
    assert "### 聊城市见义勇为数据分析系统" in [m.value for m in at.sidebar.markdown]     # app.py's frame ran


def test_station_names_in_charts_are_text_not_plotly_html(tmp_db):
    """Plotly reads <a href>, <b>, <br> in category labels and hover text: a station name is escaped there."""
    import json

    from analytics.ingest.plan import analyze_file, run
    name = '<a href="http://evil.example/">点我</a><b>站</b>'
    quoted = '"' + name.replace('"', '""') + '"'
    directory = f"名称,县市区,镇街,类别,成立日期\n{quoted},东昌府区,古楼街道,工作站,2020-01-01\n".encode("utf-8")
    activities = f"日期,县市区,工作站,活动类型,场次\n2024-05-01,东昌府区,{quoted},宣传活动,3\n".encode("utf-8")
    con = store.connect(tmp_db)
    try:
        for file_name, data in (("名录.csv", directory), ("活动.csv", activities)):
            assert run(con, [analyze_file(file_name, data)], "测试员").committed
    finally:
        con.close()
    at = app(tmp_db, "pages/stations.py", as_of="2024-12-31")
    assert not at.exception, at.exception
    specs = [json.loads(e.proto.spec) for e in at.get("plotly_chart")]
    labels = [y for s in specs for t in s["data"] for y in (t.get("y") or []) if isinstance(y, str) and "点我" in y]
    assert labels == ['&lt;a href="http://evil.example/"&gt;点我&lt;/a&gt;&lt;b&gt;站&lt;/b&gt;']
