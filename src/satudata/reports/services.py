"""State changes of the dissemination report (SOP step 7): create, generate, narrate, finalise.

A draft is made for a period and its figures gathered from the records by a background job
(`report_build`, run by reports.tasks), which then renders the PDF, XLSX and DOCX. Walidata
adds a narrative and finalises: the figures the draft last showed are frozen with the
narrative, checksummed, and the final files rendered once from them. Nothing changes a final
report afterwards; a failed final build may only be run again from the same frozen figures.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from satudata.audit.services import audit_record
from satudata.core.actors import require
from satudata.core.errors import DomainError, InvalidTransition
from satudata.core.jobs import enqueue_on_commit
from satudata.reports.cycle_links import cycle_report_finalised, cycle_report_started
from satudata.reports.models import JobState, Report, ReportState
from satudata.reports.permissions import may_manage_reports
from satudata.schedule.periods import InvalidPeriod, Period

log = logging.getLogger(__name__)

NARRATIVE_MAX = 20_000
FILE_KINDS: tuple[str, ...] = ("pdf", "xlsx", "docx")


def _audit_view(report: Report) -> dict[str, Any]:
    return {
        "period": report.period,
        "state": report.state,
        "narrative": report.narrative,
        "data_sha256": report.data_sha256,
        "pdf_sha256": report.pdf_sha256,
        "xlsx_sha256": report.xlsx_sha256,
        "docx_sha256": report.docx_sha256,
    }


def data_checksum(data: dict[str, Any]) -> str:
    """SHA-256 of the figures in a canonical JSON form (sorted keys, no spaces)."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def report_period(key: str, *, today: Any = None) -> Period:
    """The period a report may be made for: a valid key that has already begun."""
    today = today or timezone.localdate()
    try:
        period = Period.parse(key)
    except InvalidPeriod:
        raise DomainError(
            _(
                "“%(key)s” is not a period: write a year (2026), a semester (2026-S1), a quarter "
                "(2026-Q3) or a month (2026-11)."
            )
            % {"key": key}
        ) from None
    if period.start > today:
        raise DomainError(
            _(
                "%(period)s has not begun yet: a report can only be made for a period that has "
                "started."
            )
            % {"period": period.key}
        )
    return period


def _queue(report: Report, *, regather: bool) -> None:
    from satudata.reports.tasks import build_report

    report.job_token = get_random_string(32)
    report.job_state = JobState.QUEUED
    report.job_percent = 0
    report.job_message = ""
    report.job_error = ""
    report.job_started_at = report.job_finished_at = None
    enqueue_on_commit(build_report, report.pk, report.job_token, regather)


def report_create(*, actor: Any, period: str) -> Report:
    """A draft report for a period that has begun, its figures gathered by a queued job."""
    require(actor, may_manage_reports)
    key = report_period(period).key
    with transaction.atomic():
        if Report.objects.filter(period=key, state=ReportState.DRAFT).exists():
            raise DomainError(
                _("A draft report for %(period)s already exists: open it from the list.")
                % {"period": key}
            )
        report = Report(period=key, created_by=actor if hasattr(actor, "pk") else None)
        report.save()
        _queue(report, regather=True)
        report.save()
        audit_record(
            actor=actor,
            action="report.create",
            target=report,
            before=None,
            after=_audit_view(report),
        )
        cycle_report_started(actor, report)
    return report


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


def report_generate(*, actor: Any, report: Report) -> Report:
    """Gather a draft's figures again from the records and render its files (a job).

    A final report is never gathered again; only a failed build of its files may be retried,
    from its frozen figures.
    """
    require(actor, may_manage_reports)
    with transaction.atomic():
        report = _locked(report)
        if report.job_active:
            raise DomainError(_("The report is being generated; wait for it to finish."))
        if report.is_final and report.job_state != JobState.FAILED:
            raise InvalidTransition(_("A final report does not change."))
        _queue(report, regather=not report.is_final)
        report.save()
        audit_record(
            actor=actor,
            action="report.generate",
            target=report,
            before=None,
            after=_audit_view(report),
        )
    return report


def report_narrative_save(*, actor: Any, report: Report, narrative: str) -> Report:
    """Walidata's narrative text of a draft; its files are rendered again with it (a job)."""
    require(actor, may_manage_reports)
    narrative = (narrative or "").strip()
    if len(narrative) > NARRATIVE_MAX:
        raise DomainError(
            _("The narrative is too long (at most %(n)s characters).") % {"n": NARRATIVE_MAX}
        )
    with transaction.atomic():
        report = _locked(report)
        if report.is_final:
            raise InvalidTransition(_("A final report does not change."))
        before = _audit_view(report)
        if narrative == report.narrative:
            return report
        report.narrative = narrative
        # Files only: the figures walidata is writing about stay as they are.
        if report.data and not report.job_active:
            _queue(report, regather=False)
        report.save()
        audit_record(
            actor=actor,
            action="report.narrate",
            target=report,
            before=before,
            after=_audit_view(report),
        )
    return report


def report_finalise(*, actor: Any, report: Report) -> Report:
    """Freeze the draft: its figures as last gathered and its narrative, checksummed; the
    final files are rendered once from them (a job)."""
    require(actor, may_manage_reports)
    with transaction.atomic():
        report = _locked(report)
        if report.is_final:
            raise InvalidTransition(_("The report is already final."))
        if report.job_active:
            raise DomainError(_("The report is being generated; wait for it to finish."))
        if not report.data:
            raise DomainError(_("Generate the report before finalising it."))
        before = _audit_view(report)
        now = timezone.now()
        report.state = ReportState.FINAL
        report.finalised_by = actor if hasattr(actor, "pk") else None
        report.finalised_at = now
        report.data = {**report.data, "narrative": report.narrative}
        report.data_sha256 = data_checksum(report.data)
        _queue(report, regather=False)
        report.save()
        audit_record(
            actor=actor,
            action="report.finalise",
            target=report,
            before=before,
            after=_audit_view(report),
        )
        cycle_report_finalised(actor, report)
    return report


# --- The build job (reports.tasks.build_report) -----------------------------------------


def _progress(report_id: int, percent: int, message: str) -> None:
    # An update of two columns outside any long transaction, so the page sees it at once.
    Report.objects.filter(pk=report_id).update(job_percent=percent, job_message=message[:200])


def report_build(*, report_id: int, token: str, regather: bool) -> None:
    """Gather (drafts) and render the files of a report; record progress, result or error.

    Runs once per queued token: a superseded or finished job finds another token or state
    and does nothing, so a retried job never renders a final report twice.
    """
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.job_token != token or report.job_state != JobState.QUEUED:
            return
        report.job_state = JobState.RUNNING
        report.job_started_at = timezone.now()
        report.job_percent = 1
        report.save(update_fields=["job_state", "job_started_at", "job_percent"])
    try:
        _build(report, regather=regather)
    except Exception as exc:
        log.exception("report %s: build failed", report_id)
        Report.objects.filter(pk=report_id, job_token=token).update(
            job_state=JobState.FAILED,
            job_error=f"{type(exc).__name__}: {exc}"[:2000],
            job_finished_at=timezone.now(),
        )


def _build(report: Report, *, regather: bool) -> None:
    from satudata.reports.charts import to_png, to_svg
    from satudata.reports.document import build_document
    from satudata.reports.gather import gather
    from satudata.reports.render_docx import render_docx
    from satudata.reports.render_pdf import render_pdf
    from satudata.reports.render_xlsx import render_xlsx

    pk = report.pk
    if regather and not report.is_final:
        data = gather(
            period=Period.parse(report.period),
            progress=lambda percent, message: _progress(pk, percent, message),
        )
        report.data = data
        report.data_generated_at = timezone.now()
        report.data_sha256 = data_checksum(data)
        Report.objects.filter(pk=pk).update(
            data=data, data_generated_at=report.data_generated_at, data_sha256=report.data_sha256
        )
    data = report.data
    narrative = data.get("narrative", report.narrative) if report.is_final else report.narrative
    _progress(pk, 75, "charts")
    document = build_document(data, narrative)
    svgs = {key: to_svg(spec) for key, spec in document["charts"].items()}
    _progress(pk, 80, "pdf")
    files = {"pdf": render_pdf(document, svgs=svgs)}
    _progress(pk, 88, "docx")
    pngs = {key: to_png(spec) for key, spec in document["charts"].items()}
    files["docx"] = render_docx(document, pngs=pngs)
    _progress(pk, 95, "xlsx")
    files["xlsx"] = render_xlsx(data)

    with transaction.atomic():
        fresh = Report.objects.select_for_update().get(pk=pk)
        if fresh.job_token != report.job_token:
            return  # superseded while rendering: the newer job writes the files
        base = f"laporan-diseminasi-{fresh.period}"
        for kind in FILE_KINDS:
            old = getattr(fresh, kind)
            if old and not fresh.is_final:
                old.delete(save=False)
            getattr(fresh, kind).save(f"{base}.{kind}", ContentFile(files[kind]), save=False)
            setattr(fresh, f"{kind}_sha256", hashlib.sha256(files[kind]).hexdigest())
        fresh.job_state = JobState.DONE
        fresh.job_percent = 100
        fresh.job_message = ""
        fresh.job_finished_at = timezone.now()
        if not fresh.is_final and fresh.narrative != narrative:
            # The narrative was saved while these files were rendered (its save does not
            # queue a second job over a running one): render them once more with it.
            _queue(fresh, regather=False)
        fresh.save()
