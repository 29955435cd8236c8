"""The admin of objectives and partner roles; a program's own page, which edits its line items too,
is registered with the line items in funding.admin."""

from django.contrib import admin

from programs.models import Objective, ProgramPartner


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ["number", "short_name"]
    search_fields = ["short_name", "description"]


class ProgramPartnerInline(admin.TabularInline):
    model = ProgramPartner
    autocomplete_fields = ["organization"]
    extra = 0


@admin.register(ProgramPartner)
class ProgramPartnerAdmin(admin.ModelAdmin):
    list_display = ["program", "organization", "role"]
    list_filter = ["role"]
    search_fields = ["program__name", "organization__name", "organization__acronym"]
    autocomplete_fields = ["program", "organization"]
    list_select_related = ["program", "organization"]
