from django import template
from django.utils.html import format_html

from funding import money as money_formats

register = template.Library()


@register.filter
def money_exact(amount):
    return money_formats.format_exact(amount)


@register.filter
def money_short(amount):
    return money_formats.format_short(amount)


@register.simple_tag
def money(amount):
    """A short amount for reading, with the exact figure on hover."""
    if amount is None:
        return ""
    return format_html(
        '<data value="{}" title="{}">{}</data>',
        amount,
        money_formats.format_exact(amount),
        money_formats.format_short(amount),
    )
