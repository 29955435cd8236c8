"""Formatting money for people. Amounts stay Decimal until this, the last step.

In English the tracker's own forms ("$496.5M", "$1,675,000"); in any other language the forms CLDR
gives for it, through Babel ("496,5 M US$", "1.675.000 US$" in Spanish).
"""

from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel.numbers import format_compact_currency, format_currency
from babel.numbers import format_percent as format_percent_cldr

from core.i18n import cldr_locale

CENT = Decimal("0.01")
PERCENT_PATTERN = "#,##0.00\xa0%"  # two decimals, as the reconciliation computes them

_SCALES = [  # smallest first
    (Decimal("1000"), "K", Decimal("1")),
    (Decimal("1000000"), "M", Decimal("0.1")),
    (Decimal("1000000000"), "B", Decimal("0.1")),
]


def cents(amount: Decimal) -> Decimal:
    """A sum from the database, to the cent.

    PostgreSQL's numeric keeps two decimals through SUM; SQLite returns the sum bare
    (60000000 for 60000000.00), so every sum passes through here on its way out.
    """
    return amount.quantize(CENT)


def _cldr_exact(amount: Decimal, locale: str) -> str:
    pattern = Locale.parse(locale).currency_formats["standard"].pattern
    if amount == amount.to_integral_value():
        pattern = pattern.replace(".00", "")  # whole dollars: no ",00"
    return format_currency(amount, "USD", format=pattern, locale=locale, currency_digits=False)


def format_exact(amount: Decimal | None) -> str:
    """'$60,000,000' or '$2,550,319.50': every cent that is there."""
    if amount is None:
        return ""
    if locale := cldr_locale():
        return _cldr_exact(amount, locale)
    sign = "−" if amount < 0 else ""
    amount = abs(amount)
    if amount == amount.to_integral_value():
        return f"{sign}${amount:,.0f}"
    return f"{sign}${amount:,.2f}"


def format_percent(pct: Decimal) -> str:
    """'+2.50%' or '−93.95%', signed; CLDR's form in another language ('+2,50 %')."""
    if locale := cldr_locale():
        sign = "+" if pct > 0 else ""
        return sign + format_percent_cldr(pct / 100, format=PERCENT_PATTERN, locale=locale)
    return f"+{pct}%" if pct > 0 else f"−{-pct}%" if pct < 0 else f"{pct}%"


def format_signed(amount: Decimal | None) -> str:
    """'+$508K' or '−$328.8M': a difference, with its direction."""
    if amount is None:
        return ""
    return ("+" if amount > 0 else "") + format_short(amount)


def format_short(amount: Decimal | None) -> str:
    """'$60.0M', '$7.1M', '$468K', '$10.0B': for reading at a glance."""
    if amount is None:
        return ""
    if locale := cldr_locale():
        if abs(amount) < 1000:
            return _cldr_exact(amount, locale)
        return format_compact_currency(amount, "USD", locale=locale, fraction_digits=1)
    sign = "−" if amount < 0 else ""
    amount = abs(amount)
    shown = format_exact(amount)
    for position, (scale, suffix, places) in enumerate(_SCALES):
        if amount < scale:
            break
        scaled = (amount / scale).quantize(places, rounding=ROUND_HALF_UP)
        if scaled >= 1000 and position + 1 < len(_SCALES):
            # 999,950 rounds to "1000K": show it as "$1.0M".
            bigger, bigger_suffix, bigger_places = _SCALES[position + 1]
            scaled, suffix = (amount / bigger).quantize(bigger_places, rounding=ROUND_HALF_UP), bigger_suffix
        shown = f"${scaled}{suffix}"
    return sign + shown
