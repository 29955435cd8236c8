"""Abstract models every app shares: rows known by a natural key (in fixtures, backups, URLs, filters)."""

import re

from django.db import models

DIGITS = re.compile(r"-?[0-9]+")


def whole_number(text: str) -> int:
    """A number key as typed ("3"), as the database can compare it: in the digits 0-9 and within
    64 bits, else ValueError (a key beyond that is no key, not a crash)."""
    if not DIGITS.fullmatch(str(text).strip()):
        raise ValueError(f"{text!r} is not a whole number")
    number = int(text)
    if not -(2**63) <= number < 2**63:
        raise ValueError(f"{text} is out of range")
    return number


class NaturalKeyManager(models.Manager):
    """Finds a row by its natural key, the field its model names in NATURAL_KEY."""

    def get_by_natural_key(self, key):
        return self.get(**{self.model.NATURAL_KEY: key})


class NaturalKeyModel(models.Model):
    """A row known by one field of its own (an ISO code, a slug, a number) rather than by its id.

    The class says how people name its rows, once, for every place that reads such a name: the
    field (NATURAL_KEY), how a typed key is made comparable (normalize_key: "gt" → "GT"), an
    example for error messages (KEY_EXAMPLE), and the field that labels a row (LABEL_FIELD).
    """

    NATURAL_KEY = ""
    KEY_EXAMPLE = ""
    LABEL_FIELD = ""

    class Meta:
        abstract = True

    def natural_key(self):
        return (getattr(self, self.NATURAL_KEY),)

    @staticmethod
    def normalize_key(text: str):
        """A key as typed, as the database compares it; ValueError if it cannot be one."""
        return text


class KeyPathManager(models.Manager):
    """Finds a row by a natural key of several parts, each a path from the row: ("figure__key", "locator")."""

    def __init__(self, *paths):
        super().__init__()
        self.paths = paths

    def get_by_natural_key(self, *key):
        return self.get(**dict(zip(self.paths, key, strict=True)))


class DataVersion(models.Model):
    """One row whose number moves with every write to the tracker's data (core.dataversion).

    Triggers on every data table move it inside the writing transaction, so that once a change is
    committed every reader sees a new version: it keys the ETags and the response cache.
    """

    number = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = "data version"

    def __str__(self):
        return f"data version {self.number}"
