"""The dissemination report (SOP step 7) and its archive.

A report covers one period ("2026", "2026-S2", "2026-Q3", "2026-11"). While it is a draft its
figures (`data`, a JSON snapshot of every number the report prints) are gathered again from
the system's records whenever walidata asks; once final, `data` and the three files never
change again, and their SHA-256 checksums prove it. Building the files is a background job
whose progress is recorded on the row itself (`job_*` fields) so the page can show it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")


class JobState(models.TextChoices):
    """Where the background build of a report's figures and files stands."""

    IDLE = "idle", _("Not generated yet")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Generating")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


def report_file_path(report: Report, filename: str) -> str:
    # One folder per report: a final report's files sit beside nothing that a draft rewrites.
    return f"reports/{report.pk}/{filename}"


class Report(models.Model):
    """Laporan Diseminasi Data for one period: figures, narrative, files and checksums."""

    period = models.CharField(_("period"), max_length=10)
    state = models.CharField(
        _("state"), max_length=10, choices=ReportState.choices, default=ReportState.DRAFT
    )
    narrative = models.TextField(_("narrative"), blank=True)
    # Every figure the report prints, as gathered (reports.gather); frozen when final.
    data = models.JSONField(_("figures"), default=dict, blank=True)
    data_generated_at = models.DateTimeField(_("figures gathered at"), null=True, blank=True)
    data_sha256 = models.CharField(_("checksum of the figures"), max_length=64, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=report_file_path, blank=True, max_length=300)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    xlsx = models.FileField(_("XLSX"), upload_to=report_file_path, blank=True, max_length=300)
    xlsx_sha256 = models.CharField(max_length=64, blank=True)
    docx = models.FileField(_("DOCX"), upload_to=report_file_path, blank=True, max_length=300)
    docx_sha256 = models.CharField(max_length=64, blank=True)
    # The background build (reports.tasks): its state, progress for the page, and its error.
    job_state = models.CharField(
        _("generation"), max_length=10, choices=JobState.choices, default=JobState.IDLE
    )
    # A fresh token per queued build: a superseded job finds another token and does nothing.
    job_token = models.CharField(max_length=32, blank=True)
    job_percent = models.PositiveSmallIntegerField(default=0)
    job_message = models.CharField(max_length=200, blank=True)
    job_error = models.TextField(_("error"), blank=True)
    job_started_at = models.DateTimeField(null=True, blank=True)
    job_finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)

    class Meta:
        ordering = ["-period", "-created_at", "-pk"]
        verbose_name = _("dissemination report")
        verbose_name_plural = _("dissemination reports")
        constraints = [
            # One draft per period at a time; final reports stay in the archive beside it.
            models.UniqueConstraint(
                fields=["period"], condition=Q(state="draft"), name="report_one_draft_per_period"
            )
        ]

    def __str__(self) -> str:
        return str(_("Dissemination report %(period)s") % {"period": self.period})

    @property
    def is_final(self) -> bool:
        return self.state == ReportState.FINAL

    @property
    def job_active(self) -> bool:
        return self.job_state in (JobState.QUEUED, JobState.RUNNING)

    @property
    def has_files(self) -> bool:
        return bool(self.pdf and self.xlsx and self.docx)
