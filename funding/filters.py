"""Filters for line items and reported figures, written once for the API, the totals, CSV and the pages."""

from functools import reduce
from operator import or_

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, Q

from carsi_tracker.rest import PLAIN_INTEGER, PLAIN_NUMBER
from funding.fiscal import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR
from funding.models import Allocation, FundingAccount, ReportedFigure, Scope, Source, Stage
from partners.models import Country, Organization
from programs.models import Objective, Program

NONE = object()  # a parsed "regional" / "none": line items without that dimension


def split_values(values) -> list[str]:
    """['a,b', 'c'] → ['a', 'b', 'c']: a parameter may be repeated, comma-separated, or both."""
    if isinstance(values, str):
        values = [values]
    return [part.strip() for value in values or [] for part in str(value).split(",") if part.strip()]


class CommaSeparatedChoiceField(forms.MultipleChoiceField):
    def to_python(self, value):
        return split_values(value)


class StageFilter(django_filters.MultipleChoiceFilter):
    """Stages, repeated (?stage=a&stage=b) or comma-separated (?stage=a,b)."""

    field_class = CommaSeparatedChoiceField

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", Stage.choices)
        kwargs.setdefault("label", "Stage")
        kwargs.setdefault("help_text", "One or more stages, repeated or comma-separated.")
        # A row has one stage, so no row can match twice: django-filter's default DISTINCT
        # would only make PostgreSQL sort every matching row before counting or paging.
        kwargs.setdefault("distinct", False)
        super().__init__(field_name="stage", **kwargs)


def whole_number(text: str) -> int:
    """A number key as the database can compare it: beyond 64 bits it is no key, not a crash."""
    number = int(text)
    if not -(2**63) <= number < 2**63:
        raise ValueError(f"{text} is out of range")
    return number


class NaturalKeyField(forms.Field):
    """Natural keys of one model (ISO code, slug, number…), repeated or comma-separated."""

    widget = forms.SelectMultiple

    def __init__(self, *, model, key, none_value, example, normalize=str, **kwargs):
        self.model, self.key, self.none_value = model, key, none_value
        self.example, self.normalize = example, normalize
        super().__init__(**kwargs)

    def to_python(self, value):
        return split_values(value)

    def clean(self, value):
        keys = self.to_python(value)
        if not keys:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        wanted = [key for key in keys if key != self.none_value]
        try:
            normalized = {key: self.normalize(key) for key in wanted}
        except (TypeError, ValueError):
            normalized = None
        found = {}
        if normalized is not None:
            found = {
                str(getattr(obj, self.key)): obj
                for obj in self.model.objects.filter(**{f"{self.key}__in": set(normalized.values())})
            }
        unknown = [key for key in wanted if normalized is None or str(normalized[key]) not in found]
        if unknown:
            hint = f"; use {self.example}" + (f', or "{self.none_value}"' if self.none_value else "")
            # The keys go in as params, never into the message itself: a "%" typed in a key
            # must not be read as a format directive when the message is rendered.
            raise ValidationError(
                "Unknown %(model)s: %(keys)s%(hint)s.",
                code="unknown",
                params={"model": self.model._meta.verbose_name, "keys": ", ".join(unknown), "hint": hint},
            )
        return [NONE if key == self.none_value else found[str(normalized[key])] for key in keys]


class NaturalKeyFilter(django_filters.Filter):
    """Filter a relation by natural keys; the none value selects line items without one."""

    field_class = NaturalKeyField

    def filter(self, qs, value):
        if not value:
            return qs
        objects = [obj for obj in value if obj is not NONE]
        condition = Q(**{f"{self.field_name}__in": objects}) if objects else Q(pk__in=[])
        if any(obj is NONE for obj in value):
            condition |= Q(**{f"{self.field_name}__isnull": True})
        return qs.filter(condition)


class StrictBooleanField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        kwargs.pop("choices", None)
        super().__init__(
            choices=[("true", "true"), ("false", "false"), ("1", "1"), ("0", "0")],
            coerce=lambda value: value in ("true", "1"),
            empty_value=None,
            **kwargs,
        )

    def to_python(self, value):
        return super().to_python(value).lower()


class StrictBooleanFilter(django_filters.Filter):
    """true/false or 1/0; anything else is an error rather than no filter at all."""

    field_class = StrictBooleanField


class PlainIntegerField(forms.IntegerField):
    """A whole number in the digits 0-9, as the API documents (int() also reads "٢٠٠٨" or "1_000")."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and not PLAIN_INTEGER.fullmatch(value.strip()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class PlainDecimalField(forms.DecimalField):
    def to_python(self, value):
        if isinstance(value, str) and value.strip() and not PLAIN_NUMBER.fullmatch(value.strip()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class IntegerFilter(django_filters.Filter):
    field_class = PlainIntegerField


class AmountFilter(django_filters.NumberFilter):
    field_class = PlainDecimalField


def _fiscal_year_filter(lookup_expr, label):
    return IntegerFilter(
        field_name="fiscal_year",
        lookup_expr=lookup_expr,
        label=label,
        min_value=MIN_FISCAL_YEAR,
        max_value=MAX_FISCAL_YEAR,
    )


class NullsLastOrderingFilter(django_filters.OrderingFilter):
    """Ordering where line items without the value (regional money, no program…) come last,
    on SQLite as on PostgreSQL, whichever the direction."""

    def filter(self, qs, value):
        # "?ordering=," reads as empty names: they order by nothing, rather than by a field "".
        value = [param for param in value or [] if param.strip("-")]
        if not value:
            return qs
        ordering = []
        for param in value:
            field = self.get_ordering_value(param)
            if field.startswith("-"):
                ordering.append(F(field[1:]).desc(nulls_last=True))
            else:
                ordering.append(F(field).asc(nulls_last=True))
        return qs.order_by(*ordering)


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
