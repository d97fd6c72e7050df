"""What ui/style.css is for, checked where it matters: in a real browser, at a common laptop width.
Key figures are never cut off, 持平 carries no arrow, and Streamlit's built-in English texts (the menu's
"View N more", the file uploader's "Upload" and "…MB per file") are not what a user sees."""
from __future__ import annotations

from tests.browser.conftest import assert_no_error, goto

LAPTOP = {"width": 1366, "height": 900}


def _after(locator) -> str:
    """The text CSS draws after an element (its ::after content), without the quotes."""
    return locator.evaluate("e => getComputedStyle(e, '::after').content").strip('"')


def test_key_figures_are_whole_at_laptop_width(page, app_server, shot):
    page.set_viewport_size(LAPTOP)
    goto(page, app_server, "?as_of=2026-10-31")
    values = page.locator("[data-testid='stMetricValue'] p")
    assert values.count() >= 18
    cut = values.evaluate_all(
        "els => els.filter(e => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right >"
        " e.closest('[data-testid=stMetric]').getBoundingClientRect().right).map(e => e.innerText)")
    assert cut == [], f"这些关键数字显示不全：{cut}"
    assert any(len(t.replace(",", "")) >= 6 for t in values.all_inner_texts())   # e.g. 2,484场次 is among them

    # 持平: grey, and no up or down arrow
    deltas = page.locator("[data-testid='stMetricDelta']")
    flat = [d for d in deltas.all() if d.inner_text().strip() == "持平"]
    moved = [d for d in deltas.all() if d.inner_text().strip() != "持平"]
    assert flat and moved
    assert all(d.locator("[data-testid^='stMetricDeltaIcon']").count() == 0 for d in flat)
    assert all(d.locator("[data-testid^='stMetricDeltaIcon']").count() == 1 for d in moved)
    assert_no_error(page)
    shot(page, "overview_laptop")


def test_menu_and_uploader_show_no_english(page, app_server, shot):
    page.set_viewport_size(LAPTOP)
    goto(page, app_server, "import_data")
    nav = page.locator("[data-testid='stSidebarNav']")
    assert nav.locator("a").count() == 13                       # the admin's whole menu, nothing folded away
    assert nav.locator("[data-testid='stSidebarNavViewButton']").count() == 0
    assert "View" not in nav.inner_text()

    zone = page.locator("[data-testid='stFileUploaderDropzone']").first
    label = zone.locator("button [data-testid='stMarkdownContainer'] p").first
    assert _after(label) == "选择文件"
    assert label.evaluate("e => getComputedStyle(e).fontSize") == "0px"      # the English "Upload" drawn at 0
    hint = zone.locator("[data-testid='stFileUploaderDropzoneInstructions'] span").first
    assert _after(hint) == "或将文件拖放到此处"
    assert hint.evaluate("e => getComputedStyle(e).fontSize") == "0px"       # "50MB per file • XLSX, …"
    assert_no_error(page)
    shot(page, "import_data_laptop")


def test_chart_toolbar_speaks_chinese(page, app_server):
    """plotly.js's toolbar tooltips ("Download plot as a PNG", "Zoom", …) come from ui/plotly_locale.py."""
    goto(page, app_server, "levels")
    bar = page.locator(".js-plotly-plot .modebar-btn").first
    bar.wait_for(state="attached")
    titles = page.locator(".js-plotly-plot").first.locator(".modebar-btn").evaluate_all(
        "els => els.map(e => e.getAttribute('data-title'))")
    assert "下载图片（PNG）" in titles and "缩放" in titles
    buttons = page.locator(".js-plotly-plot").first.locator(".modebar-btn").all()
    shown = [_after(b) for b in buttons]                # the tooltip is the button's ::after content
    assert "全屏显示" in shown                           # Streamlit's own "Fullscreen" button, relabelled in CSS
    english = [t for t in shown if t and t != "none" and not any("\u4e00" <= ch <= "\u9fff" for ch in t)]
    assert english == [], f"图表工具栏仍有英文提示：{english}"

    # the camera saves the chart under its Chinese title, not plotly's "newplot.png"
    plot = page.locator(".js-plotly-plot").first
    plot.hover()
    with page.expect_download(timeout=60_000) as dl:
        plot.locator(".modebar-btn[data-title='下载图片（PNG）']").click()
    name = dl.value.suggested_filename
    assert name.endswith(".png") and name != "newplot.png" and "各县市区" in name, name
    assert_no_error(page)


def test_tables_have_no_builtin_csv_export(page, app_server):
    """Downloads go through the app's own buttons only (formula-safe cells, Chinese file names): Streamlit's
    table toolbar offers no "Download as CSV" of its own (.streamlit/config.toml client.disableDataExport)."""
    goto(page, app_server, "outside_city")
    table = page.locator("[data-testid='stDataFrame']").first
    table.hover()
    toolbar = page.locator("[data-testid='stElementToolbar']").first
    toolbar.locator("button").first.wait_for()
    labels = toolbar.locator("button").evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    assert "Search" in labels                       # the toolbar is there …
    assert "Download as CSV" not in labels          # … without its own CSV export
    assert page.get_by_role("button", name="下载 Excel").count() >= 1
    assert_no_error(page)
