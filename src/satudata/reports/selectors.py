"""Reads of the dissemination reports that encode a rule: who sees which reports."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from satudata.reports.models import Report
from satudata.reports.permissions import may_view_reports


def reports_for(user: Any) -> QuerySet[Report]:
    """Every report, newest period first, for those who may read reports; none otherwise."""
    if not may_view_reports(user):
        return Report.objects.none()
    return Report.objects.select_related("created_by", "finalised_by").order_by(
        "-period", "-created_at", "-pk"
    )


def report_status(report: Report) -> dict[str, Any]:
    """What the report page polls while a build runs."""
    return {
        "state": report.state,
        "job_state": report.job_state,
        "percent": report.job_percent,
        "message": report.job_message,
        "error": report.job_error,
        "active": report.job_active,
        "has_files": report.has_files,
    }
