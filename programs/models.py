from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.history import tracked_history
from core.models import KeyPathManager, NaturalKeyManager, NaturalKeyModel, whole_number
from core.partial_dates import format_partial_date, validate_partial_date
from core.versioning import Versioned
from sources.choices import Grade
from sources.models import TranslatedTexts


class Objective(NaturalKeyModel, TranslatedTexts):
    """One of the five CARSI objectives of the March 2011 fact sheet."""

    NATURAL_KEY = "number"
    KEY_EXAMPLE = _("objective numbers 1 to 5")
    LABEL_FIELD = "short_name"

    number = models.PositiveSmallIntegerField(
        _("number"),
        unique=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        error_messages={"unique": "An objective with this number already exists."},
    )
    short_name = models.CharField(_("short name"), max_length=100, unique=True)
    description = models.TextField(_("description"))
    source = models.ForeignKey(
        "sources.Source",
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="objectives",
        help_text=_("The document whose wording the short name and description are."),
    )

    objects = NaturalKeyManager()
    # history: registered in translation.py, after the Spanish columns

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
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

    objective = models.ForeignKey(
        Objective, verbose_name=_("objective"), on_delete=models.CASCADE, related_name="wordings"
    )
    text = models.TextField(_("text"))
    source = models.ForeignKey(
        "sources.Source",
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        related_name="objective_wordings",
    )
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)

    objects = KeyPathManager("objective__number", "source__key")
    history = tracked_history()

    class Meta:
        verbose_name = _("objective wording")
        verbose_name_plural = _("objective wordings")
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
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    NOT_STATED = "not_stated", _("Not stated")


class ProgramQuerySet(models.QuerySet):
    def for_listing(self):
        """Programs with objectives, countries, lead, partners and sources, in a fixed number of queries."""
        return self.select_related("lead_organization").prefetch_related(
            "objectives",
            "countries",
            "sources",
            models.Prefetch("participations", queryset=ProgramPartner.objects.select_related("organization")),
        )


class Program(NaturalKeyModel, Versioned, TranslatedTexts):
    """A CARSI program or activity. No countries means a regional program."""

    NATURAL_KEY = "slug"
    KEY_EXAMPLE = _("program slugs")
    LABEL_FIELD = "name"

    Status = ProgramStatus

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    objectives = models.ManyToManyField(
        "programs.Objective", verbose_name=_("objectives"), blank=True, related_name="programs"
    )
    countries = models.ManyToManyField(
        "partners.Country",
        verbose_name=_("countries"),
        blank=True,
        related_name="programs",
        help_text=_("Leave empty for a regional program."),
    )
    lead_organization = models.ForeignKey(
        "partners.Organization",
        verbose_name=_("lead organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_programs",
    )
    partners = models.ManyToManyField(
        "partners.Organization",
        through="programs.ProgramPartner",
        blank=True,
        related_name="programs",
        verbose_name=_("partners"),
    )
    # As precise as the sources: Operation Martillo began "this past January" (2012-01), not on a day.
    start_date = models.CharField(
        _("start date"),
        max_length=10,
        blank=True,
        validators=[validate_partial_date],
        help_text=_("YYYY, YYYY-MM or YYYY-MM-DD."),
    )
    end_date = models.CharField(
        _("end date"),
        max_length=10,
        blank=True,
        validators=[validate_partial_date],
        help_text=_("YYYY, YYYY-MM or YYYY-MM-DD."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProgramStatus.choices,
        default=ProgramStatus.NOT_STATED,
        help_text=_("As last reported by the program's sources."),
    )
    sources = models.ManyToManyField(
        "sources.Source", verbose_name=_("sources"), blank=True, related_name="programs"
    )

    objects = NaturalKeyManager.from_queryset(ProgramQuerySet)()
    # history: registered in translation.py, after the Spanish columns

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
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
                violation_error_message=_("A program cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("program-detail", args=[self.slug])

    def clean(self):
        # ISO partial dates sort as the days they name: "2012-01" before "2012-01-15" before "2013".
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("A program cannot end before it starts.")})

    @property
    def start_display(self):
        return format_partial_date(self.start_date)

    @property
    def end_display(self):
        return format_partial_date(self.end_date)


class PartnerRole(models.TextChoices):
    FUNDING = "funding", _("Funding")
    IMPLEMENTING = "implementing", _("Implementing")
    ACCOUNTABLE = "accountable", _("Accountable")
    EXTENDING = "extending", _("Extending")


class ProgramPartnerManager(models.Manager):
    def get_by_natural_key(self, program_slug, organization_slug, role):
        return self.get(program__slug=program_slug, organization__slug=organization_slug, role=role)


class ProgramPartner(models.Model):
    """An organization's role in a program."""

    Role = PartnerRole

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="participations"
    )
    organization = models.ForeignKey(
        "partners.Organization",
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("organization"),
    )
    role = models.CharField(_("role"), max_length=20, choices=PartnerRole.choices)

    objects = ProgramPartnerManager()
    history = tracked_history()

    class Meta:
        verbose_name = _("program partner")
        verbose_name_plural = _("program partners")
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
