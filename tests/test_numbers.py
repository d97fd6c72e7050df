"""Chinese office number writing: counts, money, percentages, dates, changes."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from analytics import numbers


@pytest.mark.parametrize("value,text", [
    (0, "0"), (3, "3"), (704, "704"), (9999, "9999"), (10000, "1万"), (12000, "1.2万"), (12300, "1.23万"),
    (12345, "1.23万余"), (100000, "10万"), (123456789, "12345.67万余"), (10001, "1万余"), (3.0, "3"),
])
def test_count(value, text):
    assert numbers.count(value) == text


def test_count_rejects_fractions():
    with pytest.raises(ValueError):
        numbers.count(2.5)


@pytest.mark.parametrize("value,text", [
    (0, "0元"), (500, "500元"), (8600, "8600元"), (8600.5, "8600.5元"), (8600.55, "8600.55元"), (9999.99, "9999.99元"),
    (10000, "1万元"), (562200, "56.22万元"), (560000, "56万元"), (562250, "56.23万元"), (562249.99, "56.22万元"),
    (2722000, "272.2万元"), (Decimal("1234567.89"), "123.46万元"), (99999.999, "10万元"),
])
def test_money(value, text):
    assert numbers.money(value) == text


@pytest.mark.parametrize("ratio,text", [(0.095, "9.5%"), (0.1, "10%"), (0.15, "15%"), (1, "100%"), (0.0004, "0%"),
                                        (3.2432, "324.3%"), (0.00051, "0.1%"), (0.1249, "12.5%")])
def test_percent(ratio, text):
    assert numbers.percent(ratio) == text


def test_dates_have_no_leading_zeros():
    assert numbers.date(dt.date(2024, 7, 31)) == "2024年7月31日"
    assert numbers.date(dt.date(2024, 1, 5)) == "2024年1月5日"
    assert numbers.month_day(dt.date(2024, 3, 9)) == "3月9日"


@pytest.mark.parametrize("now,before,unit,money,text", [
    (704, 612, "人", False, "增加92人，增长15%"),
    (32, 35, "场次", False, "减少3场次，下降8.6%"),
    (5, 0, "人次", False, "增加5人次"),                 # no percentage against zero
    (0, 0, "人", False, None),                          # nothing to say
    (7, 7, "人", False, "持平"),
    (562200, 555700, "", True, "增加6500元，增长1.2%"),
    (66100, 132200, "", True, "减少6.61万元，下降50%"),
])
def test_change(now, before, unit, money, text):
    assert numbers.change(now, before, unit, money_unit=money) == text
