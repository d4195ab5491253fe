"""Time arithmetic of the SOP: working-day deadlines and durations as Indonesian text.

A Mutu Baku standard of "1 hari" means one working day: a step started on Friday at 10:00 is
due on Monday at 10:00. Saturdays and Sundays do not count; public holidays are not known yet
(no holiday calendar), so a step spanning one is reported late by the days of the holiday.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from satudata.sop.choices import TimeUnit

SATURDAY = 5  # date.weekday(): Monday is 0


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < SATURDAY


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """`start` moved forward by `days` working days, keeping the local time of day."""
    local = timezone.localtime(start)
    day = local.date()
    for _i in range(days):
        day += dt.timedelta(days=1)
        while not is_working_day(day):
            day += dt.timedelta(days=1)
    # Rebuild from the wall-clock time so a DST change (where one exists) keeps 10:00 at 10:00.
    naive = dt.datetime.combine(day, local.time().replace(tzinfo=None))
    return timezone.make_aware(naive, timezone.get_current_timezone())


def deadline(start: dt.datetime, amount: int, unit: str) -> dt.datetime:
    """When a step started at `start` with a standard time of `amount` `unit` is due."""
    if unit == TimeUnit.WORKING_DAYS:
        return add_working_days(start, amount)
    if unit == TimeUnit.HOURS:
        return start + dt.timedelta(hours=amount)
    return start + dt.timedelta(minutes=amount)


def standard_text(amount: int, unit: str) -> str:
    """A standard time as people write it: "1 hari kerja", "60 menit", "2 jam"."""
    if unit == TimeUnit.WORKING_DAYS:
        return ngettext("%(n)s working day", "%(n)s working days", amount) % {"n": amount}
    if unit == TimeUnit.HOURS:
        return ngettext("%(n)s hour", "%(n)s hours", amount) % {"n": amount}
    return ngettext("%(n)s minute", "%(n)s minutes", amount) % {"n": amount}


def duration_text(delta: dt.timedelta) -> str:
    """An elapsed time, rounded to what matters: "3 hari 2 jam", "5 jam 10 menit", "45 menit"."""
    minutes = max(0, int(delta.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        text = ngettext("%(n)s day", "%(n)s days", days) % {"n": days}
        if hours:
            text += " " + ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours}
        return text
    if hours:
        text = ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours}
        if mins:
            text += " " + ngettext("%(n)s minute", "%(n)s minutes", mins) % {"n": mins}
        return text
    return ngettext("%(n)s minute", "%(n)s minutes", mins) % {"n": mins}


def late_text(delta: dt.timedelta) -> str:
    """How late: "terlambat 2 hari"."""
    return _("late by %(duration)s") % {"duration": duration_text(delta)}
