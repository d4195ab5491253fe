"""Standard times of steps 4-6, read from the SOP in force (sop app), with the SOP's defaults.

Used by the services when a step starts: its due time is fixed then, so a later SOP revision
does not move the deadline of a step already running.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from satudata.sop.choices import TimeUnit
from satudata.sop.durations import deadline

# Jember's SOP revision 3 (Mutu Baku): used when no SOP has been loaded yet.
DEFAULT_STANDARDS: dict[int, tuple[int, str]] = {
    4: (5, TimeUnit.WORKING_DAYS),
    5: (1, TimeUnit.WORKING_DAYS),
    6: (60, TimeUnit.MINUTES),
}


def standard(number: int) -> tuple[int, str]:
    """(amount, unit) of a step in the SOP in force."""
    from satudata.sop.models import SopStep

    step = (
        SopStep.objects.filter(sop__is_current=True, number=number)
        .values_list("time_amount", "time_unit")
        .first()
    )
    return step if step is not None else DEFAULT_STANDARDS[number]


def due_at(number: int, started_at: dt.datetime) -> dt.datetime:
    amount, unit = standard(number)
    return timezone.localtime(deadline(started_at, amount, unit))
