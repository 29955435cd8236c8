"""Reported figures set beside the sum of the line items that count the same money.

A reported figure names a stage, a donor and a fiscal-year range, and may name one country, account
or agency. Its line-item sum is the sum of the line items of that same stage, donor, range (and
country, account, agency); line items of the other stages are summed separately and shown, never
added in. What those line items count is read from the coverage their sources declare (Coverage):
where they count less than the figure does (fewer accounts or agencies, fewer years or countries,
one program of many, an earlier date, another meaning of "fiscal year"), the verdict is that the
line items cover part of the figure, with exactly what is missing, rather than "disagrees".
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.db import models
from django.db.models import Count, Prefetch, Sum
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.mixed_text import Typed, mixed
from core.partial_dates import format_partial_date
from funding.choices import STAGE_ORDER, Geography, Qualifier, Scope, Stage
from funding.fiscal import fiscal_year_label
from funding.models import (
    Allocation,
    Citation,
    Coverage,
    DisagreementSide,
    FundingAccount,
    ReportedFigure,
    Subtotal,
)
from funding.money import cents, format_exact
from funding.queries.coverage import and_list as _and
from funding.queries.coverage import basis_words as _basis_words
from funding.queries.coverage import describe, undeclared_stages
from partners.models import Country, Organization

# A public statement rounds: "$361 million" for 361,508,000. An exact figure agrees when it is within
# half a percent of the line items; an approximate one, or one that is "almost" so much, within 5%.
TOLERANCE = {
    Qualifier.EXACT: Decimal("0.005"),
    Qualifier.APPROXIMATELY: Decimal("0.05"),
    Qualifier.ALMOST: Decimal("0.05"),
}
# "the reported approximately $5,000,000": what the figure claims, in the explanations.
CLAIMS = {
    Qualifier.EXACT: pgettext_lazy("claim", "the reported %(amount)s"),
    Qualifier.APPROXIMATELY: pgettext_lazy("claim", "the reported approximately %(amount)s"),
    Qualifier.AT_LEAST: pgettext_lazy("claim", "the reported at least %(amount)s"),
    Qualifier.MORE_THAN: pgettext_lazy("claim", "the reported more than %(amount)s"),
    Qualifier.ALMOST: pgettext_lazy("claim", "the reported almost %(amount)s"),
    Qualifier.AT_MOST: pgettext_lazy("claim", "the reported at most %(amount)s"),
}
# Stages whose figures grow with time: a sum as of an earlier date counts less of them.
CUMULATIVE = {Stage.ALLOCATED, Stage.OBLIGATED, Stage.DISBURSED}


class Verdict(models.TextChoices):
    AGREES = "agrees", _("Agrees")
    DISAGREES = "disagrees", _("Disagrees")
    PARTIAL_COVERAGE = "partial_coverage", _("Line items cover part of it")
    NO_LINE_ITEMS = "no_line_items", _("No line items")
    NOT_COMPARABLE = "not_comparable", _("Not comparable")


@dataclass(frozen=True)
class CoverageComparison:
    """What the line items summed for a figure count, beside what the figure counts."""

    missing: list[dict]  # {"dimension": "account", "values": ["FMF", "INCLE"]}; programs: "covered_only"
    line_items_as_of: str | None
    figure_as_of: str
    fiscal_year_basis: dict  # {"line_items": ["transaction"], "figure": "appropriation" or None}
    notes: list[str]
    sources: list[str]  # the keys of the coverage declarations read
    undeclared: bool = False  # some line items come from sources that declare no coverage

    @property
    def known(self) -> bool:
        """Every line item summed comes from a source that declares what its line items count."""
        return bool(self.sources) and not self.undeclared

    @property
    def partial(self) -> bool:
        """The line items summed count less than the figure does."""
        return self.known and (bool(self.missing) or self.earlier or self.other_basis)

    @property
    def earlier(self) -> bool:
        return bool(self.line_items_as_of and self.figure_as_of and self.line_items_as_of < self.figure_as_of)

    @property
    def other_basis(self) -> bool:
        figure = self.fiscal_year_basis["figure"]
        return bool(figure) and any(basis != figure for basis in self.fiscal_year_basis["line_items"])


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
    coverage: CoverageComparison | None = None
    filters: dict = field(default_factory=dict)  # the line-item filters whose sum this is
    disagreements: list[str] = field(default_factory=list)

    @property
    def line_items_url(self) -> str | None:
        """The list API filtered to exactly the line items summed."""
        if not self.filters:
            return None
        return reverse("api-allocation-list") + "?" + urlencode(self.filters)


def figure_filters(figure: ReportedFigure) -> dict:
    """The line-item filters (the API's own parameters) that select what a figure speaks of."""
    filters = {"stage": figure.stage, "donor": figure.donor.slug}
    if figure.fiscal_year_min is not None:
        filters["fiscal_year_min"] = figure.fiscal_year_min
    if figure.fiscal_year_max is not None:
        filters["fiscal_year_max"] = figure.fiscal_year_max
    for name in ("country", "account", "agency"):
        related = getattr(figure, name)
        if related is not None:
            filters[name] = related.natural_key()[0]
    return filters


def reconcile(figures=None) -> list[Reconciliation]:
    """Reconcile each reported figure (all of them by default) against the line items.

    A fixed number of queries, however many figures and line items there are: the figures with
    their relations, citations and disagreements; the subtotals of their donors; the line items by
    agency, only if a figure names one; the coverage declarations and the accounts' agencies; which
    sources have line items of which stage (to know whether some come from a source that declares
    no coverage); the CARSI countries. Eleven on the seed data.
    """
    if figures is None:
        figures = ReportedFigure.objects.all()
    figures = list(
        figures.select_related("donor", "source", "country", "account", "agency").prefetch_related(
            Prefetch("citations", queryset=Citation.objects.select_related("source")),
            Prefetch("disagreement_sides", queryset=DisagreementSide.objects.select_related("disagreement")),
        )
    )
    context = _Context.load(figures)
    return [_reconcile_one(figure, context) for figure in figures]


@dataclass
class _Context:
    rows: dict  # donor id → [subtotal-like rows]
    coverages: dict  # stage → [Coverage]
    accounts: list
    agencies_of: dict  # account id → [Organization]
    undeclared: set  # stages with line items from sources that declare no coverage
    carsi_countries: list

    @classmethod
    def load(cls, figures):
        donor_ids = {figure.donor_id for figure in figures}
        rows = defaultdict(list)
        # Kept by the database per donor, stage, year, account, country and source
        # (funding.queries.subtotals).
        for row in (
            Subtotal.objects.filter(donor_id__in=donor_ids)
            .order_by()
            .values("donor_id", "stage", "fiscal_year", "account_id", "country_id")
            .annotate(amount=Sum("amount"), count=Sum("line_items"))
        ):
            rows[row["donor_id"]].append(row)
        by_agency = {(figure.donor_id, figure.agency_id) for figure in figures if figure.agency_id}
        if by_agency:  # the subtotals keep no agency: those agencies' line items answer (its index)
            for row in (
                Allocation.objects.filter(
                    donor_id__in={donor for donor, _ in by_agency},
                    agency_id__in={agency for _, agency in by_agency},
                )
                .order_by()
                .values("donor_id", "stage", "fiscal_year", "account_id", "country_id", "agency_id")
                .annotate(amount=Sum("amount"), count=Count("id"))
            ):
                rows[("agency", row["donor_id"])].append(row)
        coverages = defaultdict(list)
        agencies = Prefetch("agencies", queryset=Organization.objects.select_related("parent"))
        for coverage in Coverage.objects.select_related("source", "program").prefetch_related(
            "accounts", agencies
        ):
            coverages[coverage.stage].append(coverage)
        accounts = list(FundingAccount.objects.prefetch_related(agencies))
        # Per stage reconciled: does any line item come from a source that declares nothing for it?
        comparable = {figure.stage for figure in figures if _comparable(figure) is None}
        declared = [coverage for of_stage in coverages.values() for coverage in of_stage]
        undeclared = undeclared_stages(comparable, declared)
        return cls(
            rows=rows,
            coverages=coverages,
            accounts=accounts,
            agencies_of={account.pk: list(account.agencies.all()) for account in accounts},
            undeclared=undeclared,
            carsi_countries=list(Country.objects.filter(carsi_country=True).values_list("iso2", flat=True)),
        )


def _comparable(figure) -> str | None:
    """Why no line items can be set beside the figure, or None if they can."""
    if figure.scope == Scope.NOT_CARSI:
        return gettext("Not CARSI money: shown for comparison, never reconciled against CARSI line items.")
    if figure.scope == Scope.CONTEXT:
        return gettext("Context that takes in more than CARSI: shown for comparison only.")
    if figure.not_comparable_reason:
        return mixed("%(reason)s", reason=Typed(figure.not_comparable_reason))
    if figure.fiscal_year_min is None and figure.fiscal_year_max is None:
        return gettext("The source states no period, so no line items can be matched.")
    return None


def _reconcile_one(figure: ReportedFigure, context: _Context) -> Reconciliation:
    disagreements = sorted({side.disagreement.key for side in figure.disagreement_sides.all()})
    reason = _comparable(figure)
    if reason is not None:
        return Reconciliation(figure, Verdict.NOT_COMPARABLE, reason, disagreements=disagreements)

    filters = figure_filters(figure)
    first, last = figure.fiscal_year_min or 0, figure.fiscal_year_max or 10_000
    rows = context.rows[("agency", figure.donor_id) if figure.agency_id else figure.donor_id]
    sums: dict[str, Decimal] = defaultdict(Decimal)
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        if not first <= row["fiscal_year"] <= last:
            continue
        if figure.country_id and row["country_id"] != figure.country_id:
            continue
        if figure.account_id and row["account_id"] != figure.account_id:
            continue
        if figure.agency_id and row["agency_id"] != figure.agency_id:
            continue
        sums[row["stage"]] += cents(row["amount"])
        counts[row["stage"]] += row["count"]
    other_stages = {
        stage: sums[stage] for stage in sorted(sums, key=STAGE_ORDER.__getitem__) if stage != figure.stage
    }
    stage_name = str(Stage(figure.stage).label).lower()

    if not counts[figure.stage]:
        explanation = gettext("No %(stage)s line items for %(period)s.") % {
            "stage": stage_name,
            "period": figure.period_display,
        }
        if other_stages:
            explanation += " " + gettext("Line items of other stages for the same period: %(sums)s.") % {
                "sums": "; ".join(
                    f"{str(Stage(stage).label).lower()} {format_exact(amount)}"
                    for stage, amount in other_stages.items()
                )
            }
        if disagreements:
            explanation += " " + gettext("See the disagreement it takes part in.")
        return Reconciliation(
            figure,
            Verdict.NO_LINE_ITEMS,
            explanation,
            other_stages=other_stages,
            filters=filters,
            disagreements=disagreements,
        )

    total = sums[figure.stage]
    difference = total - figure.amount
    difference_pct = (difference / figure.amount * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    coverage = compare_coverage(figure, context)
    partial = coverage.partial
    agrees = _agrees(figure.qualifier, figure.amount, total)
    words = {
        "claim": CLAIMS[figure.qualifier] % {"amount": format_exact(figure.amount)},
        "added": gettext("%(Stage)s line items add up to %(sum)s")
        % {"Stage": stage_name.capitalize(), "sum": format_exact(total)},
    }
    if not partial:
        verdict = Verdict.AGREES if agrees else Verdict.DISAGREES
        if not agrees:
            explanation = gettext("%(added)s, which does not agree with %(claim)s.") % words
        elif figure.qualifier in TOLERANCE:
            words["within"] = f"{(TOLERANCE[figure.qualifier] * 100).normalize()}%"
            explanation = gettext("%(added)s, which agrees with %(claim)s within %(within)s.") % words
        else:
            explanation = gettext("%(added)s, which agrees with %(claim)s.") % words
    elif agrees and figure.qualifier in (Qualifier.AT_LEAST, Qualifier.MORE_THAN):
        verdict = Verdict.AGREES
        explanation = (
            gettext("%(added)s, which reaches %(claim)s although they count only part of that money.") % words
        )
    elif _exceeds(figure.qualifier, figure.amount, total):
        verdict = Verdict.DISAGREES
        explanation = (
            gettext("%(added)s, which already exceeds %(claim)s although they count only part of that money.")
            % words
        )
    else:
        verdict = Verdict.PARTIAL_COVERAGE
        explanation = (
            gettext("%(added)s: part of %(claim)s, since they count only part of that money.") % words
        )
    return Reconciliation(
        figure,
        verdict,
        explanation,
        line_item_sum=total,
        line_item_count=counts[figure.stage],
        difference=difference,
        difference_pct=difference_pct,
        other_stages=other_stages,
        coverage=coverage,
        filters=filters,
        disagreements=disagreements,
    )


def _agrees(qualifier: str, reported: Decimal, total: Decimal) -> bool:
    if qualifier == Qualifier.AT_LEAST:
        return total >= reported
    if qualifier == Qualifier.MORE_THAN:
        return total > reported
    if qualifier == Qualifier.AT_MOST:
        return total <= reported
    if qualifier == Qualifier.ALMOST:  # at most, and close below
        return reported * (1 - TOLERANCE[qualifier]) <= total <= reported
    return abs(total - reported) <= reported * TOLERANCE[qualifier]


def _exceeds(qualifier: str, reported: Decimal, total: Decimal) -> bool:
    """The line items already pass what the figure allows at most."""
    if qualifier in (Qualifier.AT_LEAST, Qualifier.MORE_THAN):
        return False
    if qualifier in (Qualifier.AT_MOST, Qualifier.ALMOST):
        return total > reported
    return total > reported * (1 + TOLERANCE[qualifier])


def _covers(agencies, agency) -> bool:
    """An agency's money is covered by a declaration naming it or an organization it belongs to."""
    while agency is not None:
        if agency in agencies:
            return True
        agency = agency.parent
    return False


def compare_coverage(figure: ReportedFigure, context: _Context) -> CoverageComparison:
    """What the line items of the figure's stage count (their sources' declarations) against what the
    figure counts: its accounts (or all of them) and their agencies, its years and countries, all
    programs, its date and its meaning of "fiscal year"."""
    first, last = figure.fiscal_year_min, figure.fiscal_year_max or figure.fiscal_year_min
    declared = [
        coverage
        for coverage in context.coverages[figure.stage]
        if (last is None or coverage.fiscal_year_min <= last)
        and (first is None or coverage.fiscal_year_max >= first)
    ]
    missing, notes = [], []
    if not declared:
        return CoverageComparison(
            missing=[],
            line_items_as_of=None,
            figure_as_of=figure.as_of,
            fiscal_year_basis={"line_items": [], "figure": figure.fiscal_year_basis or None},
            notes=[gettext("The sources of these line items declare nothing of what they count.")],
            sources=[],
            undeclared=True,
        )
    accounts = [
        account for account in context.accounts if not figure.account_id or account.pk == figure.account_id
    ]
    missing_accounts, missing_agencies = [], {}
    for account in accounts:
        agencies = context.agencies_of[account.pk]
        if figure.agency_id:
            agencies = [agency for agency in agencies if agency.pk == figure.agency_id] or agencies
        covering = [coverage for coverage in declared if account in coverage.accounts.all()]
        uncovered = [
            agency
            for agency in agencies
            if not any(_covers(set(coverage.agencies.all()), agency) for coverage in covering)
        ]
        if not covering or (agencies and len(uncovered) == len(agencies)):
            missing_accounts.append(account.code)
        elif uncovered:
            for agency in uncovered:
                missing_agencies.setdefault(agency.slug, (agency, []))[1].append(account.code)
    if missing_accounts:
        missing.append({"dimension": "account", "values": sorted(missing_accounts)})
        notes.append(
            gettext("No line items of %(accounts)s are counted.")
            % {"accounts": _and(sorted(missing_accounts))}
        )
    if missing_agencies:
        missing.append({"dimension": "agency", "values": sorted(missing_agencies)})
        notes.append(
            gettext("Not counted: %(money)s.")
            % {
                "money": _and(
                    [
                        gettext("%(agency)s's %(accounts)s")
                        % {"agency": agency.brief, "accounts": _and(codes)}
                        for agency, codes in missing_agencies.values()
                    ]
                )
            }
        )
    if first is not None and last is not None:
        years = [
            year
            for year in range(first, last + 1)
            if not any(coverage.fiscal_year_min <= year <= coverage.fiscal_year_max for coverage in declared)
        ]
        if years:
            missing.append({"dimension": "fiscal_year", "values": years})
            notes.append(
                gettext("No line items for %(years)s.")
                % {"years": _and([fiscal_year_label(y) for y in years])}
            )
    geographies = {coverage.geography for coverage in declared}
    if figure.country_id and not geographies & {Geography.BY_COUNTRY}:
        missing.append({"dimension": "country", "values": [figure.country.iso2]})
        notes.append(
            gettext("The line items are not by country: %(country)s's own are not told apart.")
            % {"country": figure.country.local_name}
        )
    elif not figure.country_id and declared and geographies == {Geography.REGIONAL}:
        missing.append({"dimension": "country", "values": context.carsi_countries})
        notes.append(gettext("The line items are regional only: no country's own money is counted."))
    programs = [coverage.program for coverage in declared]
    if declared and all(programs):
        covered = sorted({program.slug for program in programs})
        missing.append({"dimension": "program", "values": [], "covered_only": covered})
        names = _and(sorted({program.name for program in programs}))
        notes.append(
            mixed(
                gettext("The line items are of %(programs)s only: every other program is missing."),
                programs=Typed(names),
            )
        )
    as_of = max((coverage.as_of for coverage in declared), default=None)
    comparison = CoverageComparison(
        missing=missing,
        line_items_as_of=as_of if figure.stage in CUMULATIVE else None,
        figure_as_of=figure.as_of,
        fiscal_year_basis={
            "line_items": sorted({coverage.fiscal_year_basis for coverage in declared}),
            "figure": figure.fiscal_year_basis or None,
        },
        notes=notes,
        sources=[coverage.key for coverage in declared],
        undeclared=figure.stage in context.undeclared,
    )
    if comparison.earlier:
        notes.append(
            gettext("The line items stand at %(line_items)s; the figure at %(figure)s.")
            % {
                "line_items": format_partial_date(comparison.line_items_as_of),
                "figure": format_partial_date(figure.as_of),
            }
        )
    if comparison.other_basis:
        line_items = _basis_words(comparison.fiscal_year_basis["line_items"])
        notes.append(
            gettext(
                "The line items' fiscal years are years of %(line_items)s; the figure's, years of %(figure)s."
            )
            % {"line_items": line_items, "figure": _basis_words([figure.fiscal_year_basis])}
        )
    notes.extend(describe(coverage) for coverage in declared)
    if comparison.undeclared:
        notes.append(
            gettext(
                "Some line items come from sources that declare no coverage: what they count is not known."
            )
        )
    return comparison
