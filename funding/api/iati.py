"""GET /api/v1/iati/activities.xml: the line items as IATI 2.03 activity XML (funding.io.iati), with the
line items' filters and ?release=, streamed as it is written."""

from itertools import chain

from django.conf import settings
from django.http import StreamingHttpResponse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from core.api.parameters import refuse_unknown
from core.api.renderers import XMLErrorRenderer
from core.filters import NONE
from funding.io import iati
from funding.models import Allocation
from funding.queries.filters import AllocationFilter
from programs.models import Program


class IATIFilter(AllocationFilter):
    """The list's filters that choose line items; its order and text search have no meaning here."""

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        for name in ("ordering", "search"):
            filters.pop(name)
        return filters


class IATIActivitiesView(APIView):
    permission_classes = [AllowAny]
    renderer_classes = [XMLErrorRenderer]
    # For the schema: the same filters as the line-item list.
    queryset = Allocation.objects.all()
    filter_backends = [DjangoFilterBackend]
    filterset_class = IATIFilter

    @extend_schema(
        summary="The line items as IATI 2.03 activity XML",
        description=(
            "One iati-activity per program, and one for CARSI money not attributed to a program. "
            "Appropriated and allocated money are budgets (types 1 and 2) per U.S. fiscal year; obligated, "
            "disbursed and committed money are transactions (types 2, 3 and 12); requested money has no "
            "IATI equivalent and is left out. Each amount names its line items, grade and source in the "
            "namespace tag:carsi-tracker,2026:iati. Takes the line-item list's filters and ?release=."
        ),
        filters=True,
        responses={
            (200, "application/xml"): OpenApiResponse(
                OpenApiTypes.STR, description="An iati-activities document (IATI 2.03)."
            )
        },
    )
    def get(self, request):
        refuse_unknown(request, set(IATIFilter.base_filters))
        filterset = IATIFilter(request.query_params, queryset=Allocation.objects.all())
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        programs = Program.objects.order_by("slug")
        chosen = filterset.form.cleaned_data.get("program")
        unattributed = True
        if chosen:
            programs = programs.filter(pk__in=[program.pk for program in chosen if program is not NONE])
            unattributed = any(program is NONE for program in chosen)
        publisher = iati.Publisher(
            settings.IATI_REPORTING_ORG, settings.IATI_REPORTING_ORG_TYPE, settings.IATI_REPORTING_ORG_NAME
        )
        pieces = iati.write(
            iati.activities(programs, filterset.qs.order_by(), unattributed=unattributed),
            publisher,
            lambda source: request.build_absolute_uri(source.get_absolute_url()),
        )
        # The first piece is written before the answer starts: a database that fails is a 503, not a
        # "200 OK" file cut short.
        first = next(pieces)
        return StreamingHttpResponse(chain([first], pieces), content_type="application/xml; charset=utf-8")
