from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template

from langso.core import formats


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (250000, "250.000 đ"),
        (Decimal("250000.00"), "250.000 đ"),
        (1234567.6, "1.234.568 đ"),
        (0, "0 đ"),
        (None, "—"),
    ],
)
def test_money(value, shown):
    assert formats.money(value) == shown


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (0.15, None, "0,15"),
        (Decimal("62.50"), None, "62,5"),
        (Decimal("598.00"), None, "598"),
        (1234567, None, "1.234.567"),
        (Decimal("1234.5"), 2, "1.234,50"),
        (-1500.25, None, "-1.500,25"),
        (Decimal("-0.001"), 2, "0,00"),
        (None, None, "—"),
        ("abc", None, "abc"),
    ],
)
def test_number(value, places, shown):
    assert formats.number(value, places) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(99.44, "99,4%"), (Decimal("50.0"), "50%"), (100, "100%"), (Decimal("0.05"), "0,1%")],
)
def test_percent(value, shown):
    assert formats.percent(value) == shown


def test_day():
    assert formats.day(date(2026, 12, 7)) == "07/12/2026"
    assert formats.day(None) == "—"


def test_filters_in_a_template():
    page = Template(
        "{% load formats %}{{ p|money }}|{{ s|pct }}|{{ q|num }}|{{ q|num:2 }}|{{ d|day }}"
    ).render(Context({"p": 250000, "s": 99.44, "q": Decimal("0.15"), "d": date(2026, 1, 2)}))
    assert page == "250.000 đ|99,4%|0,15|0,15|02/01/2026"
