"""Disagreements, with each side's amount: a reported figure's own, or the sum of the line items named."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, prefetch_related_objects

from funding.models import Allocation, Citation, Disagreement, DisagreementSide, Explanation
from funding.queries.filters import AllocationFilter
from funding.queries.subtotals import totals_queryset


@dataclass(frozen=True)
class Side:
    side: DisagreementSide
    amount: Decimal | None  # None: line items of several stages, or none
    stage: str | None
    count: int | None  # line items summed, for a sum of line items

    @property
    def label(self) -> str:
        return self.side.figure.label if self.side.figure_id else self.side.label


@dataclass(frozen=True)
class DisagreementView:
    disagreement: Disagreement
    sides: list[Side]

    @property
    def difference(self) -> Decimal | None:
        """The second side minus the first."""
        first, second = [*self.sides, None, None][:2]
        if first is None or second is None or first.amount is None or second.amount is None:
            return None
        return second.amount - first.amount

    @property
    def difference_pct(self) -> Decimal | None:
        first = self.sides[0] if self.sides else None
        if self.difference is None or not first.amount:
            return None
        return (self.difference / first.amount * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def with_sides(disagreements) -> list[DisagreementView]:
    """The disagreements (a queryset, or a page of them) with their sides' amounts: four queries (the
    disagreements, their sides with their figures, the figures' citations, the explanations), and
    one per sum of line items."""
    sides = DisagreementSide.objects.select_related("figure__source", "figure__donor").prefetch_related(
        Prefetch("figure__citations", queryset=Citation.objects.select_related("source"))
    )
    disagreements = list(disagreements)
    prefetch_related_objects(
        disagreements,
        Prefetch("sides", queryset=sides),
        Prefetch("explanations", queryset=Explanation.objects.select_related("source")),
    )
    return [
        DisagreementView(disagreement, [_side(side) for side in disagreement.sides.all()])
        for disagreement in disagreements
    ]


def _side(side: DisagreementSide) -> Side:
    if side.figure_id:
        return Side(side, side.figure.amount, side.figure.stage, None)
    filterset = AllocationFilter(side.filters, queryset=Allocation.objects.all())
    if not filterset.is_valid():  # refused when saved (Disagreement.clean); a key deleted since
        return Side(side, None, None, None)
    rows = totals_queryset(filterset).totals()
    amount = rows[0]["amount"] if len(rows) == 1 else None
    return Side(side, amount, rows[0]["stage"] if len(rows) == 1 else None, sum(row["count"] for row in rows))
