"""Standard times: "hari" is a working day (Monday to Friday); minutes and hours are elapsed."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from satudata.sop.durations import add_working_days, deadline, duration_text, late_text
from tests.sop.conftest import local


def test_a_friday_start_plus_one_working_day_is_due_on_monday():
    friday = local(2026, 11, 6, 10, 0)
    assert add_working_days(friday, 1) == local(2026, 11, 9, 10, 0)


def test_five_working_days_from_wednesday_end_on_the_next_wednesday():
    assert add_working_days(local(2026, 11, 4, 9, 30), 5) == local(2026, 11, 11, 9, 30)


def test_a_saturday_start_is_due_on_the_next_working_day():
    assert add_working_days(local(2026, 11, 7, 9, 0), 1) == local(2026, 11, 9, 9, 0)


def test_minutes_and_hours_are_elapsed_time_even_across_a_weekend():
    friday_late = local(2026, 11, 6, 23, 30)
    assert deadline(friday_late, 60, "minutes") == local(2026, 11, 7, 0, 30)
    assert deadline(friday_late, 2, "hours") == local(2026, 11, 7, 1, 30)


def test_a_step_deadline_is_in_local_time(sop):
    step = sop.steps.get(number=1)
    due = step.due_at(dt.datetime(2026, 11, 6, 3, 0, tzinfo=dt.UTC))  # Friday 10:00 in Jember
    assert due == local(2026, 11, 9, 10, 0)
    assert str(due.tzinfo) == "Asia/Jakarta"


def test_durations_read_as_people_say_them():
    # Indonesian ("terlambat 2 hari") comes from the catalog; the shape is checked in English.
    with translation.override("en"):
        assert duration_text(dt.timedelta(minutes=45)) == "45 minutes"
        assert duration_text(dt.timedelta(hours=5, minutes=10)) == "5 hours 10 minutes"
        assert duration_text(dt.timedelta(days=3, hours=2)) == "3 days 2 hours"
        assert late_text(dt.timedelta(days=2)) == "late by 2 days"
