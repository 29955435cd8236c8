"""The fixed vocabularies of the money: stages, grades, how a figure is qualified, what it is about."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """Where a dollar figure sits in the pipeline. Figures of different stages are never added."""

    REQUESTED = "requested", _("Requested")
    COMMITTED = "committed", _("Committed")
    APPROPRIATED = "appropriated", _("Appropriated")
    ALLOCATED = "allocated", _("Allocated")
    OBLIGATED = "obligated", _("Obligated")
    DISBURSED = "disbursed", _("Disbursed")


STAGE_ORDER = {stage: position for position, stage in enumerate(Stage.values)}


class Qualifier(models.TextChoices):
    """How a source qualifies the amount it states."""

    EXACT = "exact", _("exactly")
    APPROXIMATELY = "approximately", _("approximately")
    AT_LEAST = "at_least", _("at least")
    MORE_THAN = "more_than", _("more than")
    ALMOST = "almost", _("almost")  # at most, and close below: "almost $5 million"
    AT_MOST = "at_most", _("at most")  # a ceiling: "hasta US$2,000 millones"


class Scope(models.TextChoices):
    """What money a reported figure counts; only CARSI money is reconciled against the line items."""

    CARSI = "carsi", _("CARSI money")
    NOT_CARSI = "not_carsi", _("Not CARSI money")  # other U.S. programs, other donors' pledges
    CONTEXT = "context", _("Context, not CARSI alone")  # totals that take in CARSI and more


class FiscalYearBasis(models.TextChoices):
    """What a fiscal year of a figure counts: the money appropriated in it, or the money that moved in it."""

    APPROPRIATION = "appropriation", _("year of appropriation")
    TRANSACTION = "transaction", _("year of the transaction")


class Geography(models.TextChoices):
    """How a source's line items are placed."""

    NOT_BY_COUNTRY = "not_by_country", _("not by country")
    BY_COUNTRY = "by_country", _("by country, with regional lines")
    REGIONAL = "regional", _("regional only")


class DisagreementStatus(models.TextChoices):
    OPEN = "open", _("Open")
    EXPLAINED = "explained", _("Explained")
