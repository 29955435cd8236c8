"""Dates as precise as their sources: '2010', '2013-09' or '2012-03-06'.

Sources often give only a year or a month; storing them as a full date would
invent a day. ISO 8601 partial dates keep the stated precision and still sort.
"""

import datetime
import re

from babel.dates import format_date, format_skeleton, get_month_names
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.i18n import cldr_locale

_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")


def validate_partial_date(value: str) -> None:
    match = _PATTERN.match(value or "")
    if match is None:
        raise ValidationError(
            _(
                "Enter a date as YYYY, YYYY-MM or YYYY-MM-DD (as precise as the source); "
                "%(value)r is not one."
            ),
            code="partial_date",
            params={"value": value},
        )
    year, month, day = (int(part) if part else None for part in match.group("year", "month", "day"))
    try:
        datetime.date(year, month or 1, day or 1)
    except ValueError:
        raise ValidationError(
            _("%(value)r is not a calendar date."), code="partial_date", params={"value": value}
        ) from None


def precision_of(value: str) -> str:
    """'year', 'month' or 'day': how precise a partial date is."""
    match = _PATTERN.match(value or "")
    if match is None:
        raise ValueError(f"not a partial date: {value!r}")
    return "day" if match.group("day") else "month" if match.group("month") else "year"


def first_day(value: str) -> datetime.date:
    """The first day a partial date can mean: '2012-01' → 1 January 2012."""
    match = _PATTERN.match(value or "")
    if match is None:
        raise ValueError(f"not a partial date: {value!r}")
    year, month, day = (int(part) if part else 1 for part in match.group("year", "month", "day"))
    return datetime.date(year, month, day)


def format_partial_date(value: str) -> str:
    """'2010' → '2010'; '2013-09' → 'September 2013'; '2012-03-06' → '6 March 2012'. In another
    language, CLDR's forms through Babel: 'septiembre de 2013', '6 de marzo de 2012'."""
    match = _PATTERN.match(value or "")
    if match is None:
        return value or ""
    year, month, day = match.group("year", "month", "day")
    if month is None:
        return year
    date = datetime.date(int(year), int(month), int(day or 1))
    if language := cldr_locale():
        if day is None:
            return format_skeleton("yMMMM", date, locale=language)
        return format_date(date, "long", locale=language)
    month_name = get_month_names("wide", locale="en")[int(month)]
    if day is None:
        return f"{month_name} {year}"
    return f"{int(day)} {month_name} {year}"
