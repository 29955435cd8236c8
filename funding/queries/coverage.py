"""What the line items count, in words written from the coverage their sources declare (Coverage).

A total of line items means only as much as its line items count: "Guatemala, disbursed $1.7M" is
State's ESF and NADR disbursements to 30 September 2011, not all Guatemala got. Every page that
shows such a total says so, from these declarations, never from words written into a template.
"""

from django.db import connection
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext, pgettext_lazy

from core.mixed_text import Typed, joined, mixed
from funding.choices import FiscalYearBasis, Geography, Stage
from funding.models import Allocation, Coverage
from sources.models import Source


def declarations():
    return Coverage.objects.select_related("source", "program")


def describe(coverage: Coverage) -> str:
    """What one source's line items count, in a sentence written from its declaration."""
    return mixed(
        gettext(
            "%(source)s: %(counts)s (%(agencies)s; %(accounts)s; %(geography)s; fiscal years are years of "
            "%(basis)s; as of %(date)s). %(not_counted)s"
        ),
        source=Typed(coverage.source.title, coverage.source.language),
        counts=Typed(coverage.complete_for),
        agencies=typed_list(sorted(agency.brief for agency in coverage.agencies.all())),
        accounts=and_list([account.code for account in coverage.accounts.all()]),
        geography=Geography(coverage.geography).label,
        basis=basis_words([coverage.fiscal_year_basis]),
        date=coverage.as_of_display,
        not_counted=Typed(coverage.not_covered),
    )


def undeclared_stages(stages, coverages) -> set[str]:
    """Those of these stages with line items from a source that declares nothing for that stage."""
    stages = set(stages)
    if not stages:
        return set()
    declared = {(coverage.source_id, coverage.stage) for coverage in coverages}
    return {
        stage
        for source, stage in source_stages(stages)
        if stage in stages and (source, stage) not in declared
    }


# Every (source, stage) pair that some line item has, read from the index allocation_source_stage one
# entry per pair (a "loose index scan"): a few dozen index probes, however many line items there are.
# EXISTS per source and stage looked cheaper to PostgreSQL's planner than it was (it expected a match
# within a few rows of a sequential scan and read all the million when there was none): 3 s a page.
SOURCE_STAGE_PAIRS = """
    WITH RECURSIVE pairs(source_id, stage) AS (
        (SELECT source_id, stage FROM {table} ORDER BY source_id, stage LIMIT 1)
        UNION ALL
        SELECT next.source_id, next.stage FROM pairs, LATERAL (
            SELECT a.source_id, a.stage FROM {table} a
            WHERE (a.source_id, a.stage) > (pairs.source_id, pairs.stage)
            ORDER BY a.source_id, a.stage LIMIT 1
        ) next
    )
    SELECT source_id, stage FROM pairs
"""


def source_stages(stages) -> set[tuple[int, str]]:
    """(source id, stage) of every source with line items of one of these stages."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                SOURCE_STAGE_PAIRS.format(table=connection.ops.quote_name(Allocation._meta.db_table))
            )
            return {(source, stage) for source, stage in cursor.fetchall() if stage in stages}
    # SQLite (no LATERAL): an index probe per source and stage.
    stages = sorted(stages)
    has = {stage: Exists(Allocation.objects.filter(source=OuterRef("pk"), stage=stage)) for stage in stages}
    sources = Source.objects.order_by().annotate(**{f"has_{stage}": check for stage, check in has.items()})
    return {
        (row["pk"], stage)
        for row in sources.values("pk", *(f"has_{stage}" for stage in stages))
        for stage in stages
        if row[f"has_{stage}"]
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
            mixed(
                gettext("%(stage)s amounts count %(counts)s, as of %(date)s, by %(basis)s. %(not_counted)s"),
                stage=Stage(coverage.stage).label,
                counts=Typed(coverage.complete_for),
                date=coverage.as_of_display,
                basis=FiscalYearBasis(coverage.fiscal_year_basis).label,
                not_counted=Typed(coverage.not_covered),
            )
        )
    for stage in undeclared:
        by_stage[stage].append(
            gettext("Some %(stage)s line items come from sources that do not declare what they count.")
            % {"stage": str(Stage(stage).label).lower()}
        )
    return by_stage


def caveats(stages) -> list[str]:
    """caveats_by_stage, one list in the order of the stages."""
    return [sentence for sentences in caveats_by_stage(stages).values() for sentence in sentences]


BASIS_WORDS = {
    FiscalYearBasis.APPROPRIATION: pgettext_lazy("fiscal years are years of", "appropriation"),
    FiscalYearBasis.TRANSACTION: pgettext_lazy("fiscal years are years of", "the transaction"),
}


def basis_words(bases) -> str:
    """What fiscal years count, after "years of": "appropriation", "the transaction"."""
    return and_list([str(BASIS_WORDS[basis]) for basis in bases])


def typed_list(names):
    """and_list of names people typed (in English): the names marked with their language."""
    names = list(names)
    if len(names) <= 1:
        return mixed("%(name)s", name=Typed(names[0])) if names else ""
    return mixed(
        gettext("%(items)s and %(last)s"),
        items=joined(", ", [mixed("%(name)s", name=Typed(name)) for name in names[:-1]]),
        last=Typed(names[-1]),
    )


def and_list(items) -> str:
    """'A', 'A and B', 'A, B and C' ("y" in Spanish)."""
    items = [str(item) for item in items]
    if len(items) <= 1:
        return "".join(items)
    return gettext("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}
