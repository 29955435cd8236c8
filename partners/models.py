from babel import Locale
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.history import tracked_history
from core.i18n import cldr_locale
from core.models import NaturalKeyManager, NaturalKeyModel

iso2_validator = RegexValidator(
    r"^[A-Z]{2}$", _("Use the two capital letters of ISO 3166-1 alpha-2, e.g. GT.")
)
iso3_validator = RegexValidator(
    r"^[A-Z]{3}$", _("Use the three capital letters of ISO 3166-1 alpha-3, e.g. GTM.")
)


class Country(NaturalKeyModel):
    NATURAL_KEY = "iso2"
    KEY_EXAMPLE = _("ISO alpha-2 codes such as GT")
    LABEL_FIELD = "name"

    name = models.CharField(_("name"), max_length=100, unique=True)
    iso2 = models.CharField(_("ISO alpha-2"), max_length=2, unique=True, validators=[iso2_validator])
    iso3 = models.CharField(_("ISO alpha-3"), max_length=3, unique=True, validators=[iso3_validator])
    sica_member = models.BooleanField(
        _("SICA member"), default=False, help_text=_("Member of the Central American Integration System.")
    )
    carsi_country = models.BooleanField(
        _("CARSI country"), default=False, help_text=_("One of the seven CARSI partner countries.")
    )

    objects = NaturalKeyManager()
    history = tracked_history()

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @classmethod
    def also_containing(cls, path: str, text: str) -> models.Q | None:
        """The countries whose name holds `text` in another of the site's languages (CLDR's names, as
        the pages show them): a search for "Belice" finds Belize. Only the English name is stored."""
        if path != "name":
            return None
        folded = text.casefold()
        codes = {
            code
            for language, _ in settings.LANGUAGES
            if language != settings.LANGUAGE_CODE
            for code, name in Locale.parse(language).territories.items()
            if len(code) == 2 and folded in name.casefold()
        }
        return models.Q(iso2__in=sorted(codes)) if codes else None

    def get_absolute_url(self):
        return reverse("country-detail", args=[self.iso2])

    @property
    def local_name(self) -> str:
        """The country's name in the reader's language: the stored (English) name, or CLDR's territory
        name for the language (Babel), never one typed by hand."""
        return territory_name(self.iso2, self.name)

    @staticmethod
    def normalize_key(text):
        return text.upper()


def territory_name(iso2: str | None, english: str) -> str:
    """A country's name in the active language, from CLDR (Babel); the English name in English."""
    language = cldr_locale()
    if language is None or not iso2:
        return english
    return Locale.parse(language).territories.get(iso2, english)


class OrganizationKind(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    US_AGENCY = "us_agency", _("U.S. agency")
    MULTILATERAL = "multilateral", _("Multilateral organization")
    FINANCIAL_INSTITUTION = "financial_institution", _("Financial institution")
    COALITION = "coalition", _("Coalition")
    NGO = "ngo", _("Non-governmental organization")


class Organization(NaturalKeyModel):
    """A government, agency or institution; every donor is one."""

    NATURAL_KEY = "slug"
    KEY_EXAMPLE = _("organization slugs such as united-states")
    LABEL_FIELD = "name"

    Kind = OrganizationKind

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("The organization this one belongs to, e.g. INL under the Department of State."),
    )
    home_country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        verbose_name=_("home country"),
    )

    objects = NaturalKeyManager()
    history = tracked_history()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
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
                raise ValidationError({"parent": _("An organization cannot be its own parent or ancestor.")})
            ancestor = ancestor.parent
