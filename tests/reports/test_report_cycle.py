"""Making and finalising the report records step 7 in the open cycle of its period."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from satudata.core.actors import SystemActor
from satudata.core.jobs import run_ready_jobs
from satudata.reports.services import report_create, report_finalise
from satudata.sop.constants import DEFAULT_SOP_FILE
from satudata.sop.models import StepRun
from satudata.sop.services import cycle_start, sop_load


def test_step_7_starts_with_the_draft_and_ends_with_the_final_report(
    walidata, django_capture_on_commit_callbacks
):
    system = SystemActor("test")
    sop_load(actor=system, path=DEFAULT_SOP_FILE)
    last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    cycle = cycle_start(actor=system, period=last_month, at=timezone.now() - dt.timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        report = report_create(actor=walidata, period=last_month)
    run = StepRun.objects.get(cycle=cycle, step__number=7)
    assert run.is_running and run.started_by == walidata
    run_ready_jobs()
    report.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        report_finalise(actor=walidata, report=report)
    run.refresh_from_db()
    assert not run.is_running and run.done_by == walidata
    assert run.output_url == f"/app/reports/{report.pk}/"
    # Another cycle period's report touches nothing.
    with django_capture_on_commit_callbacks(execute=True):
        report_create(actor=walidata, period=str(timezone.localdate().year - 1))
    assert StepRun.objects.filter(step__number=7).count() == 1
