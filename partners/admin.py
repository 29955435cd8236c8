from django.contrib import admin

from partners.models import Country, Organization


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "iso2", "iso3", "sica_member", "carsi_country"]
    list_filter = ["carsi_country", "sica_member"]
    search_fields = ["name", "iso2", "iso3"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "kind", "parent", "home_country"]
    list_filter = ["kind", "home_country"]
    search_fields = ["name", "acronym", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent", "home_country"]
    list_select_related = ["parent", "home_country"]
