from django.db import models
from rest_framework import serializers

from core.api.editing import VersionedSerializerMixin
from core.api.serializers import ModelValidationMixin, NaturalKeyRelatedField, RelatedLabel
from funding.choices import Stage
from funding.dimensions import DIMENSIONS, related_dimensions
from funding.io.exports import LINE_ITEM_COLUMNS
from funding.models import POSITIVE_AMOUNT, Allocation, FundingAccount, ReportedFigure
from funding.queries.reconciliation import Verdict
from partners.models import Organization
from sources.models import Source

MONEY = {"max_digits": 15, "decimal_places": 2}
# A sum of line items, or a difference of sums, has as many digits as the database gives it: a few
# line items near the largest amount a line item may hold already pass 15 digits.
SUM = {"max_digits": None, "decimal_places": 2}


class FundingAccountSerializer(ModelValidationMixin, serializers.ModelSerializer):
    class Meta:
        model = FundingAccount
        fields = ["code", "name", "administered_by"]


def _dimension_fields() -> dict:
    """Each related dimension of a line item by its natural key, its label beside it (null where the
    relation is empty: a regional line item has no country)."""
    fields = {}
    for dimension in related_dimensions():
        model_field = dimension.field
        kwargs = {"required": False, "allow_null": True} if model_field.null else {}
        if dimension.field_help:
            kwargs["help_text"] = dimension.field_help
        # The model's own words for a missing one ("Every line item must cite a source.").
        if missing := (model_field._error_messages or {}).get("null"):
            kwargs["error_messages"] = {"required": missing, "null": missing}
        fields[dimension.name] = NaturalKeyRelatedField(queryset=dimension.model.objects.all(), **kwargs)
        fields[dimension.export_label_name] = RelatedLabel(f"{dimension.name}.{dimension.model.LABEL_FIELD}")
    return fields


LineItemDimensions = type("LineItemDimensions", (serializers.Serializer,), _dimension_fields())


class AllocationSerializer(
    VersionedSerializerMixin, ModelValidationMixin, LineItemDimensions, serializers.ModelSerializer
):
    class Meta:
        model = Allocation
        # The columns of a line item in a file, then what the API adds: times, version, reason.
        fields = [
            *(column for column, _ in LINE_ITEM_COLUMNS),
            "created_at",
            "updated_at",
            "version",
            "change_reason",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {"amount": {"error_messages": {"min_value": POSITIVE_AMOUNT.message}}}


class ReportedFigureSerializer(VersionedSerializerMixin, ModelValidationMixin, serializers.ModelSerializer):
    donor = NaturalKeyRelatedField(queryset=Organization.objects.all())
    donor_name = RelatedLabel("donor.name")
    source = NaturalKeyRelatedField(queryset=Source.objects.all())
    source_title = RelatedLabel("source.title")
    also_cited_in = NaturalKeyRelatedField(queryset=Source.objects.all(), many=True, required=False)

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


def _totals_row_fields() -> dict:
    """Each dimension's key and label, present when it is grouped by; stage always."""
    fields = {}
    for dimension in DIMENSIONS.values():
        if dimension.name == "stage":
            fields["stage"] = serializers.ChoiceField(choices=Stage.choices)
            fields["stage_name"] = serializers.CharField()
            continue
        key_field = dimension.model._meta.get_field(dimension.model.NATURAL_KEY) if dimension.model else None
        number = isinstance(key_field or dimension.field, models.IntegerField)
        optional = {"required": False, "allow_null": True} if dimension.field.null else {"required": False}
        fields[dimension.name] = (serializers.IntegerField if number else serializers.CharField)(**optional)
        if dimension.label_name:
            fields[dimension.label_name] = serializers.CharField(**optional)
    return fields


TotalsRowSerializer = type(
    "TotalsRowSerializer",
    (serializers.Serializer,),
    {
        "__doc__": "One group: its dimensions' keys and labels (only those grouped by), amount and count.",
        "__module__": __name__,
        **_totals_row_fields(),
        "amount": serializers.DecimalField(**SUM),
        "count": serializers.IntegerField(),
    },
)


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
