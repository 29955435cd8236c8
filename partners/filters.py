import django_filters

from core.filters import SearchFilter, StrictBooleanFilter
from partners.models import Country, Organization, OrganizationKind


class CountryFilter(django_filters.FilterSet):
    carsi_country = StrictBooleanFilter(field_name="carsi_country", label="CARSI country")
    sica_member = StrictBooleanFilter(field_name="sica_member", label="SICA member")

    class Meta:
        model = Country
        fields = []


class OrganizationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(field_name="kind", choices=OrganizationKind.choices, label="Kind")
    search = SearchFilter(fields=["name", "acronym"])

    class Meta:
        model = Organization
        fields = []
