"""Every number and date the product writes, in one place: dashboards, tables, chart axes, downloads' display
and press material all format through this module.

Display rules (dashboards, tables, chart labels and hovers, press tables):
- thousands separators, no "k"/"M": "9,999", "10,000", "12,345.6";
- decimals only where the value has them, at most two ("0.5", "12,345.6", "1,234.05");
- money as yuan with "元", no decimals unless there are fen ("562,200元", "1,234.50元");
- `compact` for the few places that must be short: "1.23万", "1.2亿" (below 10,000 as `grouped`).

Press-statement rules (sentences of a release; also stated in every export's 数据说明):
- counts (人, 场次, 人次, 个, 处, 户) below 10000: the exact integer, no thousands separator ("704", "9999");
- counts from 10000 up: in 万 with at most two decimals, truncated, and "余" when something was cut off
  ("1万", "1.23万", "1.23万余");
- money below 10000 元: exact yuan, at most two decimals, no trailing zeros ("8600元", "8600.5元");
- money from 10000 元 up: 万元, rounded half-up to two decimals, no trailing zeros ("56.22万元", "56万元");
- percentages: one decimal, rounded half-up, no trailing ".0" ("9.5%", "10%");
- dates: "2024年7月31日" (no leading zeros).
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

WAN = Decimal(10000)


def _trim(d: Decimal) -> str:
    """A decimal without trailing zeros or a trailing point, never in exponent form."""
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _dec(value) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def grouped(value) -> str:
    """A number with thousands separators and only the decimals it has (at most two, rounded half-up):
    0 → "0", 0.5 → "0.5", 9999 → "9,999", 12345.6 → "12,345.6"."""
    d = _dec(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = _trim(d)
    whole, _, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = f"{int(whole.lstrip('-')):,}"
    return sign + whole + ("." + frac if frac else "")


def yuan(value) -> str:
    """An amount of money for dashboards and tables: "562,200元", "1,234.50元" (two decimals only with fen)."""
    d = _dec(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if d == d.to_integral_value():
        return f"{int(d):,}元"
    sign = "-" if d < 0 else ""
    whole, frac = format(abs(d), "f").split(".")
    return f"{sign}{int(whole):,}.{frac}元"


def compact(value) -> str:
    """A short form for large numbers: below 10,000 as `grouped`; then 万 (two decimals) and 亿 (two decimals),
    trailing zeros dropped: 12345.6 → "1.23万", 120000000 → "1.2亿"."""
    d = _dec(value)
    if abs(d) < WAN:
        return grouped(d)
    if abs(d) < WAN * WAN:
        return _trim((d / WAN).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)) + "万"
    return _trim((d / (WAN * WAN)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)) + "亿"


# d3-format strings for Plotly axes and hovers, matching `grouped` (never "150k").
D3_COUNT = ",d"
D3_NUMBER = ",.2~f"          # d3-format: "~" follows the precision (",.~2f" is not grouped by plotly.js)
D3_MONEY = ",.2~f"


def count(n) -> str:
    """A count of people / events: "704", "1.23万余" (see module doc)."""
    d = _dec(n)
    if d != d.to_integral_value():
        raise ValueError(f"not a whole count: {n!r}")
    if abs(d) < WAN:
        return _trim(d)
    wan = d / WAN
    cut = wan.quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    return _trim(cut) + "万" + ("余" if cut != wan else "")


def money(yuan) -> str:
    """An amount of yuan with its unit: "8600元", "56.22万元"."""
    d = _dec(yuan)
    if abs(d) < WAN:
        return _trim(d.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)) + "元"
    return _trim((d / WAN).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)) + "万元"


def percent(ratio) -> str:
    """A ratio (0.095) as "9.5%"."""
    d = (_dec(ratio) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return _trim(d) + "%"


def date(d: dt.date) -> str:
    """2024-07-31 → "2024年7月31日"."""
    return f"{d.year}年{d.month}月{d.day}日"


def month_day(d: dt.date) -> str:
    return f"{d.month}月{d.day}日"


def change(now, before, unit: str, *, money_unit: bool = False) -> str | None:
    """The change from `before` to `now`: "增加61人，增长9.5%", "减少3场次，下降4%", "持平";
    no percentage when `before` is 0 (meaningless); None when both are 0 (nothing to say)."""
    now_d, before_d = _dec(now), _dec(before)
    if now_d == 0 and before_d == 0:
        return None
    delta = now_d - before_d
    if delta == 0:
        return "持平"
    amount = money(abs(delta)) if money_unit else count(abs(delta)) + unit
    text = ("增加" if delta > 0 else "减少") + amount
    if before_d != 0:
        text += "，" + ("增长" if delta > 0 else "下降") + percent(abs(delta) / before_d)
    return text
