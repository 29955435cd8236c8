from rest_framework import viewsets

from core.api.editing import WriteMixin
from partners.filters import CountryFilter, OrganizationFilter
from partners.models import Country, Organization
from partners.serializers import CountrySerializer, OrganizationSerializer


class CountryViewSet(WriteMixin, viewsets.ModelViewSet):
    queryset = Country.objects.all()
    serializer_class = CountrySerializer
    filterset_class = CountryFilter
    lookup_field = "iso2"
    lookup_value_regex = "[A-Z]{2}"


class OrganizationViewSet(WriteMixin, viewsets.ModelViewSet):
    queryset = Organization.objects.select_related("parent", "home_country")
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter
    lookup_field = "slug"
