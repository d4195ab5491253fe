"""Step 7 recorded in the dissemination cycle of the report's period, by itself.

Making a draft report starts step 7 of the open cycle for the same period; finalising it ends
the step with the report as its output, so walidata's cycle timeline needs no typing. When no
open cycle has the report's period, or walidata already recorded the step by hand, nothing is
recorded here.
"""

from __future__ import annotations

import logging
from typing import Any

from django.urls import reverse
from django.utils import timezone

from satudata.core.errors import DomainError
from satudata.reports.models import Report
from satudata.sop.models import Cycle, StepRun
from satudata.sop.services import step_finish, step_start

logger = logging.getLogger(__name__)

REPORT_STEP = 7


def _cycle(report: Report) -> Cycle | None:
    return Cycle.objects.filter(period=report.period, closed_at__isnull=True).first()


def cycle_report_started(actor: Any, report: Report) -> StepRun | None:
    cycle = _cycle(report)
    if cycle is None or StepRun.objects.filter(cycle=cycle, step__number=REPORT_STEP).exists():
        return None
    try:
        return step_start(actor=actor, cycle=cycle, number=REPORT_STEP, at=timezone.now())
    except DomainError as exc:
        logger.info("report %s: step 7 not started: %s", report.pk, exc.message)
        return None


def cycle_report_finalised(actor: Any, report: Report) -> StepRun | None:
    cycle = _cycle(report)
    if cycle is None:
        return None
    run = StepRun.objects.filter(
        cycle=cycle, step__number=REPORT_STEP, ended_at__isnull=True
    ).first()
    if run is None:
        return None
    try:
        return step_finish(
            actor=actor,
            run=run,
            output_label=str(report),
            output_url=reverse("reports:detail", args=[report.pk]),
            at=max(timezone.now(), run.started_at),
        )
    except DomainError as exc:
        logger.info("report %s: step 7 not finished: %s", report.pk, exc.message)
        return None
