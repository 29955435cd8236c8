"""The line items of one page, when the order starts with a dimension of few values (a country by its
name, a donor, what the fiscal year means…): read on PostgreSQL one value after another, each
value's line items in the order of the index that leads with it, instead of sorting every line item
by the value's label.

"?ordering=country" at a million line items was a sort of all of them by the country's name (430 ms);
read a country at a time it is a page's worth of index entries per country. The rows and their
order are the ORDER BY's own; SQLite (no LIMIT inside a UNION) runs the ORDER BY itself.
"""

from django.db import connections
from django.db.models import Exists, F, Func, IntegerField, OrderBy, OuterRef, Q, Subquery, Value
from django.db.models.expressions import RawSQL

from core.querysets import read_together
from funding.dimensions import DIMENSIONS, related_dimensions
from funding.models import Allocation

# The orders an index of the line items reads them in, by field name (forwards or backwards).
INDEXED_ORDERS = [list(index.fields) for index in Allocation._meta.indexes]


def page_keys(page):
    """The ids of the line items of `page`, a slice of an ordered queryset of line items, as a subquery:
    read value by value where the order allows, else as the database reads the slice."""
    walk = _walk(page)
    if walk is None or not connections[page.db].features.supports_slicing_ordering_in_compound:
        return page.values("pk")
    dimension, descending, ties = walk
    low, high = page.query.low_mark, page.query.high_mark
    queryset = page.all().prefetch_related(None)
    queryset.query.clear_limits()
    # A first page is the first of every value's first `high` line items; further on, how many each
    # value has (counted up to `high`) says which values the page reaches into.
    values, counts = _values(dimension, descending, queryset, count_up_to=high if low else None)
    if len(values) < 2:  # one value: the order is the rest of it, which an index serves as it is
        return page.values("pk")
    holding = _holding(values, counts, low, high) if low else [(value, 0, high) for value in values]
    columns = [tie.lstrip("-") for tie in ties]  # the id last
    parts = [
        queryset.filter(_is(dimension, value))
        .order_by(*ties)
        .annotate(value_position=Value(values.index(value)))
        .values_list("value_position", *columns)[first:last]
        for value, first, last in holding
    ]
    if len(parts) < 2:
        return parts[0].values("pk") if parts else []
    rows = parts[0].union(*parts[1:], all=True).order_by("value_position", *ties)[: high - low]
    sql, params = rows.query.sql_with_params()
    return RawSQL(f"SELECT id FROM ({sql}) page", params)


def _walk(page):
    """(dimension, descending, the rest of the order) when the order starts with a dimension of few
    values that no index reads the line items in, and goes on in fields of the line item itself,
    ending with the id."""
    terms = [order_term(term) for term in page.query.order_by]
    if len(terms) < 2 or None in terms or terms[-1][0] != "id" or any("__" in name for name, _ in terms[1:]):
        return None
    first, descending = terms[0]
    dimension = next((d for d in DIMENSIONS.values() if d.ordering_path == first), None)
    if dimension is None or not (dimension.model or dimension.choices):
        return None
    if all(down == descending for _, down in terms) and [name for name, _ in terms] in INDEXED_ORDERS:
        return None  # an index reads them in this order or its reverse (a stage's)
    return dimension, descending, [("-" if down else "") + name for name, down in terms[1:]]


def order_term(term):
    """("fiscal_year", descending) of an order_by() term naming a field; None for any other expression."""
    if isinstance(term, str):
        return term.lstrip("-"), term.startswith("-")
    if isinstance(term, OrderBy) and isinstance(term.expression, F):
        return term.expression.name, term.descending
    return None


def _values(dimension, descending, queryset, count_up_to=None) -> tuple[list, list | None]:
    """The dimension's values in the ordering's order, those without one (None) last either way: a
    choice's values, or the ids of the rows some line item refers to, by their label. With
    `count_up_to`, how many of the queryset's line items have each (counted up to that many; the
    last value's count is not needed)."""
    if dimension.model is None:
        # A choice's values are words of ASCII letters: sorted alike by Python and by any collation.
        values = sorted((value for value, _ in dimension.choices), reverse=descending)
        counts = None
        if count_up_to:
            counts = counts_up_to(count_up_to, [queryset.filter(_is(dimension, v)) for v in values[:-1]])
    else:
        label = F(dimension.ordering_path.split("__", 1)[1])
        in_use = Exists(Allocation.objects.filter(**{dimension.name: OuterRef("pk")}))
        rows = dimension.model.objects.filter(in_use).order_by(label.desc() if descending else label.asc())
        if count_up_to:
            of_the_row = queryset.filter(**{dimension.name: OuterRef("pk")}).order_by().values("pk")
            counted = list(
                rows.annotate(line_items=CountUpTo(Subquery(of_the_row[:count_up_to]))).values_list(
                    "pk", "line_items"
                )
            )
            values, counts = [pk for pk, _ in counted], [count for _, count in counted]
        else:
            values, counts = list(rows.values_list("pk", flat=True)), None
    return ([*values, None] if dimension.field.null else values), counts


class CountUpTo(Func):
    """How many rows a sliced subquery holds: COUNT(*) that stops at the slice's end."""

    template = "(SELECT COUNT(*) FROM %(expressions)s counted)"
    output_field = IntegerField()


def counts_up_to(limit, querysets) -> list[int]:
    """How many rows each queryset has, up to `limit` (None: all of them), in one query."""
    if not querysets:
        return []
    subqueries, params = [], []
    for queryset in querysets:
        sql, subquery_params = queryset.order_by().values("pk")[:limit].query.sql_with_params()
        subqueries.append(f"(SELECT COUNT(*) FROM ({sql}) counted)")
        params.extend(subquery_params)
    with connections[querysets[0].db].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(subqueries), params)
        return list(cursor.fetchone())


def _holding(values, counts, low, high) -> list[tuple]:
    """(value, first, last) of the values a page from `low` to `high` reaches into, and which of each
    one's line items it holds, from how many each value has (the last one's need not be known)."""
    holding, start = [], 0
    for position, value in enumerate(values):
        count = counts[position] if position < len(counts) else high
        if start + count > low:
            holding.append((value, max(low - start, 0), min(high, start + count) - start))
        start += count
        if start >= high:
            break
    return holding


def _is(dimension, value) -> Q:
    return Q(**{f"{dimension.name}__isnull": True}) if value is None else Q(**{dimension.name: value})


def with_named_rows(line_items: list, rows: dict[str, list] | None = None) -> list:
    """The line items, each with the rows it names (its donor, country, source…) in place: taken from
    `rows` (by dimension: the explorer's filter choices, among which is every row a line item names),
    else read for the page, the seven tables in one query, where a query each would be seven."""
    dimensions = related_dimensions()
    if rows is None:
        named = {d: {getattr(item, d.field.attname) for item in line_items} - {None} for d in dimensions}
        wanted = [dimension for dimension in dimensions if named[dimension]]
        read = read_together(*(d.model.objects.filter(pk__in=named[d]) for d in wanted)) if wanted else []
        rows = {dimension.name: found for dimension, found in zip(wanted, read, strict=True)}
    by_key = {name: {row.pk: row for row in found} for name, found in rows.items()}
    for line_item in line_items:
        for dimension in dimensions:
            key, found = getattr(line_item, dimension.field.attname), by_key.get(dimension.name, {})
            if key is None or key in found:
                dimension.field.set_cached_value(line_item, found.get(key))
    return line_items
