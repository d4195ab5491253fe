"""Background jobs of the dissemination report: build a report's figures and files."""

from __future__ import annotations

from django_tasks import task

from satudata.reports.services import report_build


@task()
def build_report(report_id: int, token: str, regather: bool) -> None:
    """Gather (a draft) and render a report; the row records progress and the outcome."""
    report_build(report_id=report_id, token=token, regather=regather)
