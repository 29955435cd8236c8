from django.db.models import Count, Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404, render

from funding.choices import Stage
from funding.models import Allocation, Citation, OrganizationFact, ReportedFigure, Subtotal
from partners.models import Organization, OrganizationKind
from programs.models import ProgramPartner


def organization_list(request):
    """Every organization, by kind, with what the tracker holds of each: programs, figures, line items."""
    organizations = (
        Organization.objects.select_related("parent")
        .annotate(
            program_roles=Count("participations", distinct=True),
            figures=Count("reported_figures", distinct=True),
            donates=Exists(Allocation.objects.filter(donor=OuterRef("pk"))),
            manages=Exists(Allocation.objects.filter(agency=OuterRef("pk"))),
        )
        .order_by("kind", "name")
    )
    groups = {}
    for organization in organizations:
        groups.setdefault(organization.kind, []).append(organization)
    return render(
        request,
        "partners/organization_list.html",
        {"groups": [(OrganizationKind(kind).label, rows) for kind, rows in groups.items()]},
    )


def organization_detail(request, slug):
    organization = get_object_or_404(Organization.objects.select_related("parent", "home_country"), slug=slug)
    figures = (
        ReportedFigure.objects.filter(donor=organization)
        .select_related("source")
        .prefetch_related(Prefetch("citations", queryset=Citation.objects.select_related("source")))
    )
    return render(
        request,
        "partners/organization_detail.html",
        {
            "organization": organization,
            "children": organization.children.all(),
            "roles": ProgramPartner.objects.filter(organization=organization).select_related("program"),
            "led": organization.led_programs.all(),
            "pledges": [figure for figure in figures if figure.stage == Stage.COMMITTED],
            "figures": [figure for figure in figures if figure.stage != Stage.COMMITTED],
            "facts": OrganizationFact.objects.filter(organization=organization).select_related("source"),
            # As donor, the subtotals answer; as managing agency, the line items (the subtotals keep none).
            "as_donor": Subtotal.objects.filter(donor=organization).totals(),
            "as_agency": Allocation.objects.filter(agency=organization).totals(),
            "accounts": organization.administered_accounts.all(),
        },
    )
