"""The dissemination report pages (SOP step 7) and the letterhead settings, under /app/reports/.

Thin views: check the role, parse a form, call a service or selector, render. The report page
shows the figures from the report's own snapshot (`Report.data`), never live ones, so what is
on screen is what the files print.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from satudata.core.errors import DomainError
from satudata.core.models import letterhead
from satudata.core.services import letterhead_update, logo_check
from satudata.reports import permissions, selectors, services
from satudata.reports.document import paragraphs
from satudata.reports.forms import LetterheadForm, NarrativeForm, ReportCreateForm
from satudata.reports.models import Report
from satudata.reports.tables import agency_pairs, period_label, report_tables

FILE_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _default_period() -> str:
    """The last quarter that has ended: the usual report to make."""
    today = timezone.localdate()
    quarter = (today.month - 1) // 3
    return f"{today.year - 1}-Q4" if quarter == 0 else f"{today.year}-Q{quarter}"


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    """Every report; walidata makes a new draft for a period here."""
    _require(permissions.may_view_reports(request.user))
    may_manage = permissions.may_manage_reports(request.user)
    form = ReportCreateForm(initial={"period": _default_period()})
    if request.method == "POST":
        _require(may_manage)
        form = ReportCreateForm(request.POST)
        if form.is_valid():
            try:
                report = services.report_create(
                    actor=request.user, period=form.cleaned_data["period"]
                )
            except DomainError as error:
                form.add_error("period", error.message)
            else:
                messages.success(
                    request,
                    _("The draft report for %(period)s is being generated.")
                    % {"period": report.period},
                )
                return redirect("reports:detail", pk=report.pk)
    reports = list(selectors.reports_for(request.user))
    for report in reports:
        report.label = period_label(report.period)
    return render(
        request,
        "reports/report_list.html",
        {"reports": reports, "form": form, "may_manage": may_manage},
    )


def _report_for(request: HttpRequest, pk: int) -> Report:
    _require(permissions.may_view_reports(request.user))
    return get_object_or_404(selectors.reports_for(request.user), pk=pk)


def _page(request: HttpRequest, report: Report, narrative_form: NarrativeForm | None = None):
    data = report.data or {}
    context: dict[str, Any] = {
        "report": report,
        "label": period_label(report.period),
        "status": selectors.report_status(report),
        "may_manage": permissions.may_manage_reports(request.user),
        "narrative_form": narrative_form or NarrativeForm(initial={"narrative": report.narrative}),
        "narrative_paragraphs": paragraphs(
            data.get("narrative", report.narrative) if report.is_final else report.narrative
        ),
        "data": data,
    }
    if data:
        context["tables"] = report_tables(data)
        context["agencies"] = [(a, agency_pairs(a)) for a in data["agencies"]]
    return render(request, "reports/report_detail.html", context)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The report's figures on screen, its narrative, generation progress and downloads."""
    return _page(request, _report_for(request, pk))


@login_required
@require_POST
def report_narrative(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request, pk)
    _require(permissions.may_manage_reports(request.user))
    form = NarrativeForm(request.POST)
    if form.is_valid():
        try:
            services.report_narrative_save(
                actor=request.user, report=report, narrative=form.cleaned_data["narrative"]
            )
        except DomainError as error:
            form.add_error("narrative", error.message)
        else:
            messages.success(request, _("The narrative was saved."))
            return redirect("reports:detail", pk=report.pk)
    return _page(request, report, narrative_form=form)


@login_required
@require_POST
def report_generate(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request, pk)
    _require(permissions.may_manage_reports(request.user))
    try:
        services.report_generate(actor=request.user, report=report)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The report is being generated."))
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_POST
def report_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request, pk)
    _require(permissions.may_manage_reports(request.user))
    try:
        services.report_finalise(actor=request.user, report=report)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The report is final: its figures are frozen and its files archived.")
        )
    return redirect("reports:detail", pk=report.pk)


@login_required
def report_status(request: HttpRequest, pk: int) -> JsonResponse:
    """The build's progress, polled by the report page."""
    report = _report_for(request, pk)
    return JsonResponse(selectors.report_status(report))


@login_required
def report_download(request: HttpRequest, pk: int, kind: str) -> FileResponse:
    """A report file from storage (a final report's from its archive, never rebuilt)."""
    report = _report_for(request, pk)
    if kind not in FILE_TYPES:
        raise Http404
    stored = getattr(report, kind)
    if not stored:
        raise Http404
    suffix = "" if report.is_final else "-draf"
    return FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=f"laporan-diseminasi-{report.period}{suffix}.{kind}",
        content_type=FILE_TYPES[kind],
    )


@login_required
def letterhead_edit(request: HttpRequest) -> HttpResponse:
    """The letterhead printed on the report and the social cards (walidata, administrator)."""
    _require(permissions.may_edit_letterhead(request.user))
    current = letterhead()
    names = [n for n in LetterheadForm.base_fields if n != "logo"]
    if request.method == "POST":
        form = LetterheadForm(request.POST, request.FILES, initial={"logo": current.logo})
        if form.is_valid():
            logo = form.cleaned_data["logo"]
            try:
                if logo:
                    logo_check(logo)
            except DomainError as error:
                form.add_error("logo", error.message)
            else:
                _letterhead_save(request, form, logo, names)
                if not form.errors:
                    messages.success(request, _("The letterhead was saved."))
                    return redirect("reports:letterhead")
    else:
        initial = {n: getattr(current, n) for n in names}
        initial["logo"] = current.logo or None
        form = LetterheadForm(initial=initial)
    return render(request, "reports/letterhead.html", {"form": form, "current": current})


def _letterhead_save(
    request: HttpRequest, form: LetterheadForm, logo: Any, names: list[str]
) -> None:
    try:
        letterhead_update(
            actor=request.user,
            logo=logo or None,
            logo_clear=logo is False,
            **{n: form.cleaned_data[n] for n in names},
        )
    except DomainError as error:
        form.add_error(None, [error.message, *error.errors])
