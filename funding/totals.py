"""Totals: the one GROUP BY that sums line items (or subtotals) per group, and the answer built from it,
whose grand total is only ever a sum within one stage."""

from decimal import Decimal

from django.db.models import Count, Sum

from core.formats import decimal_text as money
from funding.choices import STAGE_ORDER
from funding.dimensions import DIMENSIONS, parse_group_by
from funding.money import cents


def grouped_totals(queryset, group_by, count=None) -> list[dict]:
    """One GROUP BY over line items, or over subtotals (whose counts are summed, not counted)."""
    dimensions = _grouping(group_by)
    paths = [path for dimension in dimensions for path in dimension.paths]
    # COUNT(*), not COUNT(id): an index that holds the amount but not the id is read alone.
    rows = queryset.order_by().values(*paths).annotate(amount=Sum("amount"), count=count or Count("*"))
    choice_labels = {dimension.name: dict(dimension.choices) for dimension in dimensions if dimension.choices}
    results = []
    for row in rows:
        result = {}
        for dimension in dimensions:
            key = row[dimension.key_path]
            result[dimension.name] = key
            if dimension.label_path:
                result[dimension.label_name] = (
                    row[dimension.label_path] if key is not None else str(dimension.none_label)
                )
            elif dimension.choices:
                result[dimension.label_name] = str(choice_labels[dimension.name][key])
        result["amount"] = cents(row["amount"])
        result["count"] = row["count"]
        results.append(result)
    return _sorted(results, dimensions)


def added_up(rows: list[dict], group_by=()) -> list[dict]:
    """Rows of grouped_totals() added up to the groups of `group_by` (stage always among them), in
    totals() order: the rows of a finer grouping, or of parts that share no line item (a search's).
    Decimal sums, so each group's sum is exactly that of its line items."""
    dimensions = _grouping(group_by)
    groups = {}
    for row in rows:
        key = tuple(row[dimension.name] for dimension in dimensions)
        if key not in groups:
            named = [name for dimension in dimensions for name in (dimension.name, dimension.label_name)]
            groups[key] = {name: row[name] for name in named if name in row} | {
                "amount": Decimal("0.00"),
                "count": 0,
            }
        groups[key]["amount"] += row["amount"]
        groups[key]["count"] += row["count"]
    return _sorted(list(groups.values()), dimensions)


def per_stage(results: list[dict]) -> list[dict]:
    """Grouped rows added up to one row per stage, as totals() without a grouping gives them."""
    return added_up(results)


def _grouping(group_by) -> list:
    """The dimensions of a grouping: those asked for, and stage (stages are never summed together)."""
    names = parse_group_by(group_by)
    if "stage" not in names:
        names.append("stage")
    return [DIMENSIONS[name] for name in names]


def _sorted(results, dimensions):
    results.sort(key=lambda result: tuple(sort_key(result, dimension) for dimension in dimensions))
    return results


def sort_key(result, dimension):
    """Where a totals row goes by one of its dimensions."""
    # Choices in their own order (stages in pipeline order); the rest by label (or key), the
    # "none" group last.
    key = result[dimension.name]
    if dimension.choices:
        return (0, [value for value, _ in dimension.choices].index(key))
    if key is None:
        return (1, "")
    if dimension.label_path and dimension.sort_by_label:
        return (0, result[dimension.label_name])
    return (0, key)


def totals_response(queryset, group_by: list[str]) -> dict:
    results = queryset.totals(group_by)
    return {
        "group_by": [*group_by, "stage"] if "stage" not in group_by else group_by,
        "results": results,
        "total": stage_totals(results),
    }


def stage_totals(results: list[dict]) -> dict:
    """The grand total of grouped rows: one sum per stage, and one amount only if there is one stage.

    Every grouping includes stage, so the database's group sums add up to each stage's sum
    exactly (Decimal); this saves a second pass over the line items.
    """
    by_stage = {}
    for row in sorted(results, key=lambda row: STAGE_ORDER[row["stage"]]):
        stage = by_stage.setdefault(row["stage"], {"amount": Decimal("0.00"), "count": 0})
        stage["amount"] += row["amount"]
        stage["count"] += row["count"]
    return {
        # Stages are never added together: one stage, one sum; several, no sum.
        "amount": next(iter(by_stage.values()))["amount"] if len(by_stage) == 1 else None,
        "count": sum(stage["count"] for stage in by_stage.values()),
        "by_stage": by_stage,
    }


def as_json(body: dict) -> dict:
    """The totals answer with money as strings of two decimals; rows keep only the grouped dimensions."""

    total = body["total"]
    return {
        "group_by": body["group_by"],
        "results": [row | {"amount": money(row["amount"])} for row in body["results"]],
        "total": {
            "amount": money(total["amount"]),
            "count": total["count"],
            "by_stage": {
                stage: {"amount": money(value["amount"]), "count": value["count"]}
                for stage, value in total["by_stage"].items()
            },
        },
    }
