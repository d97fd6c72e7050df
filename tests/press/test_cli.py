"""`python -m analytics press`: formats, -o, default file names, exit 2 with a Chinese sentence."""
from __future__ import annotations

import subprocess
import sys

import pytest

from analytics import cli
from tests.conftest import ROOT
from tests.press.readback import docx_content, pptx_content, xlsx_content


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "pptx"])
def test_formats_write_files(demo_db_readonly, tmp_path, capsys, fmt):
    out = tmp_path / f"material.{fmt}"
    assert cli.main(["press", "--db", str(demo_db_readonly), "--as-of", "2024-07-31", "--format", fmt,
                     "-o", str(out)]) == 0
    assert f"已生成：{out}" in capsys.readouterr().out
    data = out.read_bytes()
    reader = {"docx": docx_content, "xlsx": xlsx_content, "pptx": pptx_content}[fmt]
    assert reader(data)


def test_default_file_name_in_current_directory(demo_db_readonly, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["press", "--db", str(demo_db_readonly), "--as-of", "2024-07-31", "--county", "东昌府",
                     "--format", "xlsx"]) == 0
    expected = tmp_path / "发布会数据_东昌府_截至20240731.xlsx"
    assert expected.exists()
    assert str(expected) in capsys.readouterr().out


def test_format_follows_output_suffix(demo_db_readonly, tmp_path):
    out = tmp_path / "slides.pptx"
    assert cli.main(["press", "--db", str(demo_db_readonly), "--as-of", "2024-07-31", "-o", str(out)]) == 0
    assert pptx_content(out.read_bytes())["slides"] >= 5
    txt = tmp_path / "statement.txt"
    assert cli.main(["press", "--db", str(demo_db_readonly), "--as-of", "2024-07-31", "-o", str(txt)]) == 0
    assert txt.read_text(encoding="utf-8").startswith("聊城市见义勇为基金会成立以来，全市共登记在册见义勇为人员704人")


@pytest.mark.parametrize("argv,message", [
    (["--county", "北京市"], "“北京市”不是聊城市的县市区"),
    (["--as-of", "2024-02-30"], "日期“2024-02-30”格式不正确"),
    (["--as-of", "31/07/2024"], "格式不正确"),
    (["--as-of", "2011-01-01"], "早于聊城市见义勇为基金会成立日期（2012年6月29日）"),
    (["--format", "pdf"], "无效的选项"),
])
def test_bad_input_exits_2_with_chinese_sentence(demo_db_readonly, capsys, argv, message):
    with pytest.raises(SystemExit) as exc:
        code = cli.main(["press", "--db", str(demo_db_readonly), *argv])
        raise SystemExit(code)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_unwritable_output_exits_2(demo_db_readonly, tmp_path, capsys):
    code = cli.main(["press", "--db", str(demo_db_readonly), "--as-of", "2024-07-31", "--format", "docx",
                     "-o", str(tmp_path / "no-such-dir" / "x.docx")])
    assert code == 2
    assert "无法写入文件" in capsys.readouterr().err


def test_module_entry_point_word_for_word(demo_db_readonly):
    r = subprocess.run([sys.executable, "-m", "analytics", "press", "--db", str(demo_db_readonly), "--as-of",
                        "2024-07-31"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("聊城市见义勇为基金会成立以来，全市共登记在册见义勇为人员704人，"
                               "其中受到国家级表扬3人、省级表扬49人、市级表扬307人。")


@pytest.mark.parametrize("db", ["x" * 5000, "a\x00b"])
def test_hostile_db_path_exits_2(db, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["press", "--db", db, "--as-of", "2024-07-31"]) == 2
    assert list(tmp_path.iterdir()) == []                 # nothing created
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "Traceback" not in err


def test_text_format_states_scope_and_uses_the_dashboards_numbers(demo_db_readonly, capsys):
    assert cli.main(["press", "--db", str(demo_db_readonly), "--as-of", "2024-07-31"]) == 0
    out = capsys.readouterr().out
    assert "统计范围：全市各县市区及三个功能区；统计截至2024年7月31日。" in out
    assert "合计\t194\t562,200" in out and "139900.00" not in out
    assert "命令行" not in out and "stats" not in out
