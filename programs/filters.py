import django_filters

from core.filters import NaturalKeyFilter, SearchFilter
from partners.models import Country
from programs.models import Objective, Program, ProgramStatus


class ProgramFilter(django_filters.FilterSet):
    objective = NaturalKeyFilter(
        field_name="objectives",
        label="Objective",
        model=Objective,
        none_value="none",
        help_text='Objective numbers 1–5, or "none" for programs with no objective.',
    )
    country = NaturalKeyFilter(
        field_name="countries",
        label="Country",
        model=Country,
        none_value="regional",
        help_text='ISO alpha-2 codes, or "regional" for programs with no country.',
    )
    status = django_filters.ChoiceFilter(field_name="status", choices=ProgramStatus.choices, label="Status")
    search = SearchFilter(fields=["name", "summary"])

    class Meta:
        model = Program
        fields = []

    def filter_queryset(self, queryset):
        # Filtering across many-to-many relations can repeat a program.
        return super().filter_queryset(queryset).distinct()
