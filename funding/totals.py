"""The totals answer: grouped sums plus the grand total, which is only a sum within one stage."""

from decimal import Decimal

from funding.models import STAGE_ORDER


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

    def money(value):
        return None if value is None else f"{value:.2f}"

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
