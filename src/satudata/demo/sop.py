"""The demo's SOP and one dissemination cycle showing every state of the timeline.

The shipped SOP is loaded, then a cycle for the previous month (the month before that early in
a month, when the runs would not fit before now): steps 1-3 done (step 2 late),
steps 4-6 for two agencies (one publication returned by its head and late), and step 7
(the report) running. Everything goes through the services, backdated with `at=`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from satudata.accounts.models import Agency
from satudata.accounts.roles import Role
from satudata.schedule.periods import Period
from satudata.sop.constants import DEFAULT_SOP_FILE
from satudata.sop.durations import add_working_days, is_working_day
from satudata.sop.models import Cycle
from satudata.sop.services import cycle_start, sop_load, step_finish, step_start

DEMO_AGENCIES = 2
# Calendar days the demo runs take, from the cycle start to step 7 (about 16 working days).
DEMO_DAYS_NEEDED = 24


def _month_before(day: dt.date) -> str:
    last = day.replace(day=1) - dt.timedelta(days=1)
    return Period(last.year, last.month, "monthly").key


def _cycle_start_time(now: dt.datetime) -> dt.datetime:
    """08:00 on the first working day of this month, or four weeks back early in a month.

    The demo's runs need about three weeks before now; early in a month the cycle starts in
    the month before, so its period is then the month before that.
    """
    today = timezone.localdate(now)
    day = today.replace(day=1)
    if (today - day).days < DEMO_DAYS_NEEDED:
        day = today - dt.timedelta(days=28)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(8, 0)))


def _agencies() -> list[Agency]:
    """Agencies with a demo operator first (their people can see their own runs)."""
    with_people = (
        Agency.objects.filter(users__role=Role.PRODUCER_OPERATOR).distinct().order_by("code")
    )
    chosen = list(with_people[:DEMO_AGENCIES])
    if len(chosen) < DEMO_AGENCIES:
        chosen += list(Agency.objects.exclude(pk__in=[a.pk for a in chosen]).order_by("code"))
    return chosen[:DEMO_AGENCIES]


def _run(
    actor: Any,
    cycle: Cycle,
    number: int,
    start: dt.datetime,
    end: dt.datetime | None,
    agency: Agency | None = None,
    reference: str = "",
    returned: bool = False,
    label: str = "",
    url: str = "",
    note: str = "",
) -> dt.datetime:
    run = step_start(
        actor=actor, cycle=cycle, number=number, agency=agency, reference=reference, at=start
    )
    if end is None:
        return start
    step_finish(
        actor=actor,
        run=run,
        output_label=label or run.step.output,
        output_url=url,
        note=note,
        returned=returned,
        at=end,
    )
    return end


def _hours(moment: dt.datetime, hours: float) -> dt.datetime:
    return moment + dt.timedelta(hours=hours)


def sop_demo_load(actor: Any) -> Cycle | None:
    """Load the SOP and the previous month's cycle (skipped when that cycle exists)."""
    sop_load(actor=actor, path=DEFAULT_SOP_FILE)
    now = timezone.now()
    start = _cycle_start_time(now)
    period = _month_before(timezone.localtime(start).date())
    if Cycle.objects.filter(period=period).exists():
        return None
    cycle = cycle_start(actor=actor, period=period, at=start)
    # Walidata's steps: 1 on time, 2 late (three working days for a one-day step), 3 on time.
    end1 = _run(actor, cycle, 1, start, _hours(start, 5), url="/app/step-1/")
    start2 = _hours(end1, 1)
    end2 = _run(actor, cycle, 2, start2, _hours(add_working_days(start2, 3), 2), url="/app/step-2/")
    end3 = _run(actor, cycle, 3, _hours(end2, 1), _hours(end2, 6), url="/portal/")
    first, second = [*_agencies(), None, None][:DEMO_AGENCIES]
    if first is not None:
        # On time all through: drafted in three working days, approved, posted in 40 minutes.
        ref = f"publication:{first.code}-1"
        s4 = add_working_days(end3, 1)
        e4 = _run(actor, cycle, 4, s4, add_working_days(s4, 3), first, ref)
        e5 = _run(actor, cycle, 5, _hours(e4, 1), _hours(e4, 5), first, ref)
        _run(
            actor,
            cycle,
            6,
            _hours(e5, 1),
            _hours(e5, 1) + dt.timedelta(minutes=40),
            first,
            ref,
            url=first.website or "",
        )
    if second is not None:
        # Late: the head returned the first draft, the second took six more working days.
        ref = f"publication:{second.code}-1"
        s4 = add_working_days(end3, 1)
        e4 = _run(actor, cycle, 4, s4, add_working_days(s4, 4), second, ref)
        e5 = _run(
            actor,
            cycle,
            5,
            _hours(e4, 2),
            _hours(e4, 6),
            second,
            ref,
            returned=True,
            note="Tabel belum memuat rincian per kecamatan.",
        )
        s4b = _hours(e5, 16)
        e4b = _run(actor, cycle, 4, s4b, add_working_days(s4b, 6), second, ref)
        e5b = _run(actor, cycle, 5, _hours(e4b, 1), _hours(e4b, 3), second, ref)
        _run(
            actor,
            cycle,
            6,
            _hours(e5b, 1),
            _hours(e5b, 1) + dt.timedelta(minutes=50),
            second,
            ref,
            url=second.website or "",
        )
    # The report: started yesterday, within its three working days.
    _run(actor, cycle, 7, max(end3, now - dt.timedelta(days=1)), None)
    return cycle
