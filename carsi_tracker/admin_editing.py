"""Admin editing that loses nothing: a stale save is refused, and every change records its reason."""

from django import forms
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from carsi_tracker.editing import claim_version


class VersionCheckForm(forms.ModelForm):
    """Carries the version the editor opened; saving from an older one is refused."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk and self.has_changed():
            # The admin saves inside a transaction: the row stays locked until the save.
            try:
                claim_version(self.instance, cleaned_data.get("expected_version"))
            except ValidationError as error:
                raise ValidationError(error.message_dict["version"]) from None
        return cleaned_data


class VersionedAdminForm(VersionCheckForm):
    change_reason = forms.CharField(
        label="Reason for the change",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"size": 80}),
        help_text="Kept in the change history, e.g. “Corrected from GAO-13-771, table 2”.",
    )

    def save(self, commit=True):
        self.instance._change_reason = self.cleaned_data.get("change_reason", "")
        return super().save(commit)


class VersionedAdmin(SimpleHistoryAdmin):
    """Change history (the History button shows each change) and refusal of stale saves."""

    form = VersionedAdminForm

    def save_formset(self, request, form, formset, change):
        # Rows edited inline share the reason given for the page.
        reason = form.cleaned_data.get("change_reason", "")
        for inline_form in formset.forms:
            inline_form.instance._change_reason = reason
        super().save_formset(request, form, formset, change)
