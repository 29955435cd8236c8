import datetime

import pytest
from django.core.exceptions import ValidationError

from funding.fiscal import fiscal_year_bounds, fiscal_year_of, format_fiscal_years, validate_fiscal_year


@pytest.mark.parametrize(
    ("day", "fiscal_year"),
    [
        (datetime.date(2007, 9, 30), 2007),
        (datetime.date(2007, 10, 1), 2008),
        (datetime.date(2008, 9, 30), 2008),
        (datetime.date(2011, 12, 31), 2012),
        (datetime.date(2012, 1, 15), 2012),
    ],
)
def test_fiscal_year_starts_on_the_first_of_october(day, fiscal_year):
    assert fiscal_year_of(day) == fiscal_year


def test_fiscal_year_bounds():
    assert fiscal_year_bounds(2012) == (datetime.date(2011, 10, 1), datetime.date(2012, 9, 30))


@pytest.mark.parametrize("value", [12, 1989, 2100, "2010", None])
def test_validate_fiscal_year_refuses_what_is_not_a_four_digit_year(value):
    with pytest.raises(ValidationError, match="four-digit fiscal year"):
        validate_fiscal_year(value)


def test_format_fiscal_years():
    assert format_fiscal_years(2008, 2011) == "FY2008–FY2011"
    assert format_fiscal_years(2012, 2012) == "FY2012"
    assert format_fiscal_years(2008, None) == "from FY2008"
    assert format_fiscal_years(None, 2011) == "to FY2011"
    assert format_fiscal_years(None, None) == "no period stated"
