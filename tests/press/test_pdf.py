"""The three exports open in LibreOffice: converted to PDF headless, in one soffice call (skipped without soffice)."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from analytics.press import cases
from analytics.press.docx_export import to_docx
from analytics.press.material import build_material
from analytics.press.pptx_export import to_pptx
from analytics.press.xlsx_export import to_xlsx
from tests.press.conftest import D

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="注意：未安装 LibreOffice（soffice），已跳过 PDF 转换测试。")
def test_exports_convert_to_pdf(ro_con, tmp_path):
    d = D("2024-07-31")
    m = build_material(ro_con, d, None, tuple(cases.default_ids(cases.candidates(ro_con, d, None))))
    files = {"word.docx": to_docx(m), "excel.xlsx": to_xlsx(m), "slides.pptx": to_pptx(m)}  # distinct stems
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    profile = tmp_path / "lo-profile"
    out = tmp_path / "pdf"
    r = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--convert-to", "pdf",
         "--outdir", str(out), *[str(tmp_path / n) for n in files]],
        capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr
    for stem in ("word", "excel", "slides"):
        pdf = out / f"{stem}.pdf"
        assert pdf.exists(), f"{stem}.pdf missing: {r.stdout} {r.stderr}"
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF") and len(data) > 10_000
        assert data.count(b"/Type /Page") + data.count(b"/Type/Page") >= 2 or stem == "excel"
