"""Five years of values for the Jember demo, with the gaps and late fills of a real regency.

Every item of the list in force for a year gets values for each period that has ended, by
one call per item and period of values.services.observations_save_many (the batch form of
observations_save, the one path by which values change: it keeps the fill state, the
revisions and the audit log). The calls are backdated with `at`, so that a period filled
"on time" or "late" was filled in the past.

What happens to each item and period is drawn from a seeded random.Random, so the demo is
the same on every run:
- most periods past their due date were filled on time, some late, a few are still partly
  filled (a kecamatan or two missing, most often Sumberjambe) or missing, more of them in
  the last months than years ago (old gaps get filled eventually);
- periods that ended but are not yet due are filled early by some agencies, not by others;
- periods still running are left empty (not yet due);
- the kecamatan offices' village-level lists have values for the last two years only.
Dinas Kesehatan follows its operator's journey exactly: everything complete except the
quarterly immunisation coverage of the last quarter past its due date (2026-Q3, due
14 November 2026 when today is 25 November 2026); of the items due this month, four are
still to fill: that one and three due on 30 November.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from satudata.accounts.choices import AgencyKind
from satudata.catalog.models import Breakdown, DataItem
from satudata.catalog.selectors import decree_for_year
from satudata.core.actors import require
from satudata.demo.value_profiles import ValueModel, profile_for
from satudata.schedule.periods import Period
from satudata.schedule.services import DueDates, fill_states_sync
from satudata.values.cells import CellPlan
from satudata.values.choices import ValueStatus
from satudata.values.services import CellValue, ItemCells, observations_save_many

SEED = 2026
YEARS_BACK = 5  # 2021-2025 when today is in 2026, plus the current year's ended periods
DINKES = "1.02.01"
OVERDUE_ITEM = "Cakupan Imunisasi Dasar Lengkap"
# Dinkes still has four items to fill of those due this month: the overdue one and three due
# later in the month (the others were filled early).
DINKES_STILL_DUE_THIS_MONTH = 4
SUMBERJAMBE = "35.09.31"
# The kecamatan offices' village-level lists (248 villages x their breakdowns a year) are a
# third of the volume: they have values for the last two years only, as offices that joined
# the data list recently; their older periods show as missing. No demo user works there.
VILLAGE_YEARS = 2
CORRECTION_NOTE = "Dikoreksi setelah verifikasi lapangan"


class Outcome:
    """What happens to an item's period in the demo."""

    ON_TIME = "on_time"
    LATE = "late"
    PARTIAL = "partial"
    MISSING = "missing"
    EARLY = "early"  # ended, not yet due, already filled
    NONE = "none"  # not ended or not due: nothing yet


@dataclass
class ValuesSummary:
    """What the value demo loaded."""

    years: list[int] = field(default_factory=list)
    observations: int = 0
    saves: int = 0
    outcomes: Counter = field(default_factory=Counter)


@dataclass
class _Task:
    item: DataItem
    period: Period
    due: dt.date
    outcome: str
    rng: random.Random


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    """A moment during office hours of a day (Jakarta time, as the users work)."""
    moment = dt.datetime.combine(day, dt.time(rng.randint(8, 15), rng.randint(0, 59)))
    return timezone.make_aware(moment)


def _day_between(first: dt.date, last: dt.date, rng: random.Random) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max((last - first).days, 0)))


def _diligence(agency_code: str, seed: int) -> float:
    """How often an agency falls behind, relative to the average: some never, a few often."""
    draw = random.Random(f"{seed}|agency|{agency_code}").random()
    return 0.0 if draw < 0.45 else 1.0 if draw < 0.8 else 2.6


def _outcome(
    item: DataItem, period: Period, due: dt.date, today: dt.date, rng: random.Random, seed: int
) -> str:
    """Draw the fate of one item's period (Dinkes is arranged afterwards)."""
    if period.end >= today:
        return Outcome.NONE
    dinkes = item.agency.code == DINKES
    if due >= today:
        # Dinkes is arranged afterwards (see _arrange_dinkes).
        if dinkes:
            return Outcome.EARLY
        draw = rng.random()
        return Outcome.EARLY if draw < 0.3 else Outcome.PARTIAL if draw < 0.4 else Outcome.NONE
    recent = period.year > today.year - VILLAGE_YEARS
    if item.level == "village" and item.agency.kind == AgencyKind.DISTRICT and not recent:
        return Outcome.MISSING
    overdue_days = (today - due).days
    # Recent periods are often still open; old gaps were mostly filled in the end.
    behind = 0.16 if overdue_days <= 75 else 0.05 if overdue_days <= 400 else 0.02
    factor = 0.0 if dinkes else _diligence(item.agency.code, seed)
    behind *= factor
    draw = rng.random()
    if draw < behind:
        return Outcome.PARTIAL if draw < behind * 0.45 else Outcome.MISSING
    if draw < behind + 0.07 * (1 + factor) and overdue_days > 1:
        return Outcome.LATE
    return Outcome.ON_TIME


def _arrange_dinkes(tasks: list[_Task], today: dt.date) -> None:
    """Dinkes's journey: one overdue item (immunisation, last quarter due), a few due soon."""

    def this_month(day: dt.date) -> bool:
        return (day.year, day.month) == (today.year, today.month)

    dinkes = [t for t in tasks if t.item.agency.code == DINKES]
    immunisation = [
        t
        for t in dinkes
        if t.item.name == OVERDUE_ITEM and t.due < today and t.period.year == today.year
    ]
    overdue = max(immunisation, key=lambda t: t.due) if immunisation else None
    if overdue is not None:
        overdue.outcome = Outcome.MISSING
    upcoming = sorted(
        (t for t in dinkes if t.outcome == Outcome.EARLY), key=lambda t: (t.due, t.item.code)
    )
    # Of what falls due later this month, the first were filled early; the last are to do.
    due_soon = [t for t in upcoming if this_month(t.due)]
    left = DINKES_STILL_DUE_THIS_MONTH - (1 if overdue and this_month(overdue.due) else 0)
    to_do = due_soon[max(len(due_soon) - left, 0) :]
    for task in to_do + [t for t in upcoming if not this_month(t.due)]:
        task.outcome = Outcome.NONE


def _items_of(year: int) -> list[DataItem]:
    return list(
        DataItem.objects.filter(decree=decree_for_year(year))
        .select_related("agency")
        .prefetch_related(Prefetch("breakdowns", queryset=Breakdown.objects.order_by("slug")))
        .order_by("code")
    )


def _plan(years: list[int], today: dt.date, seed: int) -> list[_Task]:
    tasks = []
    for year in years:
        items = _items_of(year)
        dates = DueDates(items)
        for item in items:
            for period in Period.of_year(year, item.periodicity):
                if period.start > today:
                    break
                due = dates.for_item(item, period)
                rng = random.Random(f"{seed}|{item.code}|{period.key}")
                tasks.append(
                    _Task(item, period, due, _outcome(item, period, due, today, rng, seed), rng)
                )
    _arrange_dinkes(tasks, today)
    return tasks


def _left_out(cells: list[tuple[str, str]], rng: random.Random) -> set[tuple[str, str]]:
    """The cells a partly filled period lacks: a kecamatan or two, else some breakdown cells."""
    regions = sorted({r for r, _b in cells})
    if len(regions) > 1:
        districts = sorted({r[:8] for r in regions})
        gone = {SUMBERJAMBE if rng.random() < 0.7 else rng.choice(districts)}
        if rng.random() < 0.35:
            gone.add(rng.choice(districts))
        return {c for c in cells if c[0][:8] in gone}
    if len(cells) > 1:
        return set(rng.sample(cells, rng.randint(1, max(1, len(cells) // 3))))
    return set()


class _Loader:
    """Runs the planned tasks: one save per item and period (two when filled late)."""

    def __init__(self, *, actor: Any, today: dt.date, seed: int, first_year: int) -> None:
        self.actor, self.today = actor, today
        self.plan = CellPlan()
        self.model = ValueModel(seed=seed, first_year=first_year)
        self.summary = ValuesSummary()

    def _save(self, task: _Task, cells: list[CellValue], at: dt.datetime) -> None:
        # The batch form of observations_save (same checks, revisions, fill state and audit
        # row per item and period) writes rows without the ORM's per-object work: half the
        # load's time. One item and period a call, since each has its own moment.
        observations_save_many(
            actor=self.actor,
            saves=[ItemCells(task.item, task.period.key, cells)],
            plan=self.plan,
            at=at,
        )
        self.summary.saves += 1

    def run(self, task: _Task) -> None:
        outcome, rng, period, due = task.outcome, task.rng, task.period, task.due
        if outcome in (Outcome.NONE, Outcome.MISSING):
            return
        item = task.item
        required = self.plan.cells(item)
        profile = profile_for(unit=item.unit, name=item.name, seed=f"{item.code}|{item.name}")
        numbers = self.model.values(
            profile,
            required,
            year=period.year,
            index=period.index,
            periods_in_year=len(Period.of_year(period.year, item.periodicity)),
            rng=rng,
        )
        status = ValueStatus.FINAL if period.year < self.today.year else ValueStatus.PRELIMINARY
        source = item.source_activity[:300]
        cells = [
            CellValue(r, b, v, status=status, source=source)
            for (r, b), v in zip(required, numbers, strict=True)
        ]
        yesterday = self.today - dt.timedelta(days=1)
        first_day = period.end + dt.timedelta(days=1)
        if first_day > yesterday:
            return  # ended yesterday: nobody filled it yet
        left_out = _left_out(required, rng) if outcome in (Outcome.PARTIAL, Outcome.LATE) else set()
        if outcome == Outcome.PARTIAL and not left_out:
            return  # a single cell cannot be partly filled: the period stays missing
        some = [c for c in cells if (c.region, c.breakdown) not in left_out]
        if outcome == Outcome.EARLY:
            self._save(task, cells, _at(_day_between(first_day, yesterday, rng), rng))
        elif outcome == Outcome.PARTIAL:
            last = min(yesterday, due + dt.timedelta(days=30))
            self._save(task, some, _at(_day_between(first_day, last, rng), rng))
        elif outcome == Outcome.ON_TIME:
            start = min(period.end + dt.timedelta(days=3), due)
            done = _day_between(start, min(due, yesterday), rng)
            self._save(task, cells, _at(done, rng))
            self._maybe_correct(task, cells, done)
        else:  # late: often most of it on time, the last kecamatan weeks after the due date
            after_due = due + dt.timedelta(days=1)
            done = _day_between(after_due, min(yesterday, due + dt.timedelta(days=75)), rng)
            if left_out and rng.random() < 0.6:
                self._save(task, some, _at(_day_between(first_day, due, rng), rng))
            self._save(task, cells, _at(done, rng))
            self._maybe_correct(task, cells, done)
        self.summary.observations += len(cells) if outcome != Outcome.PARTIAL else len(some)

    def _maybe_correct(self, task: _Task, cells: list[CellValue], done: dt.date) -> None:
        """Now and then a value is corrected after checking: a revision to show."""
        rng = task.rng
        later = done + dt.timedelta(days=rng.randint(5, 40))
        if rng.random() >= 0.03 or later >= self.today:
            return
        chosen = rng.sample(cells, min(len(cells), rng.randint(1, 2)))
        fixed = [
            CellValue(
                c.region,
                c.breakdown,
                _corrected(c.value, rng),
                status=ValueStatus.FINAL,
                note=CORRECTION_NOTE,
                source=c.source,
            )
            for c in chosen
        ]
        self._save(task, fixed, _at(later, rng))


def _corrected(value: Decimal, rng: random.Random) -> Decimal:
    """A nearby value in the last digit kept (a typo fixed), never below zero."""
    exponent = value.as_tuple().exponent
    step = Decimal(1).scaleb(exponent) if isinstance(exponent, int) and exponent < 0 else 1
    delta = step * rng.choice([1, 2, 3])
    return value - delta if value - delta >= 0 and rng.random() < 0.5 else value + delta


def values_load(*, actor: Any, today: dt.date | None = None, seed: int = SEED) -> ValuesSummary:
    """Values of the demo's items for the last five years and the current one, by seed."""
    require(actor, False)  # the command line only, as for the rest of the demo
    today = today or timezone.localdate()
    years = list(range(today.year - YEARS_BACK, today.year + 1))
    for year in years:
        # Every scheduled item-period gets its row first, so the fill check lists the ones
        # never filled (missing) as well as those with values.
        fill_states_sync(year=year)
    loader = _Loader(actor=actor, today=today, seed=seed, first_year=years[0])
    tasks = _plan(years, today, seed)
    for task in tasks:
        loader.run(task)
        loader.summary.outcomes[task.outcome] += 1
    loader.summary.years = years
    return loader.summary
