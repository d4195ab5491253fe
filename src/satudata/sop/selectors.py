"""Reads of the SOP and its cycles that encode a rule: which revision is in force, what is late."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from satudata.sop.choices import StepState
from satudata.sop.durations import duration_text, late_text
from satudata.sop.models import Cycle, Sop, SopStep, StepRun


def current_sop() -> Sop | None:
    """The revision in force, with its steps."""
    return Sop.objects.filter(is_current=True).prefetch_related("steps").first()


def sop_revisions() -> QuerySet[Sop]:
    """Every revision, newest first."""
    return Sop.objects.order_by("-revision")


def sop_revision(number: int) -> Sop | None:
    return Sop.objects.filter(revision=number).prefetch_related("steps").first()


@dataclass
class RunLine:
    """One run as the timeline shows it."""

    run: StepRun
    due_at: dt.datetime
    is_late: bool
    duration: str
    late: str


@dataclass
class AgencyRuns:
    """The runs of a producers' step for one agency (a re-run after a returned review too)."""

    agency_name: str
    runs: list[RunLine]


@dataclass
class StepLine:
    """One step of a cycle: its standard, its runs and how they went."""

    step: SopStep
    standard: str
    state: str
    runs: list[RunLine] = field(default_factory=list)
    first_start: dt.datetime | None = None
    last_end: dt.datetime | None = None
    actual: dt.timedelta | None = None
    actual_text: str = ""
    late_count: int = 0
    running_count: int = 0
    # Bar lengths as percentages of the longest bar on the page.
    standard_pct: int = 0
    actual_pct: int = 0

    @property
    def count(self) -> int:
        return len(self.runs)

    @property
    def state_label(self) -> str:
        return str(StepState(self.state).label)

    @property
    def by_agency(self) -> list[AgencyRuns]:
        groups: dict[str, list[RunLine]] = defaultdict(list)
        for line in self.runs:
            groups[line.run.agency.name if line.run.agency else ""].append(line)
        return [AgencyRuns(name, runs) for name, runs in sorted(groups.items())]


def _state(runs: list[RunLine]) -> str:
    if not runs:
        return StepState.NOT_STARTED
    if any(r.is_late for r in runs):
        return StepState.LATE
    if any(r.run.is_running for r in runs):
        return StepState.RUNNING
    return StepState.DONE


def _standard_span(step: SopStep, start: dt.datetime) -> dt.timedelta:
    return step.due_at(start) - start


def cycle_timeline(cycle: Cycle, now: dt.datetime) -> list[StepLine]:
    """Per step of the cycle's SOP revision: standard time, runs, actual time, lateness, state.

    The actual time of a step run by several agencies spans from its first start to its last
    end (or now, while one still runs): how long the regency took for that step.
    """
    runs_by_step: dict[int, list[StepRun]] = defaultdict(list)
    for run in cycle.runs.select_related("step", "agency", "started_by", "done_by"):
        runs_by_step[run.step_id].append(run)
    lines = []
    for step in cycle.sop.steps.order_by("number"):
        runs = sorted(runs_by_step.get(step.pk, []), key=lambda r: (r.started_at, r.pk))
        run_lines = [
            RunLine(
                run=r,
                due_at=r.due_at,
                is_late=r.is_late_at(now),
                duration=duration_text((r.ended_at or now) - r.started_at),
                late=late_text(r.lateness(now)) if r.is_late_at(now) else "",
            )
            for r in runs
        ]
        line = StepLine(step=step, standard=step.standard_text, state=_state(run_lines))
        line.runs = run_lines
        line.late_count = sum(1 for r in run_lines if r.is_late)
        line.running_count = sum(1 for r in runs if r.is_running)
        if runs:
            line.first_start = runs[0].started_at
            ends = [r.ended_at for r in runs if r.ended_at]
            line.last_end = max(ends) if ends and not line.running_count else None
            line.actual = (line.last_end or now) - line.first_start
            line.actual_text = duration_text(line.actual)
        lines.append(line)
    _scale_bars(lines, cycle.started_at)
    return lines


def _scale_bars(lines: list[StepLine], cycle_start: dt.datetime) -> None:
    spans = []
    for line in lines:
        start = line.first_start or cycle_start
        spans.append((_standard_span(line.step, start), line.actual or dt.timedelta(0)))
    longest = max((max(s, a) for s, a in spans), default=dt.timedelta(0))
    if not longest:
        return
    for line, (standard, actual) in zip(lines, spans, strict=True):
        line.standard_pct = max(1, round(100 * standard / longest))
        line.actual_pct = round(100 * actual / longest) if line.actual is not None else 0
        if line.actual is not None and line.actual_pct == 0:
            line.actual_pct = 1


@dataclass
class CycleRow:
    """A cycle in the list: how far it went and how many runs were late."""

    cycle: Cycle
    steps_done: int
    steps_total: int
    late_runs: int
    running: int

    @property
    def progress_pct(self) -> int:
        return round(100 * self.steps_done / self.steps_total) if self.steps_total else 0


def cycle_rows(now: dt.datetime) -> list[CycleRow]:
    """Every cycle, newest first, with its progress (steps done) and late runs."""
    rows = []
    for cycle in Cycle.objects.select_related("sop").order_by("-started_at", "-pk"):
        lines = cycle_timeline(cycle, now)
        rows.append(
            CycleRow(
                cycle=cycle,
                steps_done=sum(1 for s in lines if s.runs and not s.running_count),
                steps_total=len(lines),
                late_runs=sum(s.late_count for s in lines),
                running=sum(s.running_count for s in lines),
            )
        )
    return rows
