from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ReleaseQuerySet(models.QuerySet):
    def latest_release(self):
        return self.order_by("-number").first()


class Release(models.Model):
    """The data as it stood when an editor published it: named, dated, noted, and never changed.

    Its number marks the versions of every row it holds (core.history); its bundle is the data of
    that moment as CSV files and a Data Package, stored byte for byte, with their SHA-256.
    """

    number = models.PositiveIntegerField(_("number"), unique=True, editable=False)
    name = models.CharField(
        _("name"), max_length=20, unique=True, editable=False, help_text=_("Such as 2026-12-01.1.")
    )
    published_at = models.DateTimeField(_("published at"), editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("published by"),
    )
    note = models.TextField(
        _("note"), help_text=_("What this release brings: the reports it adds, the corrections.")
    )
    sha256 = models.CharField(_("SHA-256 of the bundle"), max_length=64, editable=False)
    bundle = models.BinaryField(_("bundle"), editable=False)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        ordering = ["-number"]
        get_latest_by = "number"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(f"Release {self.name} is published: a release is never changed.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("api-release-bundle", args=[self.name])

    def delete(self, *args, **kwargs):
        raise ValidationError(f"Release {self.name} is published: a release is never deleted.")
