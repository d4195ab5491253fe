"""Reads for SOP steps 1 and 2: fill states against the schedule, the list by accessibility."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Case, CharField, Count, F, Q, QuerySet, Value, When
from django.utils import timezone

from satudata.accounts.models import Agency
from satudata.catalog.choices import Accessibility
from satudata.catalog.models import DataItemQuerySet, DataListDecree, Topic
from satudata.catalog.selectors import items_visible_to
from satudata.schedule.choices import FillStatus

# The order of the three sections, as the SOP names them: Terbuka, Terbatas, Tertutup.
CLASS_ORDER: tuple[str, ...] = (
    Accessibility.OPEN,
    Accessibility.LIMITED,
    Accessibility.CLOSED,
)

# Sort keys of the by-agency table (GET "sort"; a leading "-" reverses).
AGENCY_SORTS: dict[str, str] = {
    "agency": "agency__name",
    "open": "open",
    "limited": "limited",
    "closed": "closed",
    "total": "total",
}

# Only the columns the page and the exports show: the rest of a row (BPS metadata, long
# texts) would cost time for nothing on a list of thousands.
ROW_FIELDS: tuple[str, ...] = (
    "pk",
    "code",
    "name",
    "agency__name",
    "unit",
    "periodicity",
    "level",
    "topic__name",
    "accessibility",
    "accessibility_reason",
)


@dataclass(frozen=True)
class Step2Filters:
    """What the step-2 page and its exports are narrowed to (all optional but the decree)."""

    decree: DataListDecree
    agency: Agency | None = None
    topic: Topic | None = None
    accessibility: str = ""
    periodicity: str = ""
    q: str = ""


def accessibility_counts(items: QuerySet) -> dict[str, int]:
    """{"open": n, "limited": n, "closed": n, "total": n} over the given items."""
    counts = {a.value: 0 for a in Accessibility}
    for row in items.order_by().values("accessibility").annotate(n=Count("id")):
        counts[row["accessibility"]] = row["n"]
    counts["total"] = sum(counts.values())
    return counts


def decree_years() -> list[int]:
    """The years that have a decree, newest first."""
    return list(DataListDecree.objects.order_by("-year").values_list("year", flat=True).distinct())


def decrees_of_year(year: int) -> list[DataListDecree]:
    """A year's decrees, newest first (a year may have an amended list)."""
    return list(DataListDecree.objects.filter(year=year).order_by("-decree_date", "-pk"))


def decree_resolve(
    *, year: int | None, decree: DataListDecree | None, decrees: list[DataListDecree]
) -> DataListDecree | None:
    """The decree the page is about: the one asked for when it belongs to the year, else the
    year's newest. `decrees` are the year's decrees, newest first."""
    # A decree left over from another year (the year select changed, the decree select kept
    # its old value) must not win over the year just picked.
    if decree is not None and (year is None or decree.year == year):
        return decree
    return decrees[0] if decrees else None


def step2_items(*, user: Any, filters: Step2Filters) -> DataItemQuerySet:
    """The decree's items this user may see, narrowed by the filters."""
    items = items_visible_to(user).filter(decree=filters.decree)
    if filters.agency is not None:
        items = items.filter(agency=filters.agency)
    if filters.topic is not None:
        items = items.filter(topic=filters.topic)
    if filters.accessibility:
        items = items.filter(accessibility=filters.accessibility)
    if filters.periodicity:
        items = items.filter(periodicity=filters.periodicity)
    if filters.q:
        items = items.filter(
            Q(name__icontains=filters.q)
            | Q(code__icontains=filters.q)
            | Q(unit__icontains=filters.q)
            | Q(tags__icontains=filters.q)
        )
    return items


def counts_by_agency(items: QuerySet, *, sort: str = "agency") -> list[dict[str, Any]]:
    """One row per agency having items: agency_id, agency__name, open, limited, closed, total.

    One aggregate query; `sort` is a key of AGENCY_SORTS, "-" in front for descending.
    """
    descending = sort.startswith("-")
    field = AGENCY_SORTS.get(sort.lstrip("-"), AGENCY_SORTS["agency"])
    order = [f"-{field}" if descending else field]
    if field != "agency__name":
        order.append("agency__name")  # a stable order among equal counts
    rows = (
        items.order_by()
        .values("agency_id", "agency__name")
        .annotate(
            open=Count("id", filter=Q(accessibility=Accessibility.OPEN)),
            limited=Count("id", filter=Q(accessibility=Accessibility.LIMITED)),
            closed=Count("id", filter=Q(accessibility=Accessibility.CLOSED)),
            total=Count("id"),
        )
        .order_by(*order)
    )
    return list(rows)


def rows_by_class(items: QuerySet) -> dict[str, list[dict[str, Any]]]:
    """The rows (ROW_FIELDS dicts) in three lists by class, each by agency name then code."""
    grouped: dict[str, list[dict[str, Any]]] = {cls: [] for cls in CLASS_ORDER}
    # values() skips building model instances: thousands of rows, a handful of columns.
    for row in items.order_by("agency__name", "code").values(*ROW_FIELDS):
        grouped[row["accessibility"]].append(row)
    return grouped


def with_fill_status(
    states: QuerySet, today: dt.date | None = None, due_dates: Iterable[dt.date] | None = None
) -> QuerySet:
    """Fill states annotated with `status` (FillStatus) and `overdue` (due and not complete).

    Filled late means the last missing cell came after the due date; a period not yet due is
    "not due" while empty and "partly filled" once some cells are in.

    "On time" is tested against each due date's local end of day, one condition per distinct
    due date, instead of casting every row's completion time to a local date (on SQLite a
    Python function call per row: 300 ms for a year at scale). `due_dates`, when given, must
    hold every due date among the states; else they are read first (one small query).
    """
    today = today or timezone.localdate()
    complete = Q(required_cells__gt=0, filled_cells__gte=F("required_cells"))
    if due_dates is None:
        due_dates = states.order_by().values_list("due_date", flat=True).distinct()
    tz = timezone.get_current_timezone()
    on_time = Q(pk__in=[])
    for day in set(due_dates):
        end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=tz)
        on_time |= Q(due_date=day, completed_at__lt=end)
    return states.annotate(
        status=Case(
            When(complete & on_time, then=Value(FillStatus.FILLED)),
            When(complete, then=Value(FillStatus.FILLED_LATE)),
            When(filled_cells__gt=0, then=Value(FillStatus.PARTIAL)),
            When(due_date__lt=today, then=Value(FillStatus.MISSING)),
            default=Value(FillStatus.NOT_DUE),
            output_field=CharField(),
        ),
        overdue=Case(
            When(~complete & Q(due_date__lt=today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )
