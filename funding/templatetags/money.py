from django import template
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from funding import money as money_formats
from funding.choices import Stage
from funding.fiscal import fiscal_year_label, fiscal_year_span
from funding.links import explorer_url, row_url
from funding.queries.reconciliation import Verdict
from partners.models import territory_name

register = template.Library()


@register.filter
def money_exact(amount):
    return money_formats.format_exact(amount)


@register.filter
def money_short(amount):
    return money_formats.format_short(amount)


def _data(amount, short=money_formats.format_short):
    return format_html(
        '<data value="{}" title="{}">{}</data>',
        amount,
        money_formats.format_exact(amount),
        short(amount),
    )


@register.simple_tag
def money(amount):
    """A short amount for reading, with the exact figure on hover."""
    if amount is None:
        return ""
    return _data(amount)


@register.simple_tag
def money_difference(amount):
    """A difference with its sign, exact on hover."""
    if amount is None:
        return ""
    return _data(amount, money_formats.format_signed)


@register.filter
def percent_difference(pct):
    """+2.50% or −93.95%: signed, with the minus sign the amounts carry ("+2,50 %" in Spanish)."""
    return money_formats.format_percent(pct)


@register.simple_tag
def money_link(amount, row=None, **filters):
    """An amount that links to the explorer showing the line items behind it.

    ``row`` is a totals row (its dimensions become filters); keyword arguments add
    or override filters.
    """
    if amount is None:
        return ""
    url = row_url(row, **filters) if row is not None else explorer_url(**filters)
    return format_html('<a class="money" href="{}">{}</a>', url, _data(amount))


@register.filter(name="fiscal_year")
def fiscal_year_filter(year):
    """2012 → 'FY2012' ('AF2012' in Spanish)."""
    return "" if year in (None, "") else fiscal_year_label(year)


@register.filter(name="fiscal_year_span")
def fiscal_year_span_filter(year):
    """2012 → '1 October 2011 to 30 September 2012'."""
    return fiscal_year_span(int(year))


@register.filter
def local_country(row):
    """A totals row's country in the reader's language (CLDR), or its label (regional money)."""
    return territory_name(row["country"], row["country_name"])


@register.filter
def stage_label(stage):
    """A stage's code ('disbursed') as its name in the reader's language ('Disbursed', 'Desembolsado')."""
    return Stage(stage).label


NOT_REPORTED = _("Amount not reported")


@register.inclusion_tag("includes/stage_sums.html")
def stage_sums(rows, empty=NOT_REPORTED, base=None, **filters):
    """Sums per stage, each linking to its line items; never a $0 for what was not reported.

    ``base`` (a dict) and keyword arguments are the filters the sums were taken under.
    """
    filters = (base or {}) | filters
    return {
        "items": [(row, row_url(row, **filters)) for row in rows],
        "empty": empty,
    }


@register.simple_tag
def money_filtered(amount, filters):
    """An amount linking to the explorer with these filters (a reconciliation's, a disagreement side's)."""
    if amount is None:
        return ""
    return format_html('<a class="money" href="{}">{}</a>', explorer_url(**filters), _data(amount))


@register.filter
def verdict_label(verdict):
    return Verdict(verdict).label


@register.simple_tag
def explorer_link(filters):
    """The explorer's address for these filters."""
    return explorer_url(**filters)
