"""Filters for line items and reported figures, written once for the API, the totals, CSV and the pages."""

from functools import reduce
from operator import or_

import django_filters
from django.db.models import Q

from core.filters import (
    AmountFilter,
    ChoicesFilter,
    IntegerFilter,
    NaturalKeyFilter,
    NullsLastOrderingFilter,
    whole_number,
)
from funding.choices import Scope, Stage
from funding.fiscal import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR
from funding.models import Allocation, FundingAccount, ReportedFigure
from partners.models import Country, Organization
from programs.models import Objective, Program
from sources.models import Source


class StageFilter(ChoicesFilter):
    """Stages, repeated or comma-separated."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", Stage.choices)
        kwargs.setdefault("label", "Stage")
        kwargs.setdefault("help_text", "One or more stages, repeated or comma-separated.")
        super().__init__(field_name="stage", **kwargs)


def _fiscal_year_filter(lookup_expr, label):
    return IntegerFilter(
        field_name="fiscal_year",
        lookup_expr=lookup_expr,
        label=label,
        min_value=MIN_FISCAL_YEAR,
        max_value=MAX_FISCAL_YEAR,
    )


def _amount_filter(lookup_expr, label):
    return AmountFilter(
        field_name="amount",
        lookup_expr=lookup_expr,
        label=label,
        max_digits=15,
        decimal_places=2,
        min_value=0,
    )


SEARCH_FIELDS = [
    "source_detail",
    "note",
    "program__name",
    "country__name",
    "donor__name",
    "account__name",
    "source__title",
    "source__key",
]


class AllocationFilter(django_filters.FilterSet):
    fiscal_year = _fiscal_year_filter("exact", "Fiscal year")
    fiscal_year_min = _fiscal_year_filter("gte", "From fiscal year")
    fiscal_year_max = _fiscal_year_filter("lte", "To fiscal year")
    stage = StageFilter()
    country = NaturalKeyFilter(
        field_name="country",
        label="Country",
        model=Country,
        key="iso2",
        none_value="regional",
        example="ISO alpha-2 codes such as GT",
        normalize=str.upper,
        help_text='ISO alpha-2 codes (GT, HN…), or "regional" for line items with no country.',
    )
    donor = NaturalKeyFilter(
        field_name="donor",
        label="Donor",
        model=Organization,
        key="slug",
        none_value=None,
        example="organization slugs such as united-states",
        help_text="Organization slugs.",
    )
    account = NaturalKeyFilter(
        field_name="account",
        label="Account",
        model=FundingAccount,
        key="code",
        none_value="none",
        example="account codes such as INCLE",
        normalize=str.upper,
        help_text='Account codes (INCLE, ESF, NADR, FMF), or "none".',
    )
    objective = NaturalKeyFilter(
        field_name="objective",
        label="Objective",
        model=Objective,
        key="number",
        none_value="none",
        example="objective numbers 1 to 5",
        normalize=whole_number,
        help_text='Objective numbers 1–5, or "none".',
    )
    program = NaturalKeyFilter(
        field_name="program",
        label="Program",
        model=Program,
        key="slug",
        none_value="none",
        example="program slugs",
        help_text='Program slugs, or "none".',
    )
    source = NaturalKeyFilter(
        field_name="source",
        label="Source",
        model=Source,
        key="key",
        none_value=None,
        example="source keys such as gao-13-295r",
        help_text="Source keys.",
    )
    amount_min = _amount_filter("gte", "Minimum amount")
    amount_max = _amount_filter("lte", "Maximum amount")
    search = django_filters.CharFilter(method="filter_search", label="Search", max_length=200)
    ordering = NullsLastOrderingFilter(
        fields=[
            ("fiscal_year", "fiscal_year"),
            ("amount", "amount"),
            ("stage", "stage"),
            ("country__name", "country"),
            ("donor__name", "donor"),
            ("account__code", "account"),
            ("objective__number", "objective"),
            ("program__name", "program"),
            ("source__key", "source"),
            ("id", "id"),
        ],
        label="Order by",
        help_text="Comma-separated fields, '-' for descending, e.g. -amount,fiscal_year.",
    )

    class Meta:
        model = Allocation
        fields = []

    def filter_search(self, queryset, name, value):
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                reduce(or_, (Q(**{f"{field}__icontains": word}) for field in SEARCH_FIELDS))
            )
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # Pages need a total order: the default one, or the one asked for with id last.
        ordering = self.form.cleaned_data.get("ordering")
        if not ordering:
            return queryset.order_by("fiscal_year", "stage", "id")
        if "id" not in {field.lstrip("-") for field in ordering}:
            return queryset.order_by(*queryset.query.order_by, "id")
        return queryset


class ReportedFigureFilter(django_filters.FilterSet):
    stage = StageFilter()
    scope = django_filters.ChoiceFilter(field_name="scope", choices=Scope.choices, label="Scope")
    source = NaturalKeyFilter(
        field_name="source",
        label="Source",
        model=Source,
        key="key",
        none_value=None,
        example="source keys such as gao-13-295r",
    )
    donor = NaturalKeyFilter(
        field_name="donor",
        label="Donor",
        model=Organization,
        key="slug",
        none_value=None,
        example="organization slugs such as united-states",
    )

    class Meta:
        model = ReportedFigure
        fields = []
