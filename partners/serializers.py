from rest_framework import serializers

from core.api.serializers import ModelValidationMixin, NaturalKeyRelatedField, RelatedLabel
from partners.models import Country, Organization


class CountrySerializer(ModelValidationMixin, serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = ["iso2", "iso3", "name", "sica_member", "carsi_country"]


class OrganizationSerializer(ModelValidationMixin, serializers.ModelSerializer):
    parent = NaturalKeyRelatedField(queryset=Organization.objects.all(), required=False, allow_null=True)
    parent_name = RelatedLabel("parent.name")
    home_country = NaturalKeyRelatedField(queryset=Country.objects.all(), required=False, allow_null=True)
    home_country_name = RelatedLabel("home_country.name")

    class Meta:
        model = Organization
        fields = [
            "slug",
            "name",
            "acronym",
            "kind",
            "parent",
            "parent_name",
            "home_country",
            "home_country_name",
        ]
