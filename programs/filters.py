import django_filters
from django.db.models import Q

from core.filters import NaturalKeyFilter, whole_number
from partners.models import Country
from programs.models import Objective, Program, ProgramStatus


class ProgramFilter(django_filters.FilterSet):
    objective = NaturalKeyFilter(
        field_name="objectives",
        label="Objective",
        model=Objective,
        key="number",
        none_value="none",
        example="objective numbers 1 to 5",
        normalize=whole_number,
        help_text='Objective numbers 1–5, or "none" for programs with no objective.',
    )
    country = NaturalKeyFilter(
        field_name="countries",
        label="Country",
        model=Country,
        key="iso2",
        none_value="regional",
        example="ISO alpha-2 codes such as GT",
        normalize=str.upper,
        help_text='ISO alpha-2 codes, or "regional" for programs with no country.',
    )
    status = django_filters.ChoiceFilter(field_name="status", choices=ProgramStatus.choices, label="Status")
    search = django_filters.CharFilter(method="filter_search", label="Search", max_length=200)

    class Meta:
        model = Program
        fields = []

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(summary__icontains=value))

    def filter_queryset(self, queryset):
        # Filtering across many-to-many relations can repeat a program.
        return super().filter_queryset(queryset).distinct()
