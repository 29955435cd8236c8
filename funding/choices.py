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


class Qualifier(models.TextChoices):
    """How a source qualifies the amount it states."""

    EXACT = "exact", "exactly"
    APPROXIMATELY = "approximately", "approximately"
    AT_LEAST = "at_least", "at least"
    MORE_THAN = "more_than", "more than"
    ALMOST = "almost", "almost"  # at most, and close below: "almost $5 million"
    AT_MOST = "at_most", "at most"  # a ceiling: "hasta US$2,000 millones"


class Scope(models.TextChoices):
    """What money a reported figure counts; only CARSI money is reconciled against the line items."""

    CARSI = "carsi", "CARSI money"
    NOT_CARSI = "not_carsi", "Not CARSI money"  # other U.S. programs, other donors' pledges
    CONTEXT = "context", "Context, not CARSI alone"  # totals that take in CARSI and more


class FiscalYearBasis(models.TextChoices):
    """What a fiscal year of a figure counts: the money appropriated in it, or the money that moved in it."""

    APPROPRIATION = "appropriation", "year of appropriation"
    TRANSACTION = "transaction", "year of the transaction"


class Geography(models.TextChoices):
    """How a source's line items are placed."""

    NOT_BY_COUNTRY = "not_by_country", "not by country"
    BY_COUNTRY = "by_country", "by country, with regional lines"
    REGIONAL = "regional", "regional only"


class DisagreementStatus(models.TextChoices):
    OPEN = "open", "Open"
    EXPLAINED = "explained", "Explained"
