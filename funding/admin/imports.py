"""The admin's CSV import of line items: upload, preview (a dry run), confirm."""

import io
import secrets
from functools import partial

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat, pluralize
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from funding.io.imports import IMPORT_COLUMNS, ImportFileError, import_allocations, read_allocation_csv

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
PREVIEW_ROWS = 50
# The uploaded text waits here between preview and confirm. One pending import per
# session, so an abandoned preview is replaced by the next upload rather than piling up.
SESSION_KEY = "funding_allocation_import"


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text=f"UTF-8, with a header naming the columns: {', '.join(IMPORT_COLUMNS)}.",
    )

    def clean_file(self):
        """The file's text."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {filesizeformat(upload.size)}; the admin takes files up to "
                f"{filesizeformat(MAX_UPLOAD_BYTES)}. Import larger files with "
                "`manage.py import_allocations`."
            )
        try:
            # utf-8-sig drops the byte-order mark that spreadsheet programs write.
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(
                f"The file is not UTF-8 text (byte {error.start + 1} cannot be read). "
                "Save it from your spreadsheet as “CSV UTF-8” and upload it again."
            ) from error


def import_urls(model_admin):
    """URL patterns for the import pages, to go before the ModelAdmin's own."""
    view = model_admin.admin_site.admin_view(partial(import_view, model_admin))
    return [path("import/", view, name="funding_allocation_import")]


def import_view(model_admin, request):
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    if request.method == "POST" and "token" in request.POST:
        return _confirm(model_admin, request)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_bound and form.is_valid():
        text = form.cleaned_data["file"]
        try:
            rows = list(read_allocation_csv(_lines(text)))
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            report = import_allocations(rows, dry_run=True)
            token = None
            if report.ok and report.unchanged < report.rows:
                token = secrets.token_urlsafe(16)
                request.session[SESSION_KEY] = {
                    "token": token,
                    "text": text,
                    "name": request.FILES["file"].name,
                }
            return _render_preview(model_admin, request, report, rows=rows, token=token)
    return TemplateResponse(
        request,
        "admin/funding/allocation/import_form.html",
        _context(model_admin, request, title=_("Import line items"), form=form),
    )


def _confirm(model_admin, request):
    pending = request.session.get(SESSION_KEY)
    if pending is None or pending["token"] != request.POST["token"]:
        messages.error(
            request, _("This preview has expired or was replaced by another upload: upload the file again.")
        )
        return redirect(f"{model_admin.admin_site.name}:funding_allocation_import")
    del request.session[SESSION_KEY]
    # The file was checked at preview time, but the stored line items may have changed since.
    report = import_allocations(
        read_allocation_csv(_lines(pending["text"])),
        reason=f"Imported from {pending['name']}"[:100],
        user=request.user,
    )
    if not report.ok:
        return _render_preview(model_admin, request, report, confirming=True)
    messages.success(
        request,
        f"Imported {report.created:,} line item{pluralize(report.created)}; "
        f"{report.unchanged:,} {pluralize(report.unchanged, 'was,were')} already present.",
    )
    return redirect(f"{model_admin.admin_site.name}:funding_allocation_changelist")


def _render_preview(model_admin, request, report, *, rows=(), token=None, confirming=False):
    return TemplateResponse(
        request,
        "admin/funding/allocation/import_preview.html",
        _context(
            model_admin,
            request,
            title=_("Check the import") if report.ok else _("The file cannot be imported"),
            report=report,
            new=report.rows - report.unchanged,
            columns=IMPORT_COLUMNS,
            preview_rows=[
                (line, [row.get(column, "") for column in IMPORT_COLUMNS])
                for line, row in rows[:PREVIEW_ROWS]
                if isinstance(row, dict)  # an unreadable row is among the errors instead
            ],
            token=token,
            confirming=confirming,
            import_url=reverse(f"{model_admin.admin_site.name}:funding_allocation_import"),
        ),
    )


def _context(model_admin, request, **context):
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "has_view_permission": model_admin.has_view_permission(request),
        **context,
    }


def _lines(text):
    # newline="" leaves line endings to the csv module, as open() for csv files should.
    return io.StringIO(text, newline="")
