"""How sure the tracker is of a figure read from a source."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Grade(models.TextChoices):
    """How sure we are of a figure, as graded in the reference data."""

    VERIFIED = "V", _("V — read in the source's own text")
    SCANNED = "S", _("S — read from a scanned table that adds up")
    DERIVED = "D", _("D — arithmetic on V/S figures")
    PRESS = "P", _("P — press or secondary report only")
    UNCONFIRMED = "U", _("U — only in a fact sheet, unconfirmed")
