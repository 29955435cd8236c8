from rest_framework import serializers

from carsi_tracker.rest import ModelValidationMixin, NaturalKeyRelatedField
from partners.models import Country, Organization


class CountrySerializer(ModelValidationMixin, serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = ["iso2", "iso3", "name", "sica_member", "carsi_country"]


class OrganizationSerializer(ModelValidationMixin, serializers.ModelSerializer):
    parent = NaturalKeyRelatedField(
        slug_field="slug", queryset=Organization.objects.all(), required=False, allow_null=True
    )
    parent_name = serializers.CharField(source="parent.name", read_only=True, default=None, allow_null=True)
    home_country = NaturalKeyRelatedField(
        slug_field="iso2", queryset=Country.objects.all(), required=False, allow_null=True
    )
    home_country_name = serializers.CharField(
        source="home_country.name", read_only=True, default=None, allow_null=True
    )

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
