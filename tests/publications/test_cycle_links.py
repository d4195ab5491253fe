"""A publication's steps 4-6 appear in the open dissemination cycle by themselves."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from satudata.core.actors import SystemActor
from satudata.publications.services import (
    draft_save,
    draft_submit,
    publication_approve,
    publication_instruct,
    publication_return,
)
from satudata.sop.constants import DEFAULT_SOP_FILE
from satudata.sop.models import StepRun
from satudata.sop.services import cycle_start, sop_load

SYSTEM = SystemActor("test")


@pytest.fixture
def cycle(db):
    sop_load(actor=SYSTEM, path=DEFAULT_SOP_FILE)
    started = timezone.now() - dt.timedelta(days=3)
    last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    return cycle_start(actor=SYSTEM, period=last_month, at=started)


def _runs(cycle):
    return [
        (run.step.number, run.returned, run.ended_at is None)
        for run in StepRun.objects.filter(cycle=cycle).order_by("started_at", "pk")
    ]


def test_instruct_return_approve_are_recorded_as_step_runs(cycle, head, operator, agency):
    publication = publication_instruct(actor=head, agency=agency, assignee=operator, topic="AKI")
    draft_save(actor=operator, publication=publication, title="AKI", body="<p>x</p>")
    draft_submit(actor=operator, publication=publication)
    publication_return(actor=head, publication=publication, comment="Sumber?")
    draft_submit(actor=operator, publication=publication)
    publication_approve(actor=head, publication=publication)
    assert _runs(cycle) == [
        (4, False, False),
        (5, True, False),
        (4, False, False),
        (5, False, False),
        (6, False, True),
    ]
    run = StepRun.objects.filter(cycle=cycle, step__number=4).first()
    assert run.agency == agency and run.reference == f"publication:{publication.pk}"
    assert run.output_url == f"/app/publications/{publication.pk}/"


def test_without_an_open_cycle_nothing_is_recorded(cycle, head, operator, agency):
    StepRun.objects.filter(cycle=cycle).delete()
    # Close needs step 7 done; mark the cycle closed directly (a test fixture may).
    type(cycle).objects.filter(pk=cycle.pk).update(closed_at=timezone.now())
    publication_instruct(actor=head, agency=agency, assignee=operator, topic="AKI")
    assert StepRun.objects.count() == 0
