"""The dimensions of a line item, declared once: everything that filters, groups, pivots, sorts, links,
exports or imports line items is generated from this registry.

A dimension is a field of the line item. A related one (country, donor…) is named in query strings,
files and JSON by its model's natural key (core.models.NaturalKeyModel: ISO code, slug, number),
labelled by the model's LABEL_FIELD, and may be empty, which its `none_value` selects ("regional",
"none"). Adding a dimension is one entry here, its field on the line item, and its migration.
"""

from dataclasses import dataclass
from functools import cached_property

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from funding.fiscal import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR


@dataclass(frozen=True)
class Dimension:
    name: str  # the parameter, the group_by name, the CSV and import column
    title: str  # what a person reads: a filter's label, a pivot's heading
    any_label: str = ""  # the filter menu's "any" option ("Any donor")
    none_value: str | None = None  # selects line items without one ("regional"); None: all have one
    none_label: str = ""  # what those line items are called in totals ("Regional / no country")
    filter_help: str = ""  # the filter parameter's help in the API schema
    field_help: str = ""  # the line-item field's help in the API schema, where the model says none
    export_label: str = ""  # the CSV column of its label, if not "<name>_name"
    ordering: str = ""  # what ?ordering=<name> sorts by, if not the key
    sort_by_label: bool = True  # totals sorted by label (countries by name) rather than by key
    choice_label: str = "label"  # the explorer's choices show the label, the key or str(row)
    choices_in_use_only: bool = False  # the explorer offers only values some line item has
    checkboxes: bool = False  # the explorer offers checkboxes, not a menu
    none_label_in_rows: bool = False  # line items without one are labelled so in line-item files too
    bounds: tuple[int, int] | None = None  # a number's smallest and largest value, for its filters
    ranges: bool = False  # a number is also filtered from (<name>_min) and to (<name>_max)
    pivot: bool = True  # a row dimension of the explorer's pivot (against fiscal years)
    in_subtotals: bool = False  # the subtotal table keeps it (see Subtotal)

    @cached_property
    def field(self):
        return apps.get_model("funding", "Allocation")._meta.get_field(self.name)

    @property
    def model(self):
        """The related model (Country…), or None for a plain field (fiscal year, stage)."""
        return self.field.related_model

    @property
    def choices(self) -> list[tuple[str, str]] | None:
        """A plain field's choices, in their own order (stages in pipeline order); None if it has none."""
        return list(self.field.choices) if self.model is None and self.field.choices else None

    @property
    def key_path(self) -> str:
        return f"{self.name}__{self.model.NATURAL_KEY}" if self.model else self.name

    @property
    def label_path(self) -> str | None:
        return f"{self.name}__{self.model.LABEL_FIELD}" if self.model else None

    @property
    def paths(self) -> list[str]:
        return [self.key_path, self.label_path] if self.model else [self.key_path]

    @property
    def label_name(self) -> str | None:
        """The totals' column of the label (country_name, stage_name); None for a plain number."""
        return f"{self.name}_name" if self.model or self.choices else None

    @property
    def export_label_name(self) -> str | None:
        """The CSV's and the line item's column of the label: country_name, source_title."""
        return (self.export_label or self.label_name) if self.model else None

    @property
    def ordering_path(self) -> str:
        return self.ordering or self.key_path

    @property
    def column(self) -> str:
        """The database column: country_id, stage."""
        return self.field.column


DIMENSIONS = {
    dimension.name: dimension
    for dimension in [
        Dimension(
            "fiscal_year",
            _("Fiscal year"),
            bounds=(MIN_FISCAL_YEAR, MAX_FISCAL_YEAR),
            ranges=True,
            pivot=False,
            in_subtotals=True,
        ),
        Dimension(
            "stage",
            _("Stage"),
            filter_help="One or more stages, repeated or comma-separated.",
            checkboxes=True,
            pivot=False,
            in_subtotals=True,
        ),
        Dimension(
            "fiscal_year_basis",
            _("Fiscal year means"),
            filter_help="appropriation (the year the money was appropriated) or transaction (the year it "
            "moved: a disbursement's year), repeated or comma-separated.",
            checkboxes=True,
            pivot=False,
        ),
        Dimension(
            "donor",
            _("Donor"),
            _("Any donor"),
            filter_help="Organization slugs.",
            ordering="donor__name",
            choices_in_use_only=True,
            in_subtotals=True,
        ),
        Dimension(
            "agency",
            _("Agency"),
            _("Any agency"),
            none_value="none",
            none_label=_("No agency stated"),
            filter_help='Slugs of the agencies that manage the money (state-department, usaid…), or "none".',
            field_help="The agency that manages the money, where the source says; null when it does not.",
            ordering="agency__name",
            choices_in_use_only=True,
        ),
        Dimension(
            "account",
            _("Account"),
            _("Any account"),
            none_value="none",
            none_label=_("No account"),
            filter_help='Account codes (INCLE, ESF, NADR, FMF), or "none".',
            choice_label="str",
            in_subtotals=True,
        ),
        Dimension(
            "country",
            _("Country"),
            _("Any country"),
            none_value="regional",
            none_label=_("Regional / no country"),
            filter_help='ISO alpha-2 codes (GT, HN…), or "regional" for line items with no country.',
            field_help="ISO alpha-2 code; null for regional money or money not attributed to a country.",
            ordering="country__name",
            choices_in_use_only=True,
            checkboxes=True,
            none_label_in_rows=True,  # regional money is a place of its own
            in_subtotals=True,
        ),
        Dimension(
            "objective",
            _("Objective"),
            _("Any objective"),
            none_value="none",
            none_label=_("No objective"),
            filter_help='Objective numbers 1–5, or "none".',
            sort_by_label=False,
            choice_label="str",
        ),
        Dimension(
            "program",
            _("Program"),
            _("Any program"),
            none_value="none",
            none_label=_("No program"),
            filter_help='Program slugs, or "none".',
            ordering="program__name",
            choices_in_use_only=True,
        ),
        Dimension(
            "source",
            _("Source"),
            _("Any source"),
            filter_help="Source keys.",
            export_label="source_title",
            choice_label="key",
            choices_in_use_only=True,
            in_subtotals=True,
        ),
    ]
}

SUBTOTAL_DIMENSIONS = [dimension for dimension in DIMENSIONS.values() if dimension.in_subtotals]
PIVOT_DIMENSIONS = [dimension.name for dimension in DIMENSIONS.values() if dimension.pivot]


def related_dimensions() -> list[Dimension]:
    return [dimension for dimension in DIMENSIONS.values() if dimension.model is not None]


def none_values() -> dict[str, str]:
    """What selects line items without each dimension, in the filters' own words."""
    return {name: dimension.none_value for name, dimension in DIMENSIONS.items() if dimension.none_value}


def parse_group_by(value: str | list[str]) -> list[str]:
    """'fiscal_year,country' → ['fiscal_year', 'country']; raises ValueError naming what is unknown."""
    names = value.split(",") if isinstance(value, str) else list(value)
    names = [name.strip() for name in names if name.strip()]
    unknown = [name for name in names if name not in DIMENSIONS]
    if unknown:
        raise ValueError(
            f"Unknown group_by dimension(s): {', '.join(unknown)}. Choose from: {', '.join(DIMENSIONS)}."
        )
    return list(dict.fromkeys(names))
