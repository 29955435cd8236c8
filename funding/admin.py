from django.contrib import admin
from django.db import models

from funding.models import Allocation, FundingAccount, ReportedFigure, Source


@admin.register(FundingAccount)
class FundingAccountAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "administered_by"]
    search_fields = ["code", "name"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["key", "title", "publisher", "published"]
    list_filter = ["publisher"]
    search_fields = ["key", "title", "publisher", "note"]
    # A URL typed without a scheme is taken as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Allocation)
class AllocationAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "fiscal_year",
        "stage",
        "amount",
        "donor",
        "account",
        "country",
        "program",
        "source",
    ]
    list_filter = ["stage", "fiscal_year", "account", "country", "donor", "objective", "grade", "source"]
    search_fields = ["source_detail", "note", "program__name", "source__key", "country__name"]
    autocomplete_fields = ["donor", "account", "country", "objective", "program", "source"]
    list_select_related = ["donor", "account", "country", "program", "source"]


@admin.register(ReportedFigure)
class ReportedFigureAdmin(admin.ModelAdmin):
    list_display = [
        "key",
        "label",
        "amount",
        "qualifier",
        "stage",
        "fiscal_year_min",
        "fiscal_year_max",
        "source",
    ]
    list_filter = ["stage", "qualifier", "scope", "grade", "source"]
    search_fields = ["key", "label", "quote", "note"]
    autocomplete_fields = ["donor", "source", "also_cited_in"]
    list_select_related = ["source"]
