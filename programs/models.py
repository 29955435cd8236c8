from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from core.history import tracked_history
from core.models import KeyPathManager, NaturalKeyManager, NaturalKeyModel, whole_number
from core.partial_dates import format_partial_date, validate_partial_date
from core.versioning import Versioned
from sources.choices import Grade


class Objective(NaturalKeyModel):
    """One of the five CARSI objectives of the March 2011 fact sheet."""

    NATURAL_KEY = "number"
    KEY_EXAMPLE = "objective numbers 1 to 5"
    LABEL_FIELD = "short_name"

    number = models.PositiveSmallIntegerField(
        unique=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        error_messages={"unique": "An objective with this number already exists."},
    )
    short_name = models.CharField(max_length=100, unique=True)
    description = models.TextField()
    source = models.ForeignKey(
        "sources.Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="objectives",
        help_text="The document whose wording the short name and description are.",
    )

    objects = NaturalKeyManager()
    history = tracked_history()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=5),
                name="objective_number_1_to_5",
                violation_error_message="CARSI has five objectives: the number must be 1 to 5.",
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.short_name}"

    def get_absolute_url(self):
        return reverse("objective-detail", args=[self.number])

    @staticmethod
    def normalize_key(text):
        return whole_number(text)


PARTIAL = "YYYY, YYYY-MM or YYYY-MM-DD."


class ObjectiveWording(models.Model):
    """Another source's wording of an objective ("Create safe streets for the citizens in the region")."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="wordings")
    text = models.TextField()
    source = models.ForeignKey("sources.Source", on_delete=models.PROTECT, related_name="objective_wordings")
    grade = models.CharField(max_length=1, choices=Grade.choices)

    objects = KeyPathManager("objective__number", "source__key")
    history = tracked_history()

    class Meta:
        ordering = ["objective", "source"]
        constraints = [
            models.UniqueConstraint(fields=["objective", "source"], name="objective_wording_one_per_source"),
            models.CheckConstraint(
                condition=models.Q(grade__in=Grade.values), name="objective_wording_grade_valid"
            ),
        ]

    def __str__(self):
        return self.text

    def natural_key(self):
        return (*self.objective.natural_key(), *self.source.natural_key())

    natural_key.dependencies = ["programs.objective", "sources.source"]


class ProgramStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    NOT_STATED = "not_stated", "Not stated"


class ProgramQuerySet(models.QuerySet):
    def for_listing(self):
        """Programs with objectives, countries, lead, partners and sources, in a fixed number of queries."""
        return self.select_related("lead_organization").prefetch_related(
            "objectives",
            "countries",
            "sources",
            models.Prefetch("participations", queryset=ProgramPartner.objects.select_related("organization")),
        )


class Program(NaturalKeyModel, Versioned):
    """A CARSI program or activity. No countries means a regional program."""

    NATURAL_KEY = "slug"
    KEY_EXAMPLE = "program slugs"
    LABEL_FIELD = "name"

    Status = ProgramStatus

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.TextField(blank=True)
    objectives = models.ManyToManyField("programs.Objective", blank=True, related_name="programs")
    countries = models.ManyToManyField(
        "partners.Country",
        blank=True,
        related_name="programs",
        help_text="Leave empty for a regional program.",
    )
    lead_organization = models.ForeignKey(
        "partners.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_programs",
    )
    partners = models.ManyToManyField(
        "partners.Organization", through="programs.ProgramPartner", blank=True, related_name="programs"
    )
    # As precise as the sources: Operation Martillo began "this past January" (2012-01), not on a day.
    start_date = models.CharField(
        max_length=10,
        blank=True,
        validators=[validate_partial_date],
        help_text="YYYY, YYYY-MM or YYYY-MM-DD.",
    )
    end_date = models.CharField(
        max_length=10,
        blank=True,
        validators=[validate_partial_date],
        help_text="YYYY, YYYY-MM or YYYY-MM-DD.",
    )
    status = models.CharField(
        max_length=20,
        choices=ProgramStatus.choices,
        default=ProgramStatus.NOT_STATED,
        help_text="As last reported by the program's sources.",
    )
    sources = models.ManyToManyField("sources.Source", blank=True, related_name="programs")

    objects = NaturalKeyManager.from_queryset(ProgramQuerySet)()
    history = tracked_history(m2m_fields=["objectives", "countries", "sources"])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ProgramStatus.values),
                name="program_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(start_date="")
                | models.Q(end_date="")
                | models.Q(end_date__gte=models.F("start_date")),
                name="program_dates_ordered",
                violation_error_message="A program cannot end before it starts.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("program-detail", args=[self.slug])

    def clean(self):
        # ISO partial dates sort as the days they name: "2012-01" before "2012-01-15" before "2013".
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "A program cannot end before it starts."})

    @property
    def start_display(self):
        return format_partial_date(self.start_date)

    @property
    def end_display(self):
        return format_partial_date(self.end_date)


class PartnerRole(models.TextChoices):
    FUNDING = "funding", "Funding"
    IMPLEMENTING = "implementing", "Implementing"
    ACCOUNTABLE = "accountable", "Accountable"
    EXTENDING = "extending", "Extending"


class ProgramPartnerManager(models.Manager):
    def get_by_natural_key(self, program_slug, organization_slug, role):
        return self.get(program__slug=program_slug, organization__slug=organization_slug, role=role)


class ProgramPartner(models.Model):
    """An organization's role in a program."""

    Role = PartnerRole

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="participations")
    organization = models.ForeignKey(
        "partners.Organization", on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField(max_length=20, choices=PartnerRole.choices)

    objects = ProgramPartnerManager()
    history = tracked_history()

    class Meta:
        ordering = ["program", "role", "organization"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "organization", "role"],
                name="program_partner_unique_role",
                violation_error_message="This organization already has this role in the program.",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=PartnerRole.values),
                name="program_partner_role_valid",
            ),
        ]

    def __str__(self):
        return f"{self.organization} — {self.get_role_display()} — {self.program}"

    def natural_key(self):
        return (self.program.slug, self.organization.slug, self.role)

    natural_key.dependencies = ["programs.program", "partners.organization"]
