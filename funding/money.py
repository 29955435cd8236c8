"""Formatting money for people. Amounts stay Decimal until this, the last step."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")

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


def format_exact(amount: Decimal | None) -> str:
    """'$60,000,000' or '$2,550,319.50': every cent that is there."""
    if amount is None:
        return ""
    sign = "−" if amount < 0 else ""
    amount = abs(amount)
    if amount == amount.to_integral_value():
        return f"{sign}${amount:,.0f}"
    return f"{sign}${amount:,.2f}"


def format_signed(amount: Decimal | None) -> str:
    """'+$508K' or '−$328.8M': a difference, with its direction."""
    if amount is None:
        return ""
    return ("+" if amount > 0 else "") + format_short(amount)


def format_short(amount: Decimal | None) -> str:
    """'$60.0M', '$7.1M', '$468K', '$10.0B': for reading at a glance."""
    if amount is None:
        return ""
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
