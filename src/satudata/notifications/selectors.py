"""Reads of the notifications app: a user's notifications, and the agencies behind schedule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from satudata.catalog.choices import Periodicity
from satudata.catalog.models import DataItem
from satudata.catalog.selectors import decree_for_year
from satudata.notifications.models import Notification, Reminder
from satudata.schedule.choices import FillStatus
from satudata.schedule.periods import Period
from satudata.schedule.release_calendar import schedule_rows


def notifications_for(user: Any) -> QuerySet[Notification]:
    """The user's own notifications, newest first (nobody reads anyone else's)."""
    return Notification.objects.filter(recipient_id=user.pk)


def unread_count(user: Any) -> int:
    """How many of the user's notifications are unread (one COUNT on an index)."""
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def period_keys_within(year: int, period: str = "") -> list[str] | None:
    """The period keys of every periodicity lying inside `period` (None: the whole year).

    A quarter covers its own key and its three months; a semester its quarters and months.
    """
    if not period:
        return None
    outer = Period.parse(period)
    keys = []
    for kind in Periodicity:
        for inner in Period.of_year(year, kind):
            if outer.start <= inner.start and inner.end <= outer.end:
                keys.append(inner.key)
    return keys


@dataclass
class AgencyBehind:
    """An agency with overdue items in the selection, and those items."""

    agency_id: int
    name: str
    items: list[dict[str, Any]] = field(default_factory=list)

    @property
    def missing(self) -> int:
        return sum(1 for row in self.items if row["status"] == FillStatus.MISSING)

    @property
    def partial(self) -> int:
        return len(self.items) - self.missing


def agencies_behind(
    *,
    year: int,
    period: str = "",
    agency_ids: Iterable[int] | None = None,
    today: dt.date | None = None,
) -> list[AgencyBehind]:
    """Agencies whose items of the decree in force are overdue (due and not complete).

    By agency name; each agency's items by due date. Every item of the list counts, closed
    ones too: a reminder goes only to the item's own agency.
    """
    decree = decree_for_year(year)
    if decree is None:
        return []
    items = DataItem.objects.filter(decree=decree)
    if agency_ids is not None:
        items = items.filter(agency_id__in=list(agency_ids))
    rows = schedule_rows(
        items, year=year, period_keys=period_keys_within(year, period), today=today
    )
    behind: dict[int, AgencyBehind] = {}
    for row in rows:
        if not row["overdue"]:
            continue
        if row["agency_id"] not in behind:
            behind[row["agency_id"]] = AgencyBehind(row["agency_id"], row["agency"])
        behind[row["agency_id"]].items.append(row)
    return sorted(behind.values(), key=lambda b: b.name)


def reminders_of_year(year: int, *, limit: int = 200) -> QuerySet[Reminder]:
    """The reminders sent about a year's periods, newest first."""
    return Reminder.objects.filter(year=year).select_related("agency")[:limit]
