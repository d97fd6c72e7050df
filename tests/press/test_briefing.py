"""工作简报: figures equal the dashboards' metrics for the same period (month, quarter, year; city and a county),
the published demo figures where they apply, the command's exit codes, the Word file and the page tab."""
from __future__ import annotations

import datetime as dt
import io

import docx
import pytest

from analytics import cli
from analytics.metrics.figures import key_figures
from analytics.metrics.activity import activity_breakdown
from analytics.metrics.assistance import assistance_breakdown
from analytics.labels import period_label
from analytics.metrics.period import last_full_period, period_bounds, period_figures
from analytics.press.briefing import build_briefing, render_text
from analytics.press.briefing_docx import to_docx
from tests.press.conftest import D

PERIODS = [("2024-07-01", "2024-07-31"), ("2024-04-01", "2024-06-30"), ("2023-01-01", "2023-12-31")]


def test_period_labels_and_bounds():
    assert period_label(D("2024-04-01"), D("2024-06-30")) == "2024年第二季度"
    assert period_label(D("2024-07-01"), D("2024-07-31")) == "2024年7月"
    assert period_label(D("2023-01-01"), D("2023-12-31")) == "2023年"
    assert period_label(D("2024-01-01"), D("2024-06-30")) == "2024年上半年"
    assert period_label(D("2024-02-03"), D("2024-05-06")) == "2024年2月3日至5月6日"
    assert period_bounds("quarter", 2024, 2) == (D("2024-04-01"), D("2024-06-30"))
    assert period_bounds("month", 2024, 2) == (D("2024-02-01"), D("2024-02-29"))
    assert last_full_period("quarter", D("2024-07-31")) == (2024, 2)
    assert last_full_period("month", D("2024-07-31")) == (2024, 7)
    assert last_full_period("year", D("2024-07-31")) == (2023, 1)


@pytest.mark.parametrize("county", [None, "东昌府区"])
@pytest.mark.parametrize("start,end", PERIODS)
def test_briefing_figures_equal_the_dashboard_metrics(ro_con, start, end, county):
    a, b = D(start), D(end)
    f = period_figures(ro_con, a, b, county)
    kf_end = key_figures(ro_con, b, county)
    kf_start = key_figures(ro_con, a - dt.timedelta(days=1), county)
    assert f["end"] == kf_end
    assert f["added"]["registered"] == kf_end["registered"] - kf_start["registered"]
    totals = activity_breakdown(ro_con, a, b, county)["totals"]
    assert f["activities"] == {"publicity_events": totals["宣传活动"], "reports": totals["发现上报"],
                               "assistance_visits": totals["慰问帮扶"]}
    asst = assistance_breakdown(ro_con, a, b, county)
    assert f["assistance"]["times"] == int(asst["times"].sum())
    assert f["assistance"]["amount_yuan"] == pytest.approx(float(asst["amount_yuan"].sum()))
    # a period that ends on 31 December equals the year-to-date figures of key_figures on that day
    if (a.month, a.day) == (1, 1):
        assert f["activities"] == kf_end["activities"] and f["assistance"] == kf_end["assistance"]
    # the briefing prints these figures
    text = render_text(build_briefing(ro_con, a, b, county))
    assert f"共登记在册见义勇为人员{kf_end['registered']}人" in text
    assert f"宣传活动{f['activities']['publicity_events']}场次" in text or f["activities"]["publicity_events"] == 0
    # the county table's 合计 equals the city figures
    if county is None:
        row = [l for l in text.splitlines() if l.startswith("合计\t") and l.count("\t") == 8][0].split("\t")
        assert row[1] == f"{kf_end['registered']:,}"
        assert row[4] == f"{f['activities']['publicity_events']:,}"


def test_published_figures_in_the_july_2024_briefing(ro_con):
    text = render_text(build_briefing(ro_con, D("2024-07-01"), D("2024-07-31")))
    assert ("截至2024年7月31日，全市共登记在册见义勇为人员704人，其中受到国家级表扬3人、省级表扬49人、市级表扬307人；"
            "建成英模工作室20处") in text
    assert "聊城市见义勇为工作简报（2024年7月）" in text


def test_dongchangfu_year_to_date_activity_as_published(ro_con):
    f = period_figures(ro_con, D("2024-01-01"), D("2024-07-31"), "东昌府区")
    assert f["activities"] == {"publicity_events": 32, "reports": 20, "assistance_visits": 15}   # seed 000
    assert f["end"]["workstations"] == 14
    text = render_text(build_briefing(ro_con, D("2024-01-01"), D("2024-07-31"), "东昌府区"))
    assert "宣传活动32场次" in text and "发现上报见义勇为行为20人次" in text and "慰问帮扶见义勇为人员15人次" in text
    assert "东昌府区见义勇为工作简报（2024年1月1日至7月31日）" in text


def test_briefing_cases_are_three_to_five_and_without_identifiers(ro_con):
    b = build_briefing(ro_con, D("2024-04-01"), D("2024-06-30"))
    chosen = [c for s in b.sections for c in s.cases]
    assert 3 <= len(chosen) <= 5
    ids = [c.hero_id for c in chosen]
    secrets = ro_con.execute(
        f"SELECT id_number, phone FROM heroes WHERE hero_id IN ({','.join('?' * len(ids))})", ids).fetchall()
    text = render_text(b)
    assert all(v and v not in text for row in secrets for v in row if v)


def test_briefing_word_file_layout(ro_con):
    d = docx.Document(io.BytesIO(to_docx(build_briefing(ro_con, D("2024-04-01"), D("2024-06-30")))))
    assert d.paragraphs[0].text == "聊城市见义勇为工作简报\n（2024年第二季度）"
    heads = [p.text for p in d.paragraphs if p.text[:2] in {f"{n}、" for n in "一二三四五六七"}]
    assert heads == ["一、主要数据", "二、英模登记和表扬", "三、工作站（室）活动和帮扶优抚", "四、事迹确认及时性",
                     "五、典型事迹", "六、各县市区情况", "七、说明"]
    assert len(d.tables) == 4 and d.tables[-1].rows[0].cells[0].text == "县市区"


def test_briefing_command(demo_db_readonly, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["briefing", "--db", str(demo_db_readonly), "--from", "2024-04-01", "--to", "2024-06-30",
                     "--county", "东昌府", "--format", "docx"]) == 0
    assert (tmp_path / "见义勇为工作简报_东昌府_2024年第二季度.docx").exists()
    capsys.readouterr()
    assert cli.main(["briefing", "--db", str(demo_db_readonly), "--from", "2024-07-01", "--to", "2024-07-31"]) == 0
    assert capsys.readouterr().out.startswith("聊城市见义勇为工作简报（2024年7月）")


@pytest.mark.parametrize("argv,message", [
    (["--from", "2024-07-01", "--to", "2024-06-30"], "起始日期2024年7月1日晚于截止日期2024年6月30日"),
    (["--from", "2024-02-30", "--to", "2024-06-30"], "日期“2024-02-30”格式不正确"),
    (["--from", "2011-01-01", "--to", "2011-12-31"], "早于聊城市见义勇为基金会成立日期"),
    (["--from", "2024-01-01", "--to", "2024-03-31", "--county", "北京市"], "“北京市”不是聊城市的县市区"),
    (["--from", "2024-01-01"], "缺少必填参数"),
    (["--from", "2024-01-01", "--to", "2024-03-31", "--format", "xlsx"], "无效的选项"),
])
def test_briefing_bad_input_exits_2(demo_db_readonly, capsys, argv, message):
    with pytest.raises(SystemExit) as exc:
        raise SystemExit(cli.main(["briefing", "--db", str(demo_db_readonly), *argv]))
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize("value", ["'; DROP TABLE heroes; --", "x" * 5000, "a\x00b", "=HYPERLINK(\"x\")",
                                   "../../etc/passwd", "😀\u202e\ufeff"])
def test_briefing_hostile_options_exit_2(demo_db_readonly, tmp_path, monkeypatch, capsys, value):
    monkeypatch.chdir(tmp_path)
    for extra in (["--county", value], ["--from", value], ["--db", value]):
        argv = ["briefing", "--from", "2024-01-01", "--to", "2024-03-31", "--db", str(demo_db_readonly), *extra]
        try:
            rc = cli.main(argv)
        except SystemExit as exc:                      # argparse: usage error, exit 2
            rc = exc.code
        out = capsys.readouterr()
        if extra[0] == "--db":                         # an odd path: an empty briefing or one Chinese sentence
            assert rc in (0, 2) and "Traceback" not in out.err + out.out
        else:
            assert rc == 2 and out.err.startswith(("错误：", "usage")) and "Traceback" not in out.err, extra


@pytest.mark.parametrize("county", [None, "东昌府区"])
@pytest.mark.parametrize("start,end", PERIODS)
def test_period_figures_against_plain_counts(ro_con, start, end, county):
    """The same figures counted with plain SQL written here (not the code under test)."""
    where, params = ("", []) if county is None else (" AND county = ?", [county])
    f = period_figures(ro_con, D(start), D(end), county)
    new = ro_con.execute(f"SELECT count(*) FROM heroes WHERE registered_on BETWEEN ? AND ?{where}",
                         [start, end, *params]).fetchone()[0]
    assert f["added"]["registered"] == new
    pub = ro_con.execute(f"SELECT coalesce(sum(count), 0) FROM activities WHERE type = '宣传活动' "
                         f"AND activity_date BETWEEN ? AND ?{where}", [start, end, *params]).fetchone()[0]
    assert f["activities"]["publicity_events"] == pub
    times, amount = ro_con.execute(
        f"SELECT count(*), coalesce(sum(a.amount_yuan), 0) FROM assistance a JOIN heroes h USING (hero_id) "
        f"WHERE a.assisted_on BETWEEN ? AND ?{where.replace('county', 'h.county')}", [start, end, *params]).fetchone()
    assert f["assistance"]["times"] == times and f["assistance"]["amount_yuan"] == pytest.approx(float(amount))
