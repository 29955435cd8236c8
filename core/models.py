"""Abstract models every app shares: rows named by a natural key (fixtures, backups, the API's URLs)."""

from django.db import models


class NaturalKeyManager(models.Manager):
    """Finds a row by its natural key, the field its model names in NATURAL_KEY."""

    def get_by_natural_key(self, key):
        return self.get(**{self.model.NATURAL_KEY: key})


class NaturalKeyModel(models.Model):
    """A row known by one field of its own (an ISO code, a slug, a number) rather than its id."""

    NATURAL_KEY = ""

    class Meta:
        abstract = True

    def natural_key(self):
        return (getattr(self, self.NATURAL_KEY),)
