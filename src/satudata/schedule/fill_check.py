"""Reads for SOP step 1, the fill check: fill states against the release schedule.

Everything here reads the fill-state table (thousands of rows a year), never the observations,
and aggregates in SQL: the by-agency table is one grouped query whatever the number of items.

A part of a year (a semester, quarter or month) selects the periods that END in it: for
2026-Q3 the months July to September and the quarter itself; for 2026-Q4 also the second
semester and the year 2026 (their values fall due after that quarter closes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    Min,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from satudata.accounts.permissions import user_role
from satudata.catalog.choices import Periodicity
from satudata.catalog.models import DataItem, DataListDecree
from satudata.catalog.permissions import ALL_ITEMS_ROLES
from satudata.catalog.selectors import decree_for_year, items_visible_to
from satudata.schedule.choices import FillStatus
from satudata.schedule.models import FillState
from satudata.schedule.periods import Period
from satudata.schedule.selectors import with_fill_status
from satudata.schedule.services import fill_states_sync

# The order statuses are shown in, everywhere (page, exports, home).
STATUS_ORDER: tuple[str, ...] = tuple(
    s.value
    for s in (
        FillStatus.FILLED,
        FillStatus.FILLED_LATE,
        FillStatus.PARTIAL,
        FillStatus.MISSING,
        FillStatus.NOT_DUE,
    )
)
COMPLETE = frozenset({FillStatus.FILLED.value, FillStatus.FILLED_LATE.value})
# A filter value beside the statuses: due and not complete (partly filled or missing).
OVERDUE = "overdue"

# Sort keys of the by-agency table (GET "sort"; a leading "-" reverses).
AGENCY_SORTS: tuple[str, ...] = (
    "agency",
    "scheduled",
    *STATUS_ORDER,
    "percent",
    "overdue",
)
DEFAULT_AGENCY_SORT = "-overdue"

# The columns of one item-period in the list (values() rows: no model instances).
LIST_FIELDS: tuple[str, ...] = (
    "pk",
    "item_id",
    "item__code",
    "item__name",
    "item__agency__name",
    "item__accessibility",
    "period",
    "year",
    "due_date",
    "required_cells",
    "filled_cells",
    "completed_at",
    "status",
    "overdue",
)


@dataclass(frozen=True)
class FillFilters:
    """What the step-1 page and its exports are narrowed to; only the year is required."""

    year: int
    period: Period | None = None
    agency_id: int | None = None
    topic_id: int | None = None
    accessibility: str = ""
    status: str = ""  # a FillStatus, OVERDUE, or "" (narrows the list only, not the counts)


@dataclass
class AgencyFill:
    """One row of the by-agency table."""

    agency_id: int
    agency_name: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUS_ORDER, 0))
    scheduled: int = 0
    due: int = 0  # periods whose due date has passed
    due_complete: int = 0  # of those, complete
    overdue: int = 0  # of those, not complete

    @property
    def percent(self) -> float | None:
        """Share complete of the periods already due; None when nothing is due yet."""
        return round(100 * self.due_complete / self.due, 1) if self.due else None

    def sort_value(self, key: str) -> Any:
        if key == "agency":
            return self.agency_name.casefold()
        if key == "percent":
            return -1.0 if self.percent is None else self.percent
        if key in ("scheduled", "overdue"):
            return getattr(self, key)
        return self.counts[key]


def period_keys_ending_in(year: int, window: Period | None) -> dict[str, list[str]]:
    """Per periodicity, the keys of the year's periods that end within the window (all
    of the year's periods when there is no window)."""
    keys: dict[str, list[str]] = {}
    for kind in Periodicity:
        periods = Period.of_year(year, kind)
        if window is not None:
            periods = [p for p in periods if window.start <= p.end <= window.end]
        keys[kind.value] = [p.key for p in periods]
    return keys


def _scope_q(year: int, window: Period | None) -> Q:
    """Rows of the year whose period belongs to the item's own periodicity and the window.

    Matching the key to the item's periodicity also drops rows left behind when an item's
    periodicity changed (the sync adds the new periods; it never deletes).
    """
    scope = Q()
    for kind, keys in period_keys_ending_in(year, window).items():
        if keys:
            scope |= Q(item__periodicity=kind, period__in=keys)
    return Q(year=year) & scope if scope else Q(pk__in=[])


def fill_years(today: dt.date | None = None) -> list[int]:
    """Years the page offers, newest first: from the oldest fill state or decree to this year
    (or the newest decree's year when that is later)."""
    today = today or timezone.localdate()
    decree_years = DataListDecree.objects.aggregate(first=Min("year"))
    first_state = FillState.objects.aggregate(first=Min("year"))["first"]
    candidates = [y for y in (decree_years["first"], first_state) if y is not None]
    if not candidates:
        return []
    newest = DataListDecree.objects.order_by("-year").values_list("year", flat=True).first()
    last = max(today.year, newest or today.year)
    return list(range(last, min(candidates) - 1, -1))


def fill_states_ensure(year: int) -> DataListDecree | None:
    """The decree in force for the year, after making sure its fill states exist.

    The sync walks every item; it runs only when some item of the decree has no row for the
    year yet (a new year, new items), found by one cheap query, so the page stays fast.
    """
    decree = decree_for_year(year)
    if decree is None:
        return None
    # An uncorrelated IN: SQLite would answer a correlated EXISTS through the (year, due date)
    # index, once per item (28 s at scale).
    with_rows = FillState.objects.filter(year=year).values("item_id")
    counts = DataItem.objects.filter(decree=decree).aggregate(
        total=Count("id"), synced=Count("id", filter=Q(pk__in=with_rows))
    )
    if counts["total"] != counts["synced"]:
        fill_states_sync(year=year)
    return decree


def fill_states_for(
    *, user: Any, decree: DataListDecree, filters: FillFilters, today: dt.date | None = None
) -> QuerySet:
    """The year's fill states of the decree's items this user may know of, narrowed by the
    filters but not by status, annotated with `status`, `overdue` and `past_due`."""
    today = today or timezone.localdate()
    states = FillState.objects.filter(_scope_q(filters.year, filters.period), item__decree=decree)
    if user_role(user) not in ALL_ITEMS_ROLES:
        states = states.filter(item__in=items_visible_to(user).values("pk"))
    if filters.agency_id is not None:
        states = states.filter(item__agency_id=filters.agency_id)
    if filters.topic_id is not None:
        states = states.filter(item__topic_id=filters.topic_id)
    if filters.accessibility:
        states = states.filter(item__accessibility=filters.accessibility)
    # The few distinct due dates of the year let the status test avoid a per-row date cast.
    due_dates = states.order_by().values_list("due_date", flat=True).distinct()
    return with_fill_status(states, today, due_dates=list(due_dates)).annotate(
        past_due=Case(
            When(due_date__lt=today, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def rows_in_status(total: AgencyFill, status: str) -> int:
    """How many list rows a status filter leaves, from the totals (no extra query)."""
    if status == OVERDUE:
        return total.overdue
    return total.counts.get(status, 0) if status else total.scheduled


def with_status(states: QuerySet, status: str) -> QuerySet:
    """Annotated states narrowed to one status, or to the overdue ones."""
    if status == OVERDUE:
        return states.filter(overdue=True)
    if status:
        return states.filter(status=status)
    return states


def counts_by_agency(states: QuerySet, *, sort: str = DEFAULT_AGENCY_SORT) -> list[AgencyFill]:
    """One row per agency: periods scheduled, by status, % complete of those due, overdue.

    One grouped query (agency x status x past due: a few hundred rows at most), pivoted here.
    """
    rows: dict[int, AgencyFill] = {}
    grouped = (
        states.order_by()
        .values("item__agency_id", "item__agency__name", "status", "past_due")
        .annotate(n=Count("id"))
    )
    for g in grouped:
        row = rows.get(g["item__agency_id"])
        if row is None:
            row = rows[g["item__agency_id"]] = AgencyFill(
                g["item__agency_id"], g["item__agency__name"]
            )
        _add(row, g["status"], bool(g["past_due"]), g["n"])
    return sort_agency_rows(list(rows.values()), sort)


def _add(row: AgencyFill, status: str, past_due: bool, n: int) -> None:
    row.counts[status] += n
    row.scheduled += n
    if past_due:
        row.due += n
        if status in COMPLETE:
            row.due_complete += n
        else:
            row.overdue += n


def sort_agency_rows(rows: list[AgencyFill], sort: str) -> list[AgencyFill]:
    """Sorted by a key of AGENCY_SORTS ("-" in front: descending), then by name."""
    key = sort.lstrip("-")
    if key not in AGENCY_SORTS:
        key, sort = DEFAULT_AGENCY_SORT.lstrip("-"), DEFAULT_AGENCY_SORT
    rows.sort(key=lambda r: r.agency_name.casefold())  # stable: ties stay by name
    rows.sort(key=lambda r: r.sort_value(key), reverse=sort.startswith("-"))
    return rows


def totals_of(rows: Iterable[AgencyFill]) -> AgencyFill:
    """The sum of the agency rows (the headline figures)."""
    total = AgencyFill(0, "")
    for row in rows:
        for status, n in row.counts.items():
            total.counts[status] += n
        total.scheduled += row.scheduled
        total.due += row.due
        total.due_complete += row.due_complete
        total.overdue += row.overdue
    return total


def percents_of(total: AgencyFill) -> dict[str, float]:
    """Each status as a share of the periods scheduled."""
    n = total.scheduled
    return {s: round(100 * c / n, 1) if n else 0.0 for s, c in total.counts.items()}


def fill_rows(
    states: QuerySet, *, today: dt.date | None = None, limit: int | None = None
) -> list[dict[str, Any]]:
    """The item-periods (LIST_FIELDS dicts plus `days`), overdue first (longest overdue on top),
    then by due date, agency, code and period.

    `days` is how late: days past due for an overdue row, days after the due date that the
    last cell came for a row filled late, else None.
    """
    today = today or timezone.localdate()
    ordered = states.order_by(
        "-overdue", "due_date", "item__agency__name", "item__code", "period"
    ).values(*LIST_FIELDS)
    rows = list(ordered if limit is None else ordered[:limit])
    for row in rows:
        row["days"] = days_late(row, today)
    return rows


def days_late(row: Mapping[str, Any], today: dt.date) -> int | None:
    if row["overdue"]:
        return (today - row["due_date"]).days
    if row["status"] == FillStatus.FILLED_LATE and row["completed_at"] is not None:
        return (timezone.localtime(row["completed_at"]).date() - row["due_date"]).days
    return None


# --- One agency's view (the home page of its head and operators) ---------------------------


def in_force_q() -> Q:
    """Fill states of the items of the decree in force for each row's year."""
    decrees = DataListDecree.objects.order_by("year", "decree_date", "pk").values("pk", "year")
    if not decrees:
        return Q(pk__in=[])
    # The newest decree of each year rules from its year until the next decree's year; the
    # oldest also rules every earlier year (catalog.selectors.decree_for_year).
    newest_per_year = {d["year"]: d["pk"] for d in decrees}
    years = sorted(newest_per_year)
    scope = Q()
    for i, year in enumerate(years):
        span = Q(item__decree_id=newest_per_year[year])
        if i > 0:
            span &= Q(year__gte=year)
        if i + 1 < len(years):
            span &= Q(year__lt=years[i + 1])
        scope |= span
    return scope


@dataclass
class AgencyDue:
    """What is due for one agency: this month, overdue, next, and the year's summary."""

    due_this_month: int
    done_this_month: int
    overdue_count: int
    overdue: list[dict[str, Any]]
    upcoming: list[dict[str, Any]]
    years: list[tuple[int, AgencyFill]]


def agency_due(
    *,
    agency_id: int,
    today: dt.date | None = None,
    horizon_days: int = 60,
    overdue_limit: int = 20,
) -> AgencyDue:
    """An agency's own fill states: counts this month, the overdue list (most recently due
    first), what falls due in the next `horizon_days`, and this and last year's summary."""
    today = today or timezone.localdate()
    own = FillState.objects.filter(in_force_q(), item__agency_id=agency_id)
    due_dates = list(own.order_by().values_list("due_date", flat=True).distinct())
    states = with_fill_status(own, today, due_dates=due_dates)
    month_start = today.replace(day=1)
    next_month = (month_start + dt.timedelta(days=32)).replace(day=1)
    # Spelled out rather than through the `status`/`overdue` annotations: aggregate() does not
    # inline an annotation inside a FILTER clause (it would compare a bare column alias).
    complete = Q(required_cells__gt=0, filled_cells__gte=F("required_cells"))
    this_month = Q(due_date__gte=month_start, due_date__lt=next_month)
    counts = states.aggregate(
        due=Count("id", filter=this_month),
        done=Count("id", filter=this_month & complete),
        overdue=Count("id", filter=~complete & Q(due_date__lt=today)),
    )
    fields = [f for f in LIST_FIELDS if f != "item__agency__name"]
    overdue_rows = list(
        states.filter(overdue=True)
        .order_by("-due_date", "item__code")
        .values(*fields)[:overdue_limit]
    )
    upcoming = list(
        states.filter(due_date__gte=today, due_date__lte=today + dt.timedelta(days=horizon_days))
        .order_by("due_date", "item__code", "period")
        .values(*fields)
    )
    for row in (*overdue_rows, *upcoming):
        row["days"] = days_late(row, today)
    years: dict[int, AgencyFill] = {}
    grouped = (
        states.filter(year__in=[today.year - 1, today.year])
        .annotate(
            past_due=Case(
                When(due_date__lt=today, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by()
        .values("year", "status", "past_due")
        .annotate(n=Count("id"))
    )
    for g in grouped:
        row = years.setdefault(g["year"], AgencyFill(agency_id, ""))
        _add(row, g["status"], bool(g["past_due"]), g["n"])
    return AgencyDue(
        due_this_month=counts["due"],
        done_this_month=counts["done"],
        overdue_count=counts["overdue"],
        overdue=overdue_rows,
        upcoming=upcoming,
        years=sorted(years.items(), reverse=True),
    )


# --- The drill-down: one item-period's cells ----------------------------------------------


@dataclass
class CellMarks:
    """Which required cells of an item-period are filled; never the values themselves."""

    columns: list[str]  # breakdown cells in words ("" without breakdowns)
    rows: list[tuple[str, str, list[bool]]]  # region code, name, filled per column
    missing: list[tuple[str, str, str]]  # region code, name, column
    filled: int
    required: int
    state: dict[str, Any] | None  # the fill-state row (LIST_FIELDS) or None when unscheduled


def cell_marks(*, item: DataItem, period: Period, today: dt.date | None = None) -> CellMarks:
    """The required cells (regions at the item's level x breakdown cells) marked filled or
    missing, from the keys of the stored values (four queries whatever the size)."""
    from satudata.catalog.models import Region
    from satudata.values.cells import breakdown_keys, parse_breakdown_key, regions_for_level
    from satudata.values.models import Observation

    today = today or timezone.localdate()
    breakdowns = list(item.breakdowns.all())
    names = {b.slug: b.name for b in breakdowns}
    keys = breakdown_keys(breakdowns)
    columns = [
        " · ".join(f"{names.get(s, s)}: {c}" for s, c in parse_breakdown_key(k).items())
        for k in keys
    ]
    codes = regions_for_level(item.level)
    region_names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    filled_keys = set(
        Observation.objects.filter(item=item, period=period.key).values_list(
            "region_id", "breakdown_key"
        )
    )
    rows, missing, filled = [], [], 0
    for code in codes:
        marks = [(code, k) in filled_keys for k in keys]
        filled += sum(marks)
        name = region_names.get(code, code)
        rows.append((code, name, marks))
        missing.extend((code, name, col) for col, ok in zip(columns, marks, strict=True) if not ok)
    state = (
        with_fill_status(FillState.objects.filter(item=item, period=period.key), today)
        .values(*(f for f in LIST_FIELDS if not f.startswith("item__")))
        .first()
    )
    if state is not None:
        state["days"] = days_late(state, today)
    return CellMarks(
        columns=columns,
        rows=rows,
        missing=missing,
        filled=filled,
        required=len(codes) * len(keys),
        state=state,
    )
