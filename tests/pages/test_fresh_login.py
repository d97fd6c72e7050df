"""A login made a moment ago must be honoured even when this process's read copy of the database does not hold
the new session yet (another thread is still refreshing the copy): ui/auth.check_session asks the database
itself before it calls a session unknown. Found by the 20-session load test: on a fresh server, logins made at
the same moment were sometimes answered with 您的登录已失效."""
from __future__ import annotations

from analytics import shared
from tests.pages.apptest_util import app, ensure_test_user, login_session


def test_a_session_the_read_copy_does_not_hold_yet_is_honoured(demo_db, monkeypatch):
    at = app(demo_db, "pages/overview.py", role=None)          # the login form; the read copy is made
    assert "见义勇为工作总览" not in [t.value for t in at.title]     # not logged in yet
    real = shared.ReadCopy.connection

    def stale(self):                                          # a refresh under way elsewhere: keep the old copy
        return self._con if self._con is not None else real(self)
    monkeypatch.setattr(shared.ReadCopy, "connection", stale)

    at.session_state["auth"] = login_session(ensure_test_user(demo_db, "viewer"), demo_db)
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["见义勇为工作总览"]
    assert not [e.value for e in [*at.error, *at.warning] if "失效" in e.value]
