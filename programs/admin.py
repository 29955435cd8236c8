"""The admin of objectives and partner roles; a program's own page, which edits its line items too,
is registered with the line items in funding.admin."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from programs.models import Objective, ObjectiveWording, ProgramPartner


class ObjectiveWordingInline(admin.TabularInline):
    model = ObjectiveWording
    autocomplete_fields = ["source"]
    extra = 0


@admin.register(Objective)
class ObjectiveAdmin(TranslationAdmin):
    list_display = ["number", "short_name", "source"]
    search_fields = ["short_name", "description"]
    autocomplete_fields = ["source", "translation_source"]
    inlines = [ObjectiveWordingInline]


@admin.register(ObjectiveWording)
class ObjectiveWordingAdmin(admin.ModelAdmin):
    list_display = ["objective", "text", "source", "grade"]
    search_fields = ["text", "source__key"]
    autocomplete_fields = ["objective", "source"]


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
