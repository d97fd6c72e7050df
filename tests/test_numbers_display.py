"""The one display format for numbers (dashboards, tables, axes, press tables): hand-written expectations."""
from __future__ import annotations

import pytest

from analytics import numbers


@pytest.mark.parametrize("value, text", [
    (0, "0"), (0.5, "0.5"), (9999, "9,999"), (10000, "10,000"), (12345.6, "12,345.6"),
    (120000000, "120,000,000"), (1234.567, "1,234.57"), (-4321, "-4,321"), (139900.0, "139,900"),
])
def test_grouped(value, text):
    assert numbers.grouped(value) == text


@pytest.mark.parametrize("value, text", [
    (0, "0元"), (562200, "562,200元"), (139900.00, "139,900元"), (1234.5, "1,234.50元"), (0.05, "0.05元"),
    (8600, "8,600元"),
])
def test_yuan(value, text):
    assert numbers.yuan(value) == text


@pytest.mark.parametrize("value, text", [
    (0, "0"), (0.5, "0.5"), (9999, "9,999"), (10000, "1万"), (12345.6, "1.23万"), (120000000, "1.2亿"),
    (123456789, "1.23亿"),
])
def test_compact(value, text):
    assert numbers.compact(value) == text
