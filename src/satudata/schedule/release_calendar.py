"""Reads of the release schedule pages: the rules with an example, an item's due dates, and
the calendar of a year's periods (items due, by month, with their fill status).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satudata.accounts.models import Agency
from satudata.catalog.choices import Periodicity
from satudata.catalog.models import DataItem
from satudata.catalog.selectors import decree_for_year, items_visible_to
from satudata.schedule.choices import DEFAULT_DUE_DAYS, FillStatus
from satudata.schedule.models import DueOverride, DueRule, FillState
from satudata.schedule.periods import Period
from satudata.schedule.selectors import with_fill_status
from satudata.schedule.services import DueDates, due_rules

# Where an item's due date for a period comes from.
SOURCE_LABELS = {
    "rule": _("Rule"),
    "item": _("Item override"),
    "period": _("Period override"),
}


def last_ended_period(periodicity: str, today: dt.date) -> Period:
    """The latest period of a periodicity that has ended by today (2025 in 2026, for annual)."""
    periods = Period.of_year(today.year, periodicity)
    ended = [p for p in periods if p.end < today]
    return ended[-1] if ended else Period.of_year(today.year - 1, periodicity)[-1]


@dataclass(frozen=True)
class RuleRow:
    """A periodicity's rule and what it gives for the latest period that ended."""

    periodicity: str
    label: str
    days: int
    is_default: bool
    example_period: Period
    example_due: dt.date


def rule_rows(today: dt.date | None = None) -> list[RuleRow]:
    """One row per periodicity, in the order of the choices (annual first)."""
    today = today or timezone.localdate()
    rules = due_rules()
    set_by_walidata = set(DueRule.objects.values_list("periodicity", flat=True))
    rows = []
    for kind in Periodicity:
        period = last_ended_period(kind.value, today)
        days = rules[kind.value]
        rows.append(
            RuleRow(
                periodicity=kind.value,
                label=str(kind.label),
                days=days,
                is_default=kind.value not in set_by_walidata,
                example_period=period,
                example_due=period.end + dt.timedelta(days=days),
            )
        )
    return rows


def default_days(periodicity: str) -> int:
    return DEFAULT_DUE_DAYS[periodicity]


@dataclass(frozen=True)
class ItemPeriodRow:
    """One period of an item's schedule: its due date, where it comes from, its fill status."""

    period: str
    start: dt.date
    end: dt.date
    due_date: dt.date
    source: str
    override: DueOverride | None
    status: str
    filled_cells: int
    required_cells: int | None

    @property
    def source_label(self) -> str:
        return str(SOURCE_LABELS[self.source])

    @property
    def status_label(self) -> str:
        return str(FillStatus(self.status).label)


def item_schedule_rows(
    item: DataItem, year: int, today: dt.date | None = None
) -> tuple[list[ItemPeriodRow], DueOverride | None]:
    """The item's periods of a year with due dates and sources, and its item-wide override."""
    today = today or timezone.localdate()
    dates = DueDates([item])
    item_wide = dates.overrides.get((item.pk, ""))
    states = {
        s.period: s for s in with_fill_status(FillState.objects.filter(item=item, year=year), today)
    }
    rows = []
    for period in Period.of_year(year, item.periodicity):
        own = dates.overrides.get((item.pk, period.key))
        source = "period" if own is not None else "item" if item_wide is not None else "rule"
        due = dates.for_item(item, period)
        state = states.get(period.key)
        if state is not None:
            status, filled, required = state.status, state.filled_cells, state.required_cells
        else:
            # No fill-state row yet: nothing was entered; the rule of with_fill_status.
            status = FillStatus.MISSING if due < today else FillStatus.NOT_DUE
            filled, required = 0, None
        rows.append(
            ItemPeriodRow(
                period=period.key,
                start=period.start,
                end=period.end,
                due_date=due,
                source=source,
                override=own if own is not None else item_wide,
                status=str(status),
                filled_cells=filled,
                required_cells=required,
            )
        )
    return rows, item_wide


@dataclass(frozen=True)
class CalendarFilters:
    """What the calendar shows: the periods of a year, narrowed to a producer, a periodicity."""

    year: int
    agency: Agency | None = None
    periodicity: str = ""


# Item columns the schedule rows carry (the rest of a row is long metadata).
SCHEDULE_ITEM_FIELDS: tuple[str, ...] = (
    "pk",
    "code",
    "name",
    "agency_id",
    "agency__name",
    "periodicity",
)


def calendar_items(*, user: Any, filters: CalendarFilters) -> Any:
    """The items of the decree in force for the year that the user may see, filtered."""
    decree = decree_for_year(filters.year)
    if decree is None:
        return DataItem.objects.none()
    items = items_visible_to(user).filter(decree=decree)
    if filters.agency is not None:
        items = items.filter(agency=filters.agency)
    if filters.periodicity:
        items = items.filter(periodicity=filters.periodicity)
    return items


def schedule_rows(
    items_qs: Any,
    *,
    year: int,
    period_keys: Iterable[str] | None = None,
    today: dt.date | None = None,
) -> list[dict[str, Any]]:
    """Every period of the year of the given items, with due date and fill status, by due date.

    Two queries (the items, their fill states). A period without a fill-state row (nothing
    entered, the schedule never synced) is worked out as the schedule would: its due date from
    the rules and overrides (read only then), "missing" once due, else "not yet due".
    Keys: item_id, code, name, agency_id, agency, periodicity, period, due_date, status,
    overdue, filled_cells, required_cells (None without a fill-state row).
    """
    today = today or timezone.localdate()
    wanted = None if period_keys is None else set(period_keys)
    items = list(items_qs.order_by().values(*SCHEDULE_ITEM_FIELDS))
    if not items:
        return []
    states_qs = FillState.objects.filter(year=year, item__in=items_qs.values("pk"))
    if wanted is not None:
        states_qs = states_qs.filter(period__in=sorted(wanted))
    # Tuples, not dicts: at a regency's scale this is 15,000 rows a year.
    states = {
        (item_id, period): rest
        for item_id, period, *rest in with_fill_status(states_qs, today)
        .order_by()
        .values_list(
            "item_id", "period", "due_date", "status", "overdue", "filled_cells", "required_cells"
        )
    }
    # A year's periods per periodicity, worked out once (not once per item).
    periods = {
        kind.value: [(p, p.key) for p in Period.of_year(year, kind.value)] for kind in Periodicity
    }
    dates: DueDates | None = None
    rows = []
    for item in items:
        for period, key in periods[item["periodicity"]]:
            if wanted is not None and key not in wanted:
                continue
            state = states.get((item["pk"], key))
            if state is None:
                if dates is None:
                    dates = DueDates(_stand_ins(items))
                stand_in = SimpleNamespace(pk=item["pk"], periodicity=item["periodicity"])
                due = dates.for_item(stand_in, period)  # type: ignore[arg-type]
                late = due < today
                state = [due, FillStatus.MISSING if late else FillStatus.NOT_DUE, late, 0, None]
            due, status, overdue, filled, required = state
            rows.append(
                {
                    "item_id": item["pk"],
                    "code": item["code"],
                    "name": item["name"],
                    "agency_id": item["agency_id"],
                    "agency": item["agency__name"],
                    "periodicity": item["periodicity"],
                    "period": key,
                    "due_date": due,
                    "status": str(status),
                    "overdue": bool(overdue),
                    "filled_cells": filled,
                    "required_cells": required,
                }
            )
    rows.sort(key=lambda r: (r["due_date"], r["agency"], r["code"], r["period"]))
    return rows


def calendar_rows(
    *, user: Any, filters: CalendarFilters, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """The calendar: the year's item-periods the user may see, by due date."""
    return schedule_rows(calendar_items(user=user, filters=filters), year=filters.year, today=today)


def _stand_ins(items: Iterable[dict[str, Any]]) -> list[Any]:
    return [SimpleNamespace(pk=i["pk"]) for i in items]


@dataclass
class CalendarMonth:
    """The item-periods falling due in one month."""

    first_day: dt.date
    rows: list[dict[str, Any]]

    @property
    def key(self) -> str:
        return self.first_day.strftime("%Y-%m")


def by_month(rows: list[dict[str, Any]]) -> list[CalendarMonth]:
    """Rows (sorted by due date) grouped by the month of their due date."""
    months: list[CalendarMonth] = []
    for row in rows:
        first = row["due_date"].replace(day=1)
        if not months or months[-1].first_day != first:
            months.append(CalendarMonth(first, []))
        months[-1].rows.append(row)
    return months


def status_counts(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    """{status: n} over the rows, every status present (0 when none)."""
    counts = {s.value: 0 for s in FillStatus}
    for row in rows:
        counts[row["status"]] += 1
    return counts


def default_month(months: list[CalendarMonth], today: dt.date) -> CalendarMonth | None:
    """The month to open on: this month, else the next one with dues, else the last."""
    if not months:
        return None
    this_month = today.replace(day=1)
    for month in months:
        if month.first_day >= this_month:
            return month
    return months[-1]
