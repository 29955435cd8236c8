"""Numbers as the API, the CSV files and the change history write them."""

from decimal import Decimal


def decimal_text(value: Decimal | None) -> str | None:
    """An amount with its two decimals, whatever the database gave ("60000000.00"); None stays None."""
    return None if value is None else f"{value:.2f}"
