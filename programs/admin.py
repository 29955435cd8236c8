from django.contrib import admin
from django.utils.html import format_html_join

from carsi_tracker.admin_editing import VersionedAdmin
from funding.admin import AllocationInline
from funding.models import Allocation
from funding.money import format_exact
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
class ProgramAdmin(VersionedAdmin):
    list_display = ["name", "status", "lead_organization", "start_date", "end_date"]
    list_filter = ["status", "objectives", "countries"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["lead_organization", "countries", "sources"]
    filter_horizontal = ["objectives"]
    inlines = [ProgramPartnerInline, AllocationInline]
    list_select_related = ["lead_organization"]
    readonly_fields = ["line_item_totals"]

    @admin.display(description="Line-item totals by stage")
    def line_item_totals(self, program):
        rows = Allocation.objects.filter(program=program).totals() if program.pk else []
        if not rows:
            return "No line items: amount not reported."
        return format_html_join(
            "",
            "<div>{}: <strong>{}</strong> ({} line items)</div>",
            ((row["stage_name"], format_exact(row["amount"]), row["count"]) for row in rows),
        )


@admin.register(ProgramPartner)
class ProgramPartnerAdmin(admin.ModelAdmin):
    list_display = ["program", "organization", "role"]
    list_filter = ["role"]
    search_fields = ["program__name", "organization__name", "organization__acronym"]
    autocomplete_fields = ["program", "organization"]
    list_select_related = ["program", "organization"]
