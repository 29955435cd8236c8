from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from core.versioning import history_entries
from funding.choices import Scope, Stage
from funding.fiscal import CARSI_FIRST_YEAR, CARSI_LAST_YEAR, fiscal_year_label
from funding.links import row_url
from funding.models import Allocation, FundingAccount, ReportedFigure, Subtotal
from funding.queries.coverage import caveats_by_stage, declarations, describe
from funding.queries.reconciliation import Verdict, reconcile
from funding.totals import per_stage
from funding.web.charts import Bar, Segment, horizontal_bars, stacked_columns
from funding.web.explorer import detail_line_items, explore
from partners.models import territory_name
from sources.models import Source


def dashboard(request):
    # Every sum on this page is over donor, stage, year, account and country: the subtotals answer.
    carsi_years = Subtotal.objects.filter(fiscal_year__gte=CARSI_FIRST_YEAR, fiscal_year__lte=CARSI_LAST_YEAR)
    years = {"fiscal_year_min": CARSI_FIRST_YEAR, "fiscal_year_max": CARSI_LAST_YEAR}
    by_stage = {row["stage"]: row for row in carsi_years.totals()}
    headline = [(stage, by_stage.get(stage)) for stage in Stage]

    appropriations = carsi_years.filter(stage=Stage.APPROPRIATED)
    appropriated = appropriations.totals(["fiscal_year", "account"])
    series = {
        code: index for index, code in enumerate(FundingAccount.objects.values_list("code", flat=True), 1)
    }
    # Each year's bar is the sum of its accounts' database sums: no second pass over the line items.
    per_year = {}
    for row in appropriated:
        year = per_year.setdefault(row["fiscal_year"], {"fiscal_year": row["fiscal_year"], "amount": 0})
        year["amount"] += row["amount"]
    bars = {
        year: Bar(fiscal_year_label(year), total["amount"], row_url(total | {"stage": Stage.APPROPRIATED}))
        for year, total in sorted(per_year.items())
    }
    for row in appropriated:
        bars[row["fiscal_year"]].segments.append(
            Segment(
                row["account"] or _("No account"), row["amount"], row_url(row), series.get(row["account"], 0)
            )
        )
    used = {row["account"] for row in appropriated}
    appropriation_chart = stacked_columns(
        list(bars.values()), [(index, code) for code, index in series.items() if code in used]
    )

    disbursed = carsi_years.filter(stage=Stage.DISBURSED).totals(["country"])
    disbursement_chart = horizontal_bars(
        [
            Bar(
                territory_name(row["country"], row["country_name"]),
                row["amount"],
                row_url(row, **years),
                css_class="" if row["country"] else "regional",
            )
            for row in disbursed
        ]
    )
    caveats = caveats_by_stage([Stage.APPROPRIATED, Stage.DISBURSED])
    return render(
        request,
        "funding/dashboard.html",
        {
            "first_year": CARSI_FIRST_YEAR,
            "last_year": CARSI_LAST_YEAR,
            "years": years,
            "headline": headline,
            "appropriated": appropriated,
            "appropriation_chart": appropriation_chart,
            "disbursed": disbursed,
            "disbursed_total": by_stage.get(Stage.DISBURSED),
            "disbursement_chart": disbursement_chart,
            "disbursement_caveats": caveats[Stage.DISBURSED],
            "appropriation_caveats": caveats[Stage.APPROPRIATED],
            # CARSI's own figures: the other donors' and the context are on the reconciliation page.
            "reconciliations": reconcile(ReportedFigure.objects.filter(scope=Scope.CARSI)),
        },
    )


def allocation_list(request):
    context = explore(request.GET)
    return render(
        request, "funding/allocation_list.html", context, status=400 if "errors" in context else 200
    )


def allocation_detail(request, pk):
    allocation = get_object_or_404(Allocation.objects.for_listing(), pk=pk)
    same_table = (
        Allocation.objects.for_listing()
        .filter(source=allocation.source, source_detail=allocation.source_detail)
        .exclude(pk=allocation.pk)
        .order_by("fiscal_year", "country__name", "id")[:50]
    )
    return render(
        request,
        "funding/allocation_detail.html",
        {
            "allocation": allocation,
            "same_table": same_table,
            "history": history_entries(allocation, with_users=request.user.is_staff),
        },
    )


def reconciliation(request):
    results = reconcile()
    counts = [
        (verdict, sum(1 for result in results if result.verdict == verdict)) for verdict in Verdict.values
    ]
    return render(request, "funding/reconciliation.html", {"results": results, "counts": counts})


def source_list(request):
    sources = Source.objects.all()
    line_items = {}
    for row in Allocation.objects.totals(["source"]):
        line_items.setdefault(row["source"], []).append(row)
    figures = {}
    for figure in ReportedFigure.objects.values("source__key"):
        figures[figure["source__key"]] = figures.get(figure["source__key"], 0) + 1
    rows = [(source, line_items.get(source.key, []), figures.get(source.key, 0)) for source in sources]
    return render(request, "funding/source_list.html", {"rows": rows})


def source_detail(request, key):
    source = get_object_or_404(Source, key=key)
    line_items = Allocation.objects.filter(source=source)
    figures = ReportedFigure.objects.filter(Q(source=source) | Q(citations__source=source)).distinct()
    # From the subtotals, which keep the source: the sums per stage are those per year and stage,
    # added up.
    by_year = Subtotal.objects.filter(source=source).totals(["fiscal_year"])
    stage_totals = per_stage(by_year)
    return render(
        request,
        "funding/source_detail.html",
        {
            "source": source,
            "stage_totals": stage_totals,
            "by_year": by_year,
            "reconciliations": reconcile(figures),
            "programs": source.programs.all(),
            "coverages": [
                describe(coverage)
                for coverage in declarations().filter(source=source).prefetch_related("accounts", "agencies")
            ],
            **detail_line_items(line_items, request.GET, stage_totals, source=source.key),
        },
    )
