from django.shortcuts import render

from funding.models import Allocation, Stage


def home(request):
    """Totals per fiscal year and stage."""
    rows = Allocation.objects.totals(group_by=["fiscal_year"])
    years = sorted({row["fiscal_year"] for row in rows})
    stages = [stage for stage in Stage if any(row["stage"] == stage for row in rows)]
    cells = {(row["fiscal_year"], row["stage"]): row for row in rows}
    table = [(year, [cells.get((year, stage)) for stage in stages]) for year in years]
    stage_totals = {row["stage"]: row for row in Allocation.objects.totals()}
    return render(
        request,
        "funding/home.html",
        {"stages": stages, "table": table, "stage_totals": [stage_totals.get(stage) for stage in stages]},
    )
