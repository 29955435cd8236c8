from django.db.models import Count
from django.shortcuts import get_object_or_404, render

from funding.choices import STAGE_ORDER
from funding.models import Allocation, Subtotal
from funding.queries.coverage import caveats
from funding.totals import per_stage
from funding.web.explorer import detail_line_items
from partners.models import Country
from programs.models import Program


def country_list(request):
    countries = Country.objects.filter(carsi_country=True).annotate(
        program_count=Count("programs", distinct=True)
    )
    by_country = {}
    for row in Allocation.objects.totals(["country"]):
        by_country.setdefault(row["country"], []).append(row)
    others = Country.objects.filter(carsi_country=False, allocations__isnull=False).distinct()
    return render(
        request,
        "partners/country_list.html",
        {
            "rows": [(country, by_country.get(country.iso2, [])) for country in [*countries, *others]],
            "regional": by_country.get(None, []),
        },
    )


def country_detail(request, iso2):
    country = get_object_or_404(Country, iso2=iso2.upper())
    # Country is one of the columns the subtotals keep: every sum here is read from them.
    subtotals = Subtotal.objects.filter(country=country)
    by_year = subtotals.totals(["fiscal_year"])
    stage_totals = per_stage(by_year)
    stages = sorted({row["stage"] for row in by_year}, key=STAGE_ORDER.__getitem__)
    years = sorted({row["fiscal_year"] for row in by_year})
    cells = {(row["fiscal_year"], row["stage"]): row for row in by_year}
    programs = Program.objects.filter(countries=country)
    regional_programs = Program.objects.filter(countries__isnull=True)
    return render(
        request,
        "partners/country_detail.html",
        {
            "country": country,
            "stages": stages,
            "table": [(year, [cells.get((year, stage)) for stage in stages]) for year in years],
            "stage_totals": stage_totals,
            # What the line items behind these sums count: "Guatemala, $1.7M disbursed" is not all it got.
            "caveats": caveats(row["stage"] for row in stage_totals),
            "regional_totals": Subtotal.objects.filter(country__isnull=True).totals(),
            "programs": programs,
            "regional_programs": regional_programs,
            **detail_line_items(
                Allocation.objects.filter(country=country), request.GET, stage_totals, country=country.iso2
            ),
        },
    )
