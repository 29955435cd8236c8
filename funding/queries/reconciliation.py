"""Reported figures set beside the sum of the line items they speak of.

A reported figure names a stage, a donor and a fiscal-year range. Its line-item sum
is the sum of the line items of that same stage, donor and range; line items of the
other stages in that scope are summed separately and shown, never added in.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import models

from funding.choices import STAGE_ORDER, Qualifier, Scope, Stage
from funding.models import ReportedFigure, Subtotal
from funding.money import cents, format_exact

# A public statement rounds: "$361 million" for 361,508,000. An exact figure agrees
# when it is within half a percent of the line items; an approximate one within 5%.
TOLERANCE = {
    Qualifier.EXACT: Decimal("0.005"),
    Qualifier.APPROXIMATELY: Decimal("0.05"),
}


CLAIM_WORDS = {
    Qualifier.EXACT: "",
    Qualifier.APPROXIMATELY: "approximately ",
    Qualifier.AT_LEAST: "at least ",
    Qualifier.MORE_THAN: "more than ",
}


class Verdict(models.TextChoices):
    AGREES = "agrees", "Agrees"
    DISAGREES = "disagrees", "Disagrees"
    NO_LINE_ITEMS = "no_line_items", "No line items"
    NOT_COMPARABLE = "not_comparable", "Not comparable"


@dataclass(frozen=True)
class Reconciliation:
    figure: ReportedFigure
    verdict: str
    explanation: str
    line_item_sum: Decimal | None = None
    line_item_count: int = 0
    difference: Decimal | None = None  # line-item sum minus the reported amount
    difference_pct: Decimal | None = None  # the difference as a percentage of the reported amount
    other_stages: dict[str, Decimal] = field(default_factory=dict)


def reconcile(figures=None) -> list[Reconciliation]:
    """Reconcile each reported figure (all of them by default) against the line items.

    The database sums the line items once per donor, stage and fiscal year; each
    figure's sums are then put together from those few subtotals.
    """
    if figures is None:
        figures = ReportedFigure.objects.all()
    figures = list(figures.select_related("donor", "source"))
    subtotals = defaultdict(list)
    donor_ids = {figure.donor_id for figure in figures}
    # Kept by the database per donor, stage, year, account and country (funding.queries.subtotals).
    for row in Subtotal.objects.filter(donor_id__in=donor_ids).yearly_subtotals():
        subtotals[row["donor_id"]].append(row)
    return [_reconcile_one(figure, subtotals[figure.donor_id]) for figure in figures]


def _reconcile_one(figure: ReportedFigure, donor_subtotals: list[dict]) -> Reconciliation:
    if figure.scope == Scope.CONTEXT:
        return Reconciliation(
            figure, Verdict.NOT_COMPARABLE, "A context figure, not CARSI money: shown for comparison only."
        )
    if figure.fiscal_year_min is None and figure.fiscal_year_max is None:
        return Reconciliation(
            figure, Verdict.NOT_COMPARABLE, "The source states no period, so no line items can be matched."
        )

    sums: dict[str, Decimal] = defaultdict(Decimal)
    counts: dict[str, int] = defaultdict(int)
    first = figure.fiscal_year_min or 0
    last = figure.fiscal_year_max or 10_000
    for row in donor_subtotals:
        if first <= row["fiscal_year"] <= last:
            sums[row["stage"]] += cents(row["amount"])
            counts[row["stage"]] += row["count"]
    other_stages = {
        stage: sums[stage] for stage in sorted(sums, key=STAGE_ORDER.__getitem__) if stage != figure.stage
    }
    stage_name = Stage(figure.stage).label.lower()

    if not counts[figure.stage]:
        explanation = f"No {stage_name} line items for {figure.period_display}."
        if other_stages:
            explanation += (
                " Line items of other stages for the same period: "
                + "; ".join(
                    f"{Stage(stage).label.lower()} {format_exact(amount)}"
                    for stage, amount in other_stages.items()
                )
                + "."
            )
        return Reconciliation(figure, Verdict.NO_LINE_ITEMS, explanation, other_stages=other_stages)

    total = sums[figure.stage]
    difference = total - figure.amount
    difference_pct = (difference / figure.amount * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    agrees = _agrees(figure.qualifier, figure.amount, total)
    claim = f"the reported {CLAIM_WORDS[figure.qualifier]}{format_exact(figure.amount)}"
    explanation = f"{stage_name.capitalize()} line items add up to {format_exact(total)}, which "
    if not agrees:
        explanation += f"does not agree with {claim}."
    elif figure.qualifier in TOLERANCE:
        explanation += f"agrees with {claim} within {(TOLERANCE[figure.qualifier] * 100).normalize()}%."
    else:
        explanation += f"agrees with {claim}."
    return Reconciliation(
        figure,
        Verdict.AGREES if agrees else Verdict.DISAGREES,
        explanation,
        line_item_sum=total,
        line_item_count=counts[figure.stage],
        difference=difference,
        difference_pct=difference_pct,
        other_stages=other_stages,
    )


def _agrees(qualifier: str, reported: Decimal, total: Decimal) -> bool:
    if qualifier == Qualifier.AT_LEAST:
        return total >= reported
    if qualifier == Qualifier.MORE_THAN:
        return total > reported
    return abs(total - reported) <= reported * TOLERANCE[qualifier]
