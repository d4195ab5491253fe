"""Upload of a decree's data list from a spreadsheet, and download of its template."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satudata.catalog.imports import data_list_import as import_service
from satudata.catalog.imports import item_rows
from satudata.catalog.imports_template import template_csv, template_xlsx
from satudata.catalog.models import DataListDecree
from satudata.catalog.permissions import can_manage_items
from satudata.catalog.selectors import items_visible_to
from satudata.core.errors import DomainError

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


class DataListUploadForm(forms.Form):
    """The spreadsheet to import, and whether to only check it."""

    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (XLSX or CSV)"),
        help_text=gettext_lazy("The data list template filled in, one data item per row."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Only check the file; import nothing"), required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Refused before it is read: the size is known from the upload itself.
        if upload.size > settings.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB. A data list fits well below that.")
                % {"limit": round(settings.MAX_UPLOAD_BYTES / 1024 / 1024, 1)}
            )
        return upload


@login_required
def data_list_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Walidata's page: upload a decree's data list; shows the summary or every error."""
    if not can_manage_items(request.user):
        raise PermissionDenied
    decree = get_object_or_404(DataListDecree, pk=pk)
    summary = None
    problems: list = []
    form = DataListUploadForm()
    if request.method == "POST":
        form = DataListUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                summary = import_service(
                    actor=request.user,
                    decree=decree,
                    data=upload.read(),
                    filename=upload.name,
                    dry_run=form.cleaned_data["dry_run"],
                )
            except DomainError as exc:
                form.add_error("file" if not exc.errors else None, exc.message)
                problems = exc.errors
    return render(
        request,
        "catalog/import.html",
        {"decree": decree, "form": form, "summary": summary, "problems": problems},
    )


@login_required
def template_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The data-list template (XLSX or CSV); with ?decree=<id>, filled with that decree's list."""
    if fmt not in CONTENT_TYPES:
        raise Http404
    rows: list[list[str]] = []
    filename = "daftar-data-template"
    decree_id = request.GET.get("decree", "")
    if decree_id:
        # A filled list shows every item, closed ones too: walidata's work only.
        if not can_manage_items(request.user):
            raise PermissionDenied
        if not decree_id.isdigit():
            raise Http404
        decree = get_object_or_404(DataListDecree, pk=int(decree_id))
        items = (
            items_visible_to(request.user)
            .filter(decree=decree)
            .select_related("agency", "topic")
            .prefetch_related("breakdowns")
            .order_by("code")
        )
        rows = item_rows(items)
        filename = f"daftar-data-{slugify(decree.number) or decree.pk}"
    body = template_xlsx(rows=rows) if fmt == "xlsx" else template_csv(rows=rows)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
