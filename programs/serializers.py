from django.db import transaction
from rest_framework import serializers

from core.api.editing import VersionedSerializerMixin
from core.api.serializers import ModelValidationMixin, NaturalKeyRelatedField, RelatedLabel
from partners.models import Country, Organization
from programs.models import Objective, PartnerRole, Program, ProgramPartner
from sources.models import Source


class ObjectiveSerializer(ModelValidationMixin, serializers.ModelSerializer):
    class Meta:
        model = Objective
        fields = ["number", "short_name", "description"]


class ProgramPartnerSerializer(serializers.ModelSerializer):
    organization = NaturalKeyRelatedField(queryset=Organization.objects.all())
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    role = serializers.ChoiceField(choices=PartnerRole.choices)

    class Meta:
        model = ProgramPartner
        fields = ["organization", "organization_name", "role"]


class ProgramSerializer(VersionedSerializerMixin, ModelValidationMixin, serializers.ModelSerializer):
    objectives = NaturalKeyRelatedField(queryset=Objective.objects.all(), many=True, required=False)
    countries = NaturalKeyRelatedField(
        queryset=Country.objects.all(),
        many=True,
        required=False,
        help_text="ISO alpha-2 codes; empty for a regional program.",
    )
    lead_organization = NaturalKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True
    )
    lead_organization_name = RelatedLabel("lead_organization.name")
    partners = ProgramPartnerSerializer(source="participations", many=True, required=False)
    sources = NaturalKeyRelatedField(queryset=Source.objects.all(), many=True, required=False)

    class Meta:
        model = Program
        fields = [
            "slug",
            "name",
            "summary",
            "status",
            "start_date",
            "end_date",
            "objectives",
            "countries",
            "lead_organization",
            "lead_organization_name",
            "partners",
            "sources",
            "version",
            "change_reason",
        ]

    def validate_partners(self, partners):
        seen = set()
        for partner in partners:
            pair = (partner["organization"].pk, partner["role"])
            if pair in seen:
                raise serializers.ValidationError(
                    f"{partner['organization'].slug} is listed twice as {partner['role']}."
                )
            seen.add(pair)
        return partners

    @transaction.atomic
    def create(self, validated_data):
        partners = validated_data.pop("participations", [])
        program = super().create(validated_data)
        self._set_partners(program, partners)
        return program

    @transaction.atomic
    def update(self, instance, validated_data):
        partners = validated_data.pop("participations", None)
        program = super().update(instance, validated_data)
        if partners is not None:
            program.participations.all().delete()
            self._set_partners(program, partners)
        return program

    def _set_partners(self, program, partners):
        ProgramPartner.objects.bulk_create(ProgramPartner(program=program, **partner) for partner in partners)
