"""The shipped SOP loaded, and a cycle for a past month under it, started on a Monday."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from satudata.core.actors import SystemActor
from satudata.sop.constants import DEFAULT_SOP_FILE
from satudata.sop.services import cycle_start, sop_load

JAKARTA = ZoneInfo("Asia/Jakarta")
SYSTEM = SystemActor("test")


def local(*args: int) -> dt.datetime:
    """A moment in Jember's time zone."""
    return dt.datetime(*args, tzinfo=JAKARTA)


def _a_monday_weeks_ago() -> dt.datetime:
    # Services refuse times in the future, so the test cycle starts on a Monday five weeks back.
    day = dt.datetime.now(JAKARTA).date() - dt.timedelta(weeks=5)
    day -= dt.timedelta(days=day.weekday())
    return local(day.year, day.month, day.day, 8, 0)


CYCLE_START = _a_monday_weeks_ago()
# The month before the one the cycle starts in.
_last = CYCLE_START.date().replace(day=1) - dt.timedelta(days=1)
CYCLE_PERIOD = f"{_last.year}-{_last.month:02d}"


@pytest.fixture
def sop(db):
    return sop_load(actor=SYSTEM, path=DEFAULT_SOP_FILE)


@pytest.fixture
def cycle(sop):
    return cycle_start(actor=SYSTEM, period=CYCLE_PERIOD, at=CYCLE_START)


def hours(moment: dt.datetime, n: float) -> dt.datetime:
    return moment + dt.timedelta(hours=n)
