"""Reads behind the entry pages: the items to fill, and one grid's rows, columns and values.

A grid is one item for one period: rows are the regions at the item's level, columns the
combinations of its breakdowns. Every read here is one query whatever the number of regions,
so a village-level item (248 rows) costs what a regency-level one does.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from satudata.catalog.choices import PresentationLevel, RegionLevel
from satudata.catalog.models import Breakdown, DataItem, Region
from satudata.schedule.models import FillState, PeriodLock
from satudata.schedule.periods import Period
from satudata.schedule.selectors import with_fill_status
from satudata.schedule.services import due_date_for
from satudata.values.cells import breakdown_keys, parse_breakdown_key
from satudata.values.choices import ValueStatus
from satudata.values.models import Observation, ObservationRevision
from satudata.values.numbers import format_number

_REGION_LEVEL = {
    PresentationLevel.DISTRICT: RegionLevel.DISTRICT,
    PresentationLevel.VILLAGE: RegionLevel.VILLAGE,
}


@dataclass(frozen=True)
class GridRow:
    """One region of the grid; `group` names the kecamatan a village belongs to."""

    code: str
    name: str
    group: str = ""


@dataclass(frozen=True)
class HeaderCell:
    label: str
    span: int = 1


@dataclass
class GridLayout:
    """Rows and columns of an item's grid, in the order CellPlan counts its cells."""

    rows: list[GridRow]
    columns: list[str]  # breakdown keys ("" for an item without breakdowns)
    column_labels: list[str]
    header_rows: list[list[HeaderCell]] = field(default_factory=list)
    breakdown_names: list[str] = field(default_factory=list)

    @property
    def cell_count(self) -> int:
        return len(self.rows) * len(self.columns)


def grid_rows(level: str, root: str | None = None) -> list[GridRow]:
    """The regions at a presentation level, by code; villages carry their kecamatan's name."""
    root = root or settings.REGION_CODE
    if level == PresentationLevel.REGENCY:
        region = Region.objects.filter(code=root).values_list("name", flat=True).first()
        return [GridRow(root, region or root)]
    regions = Region.objects.filter(
        level=_REGION_LEVEL[PresentationLevel(level)], code__startswith=root + "."
    ).order_by("code")
    if level == PresentationLevel.VILLAGE:
        return [
            GridRow(code, name, group or "")
            for code, name, group in regions.values_list("code", "name", "parent__name")
        ]
    return [GridRow(code, name) for code, name in regions.values_list("code", "name")]


def _header_rows(ordered: list[Breakdown]) -> list[list[HeaderCell]]:
    """One header row per breakdown: each category spans the combinations of those after it."""
    rows: list[list[HeaderCell]] = []
    repeat = 1
    for depth, breakdown in enumerate(ordered):
        span = 1
        for later in ordered[depth + 1 :]:
            span *= max(len(later.categories), 1)
        rows.append([HeaderCell(str(c), span) for _ in range(repeat) for c in breakdown.categories])
        repeat *= max(len(breakdown.categories), 1)
    return rows


def grid_layout(item: DataItem) -> GridLayout:
    """The grid's rows and columns (two queries: regions, breakdowns)."""
    # Same order as values.cells.breakdown_keys, so columns and required cells line up.
    ordered = sorted(item.breakdowns.all(), key=lambda b: b.slug)
    columns = breakdown_keys(ordered)
    labels = [" · ".join(parse_breakdown_key(key).values()) for key in columns] if ordered else [""]
    return GridLayout(
        rows=grid_rows(item.level),
        columns=columns,
        column_labels=labels,
        header_rows=_header_rows(ordered) if len(ordered) > 1 else [],
        breakdown_names=[b.name for b in ordered],
    )


@dataclass(frozen=True)
class StoredCell:
    value: Decimal
    status: str
    note: str
    source: str


def stored_cells(item: DataItem, period: str) -> dict[tuple[str, str], StoredCell]:
    """The item's values for a period by (region, breakdown key): one query."""
    rows = Observation.objects.filter(item=item, period=period).values_list(
        "region_id", "breakdown_key", "value", "status", "note", "source"
    )
    return {(r, b): StoredCell(v, s, n, src) for r, b, v, s, n, src in rows}


@dataclass(frozen=True)
class PeriodMeta:
    """What the grid shows for the whole period: status, note and source of its values."""

    status: str = ValueStatus.PRELIMINARY
    note: str = ""
    source: str = ""


def period_meta(cells: dict[tuple[str, str], StoredCell]) -> PeriodMeta:
    """The period's status, note and source as most of its values have them."""
    if not cells:
        return PeriodMeta()
    values = list(cells.values())
    # "Final" only when every value is final: one preliminary cell keeps the period preliminary.
    final = all(c.status == ValueStatus.FINAL for c in values)

    def common(attr: str) -> str:
        return Counter(getattr(c, attr) for c in values).most_common(1)[0][0]

    return PeriodMeta(
        status=ValueStatus.FINAL if final else ValueStatus.PRELIMINARY,
        note=common("note"),
        source=common("source"),
    )


@dataclass
class PeriodState:
    """The fill state of the grid's period as the page shows it (nothing is written)."""

    version: int
    due_date: dt.date
    status: str
    filled: int
    required: int
    days_late: int  # days after the due date: when completed late, or today when overdue


def period_state(item: DataItem, period: Period, required: int) -> PeriodState:
    """Read the fill-state row (one query); a period never saved yet is version 0."""
    state = with_fill_status(FillState.objects.filter(item=item, period=period.key)).first()
    if state is None:
        return fill_status_of(
            FillState(
                item=item,
                period=period.key,
                year=period.year,
                due_date=due_date_for(item, period),
                required_cells=required,
            )
        )
    return fill_status_of(state)


def fill_status_of(state: FillState) -> PeriodState:
    """A fill state's status in words the grid uses, with the days it is or was late."""
    from satudata.schedule.choices import FillStatus

    today = timezone.localdate()
    complete = state.required_cells > 0 and state.filled_cells >= state.required_cells
    if complete and state.completed_at is not None:
        done = timezone.localdate(state.completed_at)
        status = FillStatus.FILLED if done <= state.due_date else FillStatus.FILLED_LATE
        late = max((done - state.due_date).days, 0)
    else:
        status = getattr(state, "status", None) or (
            FillStatus.PARTIAL
            if state.filled_cells
            else FillStatus.MISSING
            if state.due_date < today
            else FillStatus.NOT_DUE
        )
        late = max((today - state.due_date).days, 0)
    return PeriodState(
        version=state.version,
        due_date=state.due_date,
        status=status,
        filled=state.filled_cells,
        required=state.required_cells,
        days_late=late,
    )


@dataclass(frozen=True)
class EntryBlock:
    """Why values of a period cannot be entered now (None when they can)."""

    reason: str  # "not_started" or "locked"
    since: dt.date | dt.datetime
    note: str = ""


def entry_block(period: Period, today: dt.date | None = None) -> EntryBlock | None:
    """The same rule as schedule.services.period_is_open, with the reason to show."""
    today = today or timezone.localdate()
    if period.start > today:
        return EntryBlock("not_started", period.start)
    lock = PeriodLock.objects.filter(period=period.key).first()
    if lock is not None:
        return EntryBlock("locked", lock.locked_at, lock.reason)
    return None


def revisions_of(item: DataItem, period: str) -> QuerySet[ObservationRevision]:
    """The item-period's revisions, newest first, with who made them."""
    return (
        ObservationRevision.objects.filter(item=item, period=period)
        .select_related("changed_by")
        .order_by("-changed_at", "-id")
    )


def region_names(codes: set[str]) -> dict[str, str]:
    return dict(Region.objects.filter(code__in=codes).values_list("code", "name"))


def with_region_names(revisions: list[ObservationRevision]) -> list[dict[str, Any]]:
    """Rows for the history table: one query for the names of the regions on the page."""
    names = region_names({r.region_id for r in revisions})
    return [
        {
            "revision": r,
            "region_name": names.get(r.region_id, r.region_id),
            "breakdown": " · ".join(parse_breakdown_key(r.breakdown_key).values()),
            "previous": format_number(r.previous_value),
            "new": format_number(r.new_value),
        }
        for r in revisions
    ]


def items_to_fill(
    *, user: Any, year: int, agency_id: int | None, periodicity: str = ""
) -> QuerySet[DataItem]:
    """Items of the decree in force for the year that the user fills: their agency's own.

    Producers get their agency's items whatever `agency_id` says; walidata and administrators
    name an agency (none named: nothing, a list of thousands helps nobody).
    """
    from satudata.accounts.permissions import user_role
    from satudata.accounts.roles import Role
    from satudata.catalog.selectors import decree_for_year, items_visible_to

    if user_role(user) not in (Role.WALIDATA, Role.ADMIN):
        agency_id = getattr(user, "agency_id", None)
    decree = decree_for_year(year)
    if decree is None or agency_id is None:
        return DataItem.objects.none()
    items = items_visible_to(user).filter(decree=decree, agency_id=agency_id)
    if periodicity:
        items = items.filter(periodicity=periodicity)
    return items.order_by("code").only(
        "pk", "code", "name", "unit", "periodicity", "level", "accessibility", "agency_id"
    )
