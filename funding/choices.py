"""The fixed vocabularies of the money: stages, grades, how a figure is qualified, what it is about."""

from django.db import models


class Stage(models.TextChoices):
    """Where a dollar figure sits in the pipeline. Figures of different stages are never added."""

    REQUESTED = "requested", "Requested"
    COMMITTED = "committed", "Committed"
    APPROPRIATED = "appropriated", "Appropriated"
    ALLOCATED = "allocated", "Allocated"
    OBLIGATED = "obligated", "Obligated"
    DISBURSED = "disbursed", "Disbursed"


STAGE_ORDER = {stage: position for position, stage in enumerate(Stage.values)}


class Grade(models.TextChoices):
    """How sure we are of a figure, as graded in the reference data."""

    VERIFIED = "V", "V — read in the source's own text"
    SCANNED = "S", "S — read from a scanned table that adds up"
    DERIVED = "D", "D — arithmetic on V/S figures"
    PRESS = "P", "P — press or secondary report only"
    UNCONFIRMED = "U", "U — only in a fact sheet, unconfirmed"


class Qualifier(models.TextChoices):
    EXACT = "exact", "exactly"
    APPROXIMATELY = "approximately", "approximately"
    AT_LEAST = "at_least", "at least"
    MORE_THAN = "more_than", "more than"


class Scope(models.TextChoices):
    CARSI = "carsi", "CARSI money"
    CONTEXT = "context", "Context, not CARSI money"
