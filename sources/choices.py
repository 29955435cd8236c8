"""How sure the tracker is of a figure read from a source."""

from django.db import models


class Grade(models.TextChoices):
    """How sure we are of a figure, as graded in the reference data."""

    VERIFIED = "V", "V — read in the source's own text"
    SCANNED = "S", "S — read from a scanned table that adds up"
    DERIVED = "D", "D — arithmetic on V/S figures"
    PRESS = "P", "P — press or secondary report only"
    UNCONFIRMED = "U", "U — only in a fact sheet, unconfirmed"
