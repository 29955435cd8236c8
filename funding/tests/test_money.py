from decimal import Decimal

import pytest

from core.partial_dates import format_partial_date
from funding.money import cents, format_exact, format_short


@pytest.mark.parametrize(
    ("amount", "short", "exact"),
    [
        ("60000000", "$60.0M", "$60,000,000"),
        ("7148000", "$7.1M", "$7,148,000"),
        ("2550319", "$2.6M", "$2,550,319"),
        ("468000", "$468K", "$468,000"),
        ("999950", "$1.0M", "$999,950"),
        ("10000000000", "$10.0B", "$10,000,000,000"),
        ("999", "$999", "$999"),
        ("12.5", "$12.50", "$12.50"),
        ("-508000", "−$508K", "−$508,000"),
    ],
)
def test_money_formats(amount, short, exact):
    assert format_short(Decimal(amount)) == short
    assert format_exact(Decimal(amount)) == exact


def test_cents_gives_every_sum_two_decimals():
    assert str(cents(Decimal("60000000"))) == "60000000.00"


def test_partial_dates_keep_their_precision():
    assert format_partial_date("2010") == "2010"
    assert format_partial_date("2013-09") == "September 2013"
    assert format_partial_date("2012-03-06") == "6 March 2012"
