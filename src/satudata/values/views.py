"""Entering values in a grid: the items a user fills, one item's grid for a period, its history.

Access: a user who may not know the item exists, or may not read its values, gets 404; a user
who may read but not enter values gets the grid read-only; a POST from them is a 403.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from satudata.accounts.models import Agency
from satudata.accounts.permissions import can, user_role
from satudata.accounts.roles import Action, Role
from satudata.catalog.models import DataItem
from satudata.catalog.permissions import can_view_item, can_view_item_values
from satudata.core.errors import DomainError
from satudata.schedule.choices import FillStatus
from satudata.schedule.models import FillState
from satudata.schedule.periods import InvalidPeriod, Period
from satudata.schedule.selectors import with_fill_status
from satudata.schedule.services import fill_states_sync
from satudata.values.forms import GridCell, GridCells, GridMetaForm, ValueHomeForm
from satudata.values.grid import (
    EntryBlock,
    GridLayout,
    HeaderCell,
    PeriodMeta,
    PeriodState,
    entry_block,
    fill_status_of,
    grid_layout,
    items_to_fill,
    period_meta,
    period_state,
    revisions_of,
    stored_cells,
    with_region_names,
)
from satudata.values.numbers import InvalidNumber, format_number, parse_number
from satudata.values.permissions import can_edit_values
from satudata.values.services import ConcurrentEdit, observations_save

HOME_YEARS = 6  # this year and the five before: the history an operator still corrects
HISTORY_PAGE = 100


# --- the items to fill ---------------------------------------------------------------------


@login_required
@require_GET
def value_home(request: HttpRequest) -> HttpResponse:
    """The items the user fills for a year, each period with its fill status and grid link."""
    if not can(request.user, Action.VALUES_EDIT):
        raise PermissionDenied
    today = timezone.localdate()
    years = list(range(today.year, today.year - HOME_YEARS, -1))
    picks_agency = user_role(request.user) in (Role.WALIDATA, Role.ADMIN)
    agencies = (
        list(Agency.objects.filter(is_active=True).order_by("name").values_list("pk", "name"))
        if picks_agency
        else None
    )
    form = ValueHomeForm(request.GET, years=years, agencies=agencies)
    data = form.cleaned_data if form.is_valid() else {}
    year = data.get("year") or today.year
    agency_id = data.get("agency") or None
    items = list(
        items_to_fill(
            user=request.user,
            year=year,
            agency_id=agency_id,
            periodicity=data.get("periodicity", ""),
        )
    )
    rows = _home_rows(items, year)
    counts = {s.value: 0 for s in FillStatus}
    overdue = 0
    for row in rows:
        for cell in row["periods"]:
            counts[cell["status"]] += 1
            overdue += cell["overdue"]
    context = {
        "form": form,
        "year": year,
        "picks_agency": picks_agency,
        "agency_chosen": agency_id is not None or not picks_agency,
        "rows": rows,
        "counts": [(FillStatus(s).label, s, n) for s, n in counts.items() if n],
        "overdue": overdue,
        "legend": FillStatus.choices,
    }
    return render(request, "values/home.html", context, status=200 if form.is_valid() else 400)


def _home_rows(items: list[DataItem], year: int) -> list[dict[str, Any]]:
    """Each item with its periods of the year and their fill status (one query for states)."""
    if not items:
        return []
    expected = sum(len(Period.of_year(year, item.periodicity)) for item in items)
    states = _states(items, year)
    if len(states) < expected:
        # First look at a year (or an item added since): its schedule rows do not exist yet.
        fill_states_sync(year=year, items=DataItem.objects.filter(pk__in=[i.pk for i in items]))
        states = _states(items, year)
    rows = []
    for item in items:
        periods = []
        for period in Period.of_year(year, item.periodicity):
            state = states.get((item.pk, period.key))
            if state is None:  # pragma: no cover - the sync above creates every row
                continue
            periods.append(
                {
                    "key": period.key,
                    "label": _period_label(period),
                    "status": state.status,
                    "status_label": FillStatus(state.status).label,
                    "overdue": state.overdue,
                    "due_date": state.due_date,
                    "filled": state.filled_cells,
                    "required": state.required_cells,
                    "url": reverse("value-grid", args=[item.pk, period.key]),
                }
            )
        rows.append({"item": item, "periods": periods})
    return rows


def _states(items: Iterable[DataItem], year: int) -> dict[tuple[int, str], FillState]:
    states = with_fill_status(
        FillState.objects.filter(year=year, item__in=[i.pk for i in items]).only(
            "item_id", "period", "due_date", "required_cells", "filled_cells", "completed_at"
        )
    )
    return {(s.item_id, s.period): s for s in states}


def _period_label(period: Period) -> str:
    """Short label of a period inside its year: "Q3", "S1", "Jul", or the year."""
    key = period.key
    if period.periodicity == "monthly":
        return date_format(period.start, "M")
    return key.split("-", 1)[1] if "-" in key else key


# --- one item's grid -----------------------------------------------------------------------


def _item_and_period(request: HttpRequest, item_pk: int, period: str) -> tuple[DataItem, Period]:
    """The item whose values the user may read, and the period; 404 for anything else."""
    item = get_object_or_404(DataItem.objects.select_related("agency"), pk=item_pk)
    if not can_view_item(request.user, item) or not can_view_item_values(request.user, item):
        raise Http404
    try:
        return item, Period.parse(period, item.periodicity)
    except InvalidPeriod as exc:
        raise Http404 from exc


@login_required
@require_http_methods(["GET", "POST"])
def value_grid(request: HttpRequest, item_pk: int, period: str) -> HttpResponse:
    """The grid of one item for one period: read, or typed and saved."""
    item, the_period = _item_and_period(request, item_pk, period)
    if the_period.key != period:
        return redirect("value-grid", item.pk, the_period.key)
    may_edit = can_edit_values(request.user, item)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied
    layout = grid_layout(item)
    stored = stored_cells(item, the_period.key)
    shown = period_meta(stored)
    page = GridPage(request, item, the_period, layout, may_edit)
    if request.method == "GET":
        state = period_state(item, the_period, layout.cell_count)
        meta_form = GridMetaForm(
            initial={
                "status": shown.status,
                "note": shown.note,
                "source": shown.source,
                "version": state.version,
            }
        )
        return page.render(GridCells(layout, stored), meta_form, state)

    meta_form = GridMetaForm(request.POST)
    cells = GridCells(layout, stored, request.POST)
    cells_ok = cells.is_valid()
    if not (meta_form.is_valid() and cells_ok):
        return page.render(cells, meta_form, status=400)
    data = meta_form.cleaned_data
    meta = PeriodMeta(status=data["status"], note=data["note"], source=data["source"])
    changes = cells.changes(meta, shown)
    if not changes:
        messages.info(request, _("Nothing changed: no value was saved."))
        return redirect("value-grid", item.pk, the_period.key)
    try:
        result = observations_save(
            actor=request.user,
            item=item,
            period=the_period.key,
            cells=changes,
            version=data["version"],
        )
    except ConcurrentEdit as exc:
        return page.render(cells, meta_form, status=exc.status, error=exc.message)
    except DomainError as exc:  # e.g. walidata locked the period while the page was open
        return page.render(cells, meta_form, status=exc.status, error=exc.message)
    assert result.state is not None
    state = fill_status_of(result.state)
    messages.success(
        request,
        _("Saved: %(created)s new, %(updated)s changed, %(deleted)s emptied. %(state)s")
        % {
            "created": result.created,
            "updated": result.updated,
            "deleted": result.deleted,
            "state": status_sentence(state),
        },
    )
    return redirect("value-grid", item.pk, the_period.key)


def status_sentence(state: PeriodState) -> str:
    """The fill status in one sentence: "Filled, late by 3 days (due 14 Nov 2026)."."""
    due = date_format(state.due_date, "DATE_FORMAT")
    missing = max(state.required - state.filled, 0)
    if state.status == FillStatus.FILLED:
        return _("The item is filled (due %(due)s).") % {"due": due}
    if state.status == FillStatus.FILLED_LATE:
        return ngettext(
            "The item is filled, late by %(days)s day (due %(due)s).",
            "The item is filled, late by %(days)s days (due %(due)s).",
            state.days_late,
        ) % {"days": state.days_late, "due": due}
    if state.status == FillStatus.PARTIAL:
        text = ngettext(
            "The item is partly filled: %(missing)s cell of %(required)s is still empty.",
            "The item is partly filled: %(missing)s cells of %(required)s are still empty.",
            missing,
        ) % {"missing": missing, "required": state.required}
    elif state.status == FillStatus.MISSING:
        text = _("No value has been entered yet.")
    else:
        return _("Not yet due: values are due %(due)s.") % {"due": due}
    if state.days_late:
        text += " " + ngettext(
            "Overdue by %(days)s day (due %(due)s).",
            "Overdue by %(days)s days (due %(due)s).",
            state.days_late,
        ) % {"days": state.days_late, "due": due}
    return text


class GridPage:
    """Renders the grid page, for a first look or after a refused save."""

    def __init__(
        self,
        request: HttpRequest,
        item: DataItem,
        period: Period,
        layout: GridLayout,
        may_edit: bool,
    ) -> None:
        self.request, self.item, self.period, self.layout = request, item, period, layout
        self.may_edit = may_edit

    def render(
        self,
        cells: GridCells,
        meta_form: GridMetaForm,
        state: PeriodState | None = None,
        *,
        status: int = 200,
        error: str = "",
    ) -> HttpResponse:
        block = entry_block(self.period)
        state = state or period_state(self.item, self.period, self.layout.cell_count)
        editable = self.may_edit and block is None
        layout = self.layout
        context = {
            "item": self.item,
            "period": self.period,
            "layout": layout,
            "thead": _thead(self.item, layout),
            "lines": _lines(layout, cells.cells),
            "totals": _totals(cells.cells, len(layout.columns)),
            "show_totals": len(layout.rows) > 1,
            "editable": editable,
            "readonly_reason": _readonly_reason(self.may_edit, block),
            "meta_form": meta_form,
            "cell_errors": cells.errors,
            "unsaved": status != 200,
            "error": error,
            "state": state,
            "state_text": status_sentence(state),
            "status_label": FillStatus(state.status).label,
            "home_url": reverse("values-home")
            + f"?year={self.period.year}&periodicity={self.item.periodicity}"
            + (f"&agency={self.item.agency_id}" if self.item.agency_id else ""),
        }
        return render(self.request, "values/grid.html", context, status=status)


def _thead(item: DataItem, layout: GridLayout) -> list[list[HeaderCell]]:
    """Header rows above the value columns: the breakdowns' names, then their categories."""
    n = len(layout.columns)
    if not layout.breakdown_names:
        return [[HeaderCell(_("Value") + (f" ({item.unit})" if item.unit else ""))]]
    names = HeaderCell(" × ".join(layout.breakdown_names), n)
    if layout.header_rows:
        return [[names], *layout.header_rows]
    return [[names], [HeaderCell(label) for label in layout.column_labels]]


def _lines(layout: GridLayout, cells: list[list[GridCell]]) -> list[dict[str, Any]]:
    """Rows of the table; a village row opens a new kecamatan group when its parent changes."""
    lines, group = [], None
    for row, line in zip(layout.rows, cells, strict=True):
        starts = bool(row.group) and row.group != group
        group = row.group
        lines.append(
            {
                "row": row,
                "cells": line,
                "group_start": starts,
            }
        )
    return lines


def _totals(cells: list[list[GridCell]], columns: int) -> list[str]:
    """Sum of each column over the cells that read as numbers (what the page shows)."""
    sums = [Decimal(0)] * columns
    for line in cells:
        for c, cell in enumerate(line):
            try:
                sums[c] += parse_number(cell.text) or 0
            except InvalidNumber:
                continue
    return [format_number(s) for s in sums]


def _readonly_reason(may_edit: bool, block: EntryBlock | None) -> str:
    if not may_edit:
        return _("You may read these values; only the producing agency and walidata enter them.")
    if block is None:
        return ""
    if block.reason == "not_started":
        return _("This period has not started: values can be entered from %(date)s.") % {
            "date": date_format(block.since, "DATE_FORMAT")
        }
    text = _("Walidata closed this period for entry on %(date)s.") % {
        "date": date_format(timezone.localtime(block.since), "DATE_FORMAT")  # type: ignore[arg-type]
    }
    return f"{text} {block.note}".strip()


# --- history -------------------------------------------------------------------------------


@login_required
@require_GET
def value_history(request: HttpRequest, item_pk: int, period: str) -> HttpResponse:
    """The revisions of an item's values for a period, newest first."""
    item, the_period = _item_and_period(request, item_pk, period)
    if the_period.key != period:
        return redirect("value-history", item.pk, the_period.key)
    pages = Paginator(revisions_of(item, the_period.key), HISTORY_PAGE)
    page = pages.get_page(request.GET.get("page"))
    context = {
        "item": item,
        "period": the_period,
        "page": page,
        "rows": with_region_names(list(page.object_list)),
    }
    return render(request, "values/history.html", context)
