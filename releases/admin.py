from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from releases.models import Release
from releases.publish import NothingToPublish, publish


class PublishForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What this release brings: the reports it adds, the corrections it makes."),
    )


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    """Releases are published here (an Editor's add permission) and never changed or deleted."""

    list_display = ["name", "published_at", "published_by", "note", "sha256"]
    search_fields = ["name", "note"]
    readonly_fields = ["name", "number", "published_at", "published_by", "note", "sha256"]
    exclude = ["bundle"]
    change_list_template = "admin/releases/release/change_list.html"

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("publish/", self.admin_site.admin_view(self.publish_view), name="releases_release_publish"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("admin:releases_release_publish")

    def publish_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = PublishForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                release = publish(form.cleaned_data["note"], user=request.user)
            except NothingToPublish as error:
                form.add_error(None, str(error))
            else:
                self.message_user(
                    request, _("Published release %(name)s.") % {"name": release.name}, messages.SUCCESS
                )
                return redirect(reverse("admin:releases_release_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": _("Publish a release"),
        }
        return TemplateResponse(request, "admin/releases/release/publish.html", context)
