from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse

from core.history import tracked_history
from core.models import NaturalKeyManager, NaturalKeyModel

iso2_validator = RegexValidator(r"^[A-Z]{2}$", "Use the two capital letters of ISO 3166-1 alpha-2, e.g. GT.")
iso3_validator = RegexValidator(
    r"^[A-Z]{3}$", "Use the three capital letters of ISO 3166-1 alpha-3, e.g. GTM."
)


class Country(NaturalKeyModel):
    NATURAL_KEY = "iso2"
    KEY_EXAMPLE = "ISO alpha-2 codes such as GT"
    LABEL_FIELD = "name"

    name = models.CharField(max_length=100, unique=True)
    iso2 = models.CharField("ISO alpha-2", max_length=2, unique=True, validators=[iso2_validator])
    iso3 = models.CharField("ISO alpha-3", max_length=3, unique=True, validators=[iso3_validator])
    sica_member = models.BooleanField(
        "SICA member", default=False, help_text="Member of the Central American Integration System."
    )
    carsi_country = models.BooleanField(
        "CARSI country", default=False, help_text="One of the seven CARSI partner countries."
    )

    objects = NaturalKeyManager()
    history = tracked_history()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("country-detail", args=[self.iso2])

    @staticmethod
    def normalize_key(text):
        return text.upper()


class OrganizationKind(models.TextChoices):
    GOVERNMENT = "government", "Government"
    US_AGENCY = "us_agency", "U.S. agency"
    MULTILATERAL = "multilateral", "Multilateral organization"
    FINANCIAL_INSTITUTION = "financial_institution", "Financial institution"
    COALITION = "coalition", "Coalition"
    NGO = "ngo", "Non-governmental organization"


class Organization(NaturalKeyModel):
    """A government, agency or institution; every donor is one."""

    NATURAL_KEY = "slug"
    KEY_EXAMPLE = "organization slugs such as united-states"
    LABEL_FIELD = "name"

    Kind = OrganizationKind

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    acronym = models.CharField(max_length=30, blank=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The organization this one belongs to, e.g. INL under the Department of State.",
    )
    home_country = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="organizations"
    )

    objects = NaturalKeyManager()
    history = tracked_history()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=OrganizationKind.values),
                name="organization_kind_valid",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    @property
    def brief(self) -> str:
        """The name a sentence uses: "State", "USAID", else the full name."""
        return self.acronym or self.name

    def get_absolute_url(self):
        return reverse("organization-detail", args=[self.slug])

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": "An organization cannot be its own parent or ancestor."})
            ancestor = ancestor.parent
