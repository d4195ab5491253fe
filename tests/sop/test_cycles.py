"""A cycle runs the SOP's steps: who may record which step, in which order, and what is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from satudata.core.errors import DomainError, InvalidTransition, NotAllowed
from satudata.sop.models import Cycle
from satudata.sop.services import cycle_close, cycle_start, step_finish, step_start
from tests.factories import AgencyFactory, UserFactory
from tests.sop.conftest import CYCLE_PERIOD, CYCLE_START, SYSTEM, hours


def _walidata_steps_done(cycle, actor):
    moment = CYCLE_START
    for number in (1, 2, 3):
        run = step_start(actor=actor, cycle=cycle, number=number, at=moment)
        step_finish(actor=actor, run=run, at=hours(moment, 2))
        moment = hours(moment, 3)
    return moment


# --- starting a cycle ------------------------------------------------------------------


def test_walidata_starts_a_cycle_under_the_sop_in_force(sop, walidata):
    cycle = cycle_start(actor=walidata, period=CYCLE_PERIOD)
    assert cycle.sop == sop and cycle.started_by == walidata and not cycle.is_closed


@pytest.mark.parametrize("period", ["2025", "2025-Q4", "2025-11"])
def test_a_cycle_runs_for_a_year_a_quarter_or_a_month(sop, walidata, period):
    assert cycle_start(actor=walidata, period=period).period == period


@pytest.mark.parametrize("period", ["2025-S2", "2025-13", "next month", ""])
def test_other_periods_are_refused(sop, walidata, period):
    with pytest.raises(DomainError):
        cycle_start(actor=walidata, period=period)


def test_a_period_that_has_not_begun_is_refused(sop, walidata):
    next_year = str(timezone.localdate().year + 1)
    with pytest.raises(DomainError, match=next_year):
        cycle_start(actor=walidata, period=next_year)


def test_one_cycle_per_period(cycle, walidata):
    with pytest.raises(DomainError):
        cycle_start(actor=walidata, period=CYCLE_PERIOD)
    assert Cycle.objects.count() == 1


def test_no_cycle_without_an_sop(db, walidata):
    with pytest.raises(DomainError, match="load-sop"):
        cycle_start(actor=walidata, period="2025")


@pytest.mark.parametrize("persona", ["head", "operator", "supervisor"])
def test_only_walidata_and_administrators_start_or_close_cycles(sop, cycle, persona, request):
    user = request.getfixturevalue(persona)
    with pytest.raises(NotAllowed):
        cycle_start(actor=user, period="2025")
    with pytest.raises(NotAllowed):
        cycle_close(actor=user, cycle=cycle)


# --- recording steps -------------------------------------------------------------------


def test_walidata_records_his_step_with_its_output(cycle, walidata):
    run = step_start(actor=walidata, cycle=cycle, number=1, at=CYCLE_START)
    run = step_finish(
        actor=walidata,
        run=run,
        output_label="Daftar keterisian",
        output_url="/app/step-1/",
        at=hours(CYCLE_START, 4),
    )
    assert run.started_by == walidata and run.done_by == walidata
    assert run.duration == dt.timedelta(hours=4) and not run.is_late


def test_an_operator_cannot_record_step_1(cycle, operator):
    with pytest.raises(NotAllowed):
        step_start(actor=operator, cycle=cycle, number=1)


def test_a_producer_records_his_own_agencys_steps(cycle, operator, head, health):
    ref = "publication:1"
    run4 = step_start(actor=operator, cycle=cycle, number=4, agency=health, reference=ref)
    step_finish(actor=operator, run=run4)
    run5 = step_start(actor=head, cycle=cycle, number=5, agency=health, reference=ref)
    step_finish(actor=head, run=run5)
    run6 = step_start(actor=operator, cycle=cycle, number=6, agency=health, reference=ref)
    step_finish(actor=operator, run=run6, output_url="https://dinkes.jemberkab.go.id/berita/1")
    assert run6.agency == health


def test_a_producer_cannot_record_another_agencys_step(cycle, health, education):
    other_head = UserFactory(username="kepala2", role="producer_head", agency=education)
    other_operator = UserFactory(username="op2", role="producer_operator", agency=education)
    with pytest.raises(NotAllowed):
        step_start(actor=other_operator, cycle=cycle, number=4, agency=health)
    with pytest.raises(NotAllowed):
        step_start(actor=other_head, cycle=cycle, number=4, agency=health)
    run4 = step_start(actor=SYSTEM, cycle=cycle, number=4, agency=health)
    step_finish(actor=SYSTEM, run=run4)
    with pytest.raises(NotAllowed):
        step_start(actor=other_head, cycle=cycle, number=5, agency=health)


def test_the_performer_decides_an_operator_does_not_review(cycle, operator, health):
    run4 = step_start(actor=operator, cycle=cycle, number=4, agency=health)
    step_finish(actor=operator, run=run4)
    with pytest.raises(NotAllowed):
        step_start(actor=operator, cycle=cycle, number=5, agency=health)


def test_the_supervisor_records_nothing(cycle, supervisor, health):
    with pytest.raises(NotAllowed):
        step_start(actor=supervisor, cycle=cycle, number=1)
    with pytest.raises(NotAllowed):
        step_start(actor=supervisor, cycle=cycle, number=4, agency=health)


def test_finishing_twice_is_refused(cycle, walidata):
    run = step_start(actor=walidata, cycle=cycle, number=1, at=CYCLE_START)
    step_finish(actor=walidata, run=run, at=hours(CYCLE_START, 1))
    with pytest.raises(InvalidTransition):
        step_finish(actor=walidata, run=run)


def test_walidatas_steps_run_once_and_in_order(cycle, walidata):
    with pytest.raises(InvalidTransition, match="1"):
        step_start(actor=walidata, cycle=cycle, number=2)
    run = step_start(actor=walidata, cycle=cycle, number=1, at=CYCLE_START)
    with pytest.raises(InvalidTransition):
        step_start(actor=walidata, cycle=cycle, number=1)
    step_finish(actor=walidata, run=run, at=hours(CYCLE_START, 1))
    with pytest.raises(InvalidTransition):
        step_start(actor=walidata, cycle=cycle, number=1)
    step_start(actor=walidata, cycle=cycle, number=2)


def test_step_5_waits_for_the_publications_step_4(cycle, operator, head, health):
    run4 = step_start(actor=operator, cycle=cycle, number=4, agency=health, reference="p:1")
    with pytest.raises(InvalidTransition):
        step_start(actor=head, cycle=cycle, number=5, agency=health, reference="p:1")
    step_finish(actor=operator, run=run4)
    # Another publication's step 4 is not this one's.
    with pytest.raises(InvalidTransition):
        step_start(actor=head, cycle=cycle, number=5, agency=health, reference="p:2")
    step_start(actor=head, cycle=cycle, number=5, agency=health, reference="p:1")


def test_a_returned_draft_goes_back_to_step_4(cycle, operator, head, health):
    run4 = step_start(actor=operator, cycle=cycle, number=4, agency=health)
    step_finish(actor=operator, run=run4)
    run5 = step_start(actor=head, cycle=cycle, number=5, agency=health)
    step_finish(actor=head, run=run5, returned=True, note="Tambahkan rincian kecamatan")
    with pytest.raises(InvalidTransition):
        step_start(actor=operator, cycle=cycle, number=6, agency=health)
    rerun = step_start(actor=operator, cycle=cycle, number=4, agency=health)
    step_finish(actor=operator, run=rerun)
    step_finish(actor=head, run=step_start(actor=head, cycle=cycle, number=5, agency=health))
    assert step_start(actor=operator, cycle=cycle, number=6, agency=health).step.number == 6


def test_only_a_review_can_send_a_draft_back(cycle, walidata):
    run = step_start(actor=walidata, cycle=cycle, number=1, at=CYCLE_START)
    with pytest.raises(DomainError):
        step_finish(actor=walidata, run=run, returned=True)


def test_agency_is_required_for_producers_steps_and_refused_for_walidatas(cycle, walidata, health):
    with pytest.raises(DomainError):
        step_start(actor=walidata, cycle=cycle, number=4)
    with pytest.raises(DomainError):
        step_start(actor=walidata, cycle=cycle, number=1, agency=health)


def test_unknown_steps_future_times_and_bad_links_are_refused(cycle, walidata):
    with pytest.raises(DomainError):
        step_start(actor=walidata, cycle=cycle, number=8)
    with pytest.raises(DomainError):
        step_start(actor=walidata, cycle=cycle, number=1, at=timezone.now() + dt.timedelta(hours=1))
    run = step_start(actor=walidata, cycle=cycle, number=1, at=CYCLE_START)
    with pytest.raises(DomainError):
        step_finish(actor=walidata, run=run, output_url="javascript:alert(1)")
    with pytest.raises(DomainError):
        step_finish(actor=walidata, run=run, at=CYCLE_START - dt.timedelta(minutes=1))


# --- closing ---------------------------------------------------------------------------


def test_a_cycle_closes_only_when_its_report_is_done_and_then_refuses_changes(cycle, walidata):
    with pytest.raises(InvalidTransition):
        cycle_close(actor=walidata, cycle=cycle)
    moment = _walidata_steps_done(cycle, walidata)
    run7 = step_start(actor=walidata, cycle=cycle, number=7, at=moment)
    with pytest.raises(InvalidTransition):
        cycle_close(actor=walidata, cycle=cycle)
    step_finish(actor=walidata, run=run7, at=hours(moment, 5))
    cycle = cycle_close(actor=walidata, cycle=cycle)
    assert cycle.is_closed
    with pytest.raises(InvalidTransition):
        cycle_close(actor=walidata, cycle=cycle)
    with pytest.raises(InvalidTransition):
        step_start(actor=walidata, cycle=cycle, number=4, agency=AgencyFactory())


def test_a_cycle_keeps_its_revision_after_the_sop_is_revised(cycle, sop, admin_user, walidata):
    from satudata.sop.services import sop_revise
    from tests.sop.test_sop_data import _steps

    steps = _steps(sop)[:6]  # revision 4 drops the report step
    sop_revise(actor=admin_user, sop=sop, steps=steps)
    cycle.refresh_from_db()
    assert cycle.sop.revision == 3
    # The old cycle still has step 7 (its revision's), the new revision does not.
    moment = _walidata_steps_done(cycle, walidata)
    assert step_start(actor=walidata, cycle=cycle, number=7, at=moment).step.sop == sop


def test_every_change_is_audited(cycle, walidata):
    from satudata.audit.models import AuditEntry

    run = step_start(actor=walidata, cycle=cycle, number=1, at=CYCLE_START)
    step_finish(actor=walidata, run=run, at=hours(CYCLE_START, 1))
    entries = AuditEntry.objects.filter(action__regex=r"^(cycle|step)\.").order_by("pk")
    assert list(entries.values_list("action", "actor_label")) == [
        ("cycle.start", "test"),
        ("step.start", "walidata"),
        ("step.finish", "walidata"),
    ]
