"""Links from any amount to the line items that make it up, in the explorer's own parameters."""

from urllib.parse import urlencode

from django.urls import reverse

from core.release_context import at_release
from funding.dimensions import DIMENSIONS, none_values

# Parameters that shape a page but not the set of line items.
PAGE_ONLY_PARAMETERS = {"page", "page_size", "pivot", "format", "release"}


def explorer_url(**filters) -> str:
    """/allocations/?stage=…&country=… for the given filters; None values are left out. Read at a
    release, it leads to the same release."""
    query = {name: value for name, value in filters.items() if value is not None and value != ""}
    return at_release(reverse("allocation-list") + ("?" + urlencode(query, doseq=True) if query else ""))


def row_filters(row: dict) -> dict:
    """The explorer filters that select exactly the line items of one totals row."""
    none = none_values()
    return {name: none.get(name) if row[name] is None else row[name] for name in DIMENSIONS if name in row}


def row_url(row: dict, **base) -> str:
    return explorer_url(**(base | row_filters(row)))


def filter_query(querydict) -> str:
    """The line-item filters of a request's query string, without page-only parameters."""
    pairs = [
        (name, value)
        for name, values in querydict.lists()
        if name not in PAGE_ONLY_PARAMETERS
        for value in values
        if value != ""
    ]
    return urlencode(pairs)
