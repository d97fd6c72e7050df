import datetime as dt
from decimal import Decimal

import pytest

from analytics import values as v
from analytics.idnumber import make_id_number

D = dt.date


@pytest.mark.parametrize("raw,expected", [
    (dt.datetime(2024, 5, 1, 0, 0), (D(2024, 5, 1), "day")),
    (D(2024, 5, 1), (D(2024, 5, 1), "day")),
    (45413, (D(2024, 5, 1), "day")),
    (45413.0, (D(2024, 5, 1), "day")),
    ("2024-05-01", (D(2024, 5, 1), "day")),
    ("2024/5/1", (D(2024, 5, 1), "day")),
    ("2024.5.1", (D(2024, 5, 1), "day")),
    ("2024年5月1日", (D(2024, 5, 1), "day")),
    ("２０２４年５月１日", (D(2024, 5, 1), "day")),
    ("20240501", (D(2024, 5, 1), "day")),
    ("2024年5月", (D(2024, 5, 1), "month")),
    ("2024-05", (D(2024, 5, 1), "month")),
    ("2024", (D(2024, 1, 1), "year")),
    ("2024年", (D(2024, 1, 1), "year")),
    (2024, (D(2024, 1, 1), "year")),
    (None, (None, None)),
    ("  ", (None, None)),
])
def test_parse_date(raw, expected):
    assert v.parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["明天", "2024-13-01", "2024-02-30", "abc", True])
def test_parse_date_bad(raw):
    with pytest.raises(v.ValueProblem) as e:
        v.parse_date(raw)
    assert e.value.severity == "error" and e.value.message


def test_clean_text():
    assert v.clean_text("  ＡＢＣ１２３ ") == "ABC123"
    assert v.clean_text("你好，世界。") == "你好，世界。"
    assert v.clean_text("=1+1") == "=1+1"
    assert v.clean_text("@SUM(A1)") == "@SUM(A1)"
    assert v.clean_text("") is None and v.clean_text(None) is None and v.clean_text(float("nan")) is None
    assert v.clean_text(12.0) == "12"


@pytest.mark.parametrize("raw,exp", [("国家级", "国家级"), ("全国", "国家级"), ("部级", "国家级"), ("省", "省级"),
                                     ("市级", "市级"), ("市", "市级"), ("区级", "县级"), ("县区级", "县级"), ("县", "县级")])
def test_level(raw, exp):
    assert v.parse_level(raw) == exp


def test_level_bad():
    with pytest.raises(v.ValueProblem):
        v.parse_level("乡级")


@pytest.mark.parametrize("raw,exp", [("男", "男"), ("女", "女"), ("M", "男"), ("f", "女"), (1, "男"), ("2", "女"), (2.0, "女")])
def test_gender(raw, exp):
    assert v.parse_gender(raw) == exp


@pytest.mark.parametrize("raw,exp", [("是", True), ("否", False), ("有", True), ("无", False), ("Y", True), ("n", False),
                                     ("✓", True), ("✗", False), (1, True), (0, False), ("√", True), ("×", False)])
def test_yes_no(raw, exp):
    assert v.parse_yes_no(raw) is exp


def test_county():
    assert v.parse_county("东昌府") == "东昌府区"
    assert v.parse_county("聊城市临清市") == "临清市"
    assert v.parse_county("茌平县") == "茌平区"
    assert v.parse_county("开发区") == "聊城经济技术开发区"
    with pytest.raises(v.ValueProblem) as e:
        v.parse_county("历城区")
    assert e.value.message == "“历城区”不是聊城市的县市区"


def test_status_amount_count():
    assert v.parse_status("牺牲") == "牺牲"
    assert v.parse_amount("1,000") == Decimal("1000.00")
    assert v.parse_amount("1000元") == Decimal("1000.00")
    assert v.parse_amount("0.5万") == Decimal("5000.00")
    assert v.parse_amount(200.5) == Decimal("200.50")
    assert v.parse_count("3") == 3 and v.parse_count(4.0) == 4 and v.parse_count("5场次") == 5
    for bad in ("-1", "2.5", "很多"):
        with pytest.raises(v.ValueProblem):
            v.parse_count(bad)
    with pytest.raises(v.ValueProblem):
        v.parse_amount("一千")


def test_parse_id():
    good = make_id_number("371502", D(1990, 1, 1), 123)
    assert v.parse_id(good.lower()) == good
    with pytest.raises(v.ValueProblem) as e:
        v.parse_id(3.71502199001011e+17)
    assert "数字" in e.value.message
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(v.ValueProblem) as e:
        v.parse_id(bad)
    assert e.value.message == "校验位错误"


def test_validate_person():
    idn = make_id_number("371502", D(1990, 1, 1), 123)  # odd sequence: male
    clean, problems = v.validate_person({"name": " 张三 ", "county": "东昌府", "id_number": idn,
                                         "birth_date": "1990-01-02", "gender": "女"})
    assert clean["name"] == "张三" and clean["county"] == "东昌府区" and clean["id_number"] == idn
    sev = {(f, s) for f, _, s, _ in problems}
    assert sev == {("birth_date", "warning"), ("gender", "warning")}
    clean, problems = v.validate_person({"name": "", "county": "历下区"})
    assert {(f, s) for f, _, s, _ in problems} == {("name", "error"), ("county", "error")}
    clean, problems = v.validate_person({"name": "李四", "county": "临清", "id_number": idn})
    assert problems == [] and clean["birth_date"] == D(1990, 1, 1) and clean["gender"] == "男"
