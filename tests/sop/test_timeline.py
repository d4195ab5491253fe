"""The cycle timeline: each step's standard against its actual time, its state and late runs."""

from __future__ import annotations

import datetime as dt

from satudata.sop.choices import StepState
from satudata.sop.selectors import cycle_rows, cycle_timeline
from satudata.sop.services import step_finish, step_start
from tests.sop.conftest import CYCLE_START, SYSTEM, hours


def _by_number(cycle, now):
    return {line.step.number: line for line in cycle_timeline(cycle, now)}


def test_a_new_cycle_has_every_step_not_started(cycle):
    lines = cycle_timeline(cycle, hours(CYCLE_START, 1))
    assert [line.step.number for line in lines] == [1, 2, 3, 4, 5, 6, 7]
    assert {line.state for line in lines} == {StepState.NOT_STARTED}
    assert all(line.standard_pct > 0 and line.actual is None for line in lines)


def test_states_done_late_running_and_late_while_running(cycle, health, education):
    # Step 1: 4 hours, on time. Step 2: three working days for a one-day step: late.
    run1 = step_start(actor=SYSTEM, cycle=cycle, number=1, at=CYCLE_START)
    step_finish(actor=SYSTEM, run=run1, at=hours(CYCLE_START, 4))
    start2 = hours(CYCLE_START, 5)
    run2 = step_start(actor=SYSTEM, cycle=cycle, number=2, at=start2)
    step_finish(actor=SYSTEM, run=run2, at=start2 + dt.timedelta(days=3))
    # Step 3 runs; step 4 runs for two agencies, one past its five working days.
    start3 = start2 + dt.timedelta(days=3, hours=1)
    step_start(actor=SYSTEM, cycle=cycle, number=3, at=start3)
    step_start(actor=SYSTEM, cycle=cycle, number=4, agency=health, at=CYCLE_START)
    step_start(actor=SYSTEM, cycle=cycle, number=4, agency=education, at=start3)
    now = hours(start3, 2)  # Thursday: health's step 4 (from Monday) is not yet late
    lines = _by_number(cycle, now)
    assert lines[1].state == StepState.DONE and lines[1].late_count == 0
    assert lines[2].state == StepState.LATE and lines[2].late_count == 1
    assert lines[2].runs[0].late  # the lateness in words, not only a colour
    assert lines[3].state == StepState.RUNNING
    assert lines[4].state == StepState.RUNNING and lines[4].count == 2
    assert [g.agency_name for g in lines[4].by_agency] == sorted([health.name, education.name])
    assert lines[5].state == StepState.NOT_STARTED
    # Ten days later health's draft is past due while still running: late.
    later = _by_number(cycle, now + dt.timedelta(days=10))
    assert later[4].state == StepState.LATE and later[4].late_count == 2
    assert later[3].state == StepState.LATE


def test_a_step_run_by_several_agencies_spans_first_start_to_last_end(cycle, health, education):
    a = step_start(actor=SYSTEM, cycle=cycle, number=4, agency=health, at=CYCLE_START)
    b = step_start(actor=SYSTEM, cycle=cycle, number=4, agency=education, at=hours(CYCLE_START, 2))
    step_finish(actor=SYSTEM, run=a, at=hours(CYCLE_START, 24))
    step_finish(actor=SYSTEM, run=b, at=hours(CYCLE_START, 30))
    line = _by_number(cycle, hours(CYCLE_START, 40))[4]
    assert line.state == StepState.DONE
    assert line.first_start == CYCLE_START and line.last_end == hours(CYCLE_START, 30)
    assert line.actual == dt.timedelta(hours=30)


def test_the_cycle_list_counts_steps_done_and_late_runs(cycle):
    run1 = step_start(actor=SYSTEM, cycle=cycle, number=1, at=CYCLE_START)
    step_finish(actor=SYSTEM, run=run1, at=CYCLE_START + dt.timedelta(days=2))
    step_start(actor=SYSTEM, cycle=cycle, number=2, at=CYCLE_START + dt.timedelta(days=2))
    (row,) = cycle_rows(CYCLE_START + dt.timedelta(days=2, hours=1))
    assert (row.steps_done, row.steps_total, row.late_runs, row.running) == (1, 7, 1, 1)
