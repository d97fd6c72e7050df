"""The landing page in a real browser: published figures, filters in the URL, no error."""
from __future__ import annotations

from tests.browser.conftest import assert_no_error, goto


def test_overview_shows_published_figures_from_url(page, app_server, shot):
    goto(page, app_server, "?as_of=2024-07-31")
    body = page.inner_text("body")
    assert "704人" in body and "307人" in body and "49人" in body
    assert_no_error(page)
    shot(page, "overview_2024-07-31")


def test_county_filter_round_trips_through_url(page, app_server):
    goto(page, app_server, "?as_of=2024-07-31&county=东昌府区")
    body = page.inner_text("body")
    assert "东昌府区 · 截至 2024年07月31日" in body
    assert "14个" in body and "32场次" in body
