"""The U.S. federal fiscal year: FY N runs from 1 October N-1 to 30 September N."""

import datetime

from django.core.exceptions import ValidationError

# CARSI's own years; the tracker holds others, but these are what the dashboard sums.
CARSI_FIRST_YEAR = 2008
CARSI_LAST_YEAR = 2012

MIN_FISCAL_YEAR = 1990
MAX_FISCAL_YEAR = 2099


def fiscal_year_of(day: datetime.date) -> int:
    return day.year + 1 if day.month >= 10 else day.year


def fiscal_year_bounds(fiscal_year: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a fiscal year."""
    return datetime.date(fiscal_year - 1, 10, 1), datetime.date(fiscal_year, 9, 30)


def validate_fiscal_year(value) -> None:
    if not isinstance(value, int) or not MIN_FISCAL_YEAR <= value <= MAX_FISCAL_YEAR:
        raise ValidationError(
            "Enter a four-digit fiscal year from %(min)s to %(max)s (FY N runs 1 October N-1 "
            "to 30 September N); %(value)s is not one.",
            code="fiscal_year",
            params={"min": MIN_FISCAL_YEAR, "max": MAX_FISCAL_YEAR, "value": value},
        )


def format_fiscal_years(first: int | None, last: int | None) -> str:
    """'FY2008–FY2011', 'FY2012', 'from FY2008', 'to FY2011' or 'no period stated'."""
    if first is None and last is None:
        return "no period stated"
    if first is None:
        return f"to FY{last}"
    if last is None:
        return f"from FY{first}"
    if first == last:
        return f"FY{first}"
    return f"FY{first}–FY{last}"
