"""Uploads in a real browser: a file over the limit (refused by the browser before it reaches the server) and a file
of a type the page does not take both get a Chinese sentence, not only Streamlit's English chip."""
from __future__ import annotations

import pytest

from tests.browser.conftest import (demo_login, free_port, login, start_server, stop_server, wait_idle,
                                    wait_rerun, runs)


@pytest.fixture(scope="module")
def small_limit_server(app_db):
    proc = start_server(app_db, free_port(), {"YIYONG_IMPORT_MAX_MB": "1"})
    port = proc.args[proc.args.index("--server.port") + 1]
    yield f"http://127.0.0.1:{port}"
    stop_server(proc)


@pytest.mark.parametrize("width, height", [(1366, 768), (390, 844)])
def test_oversize_and_wrong_type_get_chinese_sentences(browser, small_limit_server, tmp_path, shot, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{small_limit_server}/import_data")
        wait_idle(page)
        login(page, "editor", demo_login()["editor"])
        page.wait_for_selector("text=选择一个或多个文件")
        big = tmp_path / "大文件.csv"
        big.write_bytes(b"\xd0\xd5\xc3\xfb,\xcf\xd8\xca\xd0\xc7\xf8\r\n" + b"x" * (2 * 1024 * 1024))
        page.locator("input[type='file']").first.set_input_files(str(big))
        chip = page.locator("[data-testid='stFileChip'][aria-invalid='true']").first
        chip.wait_for()
        after = chip.evaluate("el => getComputedStyle(el, '::after').content")
        assert after == '"未上传：文件超过 1 MB 上限（或上传中断），请拆分或压缩后重新选择"'
        assert "超过 1 MB 的文件不会上传" in page.inner_text("body")
        shot(page, f"upload-oversize-{width}")

        pdf = tmp_path / "通知.pdf"
        pdf.write_bytes(b"%PDF-1.4 test")
        n = runs(page)
        page.locator("input[type='file']").first.set_input_files(str(pdf))
        wait_rerun(page, n)
        body = page.inner_text("body")
        assert "文件“通知.pdf”的类型不能在此上传，未作处理。请上传 .xlsx、.xlsm、.xls、.ods、.csv、.tsv、.txt 格式的文件。" in body
        assert "not allowed" not in body
        shot(page, f"upload-wrong-type-{width}")
    finally:
        context.close()


@pytest.mark.parametrize("width, height", [(1366, 768), (390, 844)])
def test_a_county_form_previews_with_notes_warnings_and_the_whole_mapping(browser, small_limit_server, tmp_path,
                                                                          shot, width, height):
    import datetime as dt

    from analytics.idnumber import make_id_number
    from tests.ingest import builders as b

    head = ["序号", "姓名", "身份证号码", "县(市、区)", "事迹发生地点", "家庭住址", "确认时间"]
    rows = [["东昌府区见义勇为人员统计表"], head]
    for i in range(3):
        rows.append([i + 1, f"人员{'甲乙丙'[i]}", make_id_number("371502", dt.date(1975 + i, 2, 3), 301 + 2 * i),
                     "东昌府区", "东昌湖", "某小区", dt.date(2024, 1, 5)])
    rows += [["合计", "3人", None, "东昌府区"], ["填表人：", "王五", "审核人：", "赵六"]]
    path = tmp_path / "统计表.xlsx"
    path.write_bytes(b.xlsx({"统计表": rows}))
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{small_limit_server}/import_data")
        wait_idle(page)
        login(page, "editor", demo_login()["editor"])
        page.wait_for_selector("text=选择一个或多个文件")
        n = runs(page)
        page.locator("input[type='file']").first.set_input_files(str(path))
        wait_rerun(page, n)
        page.wait_for_selector("text=确认导入")
        page.get_by_text("列对应关系（可修改）").click()
        page.wait_for_timeout(500)
        body = page.inner_text("body")
        assert "第6、7行为小计/合计/落款行，未导入" in body
        assert "以下列不属于本系统字段，其内容未导入：“家庭住址”" in body
        assert "有错误不导入" in body and "0行" in body
        shot(page, f"import-county-form-{width}")
    finally:
        context.close()
