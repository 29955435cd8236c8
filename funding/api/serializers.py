from rest_framework import serializers

from core.api.editing import VersionedSerializerMixin
from core.api.serializers import ModelValidationMixin, NaturalKeyRelatedField, RelatedLabel
from funding.choices import Stage
from funding.models import POSITIVE_AMOUNT, Allocation, FundingAccount, ReportedFigure
from funding.queries.reconciliation import Verdict
from partners.models import Country, Organization
from programs.models import Objective, Program
from sources.models import Source

MONEY = {"max_digits": 15, "decimal_places": 2}
# A sum of line items, or a difference of sums, has as many digits as the database gives it: a few
# line items near the largest amount a line item may hold already pass 15 digits.
SUM = {"max_digits": None, "decimal_places": 2}


class FundingAccountSerializer(ModelValidationMixin, serializers.ModelSerializer):
    class Meta:
        model = FundingAccount
        fields = ["code", "name", "administered_by"]


def _label(source, **kwargs):
    """A related object's name; null where the relation is (a regional line item has no country)."""
    return RelatedLabel(source, **kwargs)


class AllocationSerializer(VersionedSerializerMixin, ModelValidationMixin, serializers.ModelSerializer):
    donor = NaturalKeyRelatedField(slug_field="slug", queryset=Organization.objects.all())
    donor_name = _label("donor.name")
    account = NaturalKeyRelatedField(
        slug_field="code", queryset=FundingAccount.objects.all(), required=False, allow_null=True
    )
    account_name = _label("account.name")
    country = NaturalKeyRelatedField(
        slug_field="iso2",
        queryset=Country.objects.all(),
        required=False,
        allow_null=True,
        help_text="ISO alpha-2 code; null for regional money or money not attributed to a country.",
    )
    country_name = _label("country.name")
    objective = NaturalKeyRelatedField(
        slug_field="number", queryset=Objective.objects.all(), required=False, allow_null=True
    )
    objective_name = _label("objective.short_name")
    program = NaturalKeyRelatedField(
        slug_field="slug", queryset=Program.objects.all(), required=False, allow_null=True
    )
    program_name = _label("program.name")
    source = NaturalKeyRelatedField(
        slug_field="key",
        queryset=Source.objects.all(),
        error_messages={
            "required": "Every line item must cite a source.",
            "null": "Every line item must cite a source.",
        },
    )
    source_title = _label("source.title")

    class Meta:
        model = Allocation
        fields = [
            "id",
            "fiscal_year",
            "stage",
            "amount",
            "donor",
            "donor_name",
            "account",
            "account_name",
            "country",
            "country_name",
            "objective",
            "objective_name",
            "program",
            "program_name",
            "source",
            "source_title",
            "source_detail",
            "grade",
            "note",
            "created_at",
            "updated_at",
            "version",
            "change_reason",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {"amount": {"error_messages": {"min_value": POSITIVE_AMOUNT.message}}}


class ReportedFigureSerializer(VersionedSerializerMixin, ModelValidationMixin, serializers.ModelSerializer):
    donor = NaturalKeyRelatedField(slug_field="slug", queryset=Organization.objects.all())
    donor_name = _label("donor.name")
    source = NaturalKeyRelatedField(slug_field="key", queryset=Source.objects.all())
    source_title = _label("source.title")
    also_cited_in = NaturalKeyRelatedField(
        slug_field="key", queryset=Source.objects.all(), many=True, required=False
    )

    class Meta:
        model = ReportedFigure
        fields = [
            "key",
            "label",
            "amount",
            "qualifier",
            "stage",
            "donor",
            "donor_name",
            "fiscal_year_min",
            "fiscal_year_max",
            "as_of",
            "source",
            "source_title",
            "also_cited_in",
            "quote",
            "scope",
            "grade",
            "note",
            "version",
            "change_reason",
        ]
        extra_kwargs = {"amount": {"error_messages": {"min_value": POSITIVE_AMOUNT.message}}}


# Read-only shapes of computed results, for the schema and for rendering.


class TotalsRowSerializer(serializers.Serializer):
    """One group: its dimensions' keys and labels (only those grouped by), amount and count."""

    fiscal_year = serializers.IntegerField(required=False)
    stage = serializers.ChoiceField(choices=Stage.choices)
    stage_name = serializers.CharField()
    country = serializers.CharField(required=False, allow_null=True)
    country_name = serializers.CharField(required=False, allow_null=True)
    donor = serializers.CharField(required=False)
    donor_name = serializers.CharField(required=False)
    account = serializers.CharField(required=False, allow_null=True)
    account_name = serializers.CharField(required=False, allow_null=True)
    objective = serializers.IntegerField(required=False, allow_null=True)
    objective_name = serializers.CharField(required=False, allow_null=True)
    program = serializers.CharField(required=False, allow_null=True)
    program_name = serializers.CharField(required=False, allow_null=True)
    source = serializers.CharField(required=False)
    source_name = serializers.CharField(required=False)
    amount = serializers.DecimalField(**SUM)
    count = serializers.IntegerField()


class StageTotalSerializer(serializers.Serializer):
    amount = serializers.DecimalField(**SUM)
    count = serializers.IntegerField()


class GrandTotalSerializer(serializers.Serializer):
    amount = serializers.DecimalField(
        **SUM,
        allow_null=True,
        help_text="The sum of every matching line item when they are all of one stage; null when "
        "several stages match, since stages are never added together (see by_stage).",
    )
    count = serializers.IntegerField()
    by_stage = serializers.DictField(child=StageTotalSerializer())


class TotalsSerializer(serializers.Serializer):
    group_by = serializers.ListField(child=serializers.CharField())
    results = TotalsRowSerializer(many=True)
    total = GrandTotalSerializer()


class ReconciliationSerializer(serializers.Serializer):
    key = serializers.CharField(source="figure.key")
    label = serializers.CharField(source="figure.label")
    source = serializers.CharField(source="figure.source.key")
    source_title = serializers.CharField(source="figure.source.title")
    reported_amount = serializers.DecimalField(source="figure.amount", **MONEY)
    qualifier = serializers.CharField(source="figure.qualifier")
    stage = serializers.CharField(source="figure.stage")
    donor = serializers.CharField(source="figure.donor.slug")
    fiscal_year_min = serializers.IntegerField(source="figure.fiscal_year_min", allow_null=True)
    fiscal_year_max = serializers.IntegerField(source="figure.fiscal_year_max", allow_null=True)
    as_of = serializers.CharField(source="figure.as_of")
    line_item_sum = serializers.DecimalField(**SUM, allow_null=True)
    line_item_count = serializers.IntegerField()
    difference = serializers.DecimalField(
        **SUM, allow_null=True, help_text="Line-item sum minus the reported amount."
    )
    difference_pct = serializers.DecimalField(
        **SUM,
        allow_null=True,
        help_text="The difference as a percentage of the reported amount.",
    )
    other_stages = serializers.DictField(
        child=serializers.DecimalField(**SUM),
        help_text="Sums of the other stages for the same donor and period.",
    )
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    explanation = serializers.CharField()


class ReconciliationListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = ReconciliationSerializer(many=True)
