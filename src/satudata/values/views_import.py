"""The values template of an agency for a period (XLSX, CSV), and the upload of a filled one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from satudata.accounts.models import Agency
from satudata.accounts.permissions import can, user_role
from satudata.accounts.roles import Action, Role
from satudata.core.errors import DomainError
from satudata.schedule.periods import InvalidPeriod, Period
from satudata.values.imports import values_import
from satudata.values.spreadsheets import item_sheets, template_csv, template_items, template_xlsx

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
# Roles that fill any agency's values (on an agency's behalf); producers fill their own.
ALL_AGENCIES_ROLES = frozenset({Role.WALIDATA, Role.ADMIN})


def _require_editor(request: HttpRequest) -> None:
    if not can(request.user, Action.VALUES_EDIT):
        raise PermissionDenied


def _agency_for(request: HttpRequest, agency_pk: int) -> Agency:
    """The agency whose template the user may have; another agency's is a 404 for producers."""
    if user_role(request.user) not in ALL_AGENCIES_ROLES and request.user.agency_id != agency_pk:
        raise Http404
    return get_object_or_404(Agency, pk=agency_pk)


@login_required
@require_GET
def values_template(request: HttpRequest, agency_pk: int, period: str, fmt: str) -> HttpResponse:
    """The agency's template for a period: its items of that periodicity, stored values in."""
    _require_editor(request)
    if fmt not in CONTENT_TYPES:
        raise Http404
    try:
        the_period = Period.parse(period)
    except InvalidPeriod:
        raise Http404 from None
    agency = _agency_for(request, agency_pk)
    sheets = item_sheets(template_items(agency, the_period), the_period)
    if fmt == "xlsx":
        body = template_xlsx(agency=agency, period=the_period, sheets=sheets)
    else:
        body = template_csv(period=the_period, sheets=sheets)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    filename = f"nilai-{agency.code}-{the_period.key}.{fmt}".replace(" ", "-")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ValuesUploadForm(forms.Form):
    """The filled template to upload."""

    file = forms.FileField(
        label=gettext_lazy("Filled template (XLSX or CSV)"),
        help_text=gettext_lazy("The period and the data items are read from the file."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        # Refused before it is read: the size is known from the upload itself.
        if upload.size > settings.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB. Split it (e.g. one file per period).")
                % {"limit": round(settings.MAX_UPLOAD_BYTES / 1024 / 1024, 1)}
            )
        return upload


class TemplateForm(forms.Form):
    """Which template to download: the agency (walidata only), the period and the format."""

    agency = forms.ModelChoiceField(
        label=gettext_lazy("Agency"), queryset=Agency.objects.none(), required=True
    )
    period = forms.CharField(
        label=gettext_lazy("Period"),
        max_length=10,
        help_text=gettext_lazy("2025 (annual), 2025-S1, 2025-Q3 or 2025-07 (monthly)."),
    )
    # Not required: a link or a typed address naming only the period gets the XLSX.
    fmt = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[("xlsx", "XLSX (Excel)"), ("csv", "CSV")],
        initial="xlsx",
        required=False,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.filter(is_active=True).order_by("name")
        if user_role(user) not in ALL_AGENCIES_ROLES:
            agencies = Agency.objects.filter(pk=user.agency_id)
            self.fields["agency"].initial = user.agency_id
            self.fields["agency"].widget = forms.HiddenInput()
        self.fields["agency"].queryset = agencies

    def clean_period(self) -> str:
        try:
            return Period.parse(self.cleaned_data["period"]).key
        except InvalidPeriod:
            raise forms.ValidationError(
                _("Type a period like 2025, 2025-S1, 2025-Q3 or 2025-07.")
            ) from None

    def clean_fmt(self) -> str:
        return self.cleaned_data["fmt"] or "xlsx"


@login_required
def values_upload(request: HttpRequest) -> HttpResponse:
    """Upload a filled template: every error listed and nothing saved, or the summary."""
    _require_editor(request)
    summary = None
    problems: list = []
    form = ValuesUploadForm()
    template_form = TemplateForm(user=request.user)
    if request.method == "GET" and "period" in request.GET:
        template_form = TemplateForm(request.GET, user=request.user)
        if template_form.is_valid():
            data = template_form.cleaned_data
            return redirect(
                "values-template",
                agency_pk=data["agency"].pk,
                period=data["period"],
                fmt=data["fmt"],
            )
    if request.method == "POST":
        form = ValuesUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                summary = values_import(
                    actor=request.user, data=upload.read(), filename=upload.name
                )
            except DomainError as exc:
                form.add_error("file" if not exc.errors else None, exc.message)
                problems = exc.errors
    # A refused file, or a template asked for with a period that is none (?period=xyz).
    refused = request.method == "POST" and (problems or form.errors)
    status = 400 if refused or template_form.errors else 200
    return render(
        request,
        "values/upload.html",
        {
            "form": form,
            "template_form": template_form,
            "summary": summary,
            "problems": problems,
            "any_sheet": any(p.sheet for p in problems),
        },
        status=status,
    )
