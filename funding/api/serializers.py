from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.editing import VersionedSerializerMixin
from core.api.serializers import ModelValidationMixin, NaturalKeyRelatedField, RelatedLabel
from funding.choices import DisagreementStatus, FiscalYearBasis, Stage
from funding.dimensions import DIMENSIONS, related_dimensions
from funding.io.exports import LINE_ITEM_COLUMNS
from funding.models import (
    POSITIVE_AMOUNT,
    Allocation,
    Citation,
    Coverage,
    FundingAccount,
    ReportedFigure,
    figure_grade,
)
from funding.queries.coverage import describe
from funding.queries.reconciliation import Verdict
from partners.models import Country, Organization
from sources.models import Source

MONEY = {"max_digits": 15, "decimal_places": 2}
# A sum of line items, or a difference of sums, has as many digits as the database gives it: a few
# line items near the largest amount a line item may hold already pass 15 digits.
SUM = {"max_digits": None, "decimal_places": 2}


class CoverageSerializer(serializers.ModelSerializer):
    source = serializers.SlugRelatedField(slug_field="key", read_only=True)
    accounts = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    agencies = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    program = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="The one program its line items are of, if any.",
    )
    sentence = serializers.SerializerMethodField(help_text="What the line items count, in words.")

    class Meta:
        model = Coverage
        fields = [
            "key",
            "source",
            "table",
            "stage",
            "accounts",
            "agencies",
            "geography",
            "fiscal_year_basis",
            "fiscal_year_min",
            "fiscal_year_max",
            "as_of",
            "program",
            "complete_for",
            "not_covered",
            "sentence",
        ]

    def get_sentence(self, coverage) -> str:
        return describe(coverage)


class FundingAccountSerializer(ModelValidationMixin, serializers.ModelSerializer):
    agencies = NaturalKeyRelatedField(
        queryset=Organization.objects.all(),
        many=True,
        required=False,
        help_text="Slugs of the agencies that manage the account's money.",
    )

    class Meta:
        model = FundingAccount
        fields = ["code", "name", "agencies"]


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


class CitationSerializer(serializers.ModelSerializer):
    source = NaturalKeyRelatedField(queryset=Source.objects.all())
    source_title = RelatedLabel("source.title")

    class Meta:
        model = Citation
        fields = ["source", "source_title", "locator", "quote", "grade"]


class ReportedFigureSerializer(VersionedSerializerMixin, ModelValidationMixin, serializers.ModelSerializer):
    donor = NaturalKeyRelatedField(queryset=Organization.objects.all())
    donor_name = RelatedLabel("donor.name")
    country = NaturalKeyRelatedField(queryset=Country.objects.all(), required=False, allow_null=True)
    account = NaturalKeyRelatedField(queryset=FundingAccount.objects.all(), required=False, allow_null=True)
    agency = NaturalKeyRelatedField(queryset=Organization.objects.all(), required=False, allow_null=True)
    source = NaturalKeyRelatedField(queryset=Source.objects.all())
    source_title = RelatedLabel("source.title")
    grade = serializers.SerializerMethodField(help_text="The grade its own source's citation gives it.")
    citations = CitationSerializer(
        many=True,
        required=False,
        help_text="Where the figure is stated, its own source first; a write replaces them all.",
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
            "scope",
            "country",
            "account",
            "agency",
            "fiscal_year_basis",
            "source",
            "source_title",
            "grade",
            "citations",
            "not_comparable_reason",
            "note",
            "version",
            "change_reason",
        ]
        extra_kwargs = {"amount": {"error_messages": {"min_value": POSITIVE_AMOUNT.message}}}

    def get_grade(self, figure) -> str | None:
        return figure_grade(figure)

    def validate_citations(self, citations):
        places = [(citation["source"].pk, citation.get("locator", "")) for citation in citations]
        if len(places) != len(set(places)):
            raise serializers.ValidationError(_("The same place in the same source is cited twice."))
        return citations

    @transaction.atomic
    def create(self, validated_data):
        citations = validated_data.pop("citations", None)
        figure = super().create(validated_data)
        self._set_citations(figure, citations)
        return figure

    @transaction.atomic
    def update(self, instance, validated_data):
        citations = validated_data.pop("citations", None)
        figure = super().update(instance, validated_data)
        if citations is not None:
            figure.citations.all().delete()
            self._set_citations(figure, citations)
        return figure

    def validate(self, attrs):
        attrs = super().validate(attrs)
        source = attrs.get("source") or getattr(self.instance, "source", None)
        citations = attrs.get("citations")
        if citations is None and self.instance is None:
            raise serializers.ValidationError(
                {"citations": [_("Say where the figure is stated: at least the citation of its own source.")]}
            )
        if citations is not None and source not in [citation["source"] for citation in citations]:
            raise serializers.ValidationError(
                {
                    "citations": [
                        _("The figure's own source (%(source)s) must be among its citations.")
                        % {"source": source.key}
                    ]
                }
            )
        return attrs

    def _set_citations(self, figure, citations):
        if citations is None:
            return
        # Its own source's citation first.
        citations = sorted(citations, key=lambda citation: citation["source"] != figure.source)
        Citation.objects.bulk_create(
            Citation(figure=figure, position=position, **citation)
            for position, citation in enumerate(citations)
        )


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


class MissingSerializer(serializers.Serializer):
    dimension = serializers.ChoiceField(choices=["account", "agency", "country", "fiscal_year", "program"])
    values = serializers.ListField(
        child=serializers.CharField(),
        help_text="The keys the line items do not count (accounts, ISO codes…).",
    )
    covered_only = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="For programs: the only ones the line items are of; every other program is missing.",
    )


class FiscalYearBasesSerializer(serializers.Serializer):
    line_items = serializers.ListField(child=serializers.ChoiceField(choices=FiscalYearBasis.choices))
    figure = serializers.ChoiceField(choices=FiscalYearBasis.choices, allow_null=True)


class CoverageComparisonSerializer(serializers.Serializer):
    missing = MissingSerializer(many=True, help_text="What the figure counts that the line items do not.")
    line_items_as_of = serializers.CharField(
        allow_null=True, help_text="The date the line items stand at (for stages that grow with time)."
    )
    figure_as_of = serializers.CharField()
    fiscal_year_basis = FiscalYearBasesSerializer(help_text="What each side's fiscal years count.")
    notes = serializers.ListField(child=serializers.CharField(), help_text="The same, in sentences.")
    sources = serializers.ListField(
        child=serializers.CharField(), help_text="The coverage declarations read."
    )
    undeclared = serializers.BooleanField(help_text="Some line items come from sources that declare nothing.")


class ReconciliationSerializer(serializers.Serializer):
    key = serializers.CharField(source="figure.key")
    label = serializers.CharField(source="figure.label")
    source = serializers.CharField(source="figure.source.key")
    source_title = serializers.CharField(source="figure.source.title")
    reported_amount = serializers.DecimalField(source="figure.amount", **MONEY)
    qualifier = serializers.CharField(source="figure.qualifier")
    stage = serializers.CharField(source="figure.stage")
    donor = serializers.CharField(source="figure.donor.slug")
    scope = serializers.CharField(source="figure.scope")
    country = serializers.CharField(source="figure.country.iso2", allow_null=True, default=None)
    account = serializers.CharField(source="figure.account.code", allow_null=True, default=None)
    agency = serializers.CharField(source="figure.agency.slug", allow_null=True, default=None)
    fiscal_year_min = serializers.IntegerField(source="figure.fiscal_year_min", allow_null=True)
    fiscal_year_max = serializers.IntegerField(source="figure.fiscal_year_max", allow_null=True)
    as_of = serializers.CharField(source="figure.as_of")
    citations = CitationSerializer(source="figure.citations", many=True)
    note = serializers.CharField(source="figure.note")
    line_item_sum = serializers.DecimalField(**SUM, allow_null=True)
    line_item_count = serializers.IntegerField()
    line_items_url = serializers.CharField(
        allow_null=True, help_text="The line-item list filtered to exactly the line items summed."
    )
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
    coverage = CoverageComparisonSerializer(
        allow_null=True, help_text="What the line items summed count, beside what the figure counts."
    )
    disagreements = serializers.ListField(
        child=serializers.CharField(), help_text="Keys of the disagreements the figure takes part in."
    )


class ReconciliationListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = ReconciliationSerializer(many=True)


class DisagreementSideSerializer(serializers.Serializer):
    figure = serializers.CharField(source="side.figure.key", allow_null=True, default=None)
    label = serializers.CharField()
    filters = serializers.DictField(
        source="side.filters", help_text="For a sum of line items: the list API's filters that select them."
    )
    stage = serializers.CharField(allow_null=True)
    amount = serializers.DecimalField(**SUM, allow_null=True)
    line_item_count = serializers.IntegerField(source="count", allow_null=True)


class ExplanationSerializer(serializers.Serializer):
    text = serializers.CharField()
    source = serializers.CharField(source="source.key", allow_null=True, default=None)
    locator = serializers.CharField()
    quote = serializers.CharField()
    grade = serializers.CharField()


class DisagreementSerializer(serializers.Serializer):
    key = serializers.CharField(source="disagreement.key")
    title = serializers.CharField(source="disagreement.title")
    status = serializers.ChoiceField(source="disagreement.status", choices=DisagreementStatus.choices)
    sides = DisagreementSideSerializer(many=True)
    difference = serializers.DecimalField(
        **SUM, allow_null=True, help_text="The second side's amount minus the first's."
    )
    difference_pct = serializers.DecimalField(
        **SUM, allow_null=True, help_text="The difference as a percentage of the first side's amount."
    )
    explanations = ExplanationSerializer(source="disagreement.explanations.all", many=True)
    note = serializers.CharField(source="disagreement.note")
