from django.db import models
from django.urls import reverse

from core.history import tracked_history
from core.models import NaturalKeyManager, NaturalKeyModel
from core.partial_dates import format_partial_date, validate_partial_date
from core.versioning import Versioned


class Source(NaturalKeyModel, Versioned):
    """A document that figures are taken from."""

    NATURAL_KEY = "key"
    KEY_EXAMPLE = "source keys such as gao-13-295r"
    LABEL_FIELD = "title"

    key = models.SlugField(max_length=100, unique=True, help_text="Stable key, e.g. gao-13-295r.")
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200)
    published = models.CharField(
        max_length=10,
        validators=[validate_partial_date],
        help_text="As precise as the source states it: YYYY, YYYY-MM or YYYY-MM-DD.",
    )
    url = models.URLField("URL", max_length=500, blank=True)
    seed_reference = models.CharField(
        max_length=200, blank=True, help_text="The fact sheet in the project's seed documents, e.g. seed 002."
    )
    note = models.TextField(blank=True)

    objects = NaturalKeyManager()
    # The tables keep the names they had when sources were part of the funding app: no data moved.
    history = tracked_history(table_name="funding_historicalsource")

    class Meta:
        db_table = "funding_source"
        ordering = ["key"]

    def __str__(self):
        return f"{self.title} ({self.publisher}, {self.published_display})"

    def get_absolute_url(self):
        return reverse("source-detail", args=[self.key])

    @property
    def published_display(self):
        return format_partial_date(self.published)
