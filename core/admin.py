"""Admin editing that loses nothing: a stale save is refused, and every change records its reason."""

from django import forms
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.utils.translation import gettext_lazy as _
from import_export import resources
from simple_history.admin import SimpleHistoryAdmin

from core.spreadsheets import neutralize_formula
from core.versioning import claim_revert, claim_version, stored_version


def is_historical(instance) -> bool:
    """True for an old version, as simple-history's history pages build it (it marks them `_history`)."""
    return getattr(instance, "_history", None) is not None


class VersionCheckForm(forms.ModelForm):
    """Carries the version the editor opened; saving from an older one is refused.

    On a history page the form holds an old version's values, and saving it writes them back
    (a revert) whether or not a field was touched: there the check runs every time, against
    the row as stored when the page was opened.
    """

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if is_historical(self.instance):
            self.fields["expected_version"].initial = stored_version(self.instance)
        elif self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned_data = super().clean()
        try:
            if is_historical(self.instance):
                claim_revert(self.instance, cleaned_data.get("expected_version"))
            elif self.instance.pk and self.has_changed():
                # The admin saves inside a transaction: the row stays locked until the save.
                claim_version(self.instance, cleaned_data.get("expected_version"))
        except ValidationError as error:
            raise ValidationError(error.message_dict["version"]) from None
        return cleaned_data


class VersionedAdminForm(VersionCheckForm):
    change_reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"size": 80}),
        help_text="Kept in the change history, e.g. “Corrected from GAO-13-771, table 2”.",
    )

    def save(self, commit=True):
        reason = self.cleaned_data.get("change_reason", "")
        if not reason and is_historical(self.instance):
            reason = _("Reverted to version %(version)s") % {"version": self.instance._history.version}
        self.instance._change_reason = reason
        return super().save(commit)


class VersionedAdmin(SimpleHistoryAdmin):
    """Change history (the History button shows each change) and refusal of stale saves.

    An old version can be written back (Revert, on its history page) only by someone who may
    change the object, or add it again if it was deleted; simple-history itself asks only for
    the permission to view.
    """

    form = VersionedAdminForm

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "POST":
            return super().history_form_view(request, object_id, version_id, extra_context)
        current = self.get_object(request, unquote(object_id))
        if current is None:
            allowed = self.has_add_permission(request)
        else:
            allowed = self.has_change_permission(request, current)
        if not allowed:
            raise PermissionDenied
        # The version check locks the row until the revert is saved, as on the change page.
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return not self.has_change_permission(request, obj) or super().revert_disabled(request, obj)

    def save_formset(self, request, form, formset, change):
        # Rows edited inline share the reason given for the page.
        reason = form.cleaned_data.get("change_reason", "")
        for inline_form in formset.forms:
            inline_form.instance._change_reason = reason
        super().save_formset(request, form, formset, change)


class SafeExportResource(resources.ModelResource):
    """The admin's CSV and XLSX export, through the formula guard of every export.

    django-import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only drops a leading "="
    (not +, -, @, tab or carriage return) and turns every cell, numbers included, into text.
    """

    def export_field(self, field, instance, **kwargs):
        return neutralize_formula(super().export_field(field, instance, **kwargs))
