import django_filters

from core.filters import StrictBooleanFilter
from partners.models import Country, Organization, OrganizationKind


class CountryFilter(django_filters.FilterSet):
    carsi_country = StrictBooleanFilter(field_name="carsi_country", label="CARSI country")
    sica_member = StrictBooleanFilter(field_name="sica_member", label="SICA member")

    class Meta:
        model = Country
        fields = []


class OrganizationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(field_name="kind", choices=OrganizationKind.choices, label="Kind")
    search = django_filters.CharFilter(method="filter_search", label="Search", max_length=200)

    class Meta:
        model = Organization
        fields = []

    def filter_search(self, queryset, name, value):
        return queryset.filter(name__icontains=value) | queryset.filter(acronym__icontains=value)
