from django import forms
from django.conf import settings
from django.db.models import Prefetch
from django.utils import translation
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from core.api.editing import HistoryMixin, VersionedEditMixin, WriteMixin
from core.api.parameters import known_parameters, refuse_unknown
from core.api.renderers import SPREADSHEET_RENDERERS, spreadsheet_format
from core.csv_copy import copies_csv
from core.filters import split_values
from funding.api.downloads import (
    DOWNLOAD_PARAMETERS,
    copied_csv_download,
    download_responses,
    header_language,
    refuse_beyond_excel,
    table_download,
)
from funding.api.serializers import (
    AllocationSerializer,
    CoverageSerializer,
    DisagreementSerializer,
    FundingAccountSerializer,
    ReconciliationListSerializer,
    ReconciliationSerializer,
    ReportedFigureSerializer,
    TotalsSerializer,
)
from funding.choices import Scope
from funding.dimensions import DIMENSIONS, parse_group_by
from funding.io.exports import (
    LINE_ITEM_COLUMNS,
    allocation_cells_select,
    allocation_rows,
    disagreement_table,
    reconciliation_table,
    totals_grids,
    totals_table,
)
from funding.models import Allocation, Citation, Coverage, Disagreement, FundingAccount, ReportedFigure
from funding.queries import search
from funding.queries.disagreements import with_sides
from funding.queries.filters import AllocationFilter, ReportedFigureFilter
from funding.queries.pages import with_named_rows
from funding.queries.reconciliation import Verdict, reconcile
from funding.queries.subtotals import line_item_count, totals_queryset
from funding.totals import as_json as totals_as_json
from funding.totals import totals_response


class FundingAccountViewSet(WriteMixin, viewsets.ModelViewSet):
    queryset = FundingAccount.objects.prefetch_related("agencies")
    serializer_class = FundingAccountSerializer
    lookup_field = "code"


class ReportedFigureViewSet(HistoryMixin, VersionedEditMixin, viewsets.ModelViewSet):
    queryset = ReportedFigure.objects.select_related(
        "donor", "source", "country", "account", "agency"
    ).prefetch_related(Prefetch("citations", queryset=Citation.objects.select_related("source")))
    serializer_class = ReportedFigureSerializer
    filterset_class = ReportedFigureFilter
    lookup_field = "key"


@extend_schema_view(
    list=extend_schema(
        parameters=DOWNLOAD_PARAMETERS,
        responses=download_responses(AllocationSerializer(many=True)),
    ),
)
class AllocationViewSet(HistoryMixin, VersionedEditMixin, viewsets.ModelViewSet):
    """Line items: one piece of money of one stage, each citing its source."""

    queryset = Allocation.objects.for_listing()
    serializer_class = AllocationSerializer
    filterset_class = AllocationFilter
    lookup_value_regex = "[0-9]+"

    @property
    def extra_query_parameters(self):
        return {"group_by"} if self.action == "totals" else set()

    def get_renderers(self):
        # The list and the totals are also files; one line item and its history are not.
        renderers = super().get_renderers()
        if self.action in ("list", "totals"):
            renderers += [renderer() for renderer in SPREADSHEET_RENDERERS]
        return renderers

    def get_queryset(self):
        # One line item: its related rows joined. A page of them: the rows they name read after the
        # page, all seven tables in one query (with_related), since planning the eight-table join
        # costs PostgreSQL ten times what running it does.
        queryset = super().get_queryset()
        return queryset.select_related(None) if self.action == "list" else queryset

    def filter_queryset(self, queryset):
        # The filterset is kept: the totals and the page count read the subtotals through it.
        self.filterset = None
        if not self.filter_backends:  # actions that take no filters (the history)
            return queryset
        refuse_unknown(self.request, known_parameters(self, self.request, queryset))
        self.filterset = DjangoFilterBackend().get_filterset(self.request, queryset, self)
        if self.filterset is None:
            return queryset
        if not self.filterset.is_valid():
            raise translate_validation(self.filterset.errors)
        return self.filterset.qs

    def count_rows(self):
        """The list's row count from the subtotals, when its filters are all ones they keep; a search's,
        counted in the parts that find it."""
        return line_item_count(self.filterset) if getattr(self, "filterset", None) else None

    @property
    def page_keys(self):
        # A search's page is read from what each field finds; one ordered by a dimension of few
        # values, one value after another.
        return search.page_keys_of(getattr(self, "filterset", None))

    with_related = staticmethod(with_named_rows)

    def list(self, request, *args, **kwargs):
        if spreadsheet_format(request):
            queryset = self.filter_queryset(self.get_queryset())
            refuse_beyond_excel(request, lambda: self.count_rows() or queryset.count())
            header = [column for column, _ in LINE_ITEM_COLUMNS]
            if spreadsheet_format(request) == "csv" and copies_csv(queryset.db):
                # PostgreSQL writes the same file itself (COPY), at the speed it reads the rows.
                select = allocation_cells_select(queryset)
                return copied_csv_download(request, "allocations", header, select, using=queryset.db)
            return table_download(request, "allocations", header, allocation_rows(queryset))
        return super().list(request, *args, **kwargs)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "group_by",
                OpenApiTypes.STR,
                description="Comma-separated dimensions, alone or combined (a pivot): "
                + ", ".join(DIMENSIONS)
                + ". Stage is always added: stages are never summed together.",
            ),
            *DOWNLOAD_PARAMETERS,
        ],
        responses={
            **download_responses(TotalsSerializer),
            400: OpenApiResponse(description="Unknown dimension or filter value."),
        },
        filters=True,
    )
    @action(detail=False, pagination_class=None)
    def totals(self, request):
        """Sums and counts of the filtered line items per group, computed in the database."""
        try:
            group_by = parse_group_by(request.query_params.get("group_by", ""))
        except ValueError as error:
            raise ValidationError({"group_by": [str(error)]}) from None
        self.filter_queryset(self.get_queryset())
        if spreadsheet_format(request):
            with translation.override(settings.LANGUAGE_CODE):
                body = totals_response(totals_queryset(self.filterset, group_by), group_by)
                header, rows = totals_table(body)
                rows = list(rows)
            # In XLSX, the pivot as a grid too: a sheet per stage, or the stages side by side.
            grids = totals_grids(body, header_language(request))
            return table_download(request, "totals", header, rows, sheets=grids)
        body = totals_response(totals_queryset(self.filterset, group_by), group_by)
        # TotalsSerializer describes this shape in the schema; rows carry only the grouped dimensions.
        return Response(totals_as_json(body))


class ReconciliationQuery(forms.Form):
    verdict = forms.MultipleChoiceField(choices=Verdict.choices, required=False)


class ReconciliationView(APIView):
    """Every reported figure beside the sum of the line items of its stage, donor and period."""

    permission_classes = [AllowAny]
    pagination_class = None
    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, *SPREADSHEET_RENDERERS]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "stage", OpenApiTypes.STR, description="Stages of the reported figures, comma-separated."
            ),
            OpenApiParameter(
                "verdict",
                OpenApiTypes.STR,
                description="Verdicts, comma-separated: " + ", ".join(Verdict.values) + ".",
            ),
            OpenApiParameter("scope", OpenApiTypes.STR, enum=Scope.values),
            OpenApiParameter("source", OpenApiTypes.STR, description="Source keys, comma-separated."),
            OpenApiParameter("donor", OpenApiTypes.STR, description="Organization slugs, comma-separated."),
            *DOWNLOAD_PARAMETERS,
        ],
        responses={
            **download_responses(ReconciliationListSerializer),
            400: OpenApiResponse(description="Bad filter value."),
        },
    )
    def get(self, request):
        refuse_unknown(request, {*ReportedFigureFilter.base_filters, "verdict"})
        figures = ReportedFigureFilter(request.query_params, queryset=ReportedFigure.objects.all())
        query = ReconciliationQuery({"verdict": split_values(request.query_params.getlist("verdict"))})
        errors = {}
        if not figures.is_valid():
            errors.update(figures.errors)
        if not query.is_valid():
            errors.update(query.errors)
        if errors:
            raise ValidationError(errors)
        verdicts = set(query.cleaned_data["verdict"])
        if spreadsheet_format(request):
            # The cells are the same in either language: the explanations are written in English.
            with translation.override(settings.LANGUAGE_CODE):
                results = [r for r in reconcile(figures.qs) if not verdicts or r.verdict in verdicts]
                header, rows = reconciliation_table(results)
                rows = list(rows)
            return table_download(request, "reconciliation", header, rows)
        results = reconcile(figures.qs)
        if verdicts:
            results = [result for result in results if result.verdict in verdicts]
        return Response({"count": len(results), "results": ReconciliationSerializer(results, many=True).data})


class CoverageViewSet(viewsets.ReadOnlyModelViewSet):
    """What each source's line items of one stage count: accounts, agencies, countries, what a fiscal
    year means, the date they stand at, and what they leave out."""

    queryset = Coverage.objects.select_related("source", "program").prefetch_related("accounts", "agencies")
    serializer_class = CoverageSerializer
    lookup_field = "key"
    pagination_class = None


class DisagreementViewSet(viewsets.ReadOnlyModelViewSet):
    """Public figures that should be one and are not: each side's amount, the difference, and why."""

    queryset = Disagreement.objects.all()
    serializer_class = DisagreementSerializer
    lookup_field = "key"

    def get_renderers(self):
        renderers = super().get_renderers()
        if self.action == "list":
            renderers += [renderer() for renderer in SPREADSHEET_RENDERERS]
        return renderers

    @extend_schema(
        parameters=DOWNLOAD_PARAMETERS, responses=download_responses(DisagreementSerializer(many=True))
    )
    def list(self, request, *args, **kwargs):
        if spreadsheet_format(request):
            queryset = self.filter_queryset(self.get_queryset())
            with translation.override(settings.LANGUAGE_CODE):
                header, rows = disagreement_table(with_sides(queryset))
                rows = list(rows)
            return table_download(request, "disagreements", header, rows)
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(with_sides(page), many=True).data)

    def retrieve(self, request, *args, **kwargs):
        view = with_sides(self.get_queryset().filter(key=kwargs["key"]))
        if not view:
            raise NotFound()
        return Response(self.get_serializer(view[0]).data)
