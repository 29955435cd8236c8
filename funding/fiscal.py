"""The U.S. federal fiscal year: FY N runs from 1 October N-1 to 30 September N."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.partial_dates import format_partial_date

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
            _(
                "Enter a four-digit fiscal year from %(min)s to %(max)s (FY N runs 1 October N-1 "
                "to 30 September N); %(value)s is not one."
            ),
            code="fiscal_year",
            params={"min": MIN_FISCAL_YEAR, "max": MAX_FISCAL_YEAR, "value": value},
        )


def fiscal_year_label(year: int) -> str:
    """'FY2012' in English, 'AF2012' (año fiscal) in Spanish."""
    return pgettext("fiscal year, abbreviated", "FY%(year)s") % {"year": year}


def fiscal_year_span(year: int) -> str:
    """'1 October 2011 to 30 September 2012', in the reader's language."""
    first, last = fiscal_year_bounds(year)
    return _("%(first)s to %(last)s") % {
        "first": format_partial_date(first.isoformat()),
        "last": format_partial_date(last.isoformat()),
    }


def format_fiscal_years(first: int | None, last: int | None) -> str:
    """'FY2008–FY2011', 'FY2012', 'from FY2008', 'to FY2011' or 'no period stated'."""
    if first is None and last is None:
        return _("no period stated")
    if first is None:
        return _("to %(year)s") % {"year": fiscal_year_label(last)}
    if last is None:
        return _("from %(year)s") % {"year": fiscal_year_label(first)}
    if first == last:
        return fiscal_year_label(first)
    return f"{fiscal_year_label(first)}–{fiscal_year_label(last)}"
