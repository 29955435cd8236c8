from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.history import tracked_history
from core.models import KeyPathManager, NaturalKeyManager, NaturalKeyModel
from core.partial_dates import format_partial_date, validate_partial_date
from core.versioning import Versioned
from funding.choices import DisagreementStatus, FiscalYearBasis, Geography, Qualifier, Scope, Stage
from funding.dimensions import SUBTOTAL_DIMENSIONS
from funding.fiscal import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR, format_fiscal_years, validate_fiscal_year
from funding.totals import grouped_totals
from sources.choices import Grade
from sources.models import TranslatedTexts

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
    KEY_EXAMPLE = _("account codes such as INCLE")
    LABEL_FIELD = "name"

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    agencies = models.ManyToManyField(
        "partners.Organization",
        verbose_name=_("agencies"),
        blank=True,
        related_name="administered_accounts",
        help_text=_("The agencies that manage the account's money (ESF: State and USAID)."),
    )

    objects = NaturalKeyManager()
    history = tracked_history(m2m_fields=["agencies"])

    class Meta:
        verbose_name = _("funding account")
        verbose_name_plural = _("funding accounts")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} — {self.name}"

    @staticmethod
    def normalize_key(text):
        return text.upper()


class AllocationQuerySet(models.QuerySet):
    def for_listing(self):
        """Line items with everything a table row shows, in one query."""
        return self.select_related("donor", "agency", "account", "country", "objective", "program", "source")

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


# The default order of line items: every list, page and file of them, unless asked otherwise.
ORDER = ["fiscal_year", "stage", "id"]

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
        _("fiscal year"),
        validators=[validate_fiscal_year],
        help_text=_("U.S. fiscal year: FY N runs 1 Oct N-1 to 30 Sep N."),
    )
    amount = models.DecimalField(
        _("amount"), **MONEY, validators=[POSITIVE_AMOUNT], help_text=_("U.S. dollars.")
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    donor = models.ForeignKey(
        "partners.Organization",
        verbose_name=_("donor"),
        on_delete=models.PROTECT,
        related_name="allocations",
        db_index=False,  # allocation_donor_order below leads with it
    )
    account = models.ForeignKey(
        FundingAccount,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocations",
        db_index=False,  # allocation_account_order below leads with it
        verbose_name=_("account"),
    )
    country = models.ForeignKey(
        "partners.Country",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocations",
        db_index=False,  # allocation_country_order below leads with it
        help_text=_("Leave empty for regional money or money not attributed to a country."),
    )
    objective = models.ForeignKey(
        "programs.Objective",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocations",
        db_index=False,  # allocation_objective_order below leads with it
        verbose_name=_("objective"),
    )
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocations",
        db_index=False,  # allocation_program_order below leads with it
        verbose_name=_("program"),
    )
    source = models.ForeignKey(
        "sources.Source",
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        related_name="allocations",
        db_index=False,  # allocation_source_stage below leads with it
        error_messages={
            "null": "Every line item must cite a source.",
            "blank": "Every line item must cite a source.",
        },
    )
    source_detail = models.CharField(
        _("source detail"), max_length=200, blank=True, help_text=_("Where in the source: page, table, row.")
    )
    agency = models.ForeignKey(
        "partners.Organization",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managed_allocations",
        help_text=_("The agency that manages the money (State, INL, USAID…), where the source says."),
    )
    fiscal_year_basis = models.CharField(
        _("fiscal year means"),
        max_length=20,
        choices=FiscalYearBasis.choices,
        default=FiscalYearBasis.APPROPRIATION,
        help_text=_(
            "What the fiscal year counts: the year the money was appropriated, or the year it moved "
            "(a disbursement's year), as the source's table gives it."
        ),
    )
    appropriation_year = models.PositiveSmallIntegerField(
        _("appropriation year"),
        null=True,
        blank=True,
        validators=[validate_fiscal_year],
        help_text=_(
            "The fiscal year of the money's appropriation, where the source states it beside a year "
            "of transaction."
        ),
    )
    as_of = models.CharField(
        _("as of"),
        max_length=10,
        blank=True,
        validators=[validate_partial_date],
        help_text=_("The date the figure stands at, as precise as the source: YYYY, YYYY-MM or YYYY-MM-DD."),
    )
    note = models.TextField(_("note"), blank=True)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AllocationQuerySet.as_manager()
    history = tracked_history()

    class Meta:
        verbose_name = _("line item")
        verbose_name_plural = _("line items")
        ordering = ORDER
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
            models.CheckConstraint(
                condition=Q(fiscal_year_basis__in=FiscalYearBasis.values),
                name="allocation_fiscal_year_basis_valid",
            ),
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
        # Every list, page and explorer reads its page's ids in the order of one of these, from it
        # alone: the default order, or the ordering asked for with ties in the default order
        # (funding.queries.filters); ordered by a dimension, one value after another, each value's
        # line items in the order of the index that leads with it (funding.queries.pages).
        indexes = [
            # The default order: the unfiltered list and explorer and their deep pages, a filter by
            # fiscal years or one most line items pass, ?ordering=fiscal_year either way.
            models.Index(fields=ORDER, name="allocation_default_order"),
            # One stage's line items in the default order (?stage=, its deep pages); ?ordering=stage.
            models.Index(fields=["stage", "fiscal_year", "id"], name="allocation_stage_order"),
            # A country's, donor's, account's line items in the default order: their filters and deep
            # pages, the country page's table; ?ordering=country, donor, account.
            models.Index(fields=["country", *ORDER], name="allocation_country_order"),
            models.Index(fields=["donor", *ORDER], name="allocation_donor_order"),
            models.Index(fields=["account", *ORDER], name="allocation_account_order"),
            # ?ordering=amount either way; amount_min and amount_max.
            models.Index(fields=["amount", *ORDER], name="allocation_amount_order"),
            # As a country's, with the amount alongside (INCLUDE, on PostgreSQL) for the objective's
            # and the program's page: their sums per stage, which the subtotals do not keep.
            models.Index(fields=["objective", *ORDER], include=["amount"], name="allocation_objective_order"),
            models.Index(fields=["program", *ORDER], include=["amount"], name="allocation_program_order"),
            # A source's line items (its foreign key), and whether it has any of a stage: what the
            # coverage caveats ask of each source (funding.queries.coverage.source_stages).
            models.Index(fields=["source", "stage"], name="allocation_source_stage"),
            # ?fiscal_year_basis=: the few line items of one meaning among many of the other.
            models.Index(fields=["fiscal_year_basis"], name="allocation_fiscal_year_basis"),
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


class SumOfLineItems(models.Model):
    """A row of sums the database keeps (funding.queries.subtotals): the sum and count of the line
    items of one key. Never written by the application."""

    # As wide as Python's decimal arithmetic goes (28 digits): no sum of valid line items overflows it.
    amount = models.DecimalField(_("amount"), max_digits=28, decimal_places=2)
    line_items = models.PositiveIntegerField(_("line items"))

    objects = SubtotalQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.key}: {self.amount} ({self.line_items} line items)"


class Subtotal(SumOfLineItems):
    """The sum and count of the line items of one donor, stage, fiscal year, account, country and source.

    Kept by the database itself: triggers on the line-item table (migration 0006) add every
    inserted line item, take away every deleted one and move every changed one, in the same
    transaction, whatever wrote it (the admin, the API, an import, COPY, raw SQL). Totals that
    filter and group only by these columns, the dashboard and the reconciliation read these few
    thousand rows instead of summing every line item again. Never written by the application.
    """

    # donor|stage|fiscal_year|account|country|source, "-" for none: the one key both databases can
    # upsert on (a unique constraint over nullable columns would let NULLs repeat).
    key = models.CharField(_("key"), max_length=80, unique=True)
    donor = models.ForeignKey(
        "partners.Organization",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("donor"),
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    account = models.ForeignKey(
        FundingAccount,
        verbose_name=_("account"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    country = models.ForeignKey(
        "partners.Country",
        verbose_name=_("country"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    # A source's page and ?source= read its subtotals: few sources give line items of one donor, stage,
    # year, account and country, so keeping the source adds few subtotals (15,168 to 15,219 for the
    # million synthetic line items; the objective would have made them 65,889).
    source = models.ForeignKey(
        "sources.Source",
        verbose_name=_("source"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # The columns of the key, in its order (donor|stage|fiscal_year|account|country|source): the
    # dimensions the registry marks as kept in the subtotals (a test holds the two together).
    KEY = ("donor", "stage", "fiscal_year", "account", "country", "source")
    # What a subtotal can answer: filters and groupings over these alone.
    DIMENSIONS = frozenset(dimension.name for dimension in SUBTOTAL_DIMENSIONS)
    FILTERS = DIMENSIONS | {"fiscal_year_min", "fiscal_year_max"}

    class Meta:
        verbose_name = _("subtotal")
        verbose_name_plural = _("subtotals")
        indexes = [models.Index(fields=["stage", "fiscal_year"], name="subtotal_stage_year")]


class ProgramSubtotal(SumOfLineItems):
    """The sum and count of the line items of one objective, program and stage.

    Kept by the database as the subtotals are (funding.queries.subtotals, migration 0021): the
    objective and program pages and lists read these few hundred rows instead of summing the
    150,000 line items of an objective at a million. Never written by the application.
    """

    # objective|program|stage, "-" for none.
    key = models.CharField(_("key"), max_length=60, unique=True)
    objective = models.ForeignKey(
        "programs.Objective",
        verbose_name=_("objective"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)

    KEY = ("objective", "program", "stage")
    DIMENSIONS = frozenset(KEY)
    FILTERS = DIMENSIONS

    class Meta:
        verbose_name = _("subtotal per objective and program")
        verbose_name_plural = _("subtotals per objective and program")


class ReportedFigure(NaturalKeyModel, Versioned, TranslatedTexts):
    """A claim a source makes about a total, to be reconciled against the line items."""

    NATURAL_KEY = "key"
    KEY_EXAMPLE = _("reported-figure keys such as fy2012-commitment")
    LABEL_FIELD = "label"

    key = models.SlugField(_("key"), max_length=100, unique=True)
    label = models.CharField(_("label"), max_length=300)
    amount = models.DecimalField(_("amount"), **MONEY, validators=[POSITIVE_AMOUNT])
    qualifier = models.CharField(
        _("qualifier"), max_length=20, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    donor = models.ForeignKey(
        "partners.Organization",
        on_delete=models.PROTECT,
        related_name="reported_figures",
        verbose_name=_("donor"),
    )
    fiscal_year_min = models.PositiveSmallIntegerField(
        _("first fiscal year"), null=True, blank=True, validators=[validate_fiscal_year]
    )
    fiscal_year_max = models.PositiveSmallIntegerField(
        _("last fiscal year"), null=True, blank=True, validators=[validate_fiscal_year]
    )
    as_of = models.CharField(
        _("as of"),
        max_length=10,
        validators=[validate_partial_date],
        help_text=_("YYYY, YYYY-MM or YYYY-MM-DD."),
    )
    source = models.ForeignKey(
        "sources.Source",
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        related_name="reported_figures",
        error_messages={"null": "Every reported figure must cite a source."},
        help_text=_("The document that states the figure; its citation (quote, where, grade) is the first."),
    )
    scope = models.CharField(
        _("scope"),
        max_length=10,
        choices=Scope.choices,
        default=Scope.CARSI,
        help_text=_(
            "Only CARSI money is reconciled against the line items; the rest is shown for comparison."
        ),
    )
    country = models.ForeignKey(
        "partners.Country",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_figures",
        help_text=_("The one country the figure is about; empty when it is about all of CARSI."),
    )
    account = models.ForeignKey(
        FundingAccount,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_figures",
        help_text=_("The one account the figure counts; empty when it counts every account."),
    )
    agency = models.ForeignKey(
        "partners.Organization",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managed_reported_figures",
        help_text=_("The one agency whose money the figure counts; empty when it counts every agency's."),
    )
    fiscal_year_basis = models.CharField(
        _("fiscal years mean"),
        max_length=20,
        choices=FiscalYearBasis.choices,
        blank=True,
        help_text=_("What the figure's fiscal years count, where it can be told; empty when not stated."),
    )
    not_comparable_reason = models.TextField(
        _("not comparable reason"),
        blank=True,
        help_text=_(
            "Why no line items can be compared with it although it is CARSI money, if so "
            '(GAO\'s "committed" for FMF is not a pledge).'
        ),
    )
    note = models.TextField(_("note"), blank=True)

    objects = NaturalKeyManager()
    # history: registered in translation.py, after the Spanish columns

    class Meta:
        verbose_name = _("reported figure")
        verbose_name_plural = _("reported figures")
        ordering = ["as_of", "key"]
        constraints = [
            positive_amount("reported_figure_amount_positive"),
            models.CheckConstraint(
                condition=Q(fiscal_year_min__isnull=True)
                | Q(fiscal_year_max__isnull=True)
                | Q(fiscal_year_max__gte=models.F("fiscal_year_min")),
                name="reported_figure_years_ordered",
                violation_error_message=_("The last fiscal year cannot come before the first."),
            ),
            models.CheckConstraint(condition=Q(stage__in=Stage.values), name="reported_figure_stage_valid"),
            models.CheckConstraint(
                condition=Q(qualifier__in=Qualifier.values), name="reported_figure_qualifier_valid"
            ),
            models.CheckConstraint(condition=Q(scope__in=Scope.values), name="reported_figure_scope_valid"),
            models.CheckConstraint(
                condition=Q(fiscal_year_basis__in=["", *FiscalYearBasis.values]),
                name="reported_figure_fiscal_year_basis_valid",
            ),
        ]

    def __str__(self):
        return self.label

    def clean(self):
        if (
            self.fiscal_year_min is not None
            and self.fiscal_year_max is not None
            and self.fiscal_year_max < self.fiscal_year_min
        ):
            raise ValidationError(
                {"fiscal_year_max": _("The last fiscal year cannot come before the first.")}
            )

    @property
    def period_display(self):
        return format_fiscal_years(self.fiscal_year_min, self.fiscal_year_max)

    @property
    def as_of_display(self):
        return format_partial_date(self.as_of)


def figure_grade(figure) -> str | None:
    """The grade its own source's citation gives a figure (read from prefetched citations)."""
    return next(
        (citation.grade for citation in figure.citations.all() if citation.source_id == figure.source_id),
        None,
    )


class Citation(models.Model):
    """Where a reported figure is stated: the document, the place in it, its words, and how sure we are."""

    figure = models.ForeignKey(
        ReportedFigure, verbose_name=_("figure"), on_delete=models.CASCADE, related_name="citations"
    )
    source = models.ForeignKey(
        "sources.Source", verbose_name=_("source"), on_delete=models.PROTECT, related_name="citations"
    )
    locator = models.CharField(
        _("locator"),
        max_length=200,
        blank=True,
        help_text=_("Where in the source: page, table, paragraph, highlights."),
    )
    quote = models.TextField(
        _("quote"),
        blank=True,
        help_text=_("A short excerpt in the source's own words (checked by check_citations)."),
    )
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("0 for the figure's own source.")
    )

    objects = KeyPathManager("figure__key", "source__key", "locator")
    history = tracked_history()

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        ordering = ["figure", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["figure", "source", "locator"],
                name="citation_unique",
                violation_error_message="This figure already cites this place in this source.",
            ),
            models.CheckConstraint(condition=Q(grade__in=Grade.values), name="citation_grade_valid"),
        ]

    def __str__(self):
        return f"{self.source.key}{', ' + self.locator if self.locator else ''} ({self.grade})"

    def natural_key(self):
        return (self.figure.key, self.source.key, self.locator)

    natural_key.dependencies = ["funding.reportedfigure", "sources.source"]


class Coverage(NaturalKeyModel, Versioned):
    """What the line items of one source (or one table of it) count, declared as data.

    A reported figure can only be checked against line items that count the same money: where the
    line items count less (fewer accounts or agencies, an earlier date, another meaning of "fiscal
    year", one program of many), the reconciliation says so instead of "disagrees".
    """

    NATURAL_KEY = "key"
    KEY_EXAMPLE = _("coverage keys such as gao-13-295r-disbursements")
    LABEL_FIELD = "key"

    key = models.SlugField(_("key"), max_length=100, unique=True)
    source = models.ForeignKey(
        "sources.Source", verbose_name=_("source"), on_delete=models.PROTECT, related_name="coverages"
    )
    table = models.CharField(
        _("table"), max_length=200, blank=True, help_text='The tables it covers: "tables 3, 4".'
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    accounts = models.ManyToManyField(
        FundingAccount, verbose_name=_("accounts"), blank=True, related_name="coverages"
    )
    agencies = models.ManyToManyField(
        "partners.Organization", verbose_name=_("agencies"), blank=True, related_name="coverages"
    )
    geography = models.CharField(_("geography"), max_length=20, choices=Geography.choices)
    fiscal_year_basis = models.CharField(
        _("fiscal years mean"), max_length=20, choices=FiscalYearBasis.choices
    )
    fiscal_year_min = models.PositiveSmallIntegerField(
        _("fiscal year min"), validators=[validate_fiscal_year]
    )
    fiscal_year_max = models.PositiveSmallIntegerField(
        _("fiscal year max"), validators=[validate_fiscal_year]
    )
    as_of = models.CharField(_("as of"), max_length=10, validators=[validate_partial_date])
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coverages",
        help_text=_("The one program its line items are of, if they are of one program only."),
    )
    complete_for = models.CharField(
        _("complete for"), max_length=300, help_text=_("What its line items count in full.")
    )
    not_covered = models.TextField(
        _("not covered"), help_text=_("A sentence saying what its line items do not count.")
    )

    objects = NaturalKeyManager()
    history = tracked_history(m2m_fields=["accounts", "agencies"])

    class Meta:
        verbose_name = _("coverage statement")
        verbose_name_plural = _("coverage statements")
        ordering = ["source", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "stage"],
                name="coverage_one_per_source_and_stage",
                violation_error_message="This source's line items of this stage already have a coverage.",
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year_max__gte=models.F("fiscal_year_min")),
                name="coverage_years_ordered",
                violation_error_message=_("The last fiscal year cannot come before the first."),
            ),
        ]

    def __str__(self):
        return self.key

    @property
    def as_of_display(self):
        return format_partial_date(self.as_of)


class Disagreement(NaturalKeyModel, Versioned, TranslatedTexts):
    """Two or more public figures that should be one and are not: shown as such, never smoothed over."""

    NATURAL_KEY = "key"
    KEY_EXAMPLE = _("disagreement keys such as fy2012-105-or-135")
    LABEL_FIELD = "title"

    key = models.SlugField(_("key"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=DisagreementStatus.choices, default=DisagreementStatus.OPEN
    )
    note = models.TextField(_("note"), blank=True)

    objects = NaturalKeyManager()
    # history: registered in translation.py, after the Spanish columns

    class Meta:
        verbose_name = _("disagreement")
        verbose_name_plural = _("disagreements")
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DisagreementStatus.values), name="disagreement_status_valid"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("disagreement-detail", args=[self.key])


class DisagreementSide(models.Model):
    """One side of a disagreement: a reported figure, or a sum of line items named by its filters."""

    disagreement = models.ForeignKey(
        Disagreement, verbose_name=_("disagreement"), on_delete=models.CASCADE, related_name="sides"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    figure = models.ForeignKey(
        ReportedFigure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disagreement_sides",
        verbose_name=_("figure"),
    )
    label = models.CharField(
        _("label"), max_length=300, blank=True, help_text=_("What a sum of line items is.")
    )
    filters = models.JSONField(
        _("filters"),
        default=dict,
        blank=True,
        help_text='The line-item filters whose sum this side is, as the API takes them: {"stage": '
        '"appropriated", "fiscal_year": "2012"}.',
    )

    objects = KeyPathManager("disagreement__key", "position")
    history = tracked_history()

    class Meta:
        verbose_name = _("disagreement side")
        verbose_name_plural = _("disagreement sides")
        ordering = ["disagreement", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(figure__isnull=False) & Q(filters={}))
                | (Q(figure__isnull=True) & ~Q(filters={})),
                name="disagreement_side_figure_or_filters",
                violation_error_message="A side is a reported figure or a sum of line items, not both.",
            ),
        ]

    def __str__(self):
        return self.figure.key if self.figure_id else self.label

    def natural_key(self):
        return (self.disagreement.key, self.position)

    natural_key.dependencies = ["funding.disagreement", "funding.reportedfigure"]


class Explanation(TranslatedTexts):
    """Why a disagreement is what it is, cited and graded like any figure."""

    disagreement = models.ForeignKey(
        Disagreement, verbose_name=_("disagreement"), on_delete=models.CASCADE, related_name="explanations"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.TextField(_("text"))
    source = models.ForeignKey(
        "sources.Source",
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="explanations",
        help_text=_("The document the explanation rests on; empty when none says why."),
    )
    locator = models.CharField(_("locator"), max_length=200, blank=True)
    quote = models.TextField(_("quote"), blank=True)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)

    objects = KeyPathManager("disagreement__key", "position")
    # history: registered in translation.py, after the Spanish columns

    class Meta:
        verbose_name = _("explanation")
        verbose_name_plural = _("explanations")
        ordering = ["disagreement", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(grade__in=Grade.values), name="explanation_grade_valid"),
        ]

    def __str__(self):
        return self.text[:60]

    def natural_key(self):
        return (self.disagreement.key, self.position)

    natural_key.dependencies = ["funding.disagreement", "sources.source"]


class OrganizationFact(models.Model):
    """A number a source states about an organization: the Group of Friends' 16 partner nations."""

    organization = models.ForeignKey(
        "partners.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="facts",
    )
    key = models.SlugField(_("key"), max_length=100)
    label = models.CharField(_("label"), max_length=200)
    number = models.PositiveIntegerField(_("number"))
    source = models.ForeignKey(
        "sources.Source",
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        related_name="organization_facts",
    )
    locator = models.CharField(_("locator"), max_length=200, blank=True)
    quote = models.TextField(_("quote"), blank=True)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)

    objects = KeyPathManager("organization__slug", "key")
    history = tracked_history()

    class Meta:
        verbose_name = _("organization fact")
        verbose_name_plural = _("organization facts")
        ordering = ["organization", "key"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="organization_fact_unique"),
            models.CheckConstraint(condition=Q(grade__in=Grade.values), name="organization_fact_grade_valid"),
        ]

    def __str__(self):
        return f"{self.organization}: {self.number} {self.label}"

    def natural_key(self):
        return (*self.organization.natural_key(), self.key)

    natural_key.dependencies = ["partners.organization"]
