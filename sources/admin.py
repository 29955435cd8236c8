from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import VersionedAdmin
from sources.models import Source


@admin.register(Source)
class SourceAdmin(VersionedAdmin):
    list_display = ["key", "title", "publisher", "published", "line_items"]
    list_filter = ["publisher"]
    search_fields = ["key", "title", "publisher", "note"]
    # A URL typed without a scheme is taken as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(line_item_count=models.Count("allocations"))

    @admin.display(description=_("Line items"), ordering="line_item_count")
    def line_items(self, source):
        url = reverse("admin:funding_allocation_changelist") + f"?source__id__exact={source.pk}"
        return format_html('<a href="{}">{}</a>', url, source.line_item_count)
