from django.contrib import admin

from programs.models import Objective, Program, ProgramPartner


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ["number", "short_name"]
    search_fields = ["short_name", "description"]


class ProgramPartnerInline(admin.TabularInline):
    model = ProgramPartner
    autocomplete_fields = ["organization"]
    extra = 0


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "lead_organization", "start_date", "end_date"]
    list_filter = ["status", "objectives", "countries"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["lead_organization", "countries", "sources"]
    filter_horizontal = ["objectives"]
    inlines = [ProgramPartnerInline]
    list_select_related = ["lead_organization"]


@admin.register(ProgramPartner)
class ProgramPartnerAdmin(admin.ModelAdmin):
    list_display = ["program", "organization", "role"]
    list_filter = ["role"]
    search_fields = ["program__name", "organization__name", "organization__acronym"]
    autocomplete_fields = ["program", "organization"]
    list_select_related = ["program", "organization"]
