from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.models import NaturalKeyManager, NaturalKeyModel
from core.partial_dates import format_partial_date, validate_partial_date
from core.versioning import Versioned
from funding.choices import Grade, Qualifier, Scope, Stage
from funding.dimensions import SUBTOTAL_DIMENSIONS
from funding.fiscal import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR, format_fiscal_years, validate_fiscal_year
from funding.totals import grouped_totals

MONEY = {"max_digits": 15, "decimal_places": 2}
POSITIVE_AMOUNT = MinValueValidator(
    Decimal("0.01"),
    message="The amount must be greater than zero: a line item is a sum of money that was there.",
)


def positive_amount(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(amount__gt=0), name=name, violation_error_message="The amount must be greater than zero."
    )


class FundingAccount(NaturalKeyModel):
    """A U.S. foreign-assistance appropriation account, e.g. INCLE or ESF."""

    NATURAL_KEY = "code"
    KEY_EXAMPLE = "account codes such as INCLE"
    LABEL_FIELD = "name"

    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=200, unique=True)
    administered_by = models.CharField(max_length=200, blank=True)

    objects = NaturalKeyManager()

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} — {self.name}"

    @staticmethod
    def normalize_key(text):
        return text.upper()


class AllocationQuerySet(models.QuerySet):
    def for_listing(self):
        """Line items with everything a table row shows, in one query."""
        return self.select_related("donor", "account", "country", "objective", "program", "source")

    def for_page(self):
        """As for_listing, for one page of many: the six small tables a row names are read in a
        query each (prefetch) instead of joined, since planning a seven-table join costs PostgreSQL
        ten times what running it does."""
        return self.select_related(None).prefetch_related(
            "donor", "account", "country", "objective", "program", "source"
        )

    def totals(self, group_by=()):
        """Sums and counts per group, computed by one GROUP BY in the database.

        Stage is always part of the grouping, whatever else is asked for: money of
        different stages is never added together. Each row is a dict with the
        dimensions' keys and labels (see funding.dimensions), ``amount`` and ``count``.
        """
        return grouped_totals(self, group_by)

    def yearly_subtotals(self):
        """Sum and count per donor, stage and fiscal year: the building blocks of reconciliation."""
        return (
            self.order_by()
            .values("donor_id", "stage", "fiscal_year")
            .annotate(amount=Sum("amount"), count=Count("id"))
        )


# Where a line item stands in its source: one place, one line item (the unique constraint below).
# Nullable columns are coalesced so that two regional line items (country NULL) count as the same
# place; a plain unique constraint treats NULLs as distinct on both SQLite and PostgreSQL.
IDENTITY = ("source", "source_detail", "fiscal_year", "stage", "donor")
IDENTITY_OR_NONE = ("account", "country", "objective", "program")


def identity_of(values: dict) -> tuple:
    """The place of a line item given as {attname: value} (source_id, fiscal_year…), as the constraint
    compares it."""
    return (
        *(values[Allocation._meta.get_field(name).attname] for name in IDENTITY),
        *(values[Allocation._meta.get_field(name).attname] or 0 for name in IDENTITY_OR_NONE),
    )


def identity_attnames() -> list[str]:
    return [Allocation._meta.get_field(name).attname for name in (*IDENTITY, *IDENTITY_OR_NONE)]


class Allocation(Versioned):
    """A line item: one disjoint piece of money of one stage, cited from one source.

    Any total is a plain sum of line items of one stage. A line item is identified by
    where it stands in its source (source, source detail, year, stage, donor, account,
    country, objective, program): the same cell cannot hold two amounts.
    """

    fiscal_year = models.PositiveSmallIntegerField(
        validators=[validate_fiscal_year], help_text="U.S. fiscal year: FY N runs 1 Oct N-1 to 30 Sep N."
    )
    amount = models.DecimalField(**MONEY, validators=[POSITIVE_AMOUNT], help_text="U.S. dollars.")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    donor = models.ForeignKey("partners.Organization", on_delete=models.PROTECT, related_name="allocations")
    account = models.ForeignKey(
        FundingAccount, on_delete=models.PROTECT, null=True, blank=True, related_name="allocations"
    )
    country = models.ForeignKey(
        "partners.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocations",
        help_text="Leave empty for regional money or money not attributed to a country.",
    )
    objective = models.ForeignKey(
        "programs.Objective", on_delete=models.PROTECT, null=True, blank=True, related_name="allocations"
    )
    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, null=True, blank=True, related_name="allocations"
    )
    source = models.ForeignKey(
        "sources.Source",
        on_delete=models.PROTECT,
        related_name="allocations",
        error_messages={
            "null": "Every line item must cite a source.",
            "blank": "Every line item must cite a source.",
        },
    )
    source_detail = models.CharField(
        max_length=200, blank=True, help_text="Where in the source: page, table, row."
    )
    note = models.TextField(blank=True)
    grade = models.CharField(max_length=1, choices=Grade.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AllocationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "line item"
        ordering = ["fiscal_year", "stage", "id"]
        constraints = [
            positive_amount("allocation_amount_positive"),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=MIN_FISCAL_YEAR, fiscal_year__lte=MAX_FISCAL_YEAR),
                name="allocation_fiscal_year_range",
                violation_error_message=(
                    f"The fiscal year must be from {MIN_FISCAL_YEAR} to {MAX_FISCAL_YEAR}."
                ),
            ),
            models.CheckConstraint(condition=Q(stage__in=Stage.values), name="allocation_stage_valid"),
            models.CheckConstraint(condition=Q(grade__in=["", *Grade.values]), name="allocation_grade_valid"),
            models.UniqueConstraint(
                *IDENTITY,
                *(Coalesce(field, Value(0)) for field in IDENTITY_OR_NONE),
                name="allocation_unique_line_item",
                violation_error_message=(
                    "A line item with the same source, source detail, fiscal year, stage, donor, "
                    "account, country, objective and program already exists."
                ),
            ),
        ]
        # The amount (and the columns grouped by) ride along in the indexes (INCLUDE, on
        # PostgreSQL) so that sums are read from the index alone, never from the table.
        indexes = [
            # Totals by fiscal year and stage; the dashboard's sums per stage for FY2008–FY2012,
            # appropriations per year and account, disbursements per country.
            models.Index(
                fields=["stage", "fiscal_year"],
                include=["amount", "account", "country"],
                name="allocation_stage_year_sums",
            ),
            # Reconciliation: sums per donor, stage and fiscal year of the reported figures' donors.
            models.Index(
                fields=["donor", "stage", "fiscal_year"],
                include=["amount"],
                name="allocation_donor_stage_year",
            ),
            # Line items of a country (and stage, and years) in the default order, counted,
            # summed per stage and paged: the list and the explorer filtered by country.
            models.Index(
                fields=["country", "stage", "fiscal_year", "id"],
                include=["amount"],
                name="allocation_country_stage_year",
            ),
        ]

    def __str__(self):
        where = self.country.name if self.country_id else "regional"
        return f"FY{self.fiscal_year} {self.get_stage_display().lower()} {self.amount} ({where})"

    def get_absolute_url(self):
        return reverse("allocation-detail", args=[self.pk])


class SubtotalQuerySet(models.QuerySet):
    def totals(self, group_by=()):
        """As AllocationQuerySet.totals, for the dimensions a subtotal keeps."""
        return grouped_totals(self, group_by, count=Sum("line_items"))

    def yearly_subtotals(self):
        return (
            self.order_by()
            .values("donor_id", "stage", "fiscal_year")
            .annotate(amount=Sum("amount"), count=Sum("line_items"))
        )


class Subtotal(models.Model):
    """The sum and count of the line items of one donor, stage, fiscal year, account and country.

    Kept by the database itself: triggers on the line-item table (migration 0006) add every
    inserted line item, take away every deleted one and move every changed one, in the same
    transaction, whatever wrote it (the admin, the API, an import, COPY, raw SQL). Totals that
    filter and group only by these columns, the dashboard and the reconciliation read these few
    thousand rows instead of summing every line item again. Never written by the application.
    """

    # donor|stage|fiscal_year|account|country, "-" for none: the one key both databases can
    # upsert on (a unique constraint over nullable columns would let NULLs repeat).
    key = models.CharField(max_length=80, unique=True)
    donor = models.ForeignKey(
        "partners.Organization", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    stage = models.CharField(max_length=20, choices=Stage.choices)
    fiscal_year = models.PositiveSmallIntegerField()
    account = models.ForeignKey(
        FundingAccount,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    country = models.ForeignKey(
        "partners.Country",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    # As wide as Python's decimal arithmetic goes (28 digits): no sum of valid line items overflows it.
    amount = models.DecimalField(max_digits=28, decimal_places=2)
    line_items = models.PositiveIntegerField()

    objects = SubtotalQuerySet.as_manager()

    # The columns of the key, in its order (donor|stage|fiscal_year|account|country): the
    # dimensions the registry marks as kept in the subtotals (a test holds the two together).
    KEY = ("donor", "stage", "fiscal_year", "account", "country")
    # What a subtotal can answer: filters and groupings over these alone.
    DIMENSIONS = frozenset(dimension.name for dimension in SUBTOTAL_DIMENSIONS)
    FILTERS = DIMENSIONS | {"fiscal_year_min", "fiscal_year_max"}

    class Meta:
        indexes = [models.Index(fields=["stage", "fiscal_year"], name="subtotal_stage_year")]

    def __str__(self):
        return f"{self.key}: {self.amount} ({self.line_items} line items)"


class ReportedFigure(NaturalKeyModel, Versioned):
    """A claim a source makes about a total, to be reconciled against the line items."""

    NATURAL_KEY = "key"
    KEY_EXAMPLE = "reported-figure keys such as fy2012-commitment"
    LABEL_FIELD = "label"

    key = models.SlugField(max_length=100, unique=True)
    label = models.CharField(max_length=300)
    amount = models.DecimalField(**MONEY, validators=[POSITIVE_AMOUNT])
    qualifier = models.CharField(max_length=20, choices=Qualifier.choices, default=Qualifier.EXACT)
    stage = models.CharField(max_length=20, choices=Stage.choices)
    donor = models.ForeignKey(
        "partners.Organization", on_delete=models.PROTECT, related_name="reported_figures"
    )
    fiscal_year_min = models.PositiveSmallIntegerField(
        "first fiscal year", null=True, blank=True, validators=[validate_fiscal_year]
    )
    fiscal_year_max = models.PositiveSmallIntegerField(
        "last fiscal year", null=True, blank=True, validators=[validate_fiscal_year]
    )
    as_of = models.CharField(
        max_length=10, validators=[validate_partial_date], help_text="YYYY, YYYY-MM or YYYY-MM-DD."
    )
    source = models.ForeignKey(
        "sources.Source",
        on_delete=models.PROTECT,
        related_name="reported_figures",
        error_messages={"null": "Every reported figure must cite a source."},
    )
    also_cited_in = models.ManyToManyField(
        "sources.Source",
        blank=True,
        related_name="also_reported_figures",
        help_text="Other sources stating the same figure.",
    )
    quote = models.TextField(blank=True, help_text="The source's own words, where we have them.")
    scope = models.CharField(
        max_length=10,
        choices=Scope.choices,
        default=Scope.CARSI,
        help_text="Context figures are shown for comparison and never reconciled against CARSI line items.",
    )
    grade = models.CharField(max_length=1, choices=Grade.choices, blank=True)
    note = models.TextField(blank=True)

    objects = NaturalKeyManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["as_of", "key"]
        constraints = [
            positive_amount("reported_figure_amount_positive"),
            models.CheckConstraint(
                condition=Q(fiscal_year_min__isnull=True)
                | Q(fiscal_year_max__isnull=True)
                | Q(fiscal_year_max__gte=models.F("fiscal_year_min")),
                name="reported_figure_years_ordered",
                violation_error_message="The last fiscal year cannot come before the first.",
            ),
            models.CheckConstraint(condition=Q(stage__in=Stage.values), name="reported_figure_stage_valid"),
            models.CheckConstraint(
                condition=Q(qualifier__in=Qualifier.values), name="reported_figure_qualifier_valid"
            ),
            models.CheckConstraint(condition=Q(scope__in=Scope.values), name="reported_figure_scope_valid"),
        ]

    def __str__(self):
        return self.label

    def clean(self):
        if (
            self.fiscal_year_min is not None
            and self.fiscal_year_max is not None
            and self.fiscal_year_max < self.fiscal_year_min
        ):
            raise ValidationError({"fiscal_year_max": "The last fiscal year cannot come before the first."})

    @property
    def period_display(self):
        return format_fiscal_years(self.fiscal_year_min, self.fiscal_year_max)

    @property
    def as_of_display(self):
        return format_partial_date(self.as_of)
