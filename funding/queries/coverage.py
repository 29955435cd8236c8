"""What the line items count, in words written from the coverage their sources declare (Coverage).

A total of line items means only as much as its line items count: "Guatemala, disbursed $1.7M" is
State's ESF and NADR disbursements to 30 September 2011, not all Guatemala got. Every page that
shows such a total says so, from these declarations, never from words written into a template.
"""

from django.db.models import Exists, OuterRef

from funding.choices import FiscalYearBasis, Geography, Stage
from funding.models import Allocation, Coverage
from sources.models import Source


def declarations():
    return Coverage.objects.select_related("source", "program")


def describe(coverage: Coverage) -> str:
    """What one source's line items count, in a sentence written from its declaration."""
    accounts = and_list([account.code for account in coverage.accounts.all()])
    agencies = and_list(sorted(agency.brief for agency in coverage.agencies.all()))
    geography = Geography(coverage.geography).label
    basis = basis_words([coverage.fiscal_year_basis])
    return (
        f"{coverage.source.title}: {coverage.complete_for} ({agencies}; {accounts}; {geography}; "
        f"fiscal years are years of {basis}; as of {coverage.as_of_display}). {coverage.not_covered}"
    )


def undeclared_stages(stages, coverages) -> set[str]:
    """Those of these stages with line items from a source that declares nothing for that stage.

    One query over the sources, an index probe per source and stage (allocation_source_stage), never
    a pass over the line items of a stage.
    """
    stages = sorted(set(stages))
    if not stages:
        return set()
    declared = {(coverage.source_id, coverage.stage) for coverage in coverages}
    has = {stage: Exists(Allocation.objects.filter(source=OuterRef("pk"), stage=stage)) for stage in stages}
    sources = Source.objects.order_by().annotate(**{f"has_{stage}": check for stage, check in has.items()})
    return {
        stage
        for row in sources.values("pk", *(f"has_{stage}" for stage in stages))
        for stage in stages
        if row[f"has_{stage}"] and (row["pk"], stage) not in declared
    }


def caveats_by_stage(stages) -> dict[str, list[str]]:
    """What the line items of each of these stages count: a sentence for each source's declaration,
    and a word for those from sources that declare nothing (two queries)."""
    order = list(Stage.values)
    stages = sorted(set(stages), key=order.index)
    declared = list(declarations().filter(stage__in=stages))
    undeclared = undeclared_stages(stages, declared)
    by_stage = {stage: [] for stage in stages}
    for coverage in declared:
        by_stage[coverage.stage].append(
            f"{Stage(coverage.stage).label} amounts count {coverage.complete_for}, as of "
            f"{coverage.as_of_display}, by {FiscalYearBasis(coverage.fiscal_year_basis).label}. "
            f"{coverage.not_covered}"
        )
    for stage in undeclared:
        by_stage[stage].append(
            f"Some {Stage(stage).label.lower()} line items come from sources that do not declare what they "
            "count."
        )
    return by_stage


def caveats(stages) -> list[str]:
    """caveats_by_stage, one list in the order of the stages."""
    return [sentence for sentences in caveats_by_stage(stages).values() for sentence in sentences]


def basis_words(bases) -> str:
    words = [FiscalYearBasis(basis).label.removeprefix("year of ") for basis in bases]
    return and_list(words)


def and_list(items) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
