"""Filters for line items and reported figures, written once for the API, the totals, CSV and the pages."""

from functools import cached_property

import django_filters
from django.conf import settings
from modeltranslation.utils import build_localized_fieldname

from core.filters import (
    AmountFilter,
    ChoicesFilter,
    IntegerFilter,
    NaturalKeyFilter,
    NullsLastOrderingFilter,
    SearchFilter,
)
from funding.choices import Scope, Stage
from funding.dimensions import DIMENSIONS
from funding.models import ORDER, Allocation, ReportedFigure
from funding.queries.search import Search
from partners.models import Organization
from sources.models import Source


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
    # A program's name in every language: a reader finds it by the name the page shows, and an
    # untranslated one by its English name.
    *(build_localized_fieldname("program__name", language) for language, _ in settings.LANGUAGES),
    "country__name",
    "donor__name",
    "account__name",
    "source__title",
    "source__key",
]


def dimension_filters(dimensions) -> dict[str, django_filters.Filter]:
    """The filters of the dimensions, by parameter name: a related row by its natural keys, a choice
    by its values, a number exactly (and, for a range, from and to)."""
    filters = {}
    for dimension in dimensions:
        name = dimension.name
        if dimension.model is not None:
            filters[name] = NaturalKeyFilter(
                field_name=name,
                label=dimension.title,
                model=dimension.model,
                none_value=dimension.none_value,
                help_text=dimension.filter_help,
            )
        elif dimension.choices:
            filters[name] = ChoicesFilter(
                field_name=name,
                choices=dimension.choices,
                label=dimension.title,
                help_text=dimension.filter_help,
            )
        else:
            low, high = dimension.bounds or (None, None)
            number = {"field_name": name, "min_value": low, "max_value": high}
            filters[name] = IntegerFilter(lookup_expr="exact", label=dimension.title, **number)
            if dimension.ranges:
                title = dimension.title.lower()
                filters[f"{name}_min"] = IntegerFilter(lookup_expr="gte", label=f"From {title}", **number)
                filters[f"{name}_max"] = IntegerFilter(lookup_expr="lte", label=f"To {title}", **number)
    return filters


def ordering_fields(dimensions) -> list[tuple[str, str]]:
    """What ?ordering= takes: each dimension (by its key or label), the amount, and the id."""
    return [(dimension.ordering_path, dimension.name) for dimension in dimensions] + [
        ("amount", "amount"),
        ("id", "id"),
    ]


# The dimensions' filters come first (in the registry's order), then those of the amount and text.
DimensionFilterSet = type(
    "DimensionFilterSet", (django_filters.FilterSet,), dimension_filters(DIMENSIONS.values())
)


class AllocationFilter(DimensionFilterSet):
    amount_min = _amount_filter("gte", "Minimum amount")
    amount_max = _amount_filter("lte", "Maximum amount")
    search = SearchFilter(fields=SEARCH_FIELDS, by_word=True)
    ordering = NullsLastOrderingFilter(
        fields=ordering_fields(DIMENSIONS.values()),
        label="Order by",
        help_text="Comma-separated fields, '-' for descending, e.g. -amount,fiscal_year.",
    )

    class Meta:
        model = Allocation
        fields = []

    @cached_property
    def searched(self):
        """The search split by what finds its first word (funding.queries.search); None without one."""
        return Search.of(self)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # Pages need a total order: the one asked for, then the default one (which ends with the id),
        # backwards after a descending first field. An ordering and its reverse are then one index
        # read either way (funding.models.Allocation.Meta.indexes).
        ordering = [name for name in self.form.cleaned_data.get("ordering") or [] if name.strip("-")]
        asked = {name.lstrip("-") for name in ordering}
        if "id" in asked:
            return queryset
        backwards = "-" if ordering and ordering[0].startswith("-") else ""
        ties = [backwards + name for name in ORDER if name not in asked]
        return queryset.order_by(*(queryset.query.order_by if ordering else ()), *ties)


class ReportedFigureFilter(django_filters.FilterSet):
    stage = ChoicesFilter(
        field_name="stage",
        choices=Stage.choices,
        label="Stage",
        help_text="One or more stages, repeated or comma-separated.",
    )
    scope = django_filters.ChoiceFilter(field_name="scope", choices=Scope.choices, label="Scope")
    source = NaturalKeyFilter(field_name="source", label="Source", model=Source)
    donor = NaturalKeyFilter(field_name="donor", label="Donor", model=Organization)

    class Meta:
        model = ReportedFigure
        fields = []
