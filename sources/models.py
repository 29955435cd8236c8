from babel import Locale, UnknownLocaleError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.history import tracked_history
from core.i18n import active_language
from core.models import NaturalKeyManager, NaturalKeyModel
from core.partial_dates import format_partial_date, validate_partial_date
from core.versioning import Versioned


class Source(NaturalKeyModel, Versioned):
    """A document that figures are taken from."""

    NATURAL_KEY = "key"
    KEY_EXAMPLE = _("source keys such as gao-13-295r")
    LABEL_FIELD = "title"

    key = models.SlugField(
        _("key"), max_length=100, unique=True, help_text=_("Stable key, e.g. gao-13-295r.")
    )
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200)
    published = models.CharField(
        _("published"),
        max_length=10,
        validators=[validate_partial_date],
        help_text=_("As precise as the source states it: YYYY, YYYY-MM or YYYY-MM-DD."),
    )
    url = models.URLField(_("URL"), max_length=500, blank=True)
    seed_reference = models.CharField(
        _("seed reference"),
        max_length=200,
        blank=True,
        help_text=_("The fact sheet in the project's seed documents, e.g. seed 002."),
    )
    language = models.CharField(
        _("language"),
        max_length=20,
        default="en",
        help_text=_("The language the document is written in, as a BCP 47 tag: en, es."),
    )
    note = models.TextField(_("note"), blank=True)

    objects = NaturalKeyManager()
    # The tables keep the names they had when sources were part of the funding app: no data moved.
    history = tracked_history(table_name="funding_historicalsource")

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        db_table = "funding_source"
        ordering = ["key"]

    def __str__(self):
        return f"{self.title} ({self.publisher}, {self.published_display})"

    def get_absolute_url(self):
        return reverse("source-detail", args=[self.key])

    @property
    def published_display(self):
        return format_partial_date(self.published)

    @property
    def language_name(self) -> str:
        """The document's language, named in the reader's ('English', 'inglés'), from CLDR."""
        reader = active_language()
        try:
            return Locale.parse(self.language.replace("-", "_")).get_display_name(reader)
        except (UnknownLocaleError, ValueError):
            return self.language


class TranslatedTexts(models.Model):
    """A model whose texts have a column per language (django-modeltranslation, its translation.py):
    where its Spanish version comes from. Empty, it is the tracker's own, unofficial translation."""

    translation_source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("source of the translation"),
        help_text=_(
            "The document that gives the Spanish version of these texts, if it is an official one; "
            "empty: the tracker's own unofficial translation."
        ),
    )

    class Meta:
        abstract = True
