from django.shortcuts import get_object_or_404, render

from funding.models import Allocation, ProgramSubtotal
from funding.web.explorer import detail_line_items
from partners.models import Country
from programs.filters import ProgramFilter
from programs.models import Objective, Program


def _funding_by_program(programs):
    """Line-item sums per program and stage, for the given programs, in one query."""
    funding = {}
    for row in ProgramSubtotal.objects.filter(program__in=programs).totals(["program"]):
        funding.setdefault(row["program"], []).append(row)
    return funding


def program_list(request):
    filterset = ProgramFilter(request.GET, queryset=Program.objects.for_listing())
    programs = list(filterset.qs) if filterset.is_valid() else []
    funding = _funding_by_program(programs)
    return render(
        request,
        "programs/program_list.html",
        {
            "filterset": filterset,
            "errors": filterset.errors,
            "rows": [(program, funding.get(program.slug, [])) for program in programs],
            "objectives": Objective.objects.all(),
            "countries": Country.objects.filter(programs__isnull=False).distinct(),
            "statuses": Program.Status.choices,
        },
        status=200 if filterset.is_valid() else 400,
    )


def program_detail(request, slug):
    program = get_object_or_404(Program.objects.for_listing(), slug=slug)
    line_items = Allocation.objects.filter(program=program)
    stage_totals = ProgramSubtotal.objects.filter(program=program).totals()
    return render(
        request,
        "programs/program_detail.html",
        {
            "program": program,
            "stage_totals": stage_totals,
            **detail_line_items(line_items, request.GET, stage_totals, program=program.slug),
        },
    )


def objective_list(request):
    objectives = Objective.objects.prefetch_related("programs")
    funding = {}
    for row in ProgramSubtotal.objects.filter(objective__isnull=False).totals(["objective"]):
        funding.setdefault(row["objective"], []).append(row)
    return render(
        request,
        "programs/objective_list.html",
        {"rows": [(objective, funding.get(objective.number, [])) for objective in objectives]},
    )


def objective_detail(request, number):
    objective = get_object_or_404(
        Objective.objects.select_related("source").prefetch_related("wordings__source"), number=number
    )
    line_items = Allocation.objects.filter(objective=objective)
    programs = list(objective.programs.for_listing())
    funding = _funding_by_program(programs)
    stage_totals = ProgramSubtotal.objects.filter(objective=objective).totals()
    return render(
        request,
        "programs/objective_detail.html",
        {
            "objective": objective,
            "rows": [(program, funding.get(program.slug, [])) for program in programs],
            "stage_totals": stage_totals,
            **detail_line_items(line_items, request.GET, stage_totals, objective=objective.number),
        },
    )
