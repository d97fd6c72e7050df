"""The exports and the 工作简报 open in LibreOffice: converted to PDF headless in one soffice call, each page
rendered to PNG under test-output/press/ for a person to look at (skipped without soffice / pdftoppm)."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from analytics.press import cases
from analytics.press.briefing import build_briefing
from analytics.press.briefing_docx import to_docx as briefing_docx
from analytics.press.docx_export import to_docx
from analytics.press.material import build_material
from analytics.press.pptx_export import to_pptx
from analytics.press.xlsx_export import to_xlsx
from tests.conftest import ROOT
from tests.press.conftest import D

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOPPM = shutil.which("pdftoppm")


@pytest.mark.skipif(SOFFICE is None, reason="注意：未安装 LibreOffice（soffice），已跳过 PDF 转换测试。")
def test_exports_convert_to_pdf(ro_con, tmp_path):
    d = D("2024-07-31")
    m = build_material(ro_con, d, None, tuple(cases.default_ids(cases.candidates(ro_con, d, None))))
    mc = build_material(ro_con, d, "东昌府区", tuple(cases.default_ids(cases.candidates(ro_con, d, "东昌府区"))))
    b = build_briefing(ro_con, D("2024-04-01"), D("2024-06-30"))
    files = {"word.docx": to_docx(m), "excel.xlsx": to_xlsx(m), "slides.pptx": to_pptx(m),
             "word_county.docx": to_docx(mc), "slides_county.pptx": to_pptx(mc), "briefing.docx": briefing_docx(b)}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    profile = tmp_path / "lo-profile"
    out = tmp_path / "pdf"
    r = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--convert-to", "pdf",
         "--outdir", str(out), *[str(tmp_path / n) for n in files]],
        capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    pages = {}
    for name in files:
        stem = name.split(".")[0]
        pdf = out / f"{stem}.pdf"
        assert pdf.exists(), f"{stem}.pdf missing: {r.stdout} {r.stderr}"
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF") and len(data) > 10_000
        pages[stem] = data.count(b"/Type /Page") + data.count(b"/Type/Page") - data.count(b"/Type /Pages") \
            - data.count(b"/Type/Pages")
    assert pages["excel"] <= 8                 # was 12 before the page setup: one sheet a page or so
    assert pages["slides"] == 11 and pages["word"] >= 3 and pages["briefing"] >= 3
    if PDFTOPPM:
        keep = ROOT / "test-output" / "press"
        keep.mkdir(parents=True, exist_ok=True)
        for old in keep.glob("*.png"):
            old.unlink()
        for stem in pages:
            subprocess.run([PDFTOPPM, "-r", "60", "-png", str(out / f"{stem}.pdf"), str(keep / stem)],
                           check=True, timeout=120)
        assert len(list(keep.glob("*.png"))) >= sum(pages.values())
