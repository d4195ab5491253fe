"""The demo hook: the SOP and a cycle that shows every state of the timeline on first run."""

from __future__ import annotations

from django.utils import timezone

from satudata.core.actors import SystemActor
from satudata.demo.sop import sop_demo_load
from satudata.sop.choices import StepState
from satudata.sop.models import Cycle, Sop
from satudata.sop.selectors import cycle_timeline


def test_the_demo_cycle_shows_done_late_and_running_steps(health, education, operator):
    cycle = sop_demo_load(SystemActor("demo"))
    assert cycle is not None and Sop.objects.get().revision == 3
    lines = {line.step.number: line for line in cycle_timeline(cycle, timezone.now())}
    assert lines[1].state == StepState.DONE
    assert lines[2].state == StepState.LATE
    assert lines[3].state == StepState.DONE
    assert lines[4].state == StepState.LATE and len(lines[4].by_agency) == 2
    assert any(r.run.returned for r in lines[5].runs)
    assert lines[6].state == StepState.DONE and lines[6].count == 2
    assert lines[7].state == StepState.RUNNING


def test_the_demo_hook_runs_twice_without_harm(health, education):
    sop_demo_load(SystemActor("demo"))
    assert sop_demo_load(SystemActor("demo")) is None
    assert Cycle.objects.count() == 1
