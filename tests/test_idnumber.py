import datetime as dt

import pytest

from analytics.idnumber import birth_date_of, gender_of, make_id_number, parse_id_number

VALID = make_id_number("371502", dt.date(1990, 1, 1), 123)


def test_valid_and_normalized():
    assert parse_id_number(VALID) == (VALID, None)
    assert parse_id_number(" " + VALID + " ") == (VALID, None)
    x = make_id_number("371581", dt.date(1956, 7, 26), 783)
    assert x == "37158119560726783X"              # check character X, written lower-case in the next line
    assert parse_id_number(x.lower()) == (x, None)
    assert birth_date_of(VALID) == dt.date(1990, 1, 1)
    assert gender_of(VALID) == "男"


@pytest.mark.parametrize("value,needle", [
    (3.71502199001011e17, "存成了数字"),
    ("3.71502199001011e+17", "科学计数法"),
    ("371502900101123", "15位"),
    ("37150219900101123", "18位"),
    (VALID[:-1] + ("0" if VALID[-1] != "0" else "1"), "校验位错误"),
    (make_id_number("371502", dt.date(1990, 1, 1), 123).replace("19900101", "19901301", 1)[:-1] + "0", None),
])
def test_errors(value, needle):
    norm, err = parse_id_number(value)
    assert norm is None and err and (needle is None or needle in err)


def test_bad_birth_date_with_valid_check_character():
    from stdnum.cn import ric
    body = "37150219901301123"
    bad = body + ric.calc_check_digit(body + "0")
    assert parse_id_number(bad) == (None, "出生日期或地址码无效")


def test_empty():
    assert parse_id_number(None) == (None, None)
    assert parse_id_number("") == (None, None)
    assert parse_id_number(float("nan")) == (None, None)
