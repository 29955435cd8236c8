from django import forms
from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from import_export import fields
from import_export.admin import ExportActionMixin
from import_export.formats.base_formats import CSV, XLSX
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from core.admin import SafeExportResource, VersionCheckForm, VersionedAdmin
from funding.admin.imports import import_urls
from funding.choices import DisagreementStatus
from funding.dimensions import DIMENSIONS, related_dimensions
from funding.io.exports import LINE_ITEM_COLUMNS, REPORTED_FIGURE_COLUMNS
from funding.io.imports import IMPORT_COLUMNS
from funding.models import (
    Allocation,
    Citation,
    Coverage,
    Disagreement,
    DisagreementSide,
    Explanation,
    FundingAccount,
    OrganizationFact,
    ReportedFigure,
)
from funding.money import format_exact
from funding.queries.filters import AllocationFilter
from funding.queries.reconciliation import reconcile
from programs.admin import ProgramPartnerInline
from programs.models import Program

EXPORT_FORMATS = [CSV, XLSX]


@admin.register(FundingAccount)
class FundingAccountAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "administered_by"]
    filter_horizontal = ["agencies"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("agencies")

    @admin.display(description=_("Administered by"))
    def administered_by(self, account):
        return ", ".join(agency.brief for agency in account.agencies.all())

    search_fields = ["code", "name"]


class NamedLabel(fields.Field):
    """A related row's label; for an empty relation that is a place of its own, its name (regional)."""

    def __init__(self, *, none_label="", **kwargs):
        self.none_label = none_label
        super().__init__(**kwargs)

    def get_value(self, instance):
        value = super().get_value(instance)
        return self.none_label if value is None else value


def _export_fields() -> dict:
    """The API's CSV columns (funding.io.exports), for import-export: related rows by key and label."""
    labels = {dimension.export_label_name: dimension for dimension in related_dimensions()}
    declared = {}
    for column, path in LINE_ITEM_COLUMNS:
        if column in labels:
            dimension = labels[column]
            none_label = dimension.none_label if dimension.none_label_in_rows else ""
            declared[column] = NamedLabel(attribute=path, column_name=column, none_label=none_label)
        elif "__" in path:
            declared[column] = fields.Field(attribute=path, column_name=column)
    return declared


class _AllocationResourceMeta:
    model = Allocation
    fields = [*(column for column, _ in LINE_ITEM_COLUMNS), "version"]
    export_order = fields


AllocationResource = type(
    "AllocationResource",
    (SafeExportResource,),
    {
        "__doc__": "The admin's export of line items: the columns of the API's CSV, and the version.",
        "__module__": __name__,
        **_export_fields(),
        "Meta": _AllocationResourceMeta,
    },
)


class AmountMixin:
    @admin.display(description=_("Amount"), ordering="amount")
    def amount_display(self, obj):
        return format_exact(obj.amount)

    @admin.display(description=_("Source"), ordering="source__key")
    def source_key(self, obj):
        return obj.source.key


@admin.register(Allocation)
class AllocationAdmin(ExportActionMixin, AmountMixin, VersionedAdmin):
    list_display = [
        "id",
        "fiscal_year",
        "stage",
        "amount_display",
        "donor",
        "account",
        "country",
        "program",
        "source_key",
    ]
    list_filter = [*DIMENSIONS, "grade"]
    search_fields = ["source_detail", "note", "program__name", "source__key", "country__name"]
    autocomplete_fields = [dimension.name for dimension in related_dimensions()]
    list_select_related = [dimension.name for dimension in related_dimensions()]
    resource_classes = [AllocationResource]
    formats = EXPORT_FORMATS
    change_list_template = "admin/funding/allocation/change_list.html"

    def get_urls(self):
        return import_urls(self) + super().get_urls()


class ReportedFigureResource(SafeExportResource):
    """The admin's export of reported figures: the columns of the reported-figure CSV, and the version."""

    donor = fields.Field(attribute="donor__slug", column_name="donor")
    source = fields.Field(attribute="source__key", column_name="source")
    country = fields.Field(attribute="country__iso2", column_name="country")
    account = fields.Field(attribute="account__code", column_name="account")
    agency = fields.Field(attribute="agency__slug", column_name="agency")

    class Meta:
        model = ReportedFigure
        fields = [*REPORTED_FIGURE_COLUMNS, "version"]
        export_order = fields


class CitationInline(admin.TabularInline):
    model = Citation
    autocomplete_fields = ["source"]
    fields = ["position", "source", "locator", "quote", "grade"]
    extra = 0


@admin.register(ReportedFigure)
class ReportedFigureAdmin(ExportActionMixin, AmountMixin, TranslationAdmin, VersionedAdmin):
    class Media:
        css = {"all": ["css/admin.css"]}

    list_display = ["key", "amount_display", "qualifier", "stage", "period", "source_key"]
    list_filter = ["stage", "qualifier", "scope", "citations__grade", "source"]
    search_fields = ["key", "label", "citations__quote", "note"]
    autocomplete_fields = ["donor", "source", "country", "account", "agency", "translation_source"]
    inlines = [CitationInline]
    list_select_related = ["source"]
    readonly_fields = ["reconciliation"]
    resource_classes = [ReportedFigureResource]
    formats = EXPORT_FORMATS

    def get_list_display(self, request):
        # One reconciliation of every figure per page (two queries), not one per row.
        results = {}

        @admin.display(description=_("Line items say"))
        def line_items_say(figure):
            if not results:
                results.update((result.figure.pk, result) for result in reconcile())
            return _verdict_html(results[figure.pk])

        columns = list(super().get_list_display(request))
        columns.insert(columns.index("amount_display") + 1, line_items_say)
        return columns

    @admin.display(description=_("Fiscal years"), ordering="fiscal_year_min")
    def period(self, figure):
        return figure.period_display

    @admin.display(description=_("Reconciliation with the line items"))
    def reconciliation(self, figure):
        if figure.pk is None:
            return _("Shown once the figure is saved.")
        return _verdict_html(reconcile(ReportedFigure.objects.filter(pk=figure.pk))[0])


def _verdict_html(result):
    # Coloured by class, from css/admin.css (the ReportedFigureAdmin's Media).
    return format_html(
        '<strong class="verdict verdict-{}">{}</strong><br><span title="{}">{}</span>',
        result.verdict,
        result.verdict.replace("_", " "),
        result.explanation,
        format_exact(result.line_item_sum) if result.line_item_sum is not None else "no line items",
    )


class AllocationInline(admin.TabularInline):
    """A program's line items, edited on the program's page."""

    model = Allocation
    form = VersionCheckForm
    fields = [*IMPORT_COLUMNS[: IMPORT_COLUMNS.index("source") + 1], "source_detail", "expected_version"]
    fields.remove("program")  # the page's own
    autocomplete_fields = [
        dimension.name for dimension in related_dimensions() if dimension.name != "program"
    ]
    extra = 0


@admin.register(Program)
class ProgramAdmin(TranslationAdmin, VersionedAdmin):
    list_display = ["name", "status", "lead_organization", "start_date", "end_date"]
    list_filter = ["status", "objectives", "countries"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["lead_organization", "countries", "sources", "translation_source"]
    filter_horizontal = ["objectives"]
    inlines = [ProgramPartnerInline, AllocationInline]
    list_select_related = ["lead_organization"]
    readonly_fields = ["line_item_totals"]

    @admin.display(description=_("Line-item totals by stage"))
    def line_item_totals(self, program):
        rows = Allocation.objects.filter(program=program).totals() if program.pk else []
        if not rows:
            return _("No line items: amount not reported.")
        return format_html_join(
            "",
            "<div>{}: <strong>{}</strong> ({} line items)</div>",
            ((row["stage_name"], format_exact(row["amount"]), row["count"]) for row in rows),
        )


@admin.register(Coverage)
class CoverageAdmin(VersionedAdmin):
    list_display = ["key", "source", "stage", "geography", "fiscal_year_basis", "as_of", "complete_for"]
    list_filter = ["stage", "geography", "fiscal_year_basis"]
    search_fields = ["key", "complete_for", "not_covered"]
    autocomplete_fields = ["source", "program"]
    filter_horizontal = ["accounts", "agencies"]


class DisagreementSideForm(forms.ModelForm):
    class Meta:
        model = DisagreementSide
        fields = ["position", "figure", "label", "filters"]

    def clean_filters(self):
        filters = self.cleaned_data.get("filters") or {}
        if not isinstance(filters, dict):
            raise forms.ValidationError(
                'Filters are a JSON object of the list API\'s filters, such as {"stage": "appropriated"}.'
            )
        if filters:
            filterset = AllocationFilter(filters, queryset=Allocation.objects.none())
            if not filterset.is_valid():
                problems = "; ".join(
                    f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items()
                )
                raise forms.ValidationError(
                    _("These are not line-item filters the API takes: %(problems)s") % {"problems": problems}
                )
        return filters


class DisagreementSideFormSet(forms.BaseInlineFormSet):
    default_error_messages = {
        "too_few_forms": "sides: a disagreement sets %(num)d figures or more side by side; "
        "keep two sides at least."
    }


class DisagreementSideInline(admin.TabularInline):
    model = DisagreementSide
    form = DisagreementSideForm
    formset = DisagreementSideFormSet
    autocomplete_fields = ["figure"]
    extra = 0
    min_num = 2  # a disagreement is between two figures at least

    def get_formset(self, request, obj=None, **kwargs):
        # The admin shows min_num forms but enforces it only when asked to.
        return super().get_formset(request, obj, validate_min=True, **kwargs)


class ExplanationFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if self.instance.status != DisagreementStatus.EXPLAINED:
            return
        kept = [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        if not any(form.cleaned_data.get("source") for form in kept):
            raise forms.ValidationError(
                "status: a disagreement is “explained” only with an explanation that cites its source; "
                "add one (with its source, and the quote where there is one), or leave the status open."
            )


class ExplanationInline(TranslationStackedInline):
    model = Explanation
    formset = ExplanationFormSet
    autocomplete_fields = ["source", "translation_source"]
    extra = 0


@admin.register(Disagreement)
class DisagreementAdmin(TranslationAdmin, VersionedAdmin):
    list_display = ["key", "title", "status"]
    list_filter = ["status"]
    search_fields = ["key", "title", "explanations__text"]
    autocomplete_fields = ["translation_source"]
    inlines = [DisagreementSideInline, ExplanationInline]


@admin.register(OrganizationFact)
class OrganizationFactAdmin(admin.ModelAdmin):
    list_display = ["organization", "label", "number", "source", "grade"]
    search_fields = ["organization__name", "label", "quote"]
    autocomplete_fields = ["organization", "source"]


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    """Citations are edited on their figure's page; this list finds them by source, place or words."""

    list_display = ["figure", "source", "locator", "grade"]
    list_filter = ["grade", "source"]
    search_fields = ["figure__key", "source__key", "locator", "quote"]
    autocomplete_fields = ["figure", "source"]
    list_select_related = ["figure", "source"]


# Sides and explanations are edited on their disagreement's page only, where the rules that bind
# them together hold: two sides or more, and "explained" only with a cited explanation.
